"""The ejection-pool route minimisation: which problems it takes, and that it removes routes feasibly."""

from __future__ import annotations

import dataclasses

from routing import route_min
from routing.model import Break
from routing.model import Pin
from routing.model import Problem
from routing.model import Shipment
from routing.model import Vehicle
from routing.model import Visit
from routing.solver import solve

# Locations on a line, 100 s apart: 0 is the depot, 1..6 are stops.
LINE = [[abs(a - b) * 100 for b in range(7)] for a in range(7)]
DAY = (0, 10_000)


def fleet(size: int, capacity: int = 10) -> tuple[Vehicle, ...]:
    return tuple(Vehicle(id=f"v{k}", start=0, end=0, shift=DAY, capacity=(capacity,), fixed_cost=10_000) for k in range(size))


def visits(*windows: tuple[int, int]) -> tuple[Visit, ...]:
    return tuple(Visit(id=str(i), location=i, demand=(1,), windows=(w,)) for i, w in enumerate(windows, start=1))


def shipments(count: int) -> tuple[Shipment, ...]:
    return tuple(
        Shipment(id=f"s{i}", pickup=i, delivery=i + 3, demand=(2,), pickup_windows=(DAY,), delivery_windows=(DAY,))
        for i in range(1, count + 1)
    )


def problem(jobs: tuple[Visit, ...] | tuple[Shipment, ...], size: int = 3, capacity: int = 10) -> Problem:
    return Problem(duration=LINE, cost=LINE, vehicles=fleet(size, capacity), jobs=jobs)


def minimise(p: Problem, routes: list[list[int]], seed: int = 0) -> list[list[int]]:
    return route_min.minimise(route_min.data_of(p), routes, seed=seed, deadline=None, max_steps=500)


def test_supports_plain_visits_and_plain_shipments_only():
    plain = problem(visits(DAY, DAY))
    assert route_min.supports(plain)
    assert route_min.supports(problem(shipments(2)))
    two_windows = dataclasses.replace(plain.jobs[0], windows=((0, 10), (20, 30)))
    assert not route_min.supports(dataclasses.replace(plain, jobs=(two_windows, plain.jobs[1])))
    pinned = dataclasses.replace(plain.jobs[0], pinned=Pin("v0", 0))
    assert not route_min.supports(dataclasses.replace(plain, jobs=(pinned, plain.jobs[1])))
    resting = dataclasses.replace(plain.vehicles[0], breaks=(Break((0, 100), 10),))
    assert not route_min.supports(dataclasses.replace(plain, vehicles=(resting, *plain.vehicles[1:])))
    assert not route_min.supports(dataclasses.replace(plain, jobs=(plain.jobs[0], shipments(1)[0])))


def test_feasible_checks_windows_and_load():
    data = route_min.data_of(problem(visits((150, 10_000), (0, 200))))
    assert route_min.feasible(data, [2])
    assert not route_min.feasible(data, [1, 2])  # waits at 1 until 150, so reaches 2 at 250 > 200
    data = route_min.data_of(problem(visits(DAY, DAY), capacity=1))
    assert not route_min.feasible(data, [1, 2])


def test_visits_end_on_fewer_routes_keeping_windows():
    p = problem(visits((100, 100), (200, 250), (300, 400), (0, 10_000)), size=4)
    data = route_min.data_of(p)
    result = minimise(p, [[1], [2], [3], [4]])
    assert len(result) == 1
    assert sorted(n for route in result for n in route) == [1, 2, 3, 4]
    assert all(route_min.feasible(data, route) for route in result)


def test_capacity_bounds_how_far_routes_go():
    p = problem(visits(DAY, DAY, DAY, DAY), size=4, capacity=2)
    result = minimise(p, [[1], [2], [3], [4]])
    assert len(result) == route_min.lower_bound(route_min.data_of(p)) == 2


def test_shipments_move_as_pairs_pickup_first():
    p = problem(shipments(3), capacity=4)
    data = route_min.data_of(p)
    result = minimise(p, [[1, 2], [3, 4], [5, 6]])
    assert len(result) < 3
    assert sorted(n for route in result for n in route) == [1, 2, 3, 4, 5, 6]
    for route in result:
        assert route_min.feasible(data, route)
        assert all(route.index(data.delivery_of[n]) > route.index(n) for n in route if data.delivery_of[n])


def test_same_seed_same_routes():
    p = problem(visits((0, 400), (0, 400), (300, 900), (0, 10_000), (500, 600)), size=5)
    start = [[1], [2], [3], [4], [5]]
    assert minimise(p, start, seed=3) == minimise(p, start, seed=3)


def test_plan_round_trip():
    p = problem(shipments(2))
    data = route_min.data_of(p)
    plan = [[("s1", 0), ("s2", 0), ("s2", 1), ("s1", 1)], []]
    routes = route_min.to_nodes(data, plan)
    assert routes == [[1, 3, 4, 2], []]
    assert route_min.to_plan(data, [r for r in routes if r], 2) == plan


def test_solver_uses_it_and_stays_deterministic():
    p = problem(visits((100, 100), (200, 250), (300, 400), (0, 10_000), (0, 10_000), (0, 600)), size=4)
    runs = [solve(p, time_limit_s=30, solution_limit=50, seed=5) for _ in range(2)]
    assert runs[0].vehicles_used == 1 and not runs[0].unassigned
    assert [r.steps for r in runs[0].routes] == [r.steps for r in runs[1].routes]
