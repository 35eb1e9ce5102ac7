"""Yandex Delivery jobs: book a route, re-read a claim when Yandex nudges us, and poll the claims journal."""

from __future__ import annotations

import typing as t
import uuid

from sqlalchemy import select

from couriers.yandex import booking
from couriers.yandex import tracking
from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import RouteStatus
from dispatch.jobs.context import job_context
from dispatch.jobs.runner import Progress
from dispatch.jobs.runner import Submitted
from dispatch.jobs.runner import submit
from dispatch.jobs.runner import tracked
from dispatch.models import Branch
from dispatch.models import YandexClaim
from dispatch.planning.inputs import current_plan

if t.TYPE_CHECKING:
    from datetime import date

    from dispatch.config import Settings
    from dispatch.context import Context
    from dispatch.jobs.cron import Periodic

BOOK_JOB = "yandex_book"
REFRESH_JOB = "yandex_refresh"


@tracked(BOOK_JOB)
def book_yandex_route(
    ctx: Context, *, key: str, progress: Progress, route_id: int, confirm: bool = False, actor: str = "system"
) -> dict[str, t.Any]:
    """Book one route's claims and accept them (the claim rows make a rerun safe)."""
    progress("booking", 20)
    return booking.book_route(ctx, route_id, actor=actor, confirm=confirm)


@tracked(REFRESH_JOB)
def refresh_yandex_claim(
    ctx: Context, *, key: str, progress: Progress, claim_row_id: int, updated_ts: str | None = None
) -> dict[str, t.Any]:
    """Re-read one claim (after Yandex's callback, whose ``updated_ts`` is kept on the job) and apply what changed."""
    return {"status": tracking.refresh_claim(ctx, claim_row_id, source="callback")}


def sync_yandex() -> dict[str, t.Any]:
    """Periodic: read the claims journal (nothing to do while Yandex is not configured)."""
    ctx = job_context()
    if not ctx.settings.yandex.enabled:
        return {"skipped": "yandex not configured"}
    return tracking.sync_journal(ctx)


def periodic(settings: Settings) -> list[Periodic]:
    """The journal poll for ``rq cron``, every ``DISPATCH_YANDEX_SYNC_EVERY_S``; none while Yandex is not configured."""
    return [(sync_yandex, {"interval": settings.yandex.sync_every_s})] if settings.yandex.enabled else []


def bookable_routes(ctx: Context, day: date, branch: str | None = None) -> list[int]:
    """Ids of the day's Yandex routes still to book: drafts, and dispatched routes with a claim not yet made."""
    with ctx.uow() as uow:
        session = uow.session
        query = select(Branch).order_by(Branch.code)
        if branch:
            query = query.where(Branch.code == branch)
        ids: list[int] = []
        for record in session.scalars(query):
            plan = current_plan(session, record.id, day)
            for route in plan.routes if plan else []:
                if route.carrier is not Carrier.YANDEX:
                    continue
                unbooked = session.scalar(
                    select(YandexClaim.id).where(YandexClaim.route_id == route.id, YandexClaim.claim_id.is_(None)).limit(1)
                )
                if route.status is RouteStatus.DRAFT or (route.status is RouteStatus.DISPATCHED and unbooked):
                    ids.append(route.id)
        return ids


def submit_bookings(
    ctx: Context, day: date, *, branch: str | None = None, confirm: bool = False, actor: str = "system"
) -> list[Submitted]:
    """One booking job per Yandex route of the day."""
    nonce = uuid.uuid4().hex[:12]
    return [
        submit(
            ctx,
            book_yandex_route,
            key=f"yandex-book:{route_id}:{nonce}",
            kind=BOOK_JOB,
            route_id=route_id,
            confirm=confirm,
            actor=actor,
        )
        for route_id in bookable_routes(ctx, day, branch)
    ]


def nudge(ctx: Context, token: str, updated_ts: str | None) -> bool:
    """Yandex called the callback of the claim with ``token``: queue a re-read (its payload is not trusted).

    Returns whether the token names a claim. Every nudge gets its own re-read: two changes may carry the
    same ``updated_ts``, and a re-read is harmless (applying a claim twice changes nothing).
    """
    with ctx.uow() as uow:
        row_id = uow.session.scalar(select(YandexClaim.id).where(YandexClaim.callback_token == token))
    if row_id is None:
        return False
    key = f"yandex-refresh:{row_id}:{uuid.uuid4().hex[:16]}"
    submit(ctx, refresh_yandex_claim, key=key, kind=REFRESH_JOB, claim_row_id=row_id, updated_ts=updated_ts)
    return True
