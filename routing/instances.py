"""Realistic Almaty instances: a branch, readers at real street points, windows, deliveries and pickups.

Used by the tests, the benchmarks and the demo. A reader's point is a random position on a random
street edge within ``radius_m`` of the branch (as the crow flies), so every point lies on the map.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from routing.graph import StreetGraph
from routing.matrix import Matrices
from routing.matrix import MatrixEngine
from routing.model import Break
from routing.model import Problem
from routing.model import Shipment
from routing.model import Vehicle
from routing.snapping import EARTH_RADIUS_M
from routing.snapping import SnappedPoint
from routing.snapping import Snapper

HOUR = 3600
WINDOWS = {"morning": (10 * HOUR, 14 * HOUR), "afternoon": (14 * HOUR, 18 * HOUR), "day": (10 * HOUR, 18 * HOUR)}
DOOR_SERVICE_S = 600
"""Ten minutes at a reader's door: readers with limited mobility take time to open and sign."""
LOADING_S = 60
"""One minute per request to pick its bag from the shelf at the branch (or check returned books in)."""


@dataclass(frozen=True)
class AlmatyInstance:
    """A generated day: the problem, its points (index 0 is the branch) and the matrices."""

    problem: Problem
    points: list[SnappedPoint]
    matrices: Matrices


def branch_points(graph: StreetGraph, snapper: Snapper, count: int, seed: int) -> list[SnappedPoint]:
    """``count`` points of the central city (within 5 km of the graph's centre), for branches."""
    rng = random.Random(seed)
    centre = (float(np.median(graph.lat)), float(np.median(graph.lon)))
    return _points_near(graph, snapper, rng, centre, 5000.0, count)


def _points_near(
    graph: StreetGraph, snapper: Snapper, rng: random.Random, centre: tuple[float, float], radius_m: float, count: int
) -> list[SnappedPoint]:
    near = np.flatnonzero(_distance_m(graph.lat, graph.lon, centre) <= radius_m)
    edges = np.flatnonzero(np.isin(graph.tail, near))
    points: list[SnappedPoint] = []
    while len(points) < count:
        edge = int(edges[rng.randrange(len(edges))])
        start, end = int(graph.geometry_start[edge]), int(graph.geometry_start[edge + 1]) - 1
        share = rng.random()
        lat = graph.geometry_lat[start] + share * (graph.geometry_lat[end] - graph.geometry_lat[start])
        lon = graph.geometry_lon[start] + share * (graph.geometry_lon[end] - graph.geometry_lon[start])
        snapped = snapper.snap_all([(float(lat), float(lon))])[0]
        if isinstance(snapped, SnappedPoint):
            points.append(snapped)
    return points


def _distance_m(lat: np.ndarray, lon: np.ndarray, centre: tuple[float, float]) -> np.ndarray:
    dlat = np.radians(lat - centre[0])
    dlon = np.radians(lon - centre[1]) * math.cos(math.radians(centre[0]))
    return np.hypot(dlat, dlon) * EARTH_RADIUS_M


def almaty_day(
    graph: StreetGraph,
    *,
    readers: int,
    seed: int = 0,
    couriers: int | None = None,
    pickup_share: float = 0.3,
    radius_m: float = 6000.0,
    engine: MatrixEngine | None = None,
    snapper: Snapper | None = None,
) -> AlmatyInstance:
    """One branch's day: ``readers`` requests (deliveries and return pickups) and its couriers.

    Couriers work 09:00-18:00 with a 30-minute break starting between 13:00 and 14:00, carry 40 books
    or 15 kg, and cost a fixed hour of driving when used, so the plan prefers fewer of them.
    """
    if not 1 <= readers <= 2000:
        msg = f"readers must be between 1 and 2000, got {readers}"
        raise ValueError(msg)
    rng = random.Random(seed)
    snapper = snapper or Snapper(graph)
    engine = engine or MatrixEngine(graph)
    branch = branch_points(graph, snapper, 1, seed)[0]
    homes = _points_near(graph, snapper, rng, (branch.lat, branch.lon), radius_m, readers)
    points = [branch, *homes]
    matrices = engine.matrices(points)
    count = couriers or max(2, math.ceil(readers / 12))
    vehicles = tuple(
        Vehicle(
            id=f"courier-{k + 1}",
            start=0,
            end=0,
            shift=(9 * HOUR, 18 * HOUR),
            capacity=(40, 15000),
            fixed_cost=HOUR,
            breaks=(Break((13 * HOUR, 14 * HOUR), 1800),),
        )
        for k in range(count)
    )
    jobs = []
    opening = (9 * HOUR, 18 * HOUR)
    for i in range(1, readers + 1):
        books = rng.randint(1, 4)
        demand = (books, sum(rng.randint(250, 900) for _ in range(books)))
        window = (WINDOWS[rng.choice(["morning", "afternoon", "day", "day"])],)
        if rng.random() < pickup_share:
            jobs.append(Shipment(f"pickup-{i}", i, 0, demand, window, (opening,), DOOR_SERVICE_S, LOADING_S))
        else:
            jobs.append(Shipment(f"delivery-{i}", 0, i, demand, (opening,), window, LOADING_S, DOOR_SERVICE_S))
    duration = matrices.duration_s.tolist()
    problem = Problem(duration=duration, cost=duration, vehicles=vehicles, jobs=tuple(jobs), balance_coefficient=0)
    return AlmatyInstance(problem=problem, points=points, matrices=matrices)
