"""One branch's day as plain data, and its solution: the bridge between stored records and the solver.

Times are whole seconds from local midnight of the service day. Index 0 of the points is the branch.
A delivery is a shipment from the branch to the reader's door and a return pickup one from the door
back to the branch, so a courier may come back mid-day to reload or unload. A delivery already on
board (its route is under way) is a plain visit at the door.
"""

from __future__ import annotations

import itertools
import typing as t
from dataclasses import dataclass
from dataclasses import field

from routing.errors import SnapError
from routing.model import Break
from routing.model import Pin
from routing.model import Problem
from routing.model import Shipment
from routing.model import Vehicle
from routing.model import Visit
from routing.snapping import SnappedPoint
from routing.solver import solve

if t.TYPE_CHECKING:
    from collections.abc import Callable

    from dispatch.planning.streets import Streets
    from routing.model import Job
    from routing.model import Route
    from routing.model import Step

Window = tuple[int, int]
DELIVERY = "delivery"
RETURN_PICKUP = "return_pickup"
BRANCH = "branch"
BREAK = "break"
START = "start"
"""Where a route under way resumes: the courier's last door, not the branch."""


@dataclass(frozen=True)
class RequestStop:
    """A request to place: where, when, how much, and what the courier must be able to do."""

    request_id: int
    kind: str
    lat: float | None
    lon: float | None
    window: Window
    books: int
    grams: int
    skills: frozenset[str] = frozenset()
    pin: Pin | None = None
    on_board: bool = False


@dataclass(frozen=True)
class VehicleSpec:
    """A courier or a carrier's car for the day; ``start`` is a (lat, lon) when not the branch."""

    id: str
    shift: Window
    capacity: tuple[int, int]
    fixed_cost: int
    breaks: tuple[Break, ...] = ()
    skills: frozenset[str] = frozenset()
    start: tuple[float, float] | None = None


@dataclass(frozen=True)
class DayInput:
    """Everything the solver needs for one branch and day, with no database behind it."""

    branch: tuple[float, float]
    opening: Window
    vehicles: tuple[VehicleSpec, ...]
    requests: tuple[RequestStop, ...]
    door_service_s: int
    loading_s: int
    balance_coefficient: int = 0


@dataclass
class StopResult:
    """A stop of a planned route: a reader's door, the branch (load or unload), or a break."""

    kind: str
    lat: float
    lon: float
    arrival_s: int
    start_s: int
    departure_s: int
    request_id: int | None = None
    window: Window | None = None
    load: tuple[int, int] = (0, 0)
    loads: list[int] = field(default_factory=list)
    """At the branch: requests whose books are loaded here (deliveries)."""
    unloads: list[int] = field(default_factory=list)
    """At the branch: requests whose collected books are unloaded here (return pickups)."""


@dataclass
class RouteResult:
    """A vehicle's planned day: stops in order (branch first and last), totals and street geometry."""

    vehicle: str
    start_s: int
    end_s: int
    distance_m: int
    duration_s: int
    stops: list[StopResult]
    geometry: list[tuple[float, float]]
    max_books: int = 0
    max_grams: int = 0


@dataclass
class DayResult:
    """The routes and every request left out, with a reason code and a sentence."""

    routes: list[RouteResult]
    unassigned: list[tuple[int, str, str]]
    objective: int = 0
    seconds: float = 0.0
    strategy: str = ""


PRE_SOLVER_REASONS = {
    "no_location": "the reader's address has no point on the map: an operator must place it",
    "off_map": "the reader's point lies outside the street map",
    "far_from_road": "the reader's point is too far from any drivable street",
}


def solve_day(
    day: DayInput,
    streets: Streets,
    *,
    time_limit_s: float,
    workers: int,
    solution_limit: int | None = None,
    progress: Callable[[str, int], None] = lambda stage, percent: None,
) -> DayResult:
    """Snap, build matrices, solve and read the routes back with their street geometry.

    With a ``solution_limit`` the plan depends only on the day (each worker's search is counted, not
    timed); ``time_limit_s`` then only stops a search that outlasts it.
    """
    progress("snapping", 10)
    branch = streets.snapper.snap(*day.branch)
    points: list[SnappedPoint] = [branch]
    located: dict[int, int] = {}
    unassigned: list[tuple[int, str, str]] = []
    for request in day.requests:
        if request.lat is None or request.lon is None:
            unassigned.append((request.request_id, "no_location", PRE_SOLVER_REASONS["no_location"]))
            continue
        try:
            points.append(streets.snapper.snap(request.lat, request.lon))
        except SnapError as e:
            unassigned.append((request.request_id, e.reason, PRE_SOLVER_REASONS.get(e.reason, str(e))))
            continue
        located[request.request_id] = len(points) - 1
    starts: dict[str, int] = {}
    for vehicle in day.vehicles:
        if vehicle.start is not None:
            points.append(streets.snapper.snap(*vehicle.start))
            starts[vehicle.id] = len(points) - 1
    progress("matrices", 25)
    matrices = streets.engine.matrices(points)
    duration = matrices.duration_s.tolist()
    problem = Problem(
        duration=duration,
        cost=duration,
        vehicles=tuple(_vehicle(v, starts.get(v.id, 0)) for v in day.vehicles),
        jobs=tuple(_job(day, r, located[r.request_id]) for r in day.requests if r.request_id in located),
        balance_coefficient=day.balance_coefficient,
    )
    progress("solving", 35)
    if not problem.vehicles:
        unassigned += [
            (r.request_id, "no_courier", "no courier works at this branch on this day")
            for r in day.requests
            if r.request_id in located
        ]
        return DayResult(routes=[], unassigned=unassigned)
    solution = solve(problem, time_limit_s=time_limit_s, workers=workers, seed=0, solution_limit=solution_limit)
    progress("routes", 85)
    by_request = {r.request_id: r for r in day.requests}
    routes = [_route(r, starts.get(r.vehicle, 0), points, matrices.distance_m, by_request, streets) for r in solution.routes]
    unassigned += [(int(u.job[1:]), u.reason, u.detail) for u in solution.unassigned]
    return DayResult(
        routes=routes,
        unassigned=unassigned,
        objective=solution.objective,
        seconds=solution.seconds,
        strategy=solution.strategy,
    )


def _vehicle(spec: VehicleSpec, start: int) -> Vehicle:
    return Vehicle(
        id=spec.id,
        start=start,
        end=0,
        shift=spec.shift,
        capacity=spec.capacity,
        fixed_cost=spec.fixed_cost,
        breaks=spec.breaks,
        skills=spec.skills,
    )


def _job(day: DayInput, request: RequestStop, location: int) -> Job:
    job_id = f"r{request.request_id}"
    demand = (request.books, request.grams)
    if request.on_board:
        return Visit(job_id, location, demand, (request.window,), day.door_service_s, request.skills, request.pin)
    if request.kind == DELIVERY:
        return Shipment(
            job_id,
            0,
            location,
            demand,
            (day.opening,),
            (request.window,),
            day.loading_s,
            day.door_service_s,
            request.skills,
            request.pin,
        )
    return Shipment(
        job_id,
        location,
        0,
        demand,
        (request.window,),
        (day.opening,),
        day.door_service_s,
        day.loading_s,
        request.skills,
        request.pin,
    )


def _route(
    route: Route,
    start: int,
    points: list[SnappedPoint],
    distance: t.Any,
    requests: dict[int, RequestStop],
    streets: Streets,
) -> RouteResult:
    """Stops in order: consecutive steps at the branch become one branch stop; breaks stay where taken."""
    stops: list[StopResult] = []
    origin = points[start]
    if start != 0:
        stops.append(StopResult(START, origin.lat, origin.lon, route.start_s, route.start_s, route.start_s))
    for step in route.steps:
        _add_step(stops, step, points, requests)
    if not stops or stops[0].kind not in (BRANCH, START):
        stops.insert(0, StopResult(BRANCH, origin.lat, origin.lon, route.start_s, route.start_s, route.start_s))
    branch = points[0]
    stops.append(StopResult(BRANCH, branch.lat, branch.lon, route.end_s, route.end_s, route.end_s))
    _after_breaks(stops)
    path = [start, *[step.location for step in route.steps if step.kind != BREAK and step.location is not None], 0]
    legs = [(a, b) for a, b in itertools.pairwise(path) if a != b]
    geometry: list[tuple[float, float]] = []
    for a, b in legs:
        polyline = streets.engine.leg(points[a], points[b]).polyline
        geometry.extend(polyline if not geometry else polyline[1:])
    loads = [step.load for step in route.steps if len(step.load) >= 2]
    return RouteResult(
        vehicle=route.vehicle,
        start_s=route.start_s,
        end_s=route.end_s,
        distance_m=sum(int(distance[a][b]) for a, b in legs),
        duration_s=route.duration_s,
        stops=stops,
        geometry=geometry,
        max_books=max((load[0] for load in loads), default=0),
        max_grams=max((load[1] for load in loads), default=0),
    )


def _after_breaks(stops: list[StopResult]) -> None:
    """The solver may overlap a break with the drive after it; the courier drives after resting.

    So the stop after a break is reached the drive's length after the break ends (never later than
    its service start, which the solver already placed after both).
    """
    for i in range(2, len(stops)):
        rest, before, stop = stops[i - 1], stops[i - 2], stops[i]
        if rest.kind != BREAK:
            continue
        drive = max(0, stop.arrival_s - before.departure_s)
        stop.arrival_s = min(stop.start_s, max(stop.arrival_s, rest.departure_s + drive))


def _add_step(stops: list[StopResult], step: Step, points: list[SnappedPoint], requests: dict[int, RequestStop]) -> None:
    load = (step.load[0], step.load[1]) if len(step.load) >= 2 else (0, 0)
    if step.kind == BREAK:
        previous = stops[-1] if stops else None
        lat, lon = (previous.lat, previous.lon) if previous else (points[0].lat, points[0].lon)
        stops.append(StopResult(BREAK, lat, lon, step.arrival_s, step.start_s, step.departure_s, load=load))
        return
    request_id = int(step.job[1:])
    request = requests[request_id]
    at_branch = step.location == 0
    if at_branch:
        previous = stops[-1] if stops else None
        if previous is None or previous.kind != BRANCH:
            point = points[0]
            previous = StopResult(BRANCH, point.lat, point.lon, step.arrival_s, step.start_s, step.departure_s)
            stops.append(previous)
        previous.departure_s = step.departure_s
        previous.load = load
        (previous.loads if request.kind == DELIVERY else previous.unloads).append(request_id)
        return
    point = points[step.location] if step.location is not None else points[0]
    stops.append(
        StopResult(
            request.kind,
            point.lat,
            point.lon,
            step.arrival_s,
            step.start_s,
            step.departure_s,
            request_id=request_id,
            window=request.window,
            load=load,
        )
    )
