"""Snapping onto edges, matrices against a plain Dijkstra on the real map, legs, the Almaty day generator."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from routing.bench.matrix_bench import random_points
from routing.errors import SnapError
from routing.instances import almaty_day
from routing.matrix import MatrixEngine
from routing.matrix import dijkstra_matrices
from routing.snapping import Snapper
from routing.solver import solve
from tests.conftest import CENTRE


@pytest.fixture(scope="module")
def snapper(almaty_graph):
    return Snapper(almaty_graph)


@pytest.fixture(scope="module")
def engine(almaty_graph):
    return MatrixEngine(almaty_graph)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = math.radians(b[0] - a[0])
    dlon = math.radians(b[1] - a[1]) * math.cos(math.radians(a[0]))
    return math.hypot(dlat, dlon) * 6_371_000


def test_a_point_snaps_to_the_nearest_edge_not_the_nearest_node(snapper, almaty_graph):
    point = snapper.snap(*CENTRE)
    assert 0 <= point.fraction <= 1 and point.distance_m < 300
    assert abs(metres(CENTRE, (point.snapped_lat, point.snapped_lon)) - point.distance_m) < 2
    nearest_node = np.min([metres(CENTRE, (la, lo)) for la, lo in zip(almaty_graph.lat, almaty_graph.lon, strict=True)])
    assert point.distance_m <= nearest_node + 0.5


def test_points_off_the_map_or_far_from_roads_are_errors_with_reasons(snapper, almaty_graph):
    with pytest.raises(SnapError) as off_map:
        snapper.snap(42.0, 75.0)
    assert off_map.value.reason == "off_map"
    with pytest.raises(SnapError) as far:
        snapper.snap(43.45, 77.15)
    assert far.value.reason == "far_from_road" and far.value.distance_m > 300
    assert Snapper(almaty_graph, max_distance_m=2000).snap(43.45, 77.15).distance_m > 300
    with pytest.raises(SnapError):
        snapper.snap(float("nan"), 76.9)
    results = snapper.snap_all([CENTRE, (42.0, 75.0)])
    assert not isinstance(results[0], SnapError) and isinstance(results[1], SnapError) and results[1].index == 1


def test_matrices_equal_a_plain_dijkstra_on_the_real_map(almaty_graph, snapper, engine):
    points = random_points(snapper, 40, seed=11)
    fast = engine.matrices(points)
    reference = dijkstra_matrices(almaty_graph, points, engine.reverse_edges)
    assert np.array_equal(fast.duration_s, reference.duration_s)
    assert np.array_equal(fast.distance_m, reference.distance_m)
    assert (np.diag(fast.duration_s) == 0).all() and (fast.duration_s[~np.eye(40, dtype=bool)] > 0).all()


def test_node_to_node_times_are_shortest_paths(almaty_graph, engine):
    # Points exactly at edge tails: the matrix must equal SciPy's node-to-node shortest times.
    g = almaty_graph
    from routing.snapping import SnappedPoint

    edges = [0, 500, 5000, 12000]
    points = [SnappedPoint(0, 0, e, 0.0, 0.0, float(g.lat[g.tail[e]]), float(g.lon[g.tail[e]])) for e in edges]
    graph = csr_matrix((g.travel_ds.astype(float), (g.tail, g.head)), shape=(g.node_count, g.node_count))
    nodes = [int(g.tail[e]) for e in edges]
    expected = dijkstra(graph, indices=nodes)[:, nodes]
    assert np.array_equal(engine.matrices(points).duration_s, np.ceil(expected / 10).astype(int))


def test_a_leg_follows_the_streets_and_matches_the_matrix(snapper, engine):
    a, b = snapper.snap(43.2389, 76.9455), snapper.snap(43.2560, 76.9280)
    leg = engine.leg(a, b)
    matrix = engine.matrices([a, b])
    assert leg.duration_s == matrix.duration_s[0, 1]
    assert metres(leg.polyline[0], (a.snapped_lat, a.snapped_lon)) < 5
    assert metres(leg.polyline[-1], (b.snapped_lat, b.snapped_lon)) < 5
    along = sum(metres(p, q) for p, q in zip(leg.polyline, leg.polyline[1:], strict=False))
    assert abs(along - leg.distance_m) < 0.03 * leg.distance_m + 20
    assert leg.distance_m >= matrix.distance_m[0, 1] - 1


def test_the_almaty_day_generator_makes_a_plannable_day(almaty_graph, snapper, engine):
    day = almaty_day(almaty_graph, readers=20, seed=3, snapper=snapper, engine=engine)
    assert len(day.problem.jobs) == 20 and len(day.points) == 21
    kinds = {job.id.split("-")[0] for job in day.problem.jobs}
    assert kinds == {"delivery", "pickup"}
    branch = (day.points[0].lat, day.points[0].lon)
    assert all(metres(branch, (p.lat, p.lon)) < 6500 for p in day.points)
    solution = solve(day.problem, time_limit_s=60, solution_limit=50)
    assert solution.unassigned == []
    for route in solution.routes:
        assert any(step.kind == "break" for step in route.steps)
        assert route.start_s >= 9 * 3600 and route.end_s <= 18 * 3600
