"""A planned route's day: handed to the courier, started, each door recorded, back at the branch.

Recording a stop moves its request through the state machine: a delivery handed over opens the loans
and schedules the return pickup; a failed attempt goes back to be planned on the next working day,
unless its reason needs a person first (wrong address, refused). A courier records a door only once
the route is under way (they left the branch) and only on the route's own day, and may undo the last
door they recorded for a few minutes (``DISPATCH_UNDO_OUTCOME_MINUTES``); what recording changed is
kept beside the stop (:mod:`couriers.reversal`), so undoing puts back exactly that.
"""

from __future__ import annotations

import logging
import typing as t
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import select

from couriers import reversal
from dispatch.domain.scheduling import local_now
from dispatch.domain.statuses import LIVE_ROUTE_STATUSES
from dispatch.domain.statuses import FailureReason
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.domain.statuses import StopOutcome
from dispatch.errors import DispatchError
from dispatch.errors import NotFound
from dispatch.jobs.runner import TRANSIENT
from dispatch.jobs.runner import queue_for
from dispatch.jobs.runner import rq_job_id
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.requests.transitions import move
from dispatch.returns.pickups import lend_at_door
from dispatch.returns.pickups import return_job_key
from dispatch.returns.pickups import schedule_return
from dispatch.sms import events as sms_events

if t.TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from dispatch.models import DeliveryRequest

log = logging.getLogger(__name__)

NEEDS_A_PERSON = frozenset({FailureReason.WRONG_ADDRESS, FailureReason.REFUSED})
"""Failure reasons that a dispatcher or operator must look at before another attempt."""


@dataclass(frozen=True)
class OutcomeView:
    """What recording a stop did."""

    stop_id: int
    request_id: int
    outcome: str
    request_status: str
    return_job_at: str | None = None
    next_service_date: str | None = None


@dataclass(frozen=True)
class UndoView:
    """What undoing the last recorded door put back; ``sms_already_sent`` messages could not be called back."""

    stop_id: int
    request_id: int
    undone: str
    request_status: str
    sms_withdrawn: int
    sms_already_sent: int


def _route(session: Session, route_id: int) -> PlanRoute:
    route = session.execute(select(PlanRoute).where(PlanRoute.id == route_id).with_for_update()).scalar_one_or_none()
    if route is None:
        raise NotFound(what="route", id=route_id)
    return route


def dispatch_route(ctx: Context, route_id: int, *, actor: str) -> dict[str, t.Any]:
    """Hand a draft route to its courier: its requests become dispatched. A second call changes nothing."""
    with ctx.uow() as uow:
        route = _route(uow.session, route_id)
        if route.status in LIVE_ROUTE_STATUSES or route.status is RouteStatus.COMPLETED:
            return {"route_id": route.id, "status": route.status.value, "changed": False}
        if route.status is not RouteStatus.DRAFT:
            raise DispatchError("route_not_current", route=route_id, status=route.status.value)
        route.status = RouteStatus.DISPATCHED
        route.dispatched_at = ctx.clock()
        for stop in route.stops:
            if stop.request is not None and stop.request.status is RequestStatus.PLANNED:
                move(uow.session, stop.request, RequestStatus.DISPATCHED, actor=actor, reason=f"route {route.id}")
        uow.commit()
        return {"route_id": route.id, "status": route.status.value, "changed": True}


def start_route(session: Session, route: PlanRoute, actor: str) -> None:
    """The courier leaves the branch: the route is under way and its requests in transit."""
    if route.status is RouteStatus.DRAFT:
        raise DispatchError("route_not_dispatched", route=route.id)
    if route.status is not RouteStatus.DISPATCHED:
        return
    route.status = RouteStatus.IN_PROGRESS
    for stop in route.stops:
        if stop.request is not None and stop.request.status is RequestStatus.DISPATCHED:
            move(session, stop.request, RequestStatus.IN_TRANSIT, actor=actor, reason=f"route {route.id} left the branch")


def record_outcome(
    ctx: Context, stop_id: int, outcome: str, *, actor: str, reason: str | None = None, note: str | None = None
) -> OutcomeView:
    """Record what happened at a reader's door (delivered, collected, or failed with a reason).

    Recording the same outcome again changes nothing; a different one for a stop already recorded is
    refused (the courier undoes it within the first minutes, or a person corrects the request's status).
    A new outcome needs the route under way (the courier left the branch) and the route's own day.
    """
    result = StopOutcome(outcome)
    failure = FailureReason(reason) if result is StopOutcome.FAILED and reason else None
    if result is StopOutcome.FAILED and failure is None:
        raise DispatchError("failure_reason_required")
    with ctx.uow() as uow:
        stop = uow.session.get(PlanStop, stop_id)
        if stop is None or stop.request is None:
            raise NotFound(what="stop", id=stop_id)
        if stop.outcome is None:
            check_can_record(ctx, _route(uow.session, stop.route_id))
        view = apply_outcome(ctx, uow.session, stop, result, failure, actor=actor, note=note)
        uow.commit()
        return view


def check_can_record(ctx: Context, route: PlanRoute) -> None:
    """Refuse a door before the courier left the branch, after the route closed, or on another day than the route's."""
    if route.status is RouteStatus.DRAFT:
        raise DispatchError("route_not_dispatched", route=route.id)
    if route.status not in (RouteStatus.DISPATCHED, RouteStatus.IN_PROGRESS):
        raise DispatchError("route_finished", route=route.id)
    day = route.plan.service_date
    if local_now(ctx.clock(), ctx.settings.schedule).date() != day:
        raise DispatchError("outcome_not_today", day=f"{day:%d.%m.%Y}", route=route.id)
    if route.status is RouteStatus.DISPATCHED:
        raise DispatchError("outcome_before_leaving", route=route.id)


def check_can_leave(ctx: Context, route: PlanRoute) -> None:
    """The courier leaves the branch on the route's own day (readers are told the courier is on the way)."""
    day = route.plan.service_date
    if route.status is RouteStatus.DISPATCHED and local_now(ctx.clock(), ctx.settings.schedule).date() != day:
        raise DispatchError("leave_not_today", day=f"{day:%d.%m.%Y}", route=route.id)


def apply_outcome(
    ctx: Context,
    session: Session,
    stop: PlanStop,
    result: StopOutcome,
    failure: FailureReason | None,
    *,
    actor: str,
    note: str | None = None,
) -> OutcomeView:
    """Record ``result`` at ``stop`` inside the caller's transaction (the courier's page, or a carrier's status)."""
    route = _route(session, stop.route_id)
    request = stop.request
    assert request is not None
    if stop.outcome is not None:
        if stop.outcome != result.value:
            raise DispatchError("stop_already_recorded", stop=stop.id, outcome=stop.outcome)
        return OutcomeView(stop.id, request.id, stop.outcome, request.status.value)
    _check_matches(request, result)
    trace = reversal.begin(session, route, request)
    start_route(session, route, actor)
    now = ctx.clock()
    stop.outcome, stop.outcome_reason, stop.outcome_at = result.value, (failure.value if failure else note), now
    view = _apply(ctx, session, stop, request, result, failure, now, actor, trace)
    next_day = date.fromisoformat(view.next_service_date) if view.next_service_date else None
    sms_events.stop_recorded(ctx, session, stop, result, next_day)
    if all(s.outcome is not None for s in route.stops if s.request_id is not None):
        trace.finished = _finish(session, route, now, actor)
    else:
        sms_events.courier_heading(ctx, session, route)
    session.flush()
    reversal.write(session, stop, trace.as_details(session, route, request.status.value), actor=actor)
    return view


def leave_branch(ctx: Context, route_id: int, *, actor: str) -> dict[str, t.Any]:
    """The courier leaves the branch with the bag: the route is under way, and the first reader is told when to expect them."""
    with ctx.uow() as uow:
        route = _route(uow.session, route_id)
        check_can_leave(ctx, route)
        start_route(uow.session, route, actor)
        sms_events.courier_heading(ctx, uow.session, route)
        uow.commit()
        return {"route_id": route.id, "status": route.status.value}


def _check_matches(request: DeliveryRequest, result: StopOutcome) -> None:
    expected = StopOutcome.DELIVERED if request.kind is RequestKind.DELIVERY else StopOutcome.COLLECTED
    if result is not StopOutcome.FAILED and result is not expected:
        raise DispatchError("outcome_kind_mismatch", outcome=result.value, kind=request.kind.value)


def _apply(
    ctx: Context,
    session: Session,
    stop: PlanStop,
    request: DeliveryRequest,
    result: StopOutcome,
    failure: FailureReason | None,
    now: datetime,
    actor: str,
    trace: reversal.Trace,
) -> OutcomeView:
    if request.status is RequestStatus.DISPATCHED:
        move(session, request, RequestStatus.IN_TRANSIT, actor=actor, reason=f"stop {stop.id}")
    day = request.service_date or now.date()
    if result is StopOutcome.DELIVERED:
        move(session, request, RequestStatus.DELIVERED, actor=actor, reason=f"stop {stop.id}")
        already_open = reversal.open_loans(session, request)
        due_on = lend_at_door(session, request, day, ctx.settings.planning.loan_days)
        trace.loans_opened = [line.loan_id for line in request.lines if line.loan_id and line.loan_id not in already_open]
        key = return_job_key(request)
        trace.return_job = None if reversal.job_exists(session, key) else key
        run_at = schedule_return(ctx, session, request, due_on)
        return OutcomeView(stop.id, request.id, result.value, request.status.value, return_job_at=run_at.isoformat())
    if result is StopOutcome.COLLECTED:
        move(session, request, RequestStatus.COLLECTED, actor=actor, reason=f"stop {stop.id}")
        return OutcomeView(stop.id, request.id, result.value, request.status.value)
    assert failure is not None
    move(session, request, RequestStatus.FAILED, actor=actor, reason=failure.value, details={"stop": stop.id})
    if failure in NEEDS_A_PERSON:
        return OutcomeView(stop.id, request.id, result.value, request.status.value)
    next_day = ctx.calendar.next_working_day(day)
    request.service_date = next_day
    move(
        session,
        request,
        RequestStatus.SCHEDULED,
        actor="system",
        reason=f"new attempt after {failure.value}",
        details={"service_date": next_day.isoformat()},
    )
    return OutcomeView(stop.id, request.id, result.value, request.status.value, next_service_date=next_day.isoformat())


def _finish(session: Session, route: PlanRoute, now: datetime, actor: str) -> dict[str, t.Any]:
    """Every door is recorded: the route is complete and collected books are checked in at the branch.

    Returns what it changed, for the trace of the door that closed the route.
    """
    done: dict[str, t.Any] = {"route_status": route.status.value, "returned": [], "loans_closed": [], "items": []}
    route.status = RouteStatus.COMPLETED
    for stop in route.stops:
        request = stop.request
        if request is None or request.status is not RequestStatus.COLLECTED:
            continue
        move(session, request, RequestStatus.RETURNED, actor=actor, reason=f"route {route.id} back at the branch")
        done["returned"].append(request.id)
        for line in request.lines:
            if line.loan is not None and line.loan.returned_on is None:
                line.loan.returned_on = now.date()
                done["loans_closed"].append(line.loan.id)
            done["items"].append([line.id, line.item.status.value])
            line.item.status = ItemStatus.AVAILABLE
    return done


def undo_last_outcome(ctx: Context, route_id: int, *, actor: str) -> UndoView:
    """Undo the route's last recorded door within ``undo_outcome_minutes`` of recording it.

    Loans opened at the door are removed, the return job withdrawn, the request's status and day put
    back (audited as undone), and SMS not yet sent withdrawn; an SMS already sent cannot be called back
    (``sms_already_sent`` says how many). Raises ``undo_nothing`` or ``undo_too_late``.
    """
    minutes = ctx.settings.undo_outcome_minutes
    with ctx.uow() as uow:
        route = _route(uow.session, route_id)
        stop = last_recorded(route)
        if stop is None:
            raise DispatchError("undo_nothing", route=route_id)
        assert stop.outcome_at is not None and stop.request is not None
        if ctx.clock() - stop.outcome_at > timedelta(minutes=minutes) or minutes <= 0:
            raise DispatchError("undo_too_late", minutes=minutes, route=route_id)
        trace = reversal.read(uow.session, stop)
        if trace is None:
            raise DispatchError("undo_nothing", route=route_id)
        undone = stop.outcome or ""
        done = reversal.reverse(uow.session, route, stop, trace, actor=actor)
        view = UndoView(stop.id, stop.request.id, undone, stop.request.status.value, done.sms_withdrawn, done.sms_already_sent)
        uow.commit()
    if done.return_job_withdrawn is not None:
        _cancel_in_rq(ctx, done.return_job_withdrawn)
    return view


def last_recorded(route: PlanRoute) -> PlanStop | None:
    """The reader's door recorded last on ``route`` (``None`` when none is)."""
    recorded = [s for s in route.stops if s.request_id is not None and s.outcome is not None and s.outcome_at is not None]
    return max(recorded, key=lambda s: (s.outcome_at, s.id), default=None)


def _cancel_in_rq(ctx: Context, key: str) -> None:
    """Take a withdrawn scheduled job out of RQ too (its row is gone, so a late run would find nothing to do)."""
    if ctx.settings.jobs.mode != "rq":
        return
    try:
        job = Job.fetch(rq_job_id(key), connection=queue_for(ctx).connection)
        job.cancel()
        job.delete()
    except TRANSIENT:
        log.warning("withdrawn job %s is still in RQ; it will find its delivery undone and do nothing", key, exc_info=True)
    except NoSuchJobError:  # RQ no longer knows it: nothing to cancel
        log.debug("withdrawn job %s was not in RQ", key)


def route_stops(ctx: Context, route_id: int) -> list[dict[str, t.Any]]:
    """A route's stops with their ids, for tools that record outcomes."""
    with ctx.uow() as uow:
        route = uow.session.get(PlanRoute, route_id)
        if route is None:
            raise NotFound(what="route", id=route_id)
        return [
            {"stop_id": s.id, "sequence": s.sequence, "kind": s.kind, "request_id": s.request_id, "outcome": s.outcome}
            for s in route.stops
        ]
