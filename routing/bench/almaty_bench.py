"""Almaty day benchmark: one branch's generated day planned end to end, ours beside the usual setup."""

from __future__ import annotations

import itertools
import resource
import time
import typing as t

from routing.bench.matrix_bench import osm_path
from routing.graph import load_graph
from routing.instances import almaty_day
from routing.matrix import MatrixEngine
from routing.model import Solution
from routing.snapping import Snapper
from routing.solver import solve


def run_almaty_benchmark(readers: int, *, time_limit_s: float, seed: int = 0, workers: int = 2) -> dict[str, t.Any]:
    """Plan a ``readers``-request day (matrix + solve) with our portfolio and with the usual setup.

    The usual setup is OR-Tools' PATH_CHEAPEST_ARC first solution with guided local search on one
    core, the configuration most examples use; both get the same time limit.
    """
    graph = load_graph(osm_path())
    snapper, engine = Snapper(graph), MatrixEngine(graph)
    engine.warm_up()
    started = time.perf_counter()
    day = almaty_day(graph, readers=readers, seed=seed, snapper=snapper, engine=engine)
    matrix_s = time.perf_counter() - started
    ours = solve(day.problem, time_limit_s=time_limit_s, seed=seed, workers=workers)
    usual = solve(day.problem, time_limit_s=time_limit_s, seed=seed, workers=1, strategies=["usual"], reduce_vehicles=False)
    distance = day.matrices.distance_m
    ours_figures = _summary(ours, distance, matrix_s)
    usual_figures = _summary(usual, distance, matrix_s)
    figures: dict[str, t.Any] = {
        "readers": readers,
        "couriers_available": len(day.problem.vehicles),
        "matrix_s": round(matrix_s, 3),
        "time_limit_s": time_limit_s,
        "ours": ours_figures,
        "usual": usual_figures,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"Almaty day: {readers} requests for one branch, {len(day.problem.vehicles)} couriers available, {time_limit_s:g} s")
    print(f"  matrix ({readers + 1} points, snapping included) {matrix_s:.3f} s")
    print(f"  {'':24}{'ours':>12}{'usual':>12}")
    for key, label in [
        ("total_s", "matrix + solve, s"),
        ("couriers", "couriers used"),
        ("unassigned", "requests left out"),
        ("drive_hours", "driving, hours"),
        ("distance_km", "distance, km"),
        ("longest_day_h", "longest day, hours"),
        ("shortest_day_h", "shortest day, hours"),
    ]:
        print(f"  {label:24}{ours_figures[key]:>12}{usual_figures[key]:>12}")
    print(f"  peak memory {figures['peak_rss_mb']} MB")
    return figures


def _summary(solution: Solution, distance: t.Any, matrix_s: float) -> dict[str, t.Any]:
    km = 0.0
    for route in solution.routes:
        stops = [0] + [step.location for step in route.steps if step.location is not None] + [0]
        km += sum(int(distance[a][b]) for a, b in itertools.pairwise(stops)) / 1000
    days = [route.duration_s / 3600 for route in solution.routes] or [0.0]
    return {
        "total_s": round(matrix_s + solution.seconds, 2),
        "couriers": solution.vehicles_used,
        "unassigned": len(solution.unassigned),
        # cost = travel seconds + one hour of fixed cost per courier used (see routing.instances)
        "drive_hours": round((solution.cost - 3600 * solution.vehicles_used) / 3600, 2),
        "distance_km": round(km, 1),
        "longest_day_h": round(max(days), 2),
        "shortest_day_h": round(min(days), 2),
        "strategy": solution.strategy,
    }
