"""Read a branch's day from the database into :class:`DayInput`: requests, couriers, routes under way."""

from __future__ import annotations

import hashlib
import json
import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch.domain.statuses import LIVE_ROUTE_STATUSES
from dispatch.domain.statuses import PLANNABLE_STATUSES
from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RouteStatus
from dispatch.models import DeliveryRequest
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.models import Reader
from dispatch.models import RequestItem
from dispatch.planning import fleet
from dispatch.planning.day import DayInput
from dispatch.planning.day import RequestStop
from dispatch.planning.day import VehicleSpec
from dispatch.planning.pins import pins_for
from routing.model import Break
from routing.model import Pin

if t.TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from dispatch.config import PlanningSettings
    from dispatch.domain.scheduling import ScheduleRules
    from dispatch.models import Branch
    from dispatch.models import Courier
    from dispatch.planning.clock import DayClock

DEFAULT_BOOK_G = 500
"""Weight assumed for a copy whose weight the catalogue does not give."""


@dataclass
class LoadedDay:
    """The day's input for the solver and the records it was read from."""

    input: DayInput
    requests: dict[int, DeliveryRequest]
    couriers: dict[str, Courier]
    live_routes: dict[str, PlanRoute]
    done_stops: dict[str, list[PlanStop]] = field(default_factory=dict)
    current: Plan | None = None

    def fingerprint(self) -> str:
        """Hash of everything the solver sees: an unchanged day is not planned again."""
        payload = json.dumps(asdict(self.input), sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def current_plan(session: Session, branch_id: int, day: t.Any) -> Plan | None:
    """The highest version stored for the branch and day."""
    return session.execute(
        select(Plan).where(Plan.branch_id == branch_id, Plan.service_date == day).order_by(Plan.version.desc()).limit(1)
    ).scalar_one_or_none()


def load_day(
    session: Session, branch: Branch, clock: DayClock, planning: PlanningSettings, schedule: ScheduleRules, now: datetime
) -> LoadedDay:
    """The batch (plannable requests, with the dispatcher's pins), live routes' pending stops pinned in order, and free vehicles."""
    current = current_plan(session, branch.id, clock.day)
    live = [route for route in current.routes if route.status in LIVE_ROUTE_STATUSES] if current else []
    requests: dict[int, DeliveryRequest] = {}
    stops: list[RequestStop] = []
    vehicles: list[VehicleSpec] = []
    live_routes: dict[str, PlanRoute] = {}
    done: dict[str, list[PlanStop]] = {}
    busy_couriers: set[int] = set()
    yandex_live = 0
    for route in live:
        vehicle_id = f"route:{route.id}"
        live_routes[vehicle_id] = route
        if route.carrier is Carrier.YANDEX:
            # A booked claim cannot take more readers: the route is carried into the new plan as it is.
            yandex_live += 1
            continue
        reader_stops = [s for s in route.stops if s.request is not None]
        completed = [s for s in reader_stops if s.outcome is not None]
        pending = [s for s in reader_stops if s.outcome is None and s.request is not None]
        # Once a door is done, the route resumes from there: what ran is kept as history.
        done[vehicle_id] = [s for s in route.stops if s.outcome is not None or s.sequence == 0] if completed else []
        under_way = route.status is RouteStatus.IN_PROGRESS
        for position, stop in enumerate(pending):
            request = stop.request
            assert request is not None  # filtered above
            requests[request.id] = request
            pin = Pin(vehicle_id, position)
            stops.append(
                _request_stop(request, clock, planning, pin=pin, on_board=under_way and request.kind is RequestKind.DELIVERY)
            )
        if route.courier_id is not None:
            busy_couriers.add(route.courier_id)
        else:
            yandex_live += 1
        vehicles.append(_live_vehicle(route, vehicle_id, completed, clock, planning, now))
    couriers: dict[str, Courier] = {}
    for courier in fleet.available(session, branch.id, clock.day):
        if courier.id in busy_couriers:
            continue
        vehicle_id = f"courier:{courier.code}"
        couriers[vehicle_id] = courier
        vehicles.append(_courier_vehicle(courier, vehicle_id, clock, planning))
    for k in range(max(0, planning.yandex_vehicles - yandex_live)):
        vehicles.append(_yandex_vehicle(f"yandex:{k + 1}", clock, planning))
    batch = [request for request in _batch(session, branch.id, clock.day) if request.id not in requests]
    draft_pins = _draft_pins(batch, pins_for(session, branch.id, clock.day), {v.id for v in vehicles})
    for request in batch:
        requests[request.id] = request
        stops.append(_request_stop(request, clock, planning, pin=draft_pins.get(request.id)))
    day_input = DayInput(
        branch=(branch.lat, branch.lon),
        opening=(clock.seconds(schedule.service_start), clock.seconds(schedule.service_end)),
        vehicles=tuple(vehicles),
        requests=tuple(stops),
        door_service_s=planning.door_service_s,
        loading_s=planning.loading_s,
        balance_coefficient=planning.balance_coefficient,
    )
    return LoadedDay(day_input, requests, couriers, live_routes, done, current)


def _draft_pins(batch: list[DeliveryRequest], pinned: dict[int, str], vehicle_ids: set[str]) -> dict[int, Pin]:
    """The dispatcher's pins as solver pins, for vehicles planned today (a pin to an absent courier is ignored).

    Requests pinned to one vehicle are ordered by their window's start, then by id.
    """
    chains: dict[str, list[DeliveryRequest]] = {}
    for request in batch:
        vehicle = pinned.get(request.id)
        if vehicle is not None and vehicle in vehicle_ids:
            chains.setdefault(vehicle, []).append(request)
    found: dict[int, Pin] = {}
    for vehicle, chain in chains.items():
        for position, request in enumerate(sorted(chain, key=lambda r: (r.window_start, r.id))):
            found[request.id] = Pin(vehicle, position)
    return found


def _batch(session: Session, branch_id: int, day: t.Any) -> list[DeliveryRequest]:
    query = (
        select(DeliveryRequest)
        .where(
            DeliveryRequest.service_date == day,
            DeliveryRequest.branch_id == branch_id,
            DeliveryRequest.status.in_(PLANNABLE_STATUSES),
        )
        .options(selectinload(DeliveryRequest.reader), selectinload(DeliveryRequest.lines).selectinload(RequestItem.item))
        .order_by(DeliveryRequest.id)
    )
    return list(session.scalars(query))


def _request_stop(
    request: DeliveryRequest, clock: DayClock, planning: PlanningSettings, *, pin: Pin | None = None, on_board: bool = False
) -> RequestStop:
    reader = request.reader
    return RequestStop(
        request_id=request.id,
        kind=request.kind.value,
        lat=reader.lat,
        lon=reader.lon,
        window=(clock.seconds(request.window_start), clock.seconds(request.window_end)),
        books=len(request.lines),
        grams=sum(line.item.weight_g or DEFAULT_BOOK_G for line in request.lines),
        skills=needed_skills(reader, planning),
        pin=pin,
        on_board=on_board,
    )


def needed_skills(reader: Reader, planning: PlanningSettings) -> frozenset[str]:
    """``stairs`` when the reader lives high up in a building known to have no lift."""
    try:
        floor = int(reader.floor or "")
    except ValueError:
        return frozenset()
    return frozenset({"stairs"}) if reader.has_lift is False and floor >= planning.stairs_floor else frozenset()


def _breaks(shift: tuple[int, int], clock: DayClock, planning: PlanningSettings) -> tuple[Break, ...]:
    if planning.break_minutes <= 0 or shift[1] - shift[0] <= planning.break_after_hours * 3600:
        return ()
    window = (clock.seconds(planning.break_window[0]), clock.seconds(planning.break_window[1]))
    return (Break(window, planning.break_minutes * 60),)


def _courier_vehicle(courier: Courier, vehicle_id: str, clock: DayClock, planning: PlanningSettings) -> VehicleSpec:
    shift = (clock.seconds(courier.shift_start), clock.seconds(courier.shift_end))
    return VehicleSpec(
        id=vehicle_id,
        shift=shift,
        capacity=(courier.capacity_books, courier.capacity_g),
        fixed_cost=planning.courier_fixed_cost_s,
        breaks=_breaks(shift, clock, planning),
        skills=frozenset(courier.skills),
    )


def _yandex_vehicle(vehicle_id: str, clock: DayClock, planning: PlanningSettings) -> VehicleSpec:
    """A Yandex car: no breaks to plan (the carrier's business), dearer than the branch's own courier."""
    shift = (clock.seconds(planning.yandex_shift[0]), clock.seconds(planning.yandex_shift[1]))
    return VehicleSpec(
        id=vehicle_id,
        shift=shift,
        capacity=(planning.yandex_capacity_books, planning.yandex_capacity_g),
        fixed_cost=planning.yandex_fixed_cost_s,
    )


def _live_vehicle(
    route: PlanRoute, vehicle_id: str, completed: list[PlanStop], clock: DayClock, planning: PlanningSettings, now: datetime
) -> VehicleSpec:
    """A route handed out: same courier and shift; once under way it resumes from the last door served."""
    if route.courier is not None:
        base = _courier_vehicle(route.courier, vehicle_id, clock, planning)
    else:
        base = _yandex_vehicle(vehicle_id, clock, planning)
    shift_start = max(base.shift[0], clock.seconds_at(route.start_at))
    start = None
    if completed:
        last = completed[-1]
        start = (last.lat, last.lon)
        shift_start = max(shift_start, clock.seconds_at(last.outcome_at or last.departure_at), clock.seconds_at(now))
    shift_start = min(shift_start, base.shift[1])
    breaks = tuple(b for b in base.breaks if b.window[1] >= shift_start)
    return VehicleSpec(
        id=vehicle_id,
        shift=(shift_start, base.shift[1]),
        capacity=base.capacity,
        fixed_cost=0,
        breaks=breaks,
        skills=base.skills,
        start=start,
    )


def vehicle_carrier(vehicle_id: str) -> Carrier:
    """Which carrier a solver vehicle id belongs to (live routes are looked up by the caller)."""
    return Carrier.YANDEX if vehicle_id.startswith("yandex:") else Carrier.IN_HOUSE
