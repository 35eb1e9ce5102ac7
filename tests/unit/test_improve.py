"""SISR ruin and recreate (routing.sisr), route shortening (routing.improve) and fleet minimisation (routing.fleet_min).

Each test fails if its property breaks: plans stay feasible with every job once (pairs in order on one
route), shortening never returns a longer plan nor more routes, and a seed with an iteration budget gives
the same plan every time.
"""

from __future__ import annotations

import math
import random

from routing import fleet_min
from routing import improve
from routing import route_min
from routing.model import Problem
from routing.model import Shipment
from routing.model import Vehicle
from routing.model import Visit
from routing.sisr import RuinRecreate
from routing.sisr import route_cost

DAY = (0, 100_000)


def scattered(count: int, seed: int = 1) -> list[list[int]]:
    """Travel times between the depot (0) and ``count`` random points, rounded up like the benchmarks."""
    rng = random.Random(seed)
    points = [(50.0, 50.0)] + [(rng.uniform(0, 100), rng.uniform(0, 100)) for _ in range(count)]
    return [[math.ceil(100 * math.dist(a, b)) for b in points] for a in points]


def fleet(size: int, capacity: int) -> tuple[Vehicle, ...]:
    return tuple(Vehicle(id=f"v{k}", start=0, end=0, shift=DAY, capacity=(capacity,), fixed_cost=10**7) for k in range(size))


def visits_problem(count: int = 30, vehicles: int = 6, capacity: int = 10) -> Problem:
    matrix = scattered(count)
    rng = random.Random(2)
    jobs = []
    for i in range(1, count + 1):
        opens = rng.randrange(0, 30_000)
        jobs.append(Visit(id=str(i), location=i, demand=(1,), windows=((opens, opens + 40_000),), service_s=500))
    return Problem(duration=matrix, cost=matrix, vehicles=fleet(vehicles, capacity), jobs=tuple(jobs))


def shipments_problem(count: int = 12, vehicles: int = 6) -> Problem:
    matrix = scattered(2 * count, seed=3)
    jobs = tuple(
        Shipment(id=f"s{i}", pickup=2 * i - 1, delivery=2 * i, demand=(3,), pickup_windows=(DAY,), delivery_windows=(DAY,))
        for i in range(1, count + 1)
    )
    return Problem(duration=matrix, cost=matrix, vehicles=fleet(vehicles, 10), jobs=jobs)


def one_job_per_route(data: route_min.Data) -> list[list[int]]:
    """A feasible but poor start: each visit, or each shipment's two ends, on a route of its own."""
    return [[n, data.delivery_of[n]] if data.delivery_of[n] else [n] for n in range(1, len(data.ids)) if not data.pickup_of[n]]


def valid(data: route_min.Data, routes: list[list[int]]) -> bool:
    placed = sorted(n for route in routes for n in route)
    pairs_in_order = all(
        data.delivery_of[n] in route and route.index(data.delivery_of[n]) > route.index(n)
        for route in routes
        for n in route
        if data.delivery_of[n]
    )
    return placed == list(range(1, len(data.ids))) and pairs_in_order and all(route_min.feasible(data, r) for r in routes)


def total(data: route_min.Data, routes: list[list[int]]) -> int:
    return sum(route_cost(data, route) for route in routes)


def test_ruin_then_restore_gives_back_the_same_plan():
    data = route_min.data_of(visits_problem())
    start = fleet_min.fewer_routes(data, one_job_per_route(data), seed=0, deadline=None, max_iterations=300)
    search = RuinRecreate(data, start, random.Random(4))
    removed = search.ruin()
    assert removed
    assert sum(len(r) for r in search.plan()) < sum(len(r) for r in start)
    search.restore()
    assert search.plan() == start
    assert search.total() == total(data, start)


def test_shortening_visits_keeps_them_feasible_and_never_longer():
    data = route_min.data_of(visits_problem())
    start = fleet_min.fewer_routes(data, one_job_per_route(data), seed=0, deadline=None, max_iterations=300)
    result = improve.improve(data, start, seed=0, deadline=None, max_iterations=500)
    assert valid(data, result)
    assert len(result) <= len(start)
    assert total(data, result) < total(data, start)


def test_shortening_shipments_keeps_pairs_together_and_never_longer():
    data = route_min.data_of(shipments_problem())
    singles = one_job_per_route(data)
    start = [[n for route in singles[k::4] for n in route] for k in range(4)]  # three scattered pairs a route
    assert valid(data, start)
    result = improve.improve(data, start, seed=0, deadline=None, max_iterations=500)
    assert valid(data, result)
    assert len(result) <= len(start)
    assert total(data, result) < total(data, start)


def test_fleet_minimisation_removes_routes_feasibly():
    for problem in (visits_problem(), shipments_problem()):
        data = route_min.data_of(problem)
        start = one_job_per_route(data)
        result = fleet_min.fewer_routes(data, start, seed=0, deadline=None, max_iterations=500, floor=route_min.lower_bound(data))
        assert valid(data, result)
        assert len(result) < len(start) // 2


def test_same_seed_and_budget_give_the_same_plans():
    data = route_min.data_of(visits_problem())
    start = one_job_per_route(data)
    runs = [fleet_min.fewer_routes(data, start, seed=7, deadline=None, max_iterations=200) for _ in range(2)]
    assert runs[0] == runs[1]
    shortened = [improve.improve(data, runs[0], seed=7, deadline=None, max_iterations=200) for _ in range(2)]
    assert shortened[0] == shortened[1]
