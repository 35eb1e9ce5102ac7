"""The demo's Yandex step: the day's Yandex routes booked against the local Yandex, then played to the end.

The stand-in (:mod:`integrations.yandex.standin`) runs in this process on a free port; the
booking, the accept and the journal sync are the production code paths. One reader per claim is
not at home, to show a failed attempt going back to planning.
"""

from __future__ import annotations

import typing as t
from dataclasses import replace
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from couriers.yandex.booking import book_route
from couriers.yandex.booking import quote_route
from couriers.yandex.jobs import bookable_routes
from couriers.yandex.tracking import sync_journal
from dispatch.domain.statuses import RequestStatus
from dispatch.errors import DispatchError
from dispatch.models import DeliveryRequest
from dispatch.models import PlanRoute
from dispatch.models import YandexClaim
from integrations.yandex.standin.server import YandexSimulator

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from dispatch.context import Context

DEMO_TOKEN = "demo-token"


def play_yandex_day(ctx: Context, day: date, *, echo: Callable[[str], None]) -> dict[str, t.Any]:
    """Book ``day``'s Yandex routes with the local Yandex, play every claim forward, and report what happened."""
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    morning = datetime.combine(day, time(7, 0), tzinfo=zone)
    with YandexSimulator(token=DEMO_TOKEN, clock=lambda: morning) as yandex:
        saved = ctx.settings
        ctx.settings = replace(saved, yandex=replace(saved.yandex, base_url=yandex.url, token=DEMO_TOKEN, accept_wait_s=0.0))
        try:
            return _play(ctx, day, yandex, echo)
        finally:
            ctx.settings = saved


def leave_yandex_routes(ctx: Context, day: date, *, echo: Callable[[str], None]) -> dict[str, t.Any]:
    """Leave ``day``'s Yandex routes unbooked: in the served demo the dispatcher books them with the running local Yandex."""
    route_ids = bookable_routes(ctx, day)
    if route_ids:
        echo(f"Yandex: {len(route_ids)} route(s) of {day.isoformat()} wait for the dispatcher to book them in the console.")
    else:
        echo("Yandex: no route of the day went to Yandex (the branches' own couriers cover it).")
    return {"routes": len(route_ids), "left_for_the_dispatcher": route_ids}


def _play(ctx: Context, day: date, yandex: YandexSimulator, echo: Callable[[str], None]) -> dict[str, t.Any]:
    route_ids = bookable_routes(ctx, day)
    if not route_ids:
        echo("Yandex: no route of the day went to Yandex (the branches' own couriers cover it).")
        return {"routes": 0}
    echo(f"Yandex: booking {len(route_ids)} route(s) with the local Yandex at {yandex.url} …")
    for route_id in route_ids:
        quote = quote_route(ctx, route_id)
        echo(f"  route {route_id}: {quote.claims} claim(s), Yandex estimates {quote.estimate_kzt} KZT")
    failed: list[str] = []
    for route_id in route_ids:
        try:
            book_route(ctx, route_id, actor="demo", confirm=True)
        except DispatchError as error:
            failed.append(f"route {route_id}: {error.message(ctx.settings.language)}")
            echo(f"  {failed[-1]}")
    with ctx.uow() as uow:
        claims = [(row.claim_id, row.direction) for row in uow.session.scalars(select(YandexClaim)) if row.claim_id]
    for claim_id, _ in claims:
        yandex.play(claim_id, accept=False)  # estimated: ready for approval
    accepted = sync_journal(ctx)["accepted"]
    absent: set[str] = set()
    for claim_id, direction in claims:
        readers = [p["external_order_id"] for p in yandex.claim(claim_id)["route_points"] if p.get("external_order_id")]
        if direction == "delivery" and len(readers) > 1:
            absent.add(readers[-1])
        yandex.play(claim_id, skip=absent)
    sync_journal(ctx)
    with ctx.uow() as uow:
        rows = uow.session.scalars(select(YandexClaim)).all()
        rescheduled = uow.session.scalars(
            select(DeliveryRequest).where(
                DeliveryRequest.public_id.in_(absent), DeliveryRequest.status == RequestStatus.SCHEDULED
            )
        ).all()
        final_statuses = sorted({row.status for row in rows})
        summary: dict[str, t.Any] = {
            "routes": len(route_ids),
            "requests": len(
                {s.request_id for r in uow.session.scalars(select(PlanRoute).where(PlanRoute.id.in_(route_ids))) for s in r.stops}
                - {None}
            ),
            "claims": len(rows),
            "accepted": accepted,
            "final_statuses": final_statuses,
            "paid_kzt": str(sum(float(row.final_price_kzt or 0) for row in rows)),
            "not_at_home_rescheduled": len(rescheduled),
            "failed_bookings": failed,
        }
    echo(
        f"Yandex: {summary['claims']} claims accepted and played to the end ({', '.join(final_statuses)}); "
        f"{summary['paid_kzt']} KZT; {summary['not_at_home_rescheduled']} reader(s) not at home planned again."
    )
    return summary
