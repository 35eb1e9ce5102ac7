"""The moments a reader hears from us, each queued in the transaction of the change it tells about.

* a request taken: accepted with its day and window, or refused with the reason and whom to call;
  a return pickup: its day, and a reminder the evening before;
* a day planned: the evening before, the day and a two-hour window around the planned time;
* a courier heading to the reader: the expected time, and Yandex's tracking link when there is one;
* a stop recorded: the books handed over and when they are due, or a failed attempt and what next.
"""

from __future__ import annotations

import typing as t
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.domain.statuses import StopOutcome
from dispatch.models import YandexClaim
from dispatch.sms.outbox import queue_sms
from dispatch.sms.reasons import short_reason
from notifications import templates

if t.TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from dispatch.models import DeliveryRequest
    from dispatch.models import Plan
    from dispatch.models import PlanRoute
    from dispatch.models import PlanStop

PLANNED_WINDOW = timedelta(hours=2)
"""Width of the window announced the evening before, around the planned time."""


def request_taken(ctx: Context, session: Session, request: DeliveryRequest) -> None:
    """Tell the reader what became of a request just taken."""
    reader = request.reader
    if request.status is RequestStatus.REJECTED:
        params = {"reason": short_reason(request.reasons, reader.language), "phone": ctx.settings.sms.library_phone}
        queue_sms(ctx, session, reader, templates.REQUEST_REJECTED, params, key=f"rejected:{request.id}", request=request)
        return
    if request.status is not RequestStatus.SCHEDULED or request.service_date is None:
        return
    day, window = request.service_date, templates.format_window(request.window_start, request.window_end)
    when = {"date": templates.format_date(day), "window": window}
    if request.kind is RequestKind.DELIVERY:
        queue_sms(
            ctx,
            session,
            reader,
            templates.REQUEST_ACCEPTED,
            {"number": str(request.id), **when},
            key=f"accepted:{request.id}",
            request=request,
        )
        return
    queue_sms(ctx, session, reader, templates.RETURN_SCHEDULED, when, key=f"return:{request.id}:{day}", request=request)
    evening = _evening_before(ctx, day)
    if evening > ctx.clock():
        queue_sms(
            ctx,
            session,
            reader,
            templates.RETURN_TOMORROW,
            when,
            key=f"return-tomorrow:{request.id}:{day}",
            request=request,
            not_before=evening,
            service_date=day,
        )


def day_planned(ctx: Context, session: Session, plan: Plan) -> None:
    """The evening before, each planned delivery's day and a window around its planned time."""
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    for route in plan.routes:
        if route.status in (RouteStatus.SUPERSEDED, RouteStatus.CANCELLED):
            continue
        for stop in route.stops:
            request = stop.request
            if stop.kind != "delivery" or request is None or request.status is not RequestStatus.PLANNED:
                continue
            start, end = _window_around(stop.eta.astimezone(zone), request.window_start, request.window_end)
            day = plan.service_date
            queue_sms(
                ctx,
                session,
                request.reader,
                templates.DELIVERY_PLANNED,
                {"date": templates.format_date(day), "window": templates.format_window(start, end)},
                key=f"planned:{request.id}:{day}",
                request=request,
                not_before=_evening_before(ctx, day),
                service_date=day,
            )


def courier_heading(ctx: Context, session: Session, route: PlanRoute) -> None:
    """The courier is on the way to the next reader who gets books: the expected time, and the tracking link."""
    pending = [s for s in route.stops if s.request is not None and s.outcome is None]
    if not pending or pending[0].kind != "delivery":
        return
    stop = pending[0]
    request = stop.request
    assert request is not None
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    params: dict[str, t.Any] = {"eta": templates.format_time(stop.eta.astimezone(zone))}
    link = _tracking_link(session, route, request.public_id)
    if link is not None and len(link) <= templates.PARAMS["link"].max_len:
        params["link"] = link
    queue_sms(
        ctx,
        session,
        request.reader,
        templates.COURIER_ON_THE_WAY,
        params,
        key=f"on-the-way:{request.id}:{route.id}",
        request=request,
    )


def stop_recorded(ctx: Context, session: Session, stop: PlanStop, result: StopOutcome, next_day: date | None) -> None:
    """The books handed over (how many, when due), or a failed attempt and what happens next."""
    request = stop.request
    if request is None or request.kind is not RequestKind.DELIVERY:
        return
    reader = request.reader
    if result is StopOutcome.DELIVERED:
        dues = [line.loan.due_on for line in request.lines if line.loan is not None]
        if dues:
            params = {"books": len(request.lines), "due": templates.format_date(min(dues))}
            queue_sms(ctx, session, reader, templates.DELIVERED, params, key=f"delivered:{request.id}", request=request)
    elif result is StopOutcome.FAILED:
        params = {}
        if next_day is not None:
            window = templates.format_window(request.window_start, request.window_end)
            params = {"date": templates.format_date(next_day), "window": window}
        queue_sms(ctx, session, reader, templates.ATTEMPT_FAILED, params, key=f"failed:{request.id}:{stop.id}", request=request)


def _evening_before(ctx: Context, day: date) -> datetime:
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    return datetime.combine(day - timedelta(days=1), ctx.settings.sms.evening_at, tzinfo=zone)


def _window_around(eta: datetime, earliest: time, latest: time) -> tuple[time, time]:
    """A two-hour window from half an hour before ``eta`` (on the quarter hour), kept inside the request's window."""
    start = eta - timedelta(minutes=30)
    start = start.replace(minute=start.minute - start.minute % 15, second=0, microsecond=0)
    end = start + PLANNED_WINDOW
    day = eta.date()
    low, high = datetime.combine(day, earliest, tzinfo=eta.tzinfo), datetime.combine(day, latest, tzinfo=eta.tzinfo)
    if start < low:
        start, end = low, min(high, low + PLANNED_WINDOW)
    if end > high:
        start, end = max(low, high - PLANNED_WINDOW), high
    return start.time(), end.time()


def _tracking_link(session: Session, route: PlanRoute, public_id: str) -> str | None:
    for claim in session.scalars(select(YandexClaim).where(YandexClaim.route_id == route.id)):
        link = claim.tracking_links.get(public_id)
        if link:
            return link
    return None
