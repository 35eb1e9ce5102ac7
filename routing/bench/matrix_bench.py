"""Matrix benchmark: the CCH engine against SciPy's Dijkstra from every point, on the Almaty map."""

from __future__ import annotations

import os
import random
import resource
import time
import typing as t
from pathlib import Path

import numpy as np

from routing.graph import load_graph
from routing.matrix import MatrixEngine
from routing.matrix import dijkstra_matrices
from routing.snapping import SnappedPoint
from routing.snapping import Snapper

DEFAULT_OSM = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "osm" / "almaty-2012.osm.pbf"
CITY_BOX = (43.18, 76.82, 43.36, 77.02)
"""(min_lat, min_lon, max_lat, max_lon) where random points are drawn: Almaty's built-up area."""


def osm_path() -> Path:
    """``ROUTING_OSM_PATH`` or ``DISPATCH_OSM_PATH``, else the shared Almaty extract."""
    configured = os.environ.get("ROUTING_OSM_PATH") or os.environ.get("DISPATCH_OSM_PATH")
    return Path(configured) if configured else DEFAULT_OSM


def random_points(snapper: Snapper, n: int, seed: int) -> list[SnappedPoint]:
    """``n`` points drawn uniformly in the city box that lie within the snapping distance of a street."""
    rng = random.Random(seed)
    points: list[SnappedPoint] = []
    while len(points) < n:
        lat, lon = rng.uniform(CITY_BOX[0], CITY_BOX[2]), rng.uniform(CITY_BOX[1], CITY_BOX[3])
        result = snapper.snap_all([(lat, lon)])[0]
        if isinstance(result, SnappedPoint):
            points.append(result)
    return points


def run_matrix_benchmark(n: int, seed: int = 0) -> dict[str, t.Any]:
    """Time both engines on ``n`` random points, check they agree, print and return the figures."""
    started = time.perf_counter()
    graph = load_graph(osm_path())
    load_s = time.perf_counter() - started
    points = random_points(Snapper(graph), n, seed)
    engine = MatrixEngine(graph)
    started = time.perf_counter()
    engine.warm_up()
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    fast = engine.matrices(points)
    cch_s = time.perf_counter() - started
    started = time.perf_counter()
    reference = dijkstra_matrices(graph, points, engine.reverse_edges)
    scipy_s = time.perf_counter() - started
    figures = {
        "points": n,
        "graph_nodes": graph.node_count,
        "graph_edges": graph.edge_count,
        "graph_load_s": round(load_s, 4),
        "cch_build_s": round(build_s, 4),
        "cch_matrix_s": round(cch_s, 4),
        "scipy_dijkstra_s": round(scipy_s, 4),
        "speedup": round(scipy_s / cch_s, 2),
        "max_diff_duration_s": int(np.abs(fast.duration_s - reference.duration_s).max()),
        "max_diff_distance_m": int(np.abs(fast.distance_m - reference.distance_m).max()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"Matrix {n} x {n} on {graph.node_count} nodes / {graph.edge_count} edges (time and distance, both engines)")
    print(f"  graph load (cache)      {figures['graph_load_s']:8.3f} s")
    print(f"  CCH build (once)        {figures['cch_build_s']:8.3f} s")
    print(f"  CCH matrices            {figures['cch_matrix_s']:8.3f} s")
    print(f"  SciPy Dijkstra matrices {figures['scipy_dijkstra_s']:8.3f} s")
    print(f"  speed-up                {figures['speedup']:8.2f} x")
    print(f"  max difference          {figures['max_diff_duration_s']} s, {figures['max_diff_distance_m']} m")
    print(f"  peak memory             {figures['peak_rss_mb']:8.1f} MB")
    return figures
