"""Check a stored plan against its constraints, independently of the solver that made it.

Every route starts and ends at its branch, keeps its stops' times in order, meets each reader's window,
stays within its courier's shift and load, and every request of the day is on a route or unassigned
with a reason. Tests run it on every plan they store; it returns the violations found.
"""

from __future__ import annotations

import typing as t
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import RouteStatus

if t.TYPE_CHECKING:
    from dispatch.config import PlanningSettings
    from dispatch.models import Plan
    from dispatch.models import PlanRoute

POSITION_TOLERANCE_DEG = 1e-6


def violations(plan: Plan, planning: PlanningSettings, timezone: str, batch: t.Collection[int] = ()) -> list[str]:
    """Every broken constraint of ``plan``, as sentences (an empty list: the plan is sound)."""
    found: list[str] = []
    zone = ZoneInfo(timezone)
    placed: set[int] = set()
    for route in plan.routes:
        if route.status is RouteStatus.SUPERSEDED:
            continue
        found += _route_violations(route, plan, planning, zone)
        placed |= {s.request_id for s in route.stops if s.request_id is not None}
    unassigned = {u.request_id: u for u in plan.unassigned}
    for u in plan.unassigned:
        if not u.reason or not u.detail:
            found.append(f"request {u.request_id} unassigned without a reason")
        if u.request_id in placed:
            found.append(f"request {u.request_id} both placed and unassigned")
    for request_id in batch:
        if request_id not in placed and request_id not in unassigned:
            found.append(f"request {request_id} neither placed nor unassigned")
    return found


def _route_violations(route: PlanRoute, plan: Plan, planning: PlanningSettings, zone: ZoneInfo) -> list[str]:
    label = f"route {route.number}"
    found: list[str] = []
    branch = plan.branch
    stops = route.stops
    if not stops:
        return [f"{label} has no stops"]
    for end, stop in (("start", stops[0]), ("end", stops[-1])):
        if stop.kind != "branch" or abs(stop.lat - branch.lat) > 0.01 or abs(stop.lon - branch.lon) > 0.01:
            found.append(f"{label} does not {end} at branch {branch.code}")
    previous_departure: datetime | None = None
    for stop in stops:
        if not stop.arrival_at <= stop.eta <= stop.departure_at:
            found.append(f"{label} stop {stop.sequence}: arrival, service and departure out of order")
        if previous_departure is not None and stop.arrival_at < previous_departure:
            found.append(f"{label} stop {stop.sequence}: arrives before leaving the previous stop")
        previous_departure = stop.departure_at
        in_window = (
            stop.window_start is not None and stop.window_end is not None and stop.window_start <= stop.eta <= stop.window_end
        )
        if stop.request_id is not None and stop.outcome is None and not in_window:
            found.append(f"{label} stop {stop.sequence}: ETA {stop.eta:%H:%M} outside the reader's window")
    books, grams, shift = _limits(route, planning)
    for stop in stops:
        if stop.load_books > books or stop.load_g > grams:
            found.append(f"{label} stop {stop.sequence}: load {stop.load_books} books / {stop.load_g} g over capacity")
    start_local, end_local = route.start_at.astimezone(zone).time(), route.end_at.astimezone(zone).time()
    if start_local < shift[0] or end_local > shift[1]:
        found.append(f"{label}: {start_local:%H:%M}-{end_local:%H:%M} outside the shift {shift[0]:%H:%M}-{shift[1]:%H:%M}")
    return found


def _limits(route: PlanRoute, planning: PlanningSettings) -> tuple[int, int, tuple[time, time]]:
    if route.carrier is Carrier.YANDEX or route.courier is None:
        return planning.yandex_capacity_books, planning.yandex_capacity_g, planning.yandex_shift
    courier = route.courier
    return courier.capacity_books, courier.capacity_g, (courier.shift_start, courier.shift_end)
