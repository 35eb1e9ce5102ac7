"""Every solver constraint on small hand-made problems; each test fails if its constraint is removed."""

from __future__ import annotations

import dataclasses

import pytest

from routing.errors import ProblemError
from routing.model import Break
from routing.model import Pin
from routing.model import Problem
from routing.model import Shipment
from routing.model import Vehicle
from routing.model import Visit
from routing.solver import portfolio
from routing.solver import solve

# Locations on a line, 100 s apart: 0 is the depot, 1..6 are stops, 7 a second depot far right.
POSITIONS = [0, 1, 2, 3, 4, 5, 6, 10]
LINE = [[abs(a - b) * 100 for b in POSITIONS] for a in POSITIONS]
DAY = (0, 10_000)
FAST = {"time_limit_s": 30.0, "solution_limit": 200}


def vehicle(vid: str = "v1", **changes) -> Vehicle:
    base = Vehicle(id=vid, start=0, end=0, shift=DAY, capacity=(10, 10_000), fixed_cost=10_000)
    return dataclasses.replace(base, **changes)


def visit(vid: str, location: int, **changes) -> Visit:
    base = Visit(id=vid, location=location, demand=(1, 100), windows=(DAY,), service_s=0)
    return dataclasses.replace(base, **changes)


def problem(vehicles, jobs, **changes) -> Problem:
    return Problem(duration=LINE, cost=LINE, vehicles=tuple(vehicles), jobs=tuple(jobs), **changes)


def order(solution, vehicle_id: str) -> list[str]:
    route = next(r for r in solution.routes if r.vehicle == vehicle_id)
    return [s.job + ("" if s.kind == "visit" else f":{s.kind}") for s in route.steps if s.kind != "break"]


def test_all_stops_served_on_one_route_in_the_natural_order():
    solution = solve(problem([vehicle()], [visit(str(i), i) for i in (3, 1, 2)]), **FAST)
    assert solution.unassigned == []
    assert order(solution, "v1") in (["1", "2", "3"], ["3", "2", "1"])
    assert solution.cost == 10_000 + 600


def test_time_windows_force_the_order():
    jobs = [visit("near", 1, windows=((500, 600),)), visit("far", 3, windows=((0, 300),))]
    solution = solve(problem([vehicle()], jobs), **FAST)
    assert order(solution, "v1") == ["far", "near"]
    steps = solution.routes[0].steps
    assert 0 <= steps[0].start_s <= 300 and 500 <= steps[1].start_s <= 600


def test_multiple_windows_per_stop():
    jobs = [visit("a", 1, windows=((0, 50), (900, 1000)))]
    start = solve(problem([vehicle(shift=(200, 10_000))], jobs), **FAST).routes[0].steps[0].start_s
    assert 900 <= start <= 1000


def test_service_time_counts():
    jobs = [visit("a", 1, service_s=500), visit("b", 2, windows=((0, 650),))]
    solution = solve(problem([vehicle()], jobs), **FAST)
    assert order(solution, "v1") == ["b", "a"]


def test_capacity_in_the_second_unit_opens_a_second_vehicle():
    fleet = [vehicle("v1", capacity=(10, 1000)), vehicle("v2", capacity=(10, 1000))]
    jobs = [visit(str(i), i, demand=(1, 600)) for i in (1, 2)]
    solution = solve(problem(fleet, jobs), **FAST)
    assert solution.vehicles_used == 2 and solution.unassigned == []
    assert all(max(s.load[1] for s in r.steps) <= 1000 for r in solution.routes)
    roomy = solve(problem(fleet, [visit(str(i), i, demand=(1, 400)) for i in (1, 2)]), **FAST)
    assert roomy.vehicles_used == 1


def test_fixed_cost_prefers_fewer_vehicles():
    jobs = [visit(str(i), i) for i in range(1, 7)]
    with_cost = solve(problem([vehicle("v1"), vehicle("v2"), vehicle("v3")], jobs), **FAST)
    assert with_cost.vehicles_used == 1
    free = [vehicle(f"v{k}", start=k, end=k, fixed_cost=0) for k in (1, 3, 5)]
    spread = solve(problem(free, jobs), **FAST)
    assert spread.vehicles_used > 1


def test_each_vehicle_starts_and_ends_at_its_own_place():
    right = vehicle("right", start=7, end=7)
    jobs = [visit("6", 6)]
    solution = solve(problem([vehicle("left", fixed_cost=50_000), right], jobs), **FAST)
    assert [r.vehicle for r in solution.routes] == ["right"]
    assert solution.routes[0].end_s - solution.routes[0].start_s == 800


def test_shift_bounds_the_route():
    jobs = [visit("3", 3, windows=((0, 10_000),))]
    solution = solve(problem([vehicle(shift=(1000, 1700))], jobs), **FAST)
    route = solution.routes[0]
    assert route.start_s >= 1000 and route.end_s <= 1700
    short = solve(problem([vehicle(shift=(1000, 1500))], jobs), **FAST)
    assert [(u.job, u.reason) for u in short.unassigned] == [("3", "shift_too_short")]


def test_maximum_route_duration():
    jobs = [visit(str(i), i, windows=((0, 10_000),)) for i in (1, 6)]
    limited = [vehicle("v1", max_duration_s=1000), vehicle("v2", max_duration_s=1000)]
    solution = solve(problem(limited, jobs), **FAST)
    assert all(r.duration_s <= 1000 for r in solution.routes)
    assert [(u.job, u.reason) for u in solution.unassigned] == [("6", "route_too_long")]


def test_pickup_before_delivery_on_one_vehicle():
    jobs = [Shipment("s", pickup=5, delivery=1, demand=(4, 100), pickup_windows=(DAY,), delivery_windows=(DAY,))]
    solution = solve(problem([vehicle("v1"), vehicle("v2")], jobs), **FAST)
    assert solution.vehicles_used == 1
    assert order(solution, solution.routes[0].vehicle) == ["s:pickup", "s:delivery"]
    loads = [s.load[0] for s in solution.routes[0].steps]
    assert loads == [4, 0]


def test_shipments_let_a_courier_reload_at_the_branch():
    # Two deliveries of 6 books each with room for 10: the courier must come back to the branch between them.
    jobs = [
        Shipment(f"d{i}", pickup=0, delivery=i, demand=(6, 100), pickup_windows=(DAY,), delivery_windows=(DAY,)) for i in (3, 4)
    ]
    solution = solve(problem([vehicle()], jobs), **FAST)
    assert solution.unassigned == [] and solution.vehicles_used == 1
    kinds = [s.kind for s in solution.routes[0].steps]
    assert kinds == ["pickup", "delivery", "pickup", "delivery"]
    assert max(s.load[0] for s in solution.routes[0].steps) <= 10


def test_breaks_are_taken_in_their_window():
    jobs = [visit(str(i), i, service_s=300) for i in (1, 2, 3)]
    rested = vehicle(breaks=(Break((400, 500), 600),))
    solution = solve(problem([rested], jobs), **FAST)
    breaks = [s for s in solution.routes[0].steps if s.kind == "break"]
    assert len(breaks) == 1 and 400 <= breaks[0].start_s <= 500
    plain = solve(problem([vehicle()], jobs), **FAST)
    assert solution.routes[0].duration_s >= plain.routes[0].duration_s + 600


def test_skills_restrict_vehicles():
    jobs = [visit("upstairs", 2, skills=frozenset({"stairs"}))]
    fleet = [vehicle("plain", fixed_cost=0), vehicle("strong", skills=frozenset({"stairs"}))]
    solution = solve(problem(fleet, jobs), **FAST)
    assert [r.vehicle for r in solution.routes] == ["strong"]
    nobody = solve(problem([vehicle("plain")], jobs), **FAST)
    assert [(u.job, u.reason) for u in nobody.unassigned] == [("upstairs", "no_vehicle_with_skills")]


def test_pinned_stops_keep_their_vehicle_and_order():
    jobs = [
        visit("a", 1, pinned=Pin("v2", 0)),
        visit("b", 3, pinned=Pin("v2", 1)),
        visit("c", 2, pinned=Pin("v2", 2)),
        visit("free", 4),
    ]
    fleet = [vehicle("v1", fixed_cost=0), vehicle("v2", fixed_cost=0)]
    solution = solve(problem(fleet, jobs), **FAST)
    pinned = [job for job in order(solution, "v2") if job in {"a", "b", "c"}]
    assert pinned == ["a", "b", "c"]  # not the shorter a, c, b


def test_unassigned_jobs_come_back_with_reasons_and_the_rest_is_planned():
    jobs = [
        visit("ok", 1),
        visit("late", 6, windows=((0, 100),)),
        visit("heavy", 2, demand=(50, 100)),
    ]
    solution = solve(problem([vehicle()], jobs), **FAST)
    assert order(solution, "v1") == ["ok"]
    assert {(u.job, u.reason) for u in solution.unassigned} == {("late", "window_unreachable"), ("heavy", "capacity")}
    assert all(u.detail for u in solution.unassigned)


def test_no_room_when_the_only_courier_is_full():
    jobs = [visit("a", 2, windows=((200, 200),), service_s=100), visit("b", 2, windows=((200, 200),), service_s=100)]
    solution = solve(problem([vehicle()], jobs), **FAST)
    assert len(solution.routes[0].steps) == 1
    assert [u.reason for u in solution.unassigned] == ["no_room"]


def test_balance_evens_out_the_days():
    jobs = [visit(f"{i}-{k}", i, service_s=400) for i in (1, 2, 3) for k in range(2)]
    fleet = [vehicle("v1", fixed_cost=0), vehicle("v2", fixed_cost=0)]
    unbalanced = solve(problem(fleet, jobs), **FAST)
    balanced = solve(problem(fleet, jobs, balance_coefficient=100), **FAST)
    longest = lambda s: max(r.duration_s for r in s.routes)  # noqa: E731
    assert balanced.vehicles_used == 2
    assert longest(balanced) < longest(unbalanced)


def test_same_seed_and_limit_give_the_same_answer():
    jobs = [visit(f"{i}-{k}", i, windows=((100 * k, 100 * k + 3000),)) for i in range(1, 7) for k in range(3)]
    runs = [solve(problem([vehicle("v1"), vehicle("v2")], jobs), time_limit_s=30, solution_limit=50, seed=7) for _ in range(2)]
    assert [order(runs[0], r.vehicle) for r in runs[0].routes] == [order(runs[1], r.vehicle) for r in runs[1].routes]


def test_plain_shipments_are_deterministic_with_a_solution_limit_on_both_workers():
    # Both route-removal methods (SISR on one worker, the ejection pool on the other) and the SISR
    # shortening run here; with a solution limit their budgets are iterations, not seconds.
    shipments = [
        Shipment(id=f"s{i}", pickup=i, delivery=7 - i, demand=(1, 10), pickup_windows=(DAY,), delivery_windows=(DAY,))
        for i in range(1, 4)
    ]
    p = problem([vehicle(f"v{k}") for k in range(3)], shipments)
    runs = [solve(p, time_limit_s=30, solution_limit=40, seed=2, workers=2) for _ in range(2)]
    assert runs[0].unassigned == [] and runs[0].vehicles_used == 1
    assert [r.steps for r in runs[0].routes] == [r.steps for r in runs[1].routes]


def test_two_workers_return_the_better_of_two_strategies():
    jobs = [visit(str(i), i) for i in range(1, 7)]
    two_vehicles = problem([vehicle("v1"), vehicle("v2")], jobs)
    solution = solve(two_vehicles, workers=2, **FAST)
    assert solution.unassigned == [] and solution.strategy in set(portfolio(two_vehicles)[:2])


@pytest.mark.parametrize(
    "bad",
    [
        {"vehicles": ()},
        {"jobs": (visit("x", 99),)},
        {"jobs": (visit("x", 1), visit("x", 2))},
        {"jobs": (visit("x", 1, windows=((5, 1),)),)},
        {"jobs": (visit("x", 1, pinned=Pin("ghost", 0)),)},
        {"duration": [[0]]},
    ],
)
def test_inconsistent_problems_are_refused(bad):
    base = problem([vehicle()], [visit("a", 1)])
    with pytest.raises(ProblemError):
        solve(dataclasses.replace(base, **bad), **FAST)
