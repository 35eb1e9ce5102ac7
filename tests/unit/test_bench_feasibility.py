"""The double-precision feasibility checker on best-known routes and broken copies, and the hierarchical report."""

from __future__ import annotations

import dataclasses

import pytest

from routing.bench.bks import Bks
from routing.bench.bks import load_bks
from routing.bench.bks import reference_routes
from routing.bench.feasibility import Check
from routing.bench.feasibility import check_routes
from routing.bench.feasibility import routes_distance
from routing.bench.instances import DATA_DIR_ENV
from routing.bench.instances import Instance
from routing.bench.instances import Node
from routing.bench.instances import data_dir
from routing.bench.instances import load_instance
from routing.bench.report import make_record
from routing.bench.report import summarise

needs_data = pytest.mark.skipif(not data_dir().is_dir(), reason=f"benchmark data not found at {data_dir()} (set {DATA_DIR_ENV})")


def bks_case(suite: str, name: str) -> tuple[Instance, list[list[int]]]:
    routes = reference_routes(suite, name)
    assert routes is not None
    return load_instance(suite, name), routes


def copy(routes: list[list[int]]) -> list[list[int]]:
    return [list(route) for route in routes]


@needs_data
@pytest.mark.parametrize(
    ("suite", "name"), [("solomon_100", "C101"), ("solomon_100", "RC208"), ("lilim_100", "lc101"), ("lilim_100", "lrc201")]
)
def test_best_known_route_files_are_feasible_with_their_published_distance(suite, name):
    instance, routes = bks_case(suite, name)
    check = check_routes(instance, routes)
    bks = load_bks(suite)[name.lower()]
    assert check.feasible, check.problems
    assert len(routes) == bks.vehicles
    tolerance = 0.005 if suite == "solomon_100" else 0.00005  # the tables round to 2 and 4 decimals
    assert check.distance == pytest.approx(bks.distance, abs=tolerance)


@needs_data
def test_swapping_two_stops_breaks_a_window():
    instance, routes = bks_case("solomon_100", "C101")
    broken = copy(routes)
    broken[0][0], broken[0][1] = broken[0][1], broken[0][0]
    check = check_routes(instance, broken)
    assert not check.feasible
    assert any(f"node {broken[0][1]} starts" in problem and "after its due time" in problem for problem in check.problems)


@needs_data
def test_dropped_and_repeated_customers_are_reported():
    instance, routes = bks_case("solomon_100", "C101")
    dropped = copy(routes)
    lost = dropped[3].pop()
    check = check_routes(instance, dropped)
    assert not check.feasible
    assert check.problems == [f"1 customers not served: [{lost}]"]
    repeated = copy(routes)
    repeated[1].append(repeated[0][0])
    assert "node 81 served 2 times" in check_routes(instance, repeated).problems


@needs_data
def test_exceeding_the_capacity_is_reported_per_route():
    instance, routes = bks_case("solomon_100", "C101")
    smaller = dataclasses.replace(instance, capacity=190)
    check = check_routes(smaller, routes)
    loads = [sum(instance.nodes[node].demand for node in route) for route in routes]
    assert check.problems == [
        f"route {number}: load 200 exceeds capacity 190" for number, load in enumerate(loads, start=1) if load == 200
    ]


@needs_data
def test_delivery_before_its_pickup_or_on_another_route_is_reported():
    instance, routes = bks_case("lilim_100", "lc101")
    assert routes[0][1:3] == [78, 104]  # pickup 78, then its delivery 104
    swapped = copy(routes)
    swapped[0][1], swapped[0][2] = 104, 78
    assert "route 1: delivery 104 is not preceded by its pickup 78 on this route" in check_routes(instance, swapped).problems
    split = copy(routes)
    split[0].remove(104)
    split[1].insert(0, 104)
    assert "route 2: delivery 104 is not preceded by its pickup 78 on this route" in check_routes(instance, split).problems


def tiny(kind: str, capacity: int, *customers: Node, vehicles: int = 2, depot_due: float = 100) -> Instance:
    return Instance(
        "tiny", "vrptw" if kind == "vrptw" else "pdptw", vehicles, capacity, (Node(0, 0, 0, 0, 0, depot_due, 0), *customers)
    )


def test_pdptw_load_runs_along_the_route():
    pair_a = (Node(1, 1, 0, 6, 0, 100, 0, delivery=2), Node(2, 2, 0, -6, 0, 100, 0, pickup=1))
    pair_b = (Node(3, 3, 0, 6, 0, 100, 0, delivery=4), Node(4, 4, 0, -6, 0, 100, 0, pickup=3))
    instance = tiny("pdptw", 10, *pair_a, *pair_b)
    assert check_routes(instance, [[1, 2, 3, 4]]).feasible  # never more than 6 on board
    assert check_routes(instance, [[1, 3, 2, 4]]).problems == ["route 1: load 12 after node 3 exceeds capacity 10"]


def test_waiting_is_allowed_but_lateness_and_late_return_are_not():
    waits = tiny("vrptw", 10, Node(1, 3, 4, 1, 20, 30, 5), depot_due=30)  # arrives at 5, starts at 20, back at 30
    assert check_routes(waits, [[1]]) == Check(True, [], 10.0)
    late = tiny("vrptw", 10, Node(1, 3, 4, 1, 0, 4.9, 0))
    assert check_routes(late, [[1]]).problems == ["route 1: service at node 1 starts at 5.0000, after its due time 4.9"]
    back_late = tiny("vrptw", 10, Node(1, 3, 4, 1, 20, 30, 6), depot_due=30)
    assert check_routes(back_late, [[1]]).problems == ["route 1: returns to the depot at 31.0000, after its due time 30"]


def test_fleet_size_unknown_nodes_and_the_depot_are_reported():
    customers = (Node(1, 1, 0, 1, 0, 100, 0), Node(2, 0, 1, 1, 0, 100, 0))
    instance = tiny("vrptw", 10, *customers, vehicles=1)
    assert check_routes(instance, [[1], [2]]).problems == ["2 routes for 1 vehicles"]
    assert check_routes(instance, [[1, 2], []]).feasible  # empty routes are no vehicles
    problems = check_routes(instance, [[1, 2, 0, 9]]).problems
    assert problems[0] == "not customers of tiny: [0, 9]"
    assert problems[-1] == "1 routes with unknown nodes left out of the time and load checks"


def test_distance_is_depot_to_depot_in_double_precision():
    customers = (Node(1, 3, 4, 1, 0, 100, 0), Node(2, 3, 0, 1, 0, 100, 0))
    instance = tiny("vrptw", 10, *customers)
    assert routes_distance(instance, [[1, 2], []]) == 12.0
    assert routes_distance(instance, [[1], [2]]) == 16.0


def test_report_compares_vehicles_first_and_averages_gaps_only_at_the_bks_count():
    bks = Bks(vehicles=10, distance=100.0, source="test")
    good = make_record("s", "a", [[1]] * 10, Check(True, [], 102.0), 1.0, bks, "")
    more = make_record("s", "b", [[1]] * 11, Check(True, [], 90.0), 3.0, bks, "")
    fewer_but_broken = make_record("s", "c", [[1]] * 9, Check(False, ["late"], 120.0), 2.0, bks, "")
    unknown = make_record("s", "d", [[1]] * 3, Check(True, [], 50.0), 2.0, None, "")
    assert (good.vs_bks, more.vs_bks, fewer_but_broken.vs_bks, unknown.vs_bks) == (
        "same_vehicles",
        "more_vehicles",
        "fewer_vehicles",
        "no_bks",
    )
    assert good.gap_pct == pytest.approx(2.0) and more.gap_pct == pytest.approx(-10.0) and unknown.gap_pct is None
    summary = summarise([good, more, fewer_but_broken, unknown])
    assert summary["all_feasible"] is False and summary["feasible"] == 3
    assert (summary["with_bks"], summary["at_bks_vehicles"], summary["fewer_vehicles_than_bks"], summary["extra_vehicles"]) == (
        3,
        1,
        0,
        1,
    )
    assert summary["share_at_bks_vehicles"] == pytest.approx(1 / 3)
    assert summary["mean_gap_pct_at_bks_vehicles"] == pytest.approx(2.0)
    assert summary["mean_seconds"] == pytest.approx(2.0)
