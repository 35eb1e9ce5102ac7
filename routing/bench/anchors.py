"""Reference solvers (VROOM through pyvroom, PyVRP) run on the very integer Problem the OR-Tools solver gets.

Both return a ``Run`` whose routes are lists of location indices (= benchmark node ids), depot excluded. Only what the
benchmarks use is translated: one depot per vehicle start/end, capacities, windows, service times and
fixed vehicle costs; a Problem with breaks, skills, pins, duration limits or balancing is refused.
"""

from __future__ import annotations

import time
from datetime import timedelta

import numpy as np
import vroom
from pyvrp import Location
from pyvrp import Model
from pyvrp.stop import MaxRuntime

from routing.bench.run import Run
from routing.errors import ProblemError
from routing.model import Problem
from routing.model import Shipment
from routing.model import Vehicle
from routing.model import Visit

VROOM_EXPLORATION = 5
"""VROOM's exploration level, 1 to 5; 5 searches most."""


def _refuse_unsupported(problem: Problem) -> None:
    if problem.balance_coefficient or any(v.breaks or v.skills or v.max_duration_s is not None for v in problem.vehicles):
        msg = "anchors translate only capacities, shifts and fixed costs of vehicles (no breaks, skills, limits, balance)"
        raise ProblemError(msg)
    if any(job.skills or job.pinned for job in problem.jobs):
        msg = "anchors translate no job skills or pins"
        raise ProblemError(msg)


def solve_vroom(problem: Problem, *, time_limit_s: float, seed: int, workers: int) -> Run:
    """Solve with VROOM (exploration level 5, ``workers`` threads, stopped after ``time_limit_s`` at most).

    Visits are VROOM jobs delivering their demand from the depot; shipments are VROOM shipments. The cost
    matrix is set explicitly, so the vehicles' per-hour cost does not apply; ``fixed_cost`` does. VROOM
    is deterministic and has no seed, so ``seed`` is unused.
    """
    _refuse_unsupported(problem)
    del seed
    solver = vroom.Input()
    solver.set_durations_matrix("car", np.asarray(problem.duration, dtype=np.uint32))
    solver.set_costs_matrix("car", np.asarray(problem.cost, dtype=np.uint32))
    for number, vehicle in enumerate(problem.vehicles):
        solver.add_vehicle(
            vroom.Vehicle(
                number,
                start=vehicle.start,
                end=vehicle.end,
                capacity=list(vehicle.capacity),
                time_window=vroom.TimeWindow(*vehicle.shift),
                costs=vroom.VehicleCosts(fixed=vehicle.fixed_cost),
            )
        )
    for number, job in enumerate(problem.jobs):
        if isinstance(job, Visit):
            windows = [vroom.TimeWindow(*window) for window in job.windows]
            solver.add_job(
                vroom.Job(number, job.location, default_service=job.service_s, delivery=list(job.demand), time_windows=windows)
            )
        else:
            pickup = vroom.ShipmentStep(
                number,
                job.pickup,
                default_service=job.pickup_service_s,
                time_windows=[vroom.TimeWindow(*w) for w in job.pickup_windows],
            )
            delivery = vroom.ShipmentStep(
                number,
                job.delivery,
                default_service=job.delivery_service_s,
                time_windows=[vroom.TimeWindow(*w) for w in job.delivery_windows],
            )
            solver.add_shipment(pickup, delivery, amount=vroom.Amount(list(job.demand)))
    started = time.perf_counter()
    solution = solver.solve(exploration_level=VROOM_EXPLORATION, nb_threads=workers, timeout=timedelta(seconds=time_limit_s))
    seconds = time.perf_counter() - started
    plan = solution.to_dict()
    routes = [
        [int(step["location_index"]) for step in route["steps"] if step["type"] in ("job", "pickup", "delivery")]
        for route in plan["routes"]
    ]
    note = f"{len(plan['unassigned'])} unassigned" if plan["unassigned"] else ""
    return Run([route for route in routes if route], seconds, note)


def _single_window(windows: tuple[tuple[int, int], ...], what: str) -> tuple[int, int]:
    if len(windows) != 1:
        msg = f"PyVRP takes exactly one window per stop; {what} has {len(windows)}"
        raise ProblemError(msg)
    return windows[0]


def solve_pyvrp(problem: Problem, *, time_limit_s: float, seed: int, workers: int) -> Run:
    """Solve with PyVRP's iterated local search for ``time_limit_s`` (one thread; ``workers`` is unused).

    Visits are PyVRP clients with a delivery demand; shipments use PyVRP 0.14's own pickup-and-delivery
    shipments. Identical vehicles form one vehicle type. Locations get dummy coordinates: PyVRP reads
    distances and durations only from the edges given here.
    """
    _refuse_unsupported(problem)
    del workers
    model = Model()
    locations = [model.add_location(x=0.0, y=0.0) for _ in problem.duration]
    depots = {
        index: model.add_depot(locations[index])
        for index in sorted({v.start for v in problem.vehicles} | {v.end for v in problem.vehicles})
    }
    fleet: dict[tuple[int, int, tuple[int, int], tuple[int, ...], int], list[Vehicle]] = {}
    for vehicle in problem.vehicles:
        fleet.setdefault((vehicle.start, vehicle.end, vehicle.shift, vehicle.capacity, vehicle.fixed_cost), []).append(vehicle)
    for (start, end, shift, capacity, fixed_cost), group in fleet.items():
        model.add_vehicle_type(
            num_available=len(group),
            capacity=list(capacity),
            start_depot=depots[start],
            end_depot=depots[end],
            fixed_cost=fixed_cost,
            tw_early=shift[0],
            tw_late=shift[1],
        )
    client_location: list[int] = []
    shipment_locations: list[tuple[int, int]] = []
    for job in problem.jobs:
        if isinstance(job, Visit):
            early, late = _single_window(job.windows, f"job {job.id}")
            model.add_client(
                locations[job.location], delivery=list(job.demand), service_duration=job.service_s, tw_early=early, tw_late=late
            )
            client_location.append(job.location)
        else:
            _add_shipment(model, locations, job)
            shipment_locations.append((job.pickup, job.delivery))
    for origin, row in enumerate(problem.cost):
        for target, cost in enumerate(row):
            model.add_edge(locations[origin], locations[target], distance=cost, duration=problem.duration[origin][target])
    started = time.perf_counter()
    result = model.solve(stop=MaxRuntime(time_limit_s), seed=seed, collect_stats=False, display=False)
    seconds = time.perf_counter() - started
    routes: list[list[int]] = []
    for route in result.best.routes():
        stops: list[int] = []
        for activity in route.schedule():
            if activity.is_client():
                stops.append(client_location[activity.idx])
            elif activity.is_pickup() or activity.is_delivery():
                stops.append(shipment_locations[activity.idx][0 if activity.is_pickup() else 1])
        routes.append(stops)
    note = "" if result.is_feasible() else "PyVRP's best solution is infeasible"
    return Run([route for route in routes if route], seconds, note)


def _add_shipment(model: Model, locations: list[Location], job: Shipment) -> None:
    pickup_early, pickup_late = _single_window(job.pickup_windows, f"pickup of {job.id}")
    delivery_early, delivery_late = _single_window(job.delivery_windows, f"delivery of {job.id}")
    model.add_shipment(
        locations[job.pickup],
        locations[job.delivery],
        pickup_tw_early=pickup_early,
        pickup_tw_late=pickup_late,
        pickup_service_duration=job.pickup_service_s,
        delivery_tw_early=delivery_early,
        delivery_tw_late=delivery_late,
        delivery_service_duration=job.delivery_service_s,
        amount=list(job.demand),
    )
