"""Benchmark instances: reading the shared files, BKS tables, the integer model and mapping solutions back."""

from __future__ import annotations

import math

import pytest

from routing.bench.bks import load_bks
from routing.bench.bks import reference_routes
from routing.bench.convert import job_nodes
from routing.bench.convert import scaled_matrix
from routing.bench.convert import scaled_service
from routing.bench.convert import scaled_travel
from routing.bench.convert import scaled_window
from routing.bench.convert import solution_routes
from routing.bench.convert import to_problem
from routing.bench.convert import vehicle_fixed_cost
from routing.bench.instances import DATA_DIR_ENV
from routing.bench.instances import Instance
from routing.bench.instances import InstanceFormatError
from routing.bench.instances import Node
from routing.bench.instances import data_dir
from routing.bench.instances import euclidean
from routing.bench.instances import instance_names
from routing.bench.instances import load_instance
from routing.errors import ProblemError
from routing.model import Problem
from routing.model import Route
from routing.model import Shipment
from routing.model import Solution
from routing.model import Step
from routing.model import Visit

needs_data = pytest.mark.skipif(not data_dir().is_dir(), reason=f"benchmark data not found at {data_dir()} (set {DATA_DIR_ENV})")


def step(job: str, kind: str, location: int | None) -> Step:
    return Step(job=job, kind=kind, location=location, arrival_s=0, start_s=0, departure_s=0, load=(0,))


def route(vehicle: str, *steps: Step) -> Route:
    return Route(vehicle=vehicle, start_s=0, end_s=0, steps=steps, cost=0, duration_s=0)


@needs_data
def test_solomon_c101_is_read_with_its_known_facts():
    instance = load_instance("solomon_100", "c101")
    assert (instance.name, instance.kind, instance.vehicles, instance.capacity) == ("C101", "vrptw", 25, 200)
    assert len(instance.customers) == 100
    assert (instance.depot.x, instance.depot.y, instance.depot.ready, instance.depot.due) == (40, 50, 0, 1236)
    assert instance.nodes[1] == Node(1, 45, 68, 10, 912, 967, 90)
    assert instance.nodes[100].id == 100
    assert instance.pairs == []


@needs_data
def test_lilim_lc101_is_read_as_pickup_delivery_pairs():
    instance = load_instance("lilim_100", "LC101")
    assert (instance.name, instance.kind, instance.vehicles, instance.capacity) == ("lc101", "pdptw", 25, 200)
    assert len(instance.customers) == 106
    assert len(instance.pairs) == 53
    pickup, delivery = instance.nodes[3], instance.nodes[75]
    assert (pickup.demand, pickup.ready, pickup.due, pickup.service, pickup.delivery) == (10, 65, 146, 90, 75)
    assert (delivery.demand, delivery.pickup) == (-10, 3)
    assert (instance.nodes[1].demand, instance.nodes[1].pickup) == (-10, 11)
    assert (3, 75) in instance.pairs


@needs_data
def test_every_suite_lists_its_files_in_natural_order():
    counts = {
        suite: len(instance_names(suite)) for suite in ("solomon_100", "lilim_100", "lilim_200", "homberger_200", "homberger_400")
    }
    assert counts == {"solomon_100": 56, "lilim_100": 56, "lilim_200": 60, "homberger_200": 60, "homberger_400": 60}
    names = instance_names("homberger_200")
    assert names[:10] == [f"c1_2_{k}" for k in range(1, 11)]
    big = load_instance("homberger_400", "C1_4_1")
    assert (big.vehicles, big.capacity, len(big.customers)) == (100, 200, 400)
    lilim = load_instance("lilim_200", "lc1_2_1")
    assert (lilim.name, lilim.vehicles, lilim.kind) == ("LC1_2_1", 50, "pdptw")


@needs_data
def test_bks_tables_are_keyed_by_lower_case_name():
    solomon, lilim = load_bks("solomon_100"), load_bks("lilim_100")
    assert len(solomon) == 56 and len(lilim) == 56
    assert (solomon["c101"].vehicles, solomon["c101"].distance) == (10, 828.94)
    assert (solomon["r101"].vehicles, solomon["r101"].distance) == (19, 1650.80)
    assert (lilim["lc101"].vehicles, lilim["lc101"].distance) == (10, 828.9369)
    assert (load_bks("lilim_200")["lc1_2_1"].vehicles, load_bks("lilim_200")["lc1_2_1"].distance) == (20, 2704.5678)
    homberger = load_bks("homberger_400")
    assert len(homberger) == 120 and "c1_2_1" in homberger and "rc2_4_10" in homberger
    assert reference_routes("solomon_100", "R112") is None  # the README lists it without a route file
    assert reference_routes("lilim_200", "lc1_2_1") is None


def test_data_folder_comes_from_the_environment(tmp_path, monkeypatch):
    folder = tmp_path / "lilim_100"
    folder.mkdir()
    lines = ["2\t50\t1", "0\t0\t0\t0\t0\t100\t0\t0\t0", "1\t3\t4\t5\t0\t50\t1\t0\t2", "2\t6\t8\t-5\t0\t60\t1\t1\t0"]
    (folder / "tiny.txt").write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    instance = load_instance("lilim_100", "TINY")
    assert instance.pairs == [(1, 2)]
    assert euclidean(instance.nodes[0], instance.nodes[2]) == 10.0
    (folder / "broken.txt").write_text("\n".join([*lines[:3], "2\t6\t8\t-4\t0\t60\t1\t1\t0"]), encoding="ascii")
    with pytest.raises(InstanceFormatError, match="pickup-delivery pair"):
        load_instance("lilim_100", "broken")
    with pytest.raises(InstanceFormatError, match="no instance"):
        load_instance("lilim_100", "lc101")


def test_travel_is_rounded_up_exactly_and_windows_inwards():
    origin = Node(0, 0, 0, 0, 0, 100, 0)
    assert scaled_travel(origin, Node(1, 3, 4, 0, 0, 0, 0)) == 5000  # exact: no spurious +1
    assert scaled_travel(origin, Node(1, 1, 1, 0, 0, 0, 0)) == 1415  # 1414.21...
    assert scaled_travel(origin, Node(1, 0.5, 0.25, 0, 0, 0, 0)) == math.ceil(1000 * math.hypot(0.5, 0.25))
    assert scaled_travel(origin, Node(1, 1, 1, 0, 0, 0, 0), scale=100) == 142
    assert scaled_window(1.2341, 2.0009) == (1235, 2000)
    assert scaled_window(3, 7) == (3000, 7000)
    assert scaled_service(0.0101) == 11
    assert scaled_service(90) == 90000


@needs_data
def test_scaled_matrix_never_undercuts_the_real_distance():
    instance = load_instance("solomon_100", "R101")
    matrix = scaled_matrix(instance)
    for a in instance.nodes[::7]:
        for b in instance.nodes[::5]:
            real = 1000 * euclidean(a, b)
            assert real <= matrix[a.id][b.id] < real + 1
    assert all(matrix[i][i] == 0 for i in range(len(matrix)))


@needs_data
def test_c101_becomes_visits_on_identical_vehicles():
    instance = load_instance("solomon_100", "C101")
    problem = to_problem(instance)
    assert len(problem.vehicles) == 25 and len(problem.jobs) == 100
    vehicle = problem.vehicles[0]
    assert (vehicle.start, vehicle.end, vehicle.shift, vehicle.capacity) == (0, 0, (0, 1236000), (200,))
    first = problem.jobs[0]
    assert first == Visit(id="1", location=1, demand=(10,), windows=((912000, 967000),), service_s=90000)
    assert problem.cost is problem.duration
    matrix = [list(row) for row in problem.duration]
    assert vehicle.fixed_cost == vehicle_fixed_cost(matrix, 25)
    assert vehicle.fixed_cost > sum(max(row) for row in matrix[1:]) + 25 * max(matrix[0])


@needs_data
def test_lc101_becomes_shipments_named_by_their_pickup():
    instance = load_instance("lilim_100", "lc101")
    problem = to_problem(instance)
    shipments = {job.id: job for job in problem.jobs}
    assert len(shipments) == 53 and all(isinstance(job, Shipment) for job in problem.jobs)
    job = shipments["3"]
    assert isinstance(job, Shipment)
    assert (job.pickup, job.delivery, job.demand) == (3, 75, (10,))
    assert job.pickup_windows == ((65000, 146000),) and job.pickup_service_s == 90000
    delivery = instance.nodes[75]
    assert job.delivery_windows == ((1000 * int(delivery.ready), 1000 * int(delivery.due)),)
    assert job_nodes(instance)["3"] == (3, 75)


def _integer_schedule_fits(problem: Problem, routes: list[list[int]]) -> bool:
    """Simulate the integer model: the same rules as the solver must obey, on the scaled matrix."""
    windows = {}
    for job in problem.jobs:
        if isinstance(job, Visit):
            windows[job.location] = (job.windows[0], job.service_s)
        else:
            windows[job.pickup] = (job.pickup_windows[0], job.pickup_service_s)
            windows[job.delivery] = (job.delivery_windows[0], job.delivery_service_s)
    shift = problem.vehicles[0].shift
    for stops in routes:
        time, previous = shift[0], 0
        for node in stops:
            (earliest, latest), service = windows[node]
            time = max(time + problem.duration[previous][node], earliest)
            if time > latest:
                return False
            time, previous = time + service, node
        if time + problem.duration[previous][0] > shift[1]:
            return False
    return True


@needs_data
@pytest.mark.parametrize(
    ("suite", "name"), [("solomon_100", "C101"), ("solomon_100", "R101"), ("lilim_100", "lc101"), ("lilim_100", "lr101")]
)
def test_rounding_keeps_the_best_known_routes_in_the_integer_model(suite, name):
    routes = reference_routes(suite, name)
    assert routes is not None
    assert _integer_schedule_fits(to_problem(load_instance(suite, name)), routes)


def tiny_pdptw() -> Instance:
    nodes = (
        Node(0, 0, 0, 0, 0, 100, 0),
        Node(1, 1, 0, 5, 0, 100, 0, delivery=2),
        Node(2, 2, 0, -5, 0, 100, 0, pickup=1),
    )
    return Instance("tiny", "pdptw", 2, 10, nodes)


def test_solution_maps_back_to_node_ids_through_job_ids():
    instance = tiny_pdptw()
    solution = Solution(
        routes=[
            route("v0", step("1", "pickup", 1), step("lunch", "break", None), step("1", "delivery", 2)),
            route("v1"),
        ]
    )
    assert solution_routes(solution, instance) == [[1, 2]]
    wrong_place = Solution(routes=[route("v0", step("1", "pickup", 1), step("1", "delivery", 1))])
    with pytest.raises(ProblemError, match="expected 2"):
        solution_routes(wrong_place, instance)
    with pytest.raises(ProblemError, match="not a job"):
        solution_routes(Solution(routes=[route("v0", step("2", "pickup", 2))]), instance)
    with pytest.raises(ProblemError, match="not a job"):
        solution_routes(Solution(routes=[route("v0", step("1", "visit", 1))]), instance)


def test_visits_map_back_by_their_node_id():
    nodes = (Node(0, 0, 0, 0, 0, 100, 0), Node(1, 1, 0, 1, 0, 100, 0), Node(2, 2, 0, 1, 0, 100, 0))
    instance = Instance("line", "vrptw", 2, 10, nodes)
    solution = Solution(routes=[route("v0", step("2", "visit", 2)), route("v1", step("1", "visit", None))])
    assert solution_routes(solution, instance) == [[2], [1]]
    with pytest.raises(ProblemError, match="not a job"):
        solution_routes(Solution(routes=[route("v0", step("1", "pickup", 1))]), instance)
