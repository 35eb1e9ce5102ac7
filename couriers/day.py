"""A courier's own day: their routes in the current plans, which stops are theirs to record, and which days to pick.

A courier is a staff account whose username is the courier's code; every function here takes that
code and answers only for that courier's routes, so a page can never show or record someone else's.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy import select

from couriers import outcomes
from couriers import reversal
from couriers.manifests.build import READER_KINDS
from couriers.manifests.build import build_manifest
from dispatch.domain.scheduling import local_now
from dispatch.domain.statuses import RouteStatus
from dispatch.errors import DispatchError
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
DAYS_AHEAD = 3
"""How many service days after today the day picker offers."""


@dataclass(frozen=True)
class StopState:
    """What is recorded at one reader's door: the outcome, its reason code (failed), and when (local ``HH:MM``)."""

    stop_id: int
    outcome: str | None
    reason: str | None
    at: str | None


@dataclass(frozen=True)
class UndoOffer:
    """The last recorded door, which the courier may still undo until ``until`` (local ``HH:MM``)."""

    stop_id: int
    outcome: str
    until: str


@dataclass(frozen=True)
class CourierRoute:
    """One of the courier's routes: its status, its manifest, and the state of each reader's door.

    ``stops`` maps a manifest stop's ``request_id`` (the request's public id) to its :class:`StopState`.
    ``blocked`` says, in the page's language, why doors cannot be recorded now (``None``: they can).
    """

    route_id: int
    status: str
    manifest: Manifest
    stops: dict[str, StopState]
    blocked: str | None
    undo: UndoOffer | None

    @property
    def done(self) -> int:
        """How many doors are recorded."""
        return sum(1 for s in self.stops.values() if s.outcome is not None)


@dataclass(frozen=True)
class DayTab:
    """One day of the day picker: the date, whether it is today, and how many doors the courier has then."""

    day: date
    today: bool
    stops: int


def today(ctx: Context) -> date:
    """The local date now, in the library's time zone."""
    return local_now(ctx.clock(), ctx.settings.schedule).date()


def days_of(ctx: Context, courier_code: str, *, ahead: int = DAYS_AHEAD) -> list[DayTab]:
    """Today and the next ``ahead`` service days, with the courier's doors on each (the day picker)."""
    first = today(ctx)
    days = [first]
    for _ in range(ahead):
        days.append(ctx.calendar.next_working_day(days[-1]))
    with ctx.uow() as uow:
        counts = {day: sum(_door_count(uow.session, rid) for rid in _routes(uow.session, courier_code, day)) for day in days}
    return [DayTab(day, day == first, counts[day]) for day in days]


def routes_of(ctx: Context, courier_code: str, day: date, *, language: str = "ru") -> list[CourierRoute]:
    """The courier's routes in the current plan of each branch on ``day`` (not superseded or cancelled)."""
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    found: list[tuple[int, str, dict[str, StopState], str | None, UndoOffer | None]] = []
    with ctx.uow() as uow:
        for rid, status in _routes(uow.session, courier_code, day).items():
            route = uow.session.get(PlanRoute, rid)
            assert route is not None
            found.append(
                (rid, status, _stops(uow.session, rid, zone), _blocked(ctx, route, language), _undo(ctx, uow.session, route))
            )
    return [
        CourierRoute(rid, status, build_manifest(ctx, rid, language=language), stops, blocked, undo)
        for rid, status, stops, blocked, undo in found
    ]


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


def _door_count(session: Session, route_id: int) -> int:
    query = select(func.count(PlanStop.id)).where(PlanStop.route_id == route_id, PlanStop.kind.in_(READER_KINDS))
    return int(session.scalar(query) or 0)


def _stops(session: Session, route_id: int, zone: ZoneInfo) -> dict[str, StopState]:
    rows = session.execute(
        select(PlanStop).where(PlanStop.route_id == route_id, PlanStop.kind.in_(READER_KINDS)).order_by(PlanStop.sequence)
    ).scalars()
    return {
        stop.request.public_id: StopState(
            stop.id,
            stop.outcome,
            stop.outcome_reason if stop.outcome == "failed" else None,
            f"{stop.outcome_at.astimezone(zone):%H:%M}" if stop.outcome_at else None,
        )
        for stop in rows
        if stop.request is not None
    }


def _blocked(ctx: Context, route: PlanRoute, language: str) -> str | None:
    """Why doors of ``route`` cannot be recorded now, in words (the service's own rule, asked in advance)."""
    try:
        outcomes.check_can_record(ctx, route)
    except DispatchError as refused:
        return refused.message(language)
    return None


def _undo(ctx: Context, session: Session, route: PlanRoute) -> UndoOffer | None:
    minutes = ctx.settings.undo_outcome_minutes
    stop = outcomes.last_recorded(route)
    if stop is None or stop.outcome is None or stop.outcome_at is None or minutes <= 0:
        return None
    until = stop.outcome_at + timedelta(minutes=minutes)
    if ctx.clock() > until or reversal.read(session, stop) is None:
        return None
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    return UndoOffer(stop.id, stop.outcome, f"{until.astimezone(zone):%H:%M}")


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


def undo(ctx: Context, courier_code: str, route_id: int) -> outcomes.UndoView:
    """Undo the last door recorded on the courier's own route (:func:`outcomes.undo_last_outcome`)."""
    own_route(ctx, courier_code, route_id)
    return outcomes.undo_last_outcome(ctx, route_id, actor=f"courier:{courier_code}")
