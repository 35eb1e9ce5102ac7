"""Following requests: where one stands (status, day, window, the courier's ETA) and a reader's requests for staff."""

from __future__ import annotations

import typing as t
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dispatch.domain.statuses import RouteStatus
from dispatch.errors import NotFound
from dispatch.models import DeliveryRequest
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.planning.inputs import current_plan
from dispatch.readers.lookup import get_reader
from dispatch.readers.standing import standing_of
from dispatch.requests.intake import view

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context

HIDDEN_ROUTES = (RouteStatus.SUPERSEDED, RouteStatus.CANCELLED)
RECENT_REQUESTS = 50


def follow(ctx: Context, public_id: str) -> dict[str, t.Any]:
    """The request with this public id: its view plus ``eta`` (local ``HH:MM``) and ``route_id`` from the current plan.

    ``eta`` and ``route_id`` are ``None`` while the request is in no current plan's route.
    """
    with ctx.uow() as uow:
        request = uow.session.scalars(select(DeliveryRequest).where(DeliveryRequest.public_id == public_id)).one_or_none()
        if request is None:
            raise NotFound(what="request", id=public_id)
        return _followed(ctx, uow.session, request)


def reader_overview(ctx: Context, card_number: str, *, language: str = "ru") -> dict[str, t.Any]:
    """A reader's standing and their latest requests (newest first, at most :data:`RECENT_REQUESTS`)."""
    with ctx.uow() as uow:
        reader = get_reader(uow.session, card_number)
        requests = uow.session.scalars(
            select(DeliveryRequest)
            .where(DeliveryRequest.reader_id == reader.id)
            .order_by(DeliveryRequest.received_at.desc(), DeliveryRequest.id.desc())
            .limit(RECENT_REQUESTS)
        ).all()
        return {
            "standing": standing_of(ctx, uow.session, reader).as_dict(language),
            "requests": [_followed(ctx, uow.session, request) for request in requests],
        }


def _followed(ctx: Context, session: Session, request: DeliveryRequest) -> dict[str, t.Any]:
    found = view(request).as_dict()
    found["eta"] = None
    found["route_id"] = None
    if request.branch_id is None or request.service_date is None:
        return found
    plan = current_plan(session, request.branch_id, request.service_date)
    if plan is None:
        return found
    stop = session.scalars(
        select(PlanStop)
        .join(PlanRoute, PlanStop.route_id == PlanRoute.id)
        .where(PlanRoute.plan_id == plan.id, PlanRoute.status.not_in(HIDDEN_ROUTES), PlanStop.request_id == request.id)
        .limit(1)
    ).one_or_none()
    if stop is not None:
        zone = ZoneInfo(ctx.settings.schedule.timezone)
        found["eta"] = f"{stop.eta.astimezone(zone):%H:%M}"
        found["route_id"] = stop.route_id
    return found
