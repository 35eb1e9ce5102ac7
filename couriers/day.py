"""A courier's own day: their routes in the current plans, and which stops are theirs to record.

A courier is a staff account whose username is the courier's code; every function here takes that
code and answers only for that courier's routes, so a page can never show or record someone else's.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from couriers import outcomes
from couriers.manifests.build import READER_KINDS
from couriers.manifests.build import build_manifest
from dispatch.domain.scheduling import local_now
from dispatch.domain.statuses import RouteStatus
from dispatch.errors import NotFound
from dispatch.models import Courier
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.planning.inputs import current_plan

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from couriers.manifests.model import Manifest
    from dispatch.context import Context

MAX_ID = 2**31 - 1
"""The largest id a PostgreSQL ``integer`` key holds (a larger one cannot even be looked up)."""
HIDDEN_STATUSES = frozenset({RouteStatus.SUPERSEDED, RouteStatus.CANCELLED})


@dataclass(frozen=True)
class CourierRoute:
    """One of the courier's routes: its status, its manifest, and the stop id of each reader's door.

    ``stop_ids`` maps a manifest stop's ``request_id`` (the request's public id) to the stop to record.
    """

    route_id: int
    status: str
    manifest: Manifest
    stop_ids: dict[str, int]
    outcomes: dict[str, str]


def today(ctx: Context) -> date:
    """The local date now, in the library's time zone."""
    return local_now(ctx.clock(), ctx.settings.schedule).date()


def routes_of(ctx: Context, courier_code: str, day: date, *, language: str = "ru") -> list[CourierRoute]:
    """The courier's routes in the current plan of each branch on ``day`` (not superseded or cancelled)."""
    with ctx.uow() as uow:
        statuses = _routes(uow.session, courier_code, day)
        stops = {rid: _stops(uow.session, rid) for rid in statuses}
    result: list[CourierRoute] = []
    for rid in statuses:
        ids = {public_id: stop_id for public_id, stop_id, _ in stops[rid]}
        outcomes = {public_id: outcome for public_id, _, outcome in stops[rid] if outcome}
        manifest = build_manifest(ctx, rid, language=language)
        result.append(CourierRoute(rid, statuses[rid], manifest, ids, outcomes))
    return result


def _routes(session: Session, courier_code: str, day: date) -> dict[int, str]:
    routes = session.scalars(
        select(PlanRoute)
        .join(Plan, PlanRoute.plan_id == Plan.id)
        .join(Courier, PlanRoute.courier_id == Courier.id)
        .where(Courier.code == courier_code, Plan.service_date == day)
        .order_by(PlanRoute.start_at)
    ).all()
    found: dict[int, str] = {}
    for route in routes:
        current = current_plan(session, route.plan.branch_id, day)
        if current is not None and current.id == route.plan_id and route.status not in HIDDEN_STATUSES:
            found[route.id] = route.status.value
    return found


def _stops(session: Session, route_id: int) -> list[tuple[str, int, str | None]]:
    rows = session.execute(
        select(PlanStop).where(PlanStop.route_id == route_id, PlanStop.kind.in_(READER_KINDS)).order_by(PlanStop.sequence)
    ).scalars()
    return [(stop.request.public_id, stop.id, stop.outcome) for stop in rows if stop.request is not None]


def own_route(ctx: Context, courier_code: str, route_id: int) -> int:
    """``route_id`` when the route is the courier's; :class:`NotFound` otherwise (no hint that it exists)."""
    with ctx.uow() as uow:
        route = uow.session.get(PlanRoute, route_id) if 0 < route_id <= MAX_ID else None
        if route is None or route.courier is None or route.courier.code != courier_code:
            raise NotFound(what="route", id=route_id)
        return route.id


def own_stop(ctx: Context, courier_code: str, stop_id: int) -> int:
    """The route id of the stop when it is a reader's door on the courier's route; :class:`NotFound` otherwise."""
    with ctx.uow() as uow:
        stop = uow.session.get(PlanStop, stop_id) if 0 < stop_id <= MAX_ID else None
        if stop is None or stop.request is None or stop.route.courier is None or stop.route.courier.code != courier_code:
            raise NotFound(what="stop", id=stop_id)
        return stop.route_id


def leave(ctx: Context, courier_code: str, route_id: int) -> dict[str, t.Any]:
    """The courier leaves the branch on their own route (:func:`outcomes.leave_branch`); :class:`NotFound` for another's."""
    own_route(ctx, courier_code, route_id)
    return outcomes.leave_branch(ctx, route_id, actor=f"courier:{courier_code}")


def record(ctx: Context, courier_code: str, stop_id: int, outcome: str, *, reason: str | None = None) -> outcomes.OutcomeView:
    """Record a door on the courier's own route (:func:`outcomes.record_outcome`); :class:`NotFound` for another's."""
    own_stop(ctx, courier_code, stop_id)
    return outcomes.record_outcome(ctx, stop_id, outcome, actor=f"courier:{courier_code}", reason=reason)
