"""Plan a branch's day: read the batch, solve without holding a transaction, store a new plan version.

Planning again replaces the draft routes but keeps routes already handed to couriers, with their
stops pinned in place (new stops may be inserted between them: an urgent request joins a day under
way). Each stored version says what changed since the previous one. A run is idempotent twice over:
a run key already stored returns that plan, and a day whose input has not changed since the current
version is not planned again.
"""

from __future__ import annotations

import typing as t
import uuid
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy import update

from dispatch.domain.statuses import PLANNABLE_STATUSES
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.errors import NotFound
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.models import PlanUnassigned
from dispatch.models import YandexClaim
from dispatch.planning.changes import describe_changes
from dispatch.planning.clock import DayClock
from dispatch.planning.day import START
from dispatch.planning.day import DayResult
from dispatch.planning.day import RouteResult
from dispatch.planning.day import StopResult
from dispatch.planning.day import solve_day
from dispatch.planning.inputs import LoadedDay
from dispatch.planning.inputs import current_plan
from dispatch.planning.inputs import load_day
from dispatch.planning.inputs import vehicle_carrier
from dispatch.planning.streets import streets_for
from dispatch.requests.transitions import move
from dispatch.sms import events as sms_events

if t.TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from dispatch.context import Context

Progress = t.Callable[[str, int], None]


@dataclass
class PlanSummary:
    """What a planning run produced (or found already stored)."""

    branch_code: str
    service_date: str
    version: int | None
    created: bool
    routes: int = 0
    stops: int = 0
    unassigned: int = 0
    changes: dict[str, t.Any] = field(default_factory=dict)
    solver: dict[str, t.Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)


def plan_day(
    ctx: Context,
    day: date,
    branch_code: str,
    *,
    time_limit_s: float | None = None,
    actor: str = "system",
    run_key: str | None = None,
    progress: Progress | None = None,
) -> PlanSummary:
    """Plan (or re-plan) one branch's day and store it as a new version; see the module docstring."""
    report: Progress = progress or (lambda stage, percent: None)
    run_key = run_key or uuid.uuid4().hex
    limit = time_limit_s if time_limit_s is not None else ctx.settings.planning.time_limit_s
    clock = DayClock(day, ctx.settings.schedule.timezone)
    report("loading", 2)
    with ctx.uow() as uow:
        branch = _branch(uow.session, branch_code)
        stored = uow.session.execute(select(Plan).where(Plan.run_key == run_key)).scalar_one_or_none()
        if stored is not None:
            return _summary(stored, created=False)
        loaded = load_day(uow.session, branch, clock, ctx.settings.planning, ctx.settings.schedule, ctx.clock())
        fingerprint = loaded.fingerprint()
        current = loaded.current
        if current is not None and current.input_fingerprint == fingerprint and not _has_cancelled_route(current):
            return _summary(current, created=False)
        if not loaded.input.requests and loaded.current is None:
            return PlanSummary(branch_code, day.isoformat(), None, created=False)
        based_on = loaded.current.version if loaded.current else 0
        day_input = loaded.input
    streets = streets_for(ctx.settings.osm_path, ctx.settings.planning.snap_max_m)
    planning = ctx.settings.planning
    result = solve_day(
        day_input,
        streets,
        time_limit_s=limit,
        workers=planning.solver_workers,
        solution_limit=planning.solution_limit,
        progress=report,
    )
    report("saving", 92)
    with ctx.uow() as uow:
        session = uow.session
        branch = session.execute(select(Branch).where(Branch.code == branch_code).with_for_update()).scalar_one()
        stored = session.execute(select(Plan).where(Plan.run_key == run_key)).scalar_one_or_none()
        if stored is not None:
            return _summary(stored, created=False)
        current = current_plan(session, branch.id, day)
        if (current.version if current else 0) != based_on:
            # Another run stored a version meanwhile: plan again on top of it rather than undo it.
            uow.rollback()
            return plan_day(ctx, day, branch_code, time_limit_s=limit, actor=actor, progress=progress)
        # Read again under the branch lock: the records written are those of this transaction.
        loaded = load_day(session, branch, clock, ctx.settings.planning, ctx.settings.schedule, ctx.clock())
        plan = _store(session, branch, clock, loaded, result, fingerprint, run_key, actor, limit)
        sms_events.day_planned(ctx, session, plan)
        summary = _summary(plan, created=True)
        uow.commit()
    report("done", 100)
    return summary


def _branch(session: Session, code: str) -> Branch:
    branch = session.execute(select(Branch).where(Branch.code == code)).scalar_one_or_none()
    if branch is None:
        raise NotFound(what="branch", id=code)
    return branch


def _store(
    session: Session,
    branch: Branch,
    clock: DayClock,
    loaded: LoadedDay,
    result: DayResult,
    fingerprint: str,
    run_key: str,
    actor: str,
    time_limit_s: float,
) -> Plan:
    previous = loaded.current
    plan = Plan(
        branch_id=branch.id,
        service_date=clock.day,
        version=(previous.version + 1) if previous else 1,
        run_key=run_key,
        input_fingerprint=fingerprint,
        created_by=actor,
        time_limit_s=time_limit_s,
        solver={"objective": result.objective, "seconds": round(result.seconds, 2), "strategy": result.strategy},
    )
    session.add(plan)
    placed: set[int] = set()
    for number, route in enumerate(sorted(result.routes, key=_route_order), start=1):
        plan.routes.append(_route_record(number, route, loaded, clock, placed))
    carried = [loaded.live_routes[v] for v in sorted(loaded.live_routes) if v not in {r.vehicle for r in result.routes}]
    if previous is not None:
        carried += [r for r in previous.routes if r.status is RouteStatus.COMPLETED]
    moved: list[tuple[PlanRoute, PlanRoute]] = []
    for old_route in carried:
        # Routes that ran (or run with nothing left to re-plan) stay part of the day as they were.
        moved.append((old_route, _carried_route(len(plan.routes) + 1, old_route)))
        plan.routes.append(moved[-1][1])
    if previous is not None:
        for old_route in previous.routes:
            if old_route.status is not RouteStatus.SUPERSEDED:
                old_route.status = RouteStatus.SUPERSEDED
    for request_id, reason, detail in result.unassigned:
        if request_id in loaded.requests:
            plan.unassigned.append(PlanUnassigned(request_id=request_id, reason=reason, detail=detail[:300]))
    session.flush()
    for old_route, new_route in moved:
        # A Yandex claim follows its route into the new version.
        session.execute(update(YandexClaim).where(YandexClaim.route_id == old_route.id).values(route_id=new_route.id))
    _move_requests(session, loaded, placed, result, plan.version, actor)
    plan.changes = describe_changes(previous, plan)
    return plan


def _has_cancelled_route(plan: Plan) -> bool:
    """A route cancelled since (by the carrier, or the dispatcher) gave its requests back: the same input needs a new plan."""
    return any(route.status is RouteStatus.CANCELLED for route in plan.routes)


def _route_order(route: RouteResult) -> tuple[int, str]:
    return (route.start_s, route.vehicle)


def _route_record(number: int, route: RouteResult, loaded: LoadedDay, clock: DayClock, placed: set[int]) -> PlanRoute:
    live = loaded.live_routes.get(route.vehicle)
    courier = loaded.couriers.get(route.vehicle)
    record = PlanRoute(
        number=number,
        carrier=live.carrier if live else vehicle_carrier(route.vehicle),
        courier_id=live.courier_id if live else (courier.id if courier else None),
        vehicle=live.vehicle if live else route.vehicle,
        status=live.status if live else RouteStatus.DRAFT,
        dispatched_at=live.dispatched_at if live else None,
        start_at=clock.at(route.start_s),
        end_at=clock.at(route.end_s),
        distance_m=route.distance_m,
        duration_s=route.duration_s,
        load_books=route.max_books,
        load_g=route.max_grams,
        geometry=[[round(lat, 6), round(lon, 6)] for lat, lon in route.geometry],
    )
    stops: list[PlanStop] = []
    done = loaded.done_stops.get(route.vehicle, [])
    for old in done:
        stops.append(_copy_stop(old))
    for stop in route.stops:
        if stop.kind == START:
            continue
        stops.append(_stop_record(stop, loaded, clock))
        if stop.request_id is not None:
            placed.add(stop.request_id)
    for sequence, record_stop in enumerate(stops):
        record_stop.sequence = sequence
    record.stops = stops
    if done:
        record.start_at = live.start_at if live else record.start_at
    return record


def _carried_route(number: int, live: PlanRoute) -> PlanRoute:
    record = PlanRoute(
        number=number,
        carrier=live.carrier,
        courier_id=live.courier_id,
        vehicle=live.vehicle,
        status=live.status,
        dispatched_at=live.dispatched_at,
        start_at=live.start_at,
        end_at=live.end_at,
        distance_m=live.distance_m,
        duration_s=live.duration_s,
        load_books=live.load_books,
        load_g=live.load_g,
        geometry=list(live.geometry),
    )
    record.stops = [_copy_stop(stop) for stop in live.stops]
    return record


def _copy_stop(old: PlanStop) -> PlanStop:
    return PlanStop(
        sequence=old.sequence,
        kind=old.kind,
        request_id=old.request_id,
        lat=old.lat,
        lon=old.lon,
        arrival_at=old.arrival_at,
        eta=old.eta,
        departure_at=old.departure_at,
        window_start=old.window_start,
        window_end=old.window_end,
        items=dict(old.items),
        load_books=old.load_books,
        load_g=old.load_g,
        outcome=old.outcome,
        outcome_reason=old.outcome_reason,
        outcome_at=old.outcome_at,
    )


def _stop_record(stop: StopResult, loaded: LoadedDay, clock: DayClock) -> PlanStop:
    items: dict[str, list[str]] = {}
    if stop.request_id is not None:
        request = loaded.requests[stop.request_id]
        barcodes = [line.item.barcode for line in request.lines]
        items["drop" if request.kind is RequestKind.DELIVERY else "collect"] = barcodes
    if stop.loads:
        items["load"] = [line.item.barcode for rid in stop.loads for line in loaded.requests[rid].lines]
    if stop.unloads:
        items["unload"] = [line.item.barcode for rid in stop.unloads for line in loaded.requests[rid].lines]
    return PlanStop(
        sequence=0,
        kind=stop.kind,
        request_id=stop.request_id,
        lat=stop.lat,
        lon=stop.lon,
        arrival_at=clock.at(stop.arrival_s),
        eta=clock.at(stop.start_s),
        departure_at=clock.at(stop.departure_s),
        window_start=clock.at(stop.window[0]) if stop.window else None,
        window_end=clock.at(stop.window[1]) if stop.window else None,
        items=items,
        load_books=stop.load[0],
        load_g=stop.load[1],
    )


def _move_requests(session: Session, loaded: LoadedDay, placed: set[int], result: DayResult, version: int, actor: str) -> None:
    """Requests on a route become planned; planned requests left out go back to scheduled, with the reason."""
    reasons = {request_id: reason for request_id, reason, _ in result.unassigned}
    for request_id, request in loaded.requests.items():
        if request_id in placed and request.status is RequestStatus.SCHEDULED:
            move(session, request, RequestStatus.PLANNED, actor=actor, reason=f"plan v{version}")
        elif request_id not in placed and request.status is RequestStatus.PLANNED:
            move(
                session,
                request,
                RequestStatus.SCHEDULED,
                actor=actor,
                reason=f"plan v{version}: {reasons.get(request_id, 'not placed')}",
            )


def _summary(plan: Plan, *, created: bool) -> PlanSummary:
    return PlanSummary(
        branch_code=plan.branch.code,
        service_date=plan.service_date.isoformat(),
        version=plan.version,
        created=created,
        routes=len(plan.routes),
        stops=sum(1 for route in plan.routes for stop in route.stops if stop.request_id is not None),
        unassigned=len(plan.unassigned),
        changes=dict(plan.changes or {}),
        solver=dict(plan.solver or {}),
    )


def branches_with_work(ctx: Context, day: date) -> list[str]:
    """Codes of branches that have requests to plan on ``day`` or a plan for it already."""
    with ctx.uow() as uow:
        with_requests = (
            select(Branch.code)
            .join(DeliveryRequest, DeliveryRequest.branch_id == Branch.id)
            .where(DeliveryRequest.service_date == day, DeliveryRequest.status.in_(PLANNABLE_STATUSES))
        )
        with_plans = select(Branch.code).join(Plan, Plan.branch_id == Branch.id).where(Plan.service_date == day)
        codes = set(uow.session.scalars(with_requests)) | set(uow.session.scalars(with_plans))
        return sorted(codes)
