"""Travel-time and distance matrices between snapped points, and the street path of one leg.

The engine is a Customizable Contraction Hierarchy (RoutingKit's CCH via ``routingkit-cch``) built
once per graph; :func:`dijkstra_matrices` computes the same matrices with SciPy's Dijkstra from every
point, as the reference the benchmark and the tests compare against. Both work on the same integer
edge weights (deciseconds, decimetres) and the same offsets for points part-way along an edge, so
their results are identical.

Shapes: for ``n`` points, each matrix is ``(n, n)``; ``[i, j]`` is from point ``i`` to point ``j``.
``duration_s`` is the fastest travel time, rounded up to whole seconds; ``distance_m`` is the shortest
street distance, rounded to whole metres (the length actually driven on a route is measured on its
legs by :meth:`MatrixEngine.leg`).
"""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import routingkit_cch as rk
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from routing.graph import StreetGraph
    from routing.snapping import SnappedPoint

Entry = tuple[int, int]
"""(graph node, integer cost already spent to reach it from the point, or still to go to the point)."""


@dataclass(frozen=True)
class Matrices:
    """Square integer matrices: ``duration_s`` (seconds, rounded up) and ``distance_m`` (metres)."""

    duration_s: np.ndarray
    distance_m: np.ndarray


@dataclass(frozen=True)
class Leg:
    """The street path between two points: its polyline (lat, lon), length and travel time."""

    polyline: list[tuple[float, float]]
    distance_m: int
    duration_s: int


class _Access:
    """How points join the graph: the nodes they leave by and arrive through, with partial-edge costs."""

    def __init__(self, graph: StreetGraph, points: Sequence[SnappedPoint], weights: np.ndarray, reverse: dict[int, int]) -> None:
        self.depart: list[list[Entry]] = []
        self.arrive: list[list[Entry]] = []
        self.positions: list[list[tuple[int, float]]] = []
        for point in points:
            edge, f = point.edge, point.fraction
            tail, head, w = int(graph.tail[edge]), int(graph.head[edge]), int(weights[edge])
            depart = [(head, _part(1 - f, w))]
            arrive = [(tail, _part(f, w))]
            positions = [(edge, f)]
            back = reverse.get(edge)
            if back is not None:
                wb = int(weights[back])
                depart.append((tail, _part(f, wb)))
                arrive.append((head, _part(1 - f, wb)))
                positions.append((back, 1 - f))
            self.depart.append(depart)
            self.arrive.append(arrive)
            self.positions.append(positions)


def _part(fraction: float, weight: int) -> int:
    """Integer cost of ``fraction`` of an edge of ``weight``, rounded up (never optimistic)."""
    return math.ceil(round(fraction * weight, 6))


class MatrixEngine:
    """Many-to-many matrices on one graph; the CCH is built on first use and reused afterwards."""

    def __init__(self, graph: StreetGraph) -> None:
        self.graph = graph

    @cached_property
    def reverse_edges(self) -> dict[int, int]:
        """Edge -> the opposite edge of the same street (two-way streets), matched by length within 1 %."""
        g = self.graph
        by_pair = {(int(u), int(v)): k for k, (u, v) in enumerate(zip(g.tail, g.head, strict=True))}
        reverse = {}
        for k, (u, v) in enumerate(zip(g.tail.tolist(), g.head.tolist(), strict=True)):
            back = by_pair.get((v, u))
            if back is not None and abs(int(g.length_dm[back]) - int(g.length_dm[k])) <= 0.01 * int(g.length_dm[k]) + 10:
                reverse[k] = back
        return reverse

    @cached_property
    def _cch(self) -> rk.CCH:
        g = self.graph
        tail, head = g.tail.tolist(), g.head.tolist()
        order = rk.compute_order_inertial(g.node_count, tail, head, g.lat.tolist(), g.lon.tolist())
        return rk.CCH(order, tail, head, False)

    @cached_property
    def _metrics(self) -> dict[str, rk.CCHMetric]:
        return {
            "time": rk.CCHMetric(self._cch, self.graph.travel_ds.tolist()),
            "length": rk.CCHMetric(self._cch, self.graph.length_dm.tolist()),
        }

    def warm_up(self) -> None:
        """Build the hierarchy and both metrics now rather than on the first query."""
        _ = self._metrics, self.reverse_edges

    def matrices(self, points: Sequence[SnappedPoint]) -> Matrices:
        """Travel time and street distance between every pair of ``points`` (diagonal zero)."""
        time_ds = self._matrix(points, "time", self.graph.travel_ds)
        length_dm = self._matrix(points, "length", self.graph.length_dm)
        return Matrices(duration_s=_seconds(time_ds), distance_m=_metres(length_dm))

    def _matrix(self, points: Sequence[SnappedPoint], metric: str, weights: np.ndarray) -> np.ndarray:
        access = _Access(self.graph, points, weights, self.reverse_edges)
        targets = sorted({node for entries in access.arrive for node, _ in entries})
        column = {node: c for c, node in enumerate(targets)}
        one_to_many = rk.CCHOneToMany(self._metrics[metric], targets)
        unreachable = np.iinfo(np.int64).max // 4
        to_nodes = np.empty((len(points), len(targets)), dtype=np.int64)
        for i, entries in enumerate(access.depart):
            row = one_to_many.distances_from_multi(entries)
            try:
                to_nodes[i] = row  # type: ignore[assignment]  # a None raises, handled below
            except TypeError:  # None marks an unreachable node (not in a strongly connected graph)
                to_nodes[i] = [unreachable if d is None else d for d in row]
        return _finish(to_nodes, column, access, weights)

    def leg(self, origin: SnappedPoint, destination: SnappedPoint) -> Leg:
        """The fastest street path from ``origin`` to ``destination`` with its polyline."""
        g = self.graph
        access = _Access(g, [origin, destination], g.travel_ds, self.reverse_edges)
        direct = _direct(access, 0, 1, g.travel_ds)
        query = rk.CCHQuery(self._metrics["time"])
        result = query.run_multi(access.depart[0], access.arrive[1])
        if direct is not None and (result.distance is None or direct[0] <= result.distance):
            edge = direct[1]
            start, end = _position_on(access, 0, edge), _position_on(access, 1, edge)
            polyline = _cut(g.edge_polyline(edge), start, end)
            return Leg(polyline, _metres_scalar(round((end - start) * int(g.length_dm[edge]))), _seconds_scalar(direct[0]))
        if result.distance is None:
            msg = "no street path between the two points"
            raise ValueError(msg)
        arcs = list(result.arc_path)
        first_edge = _edge_from(g, origin, arcs[0] if arcs else None, self.reverse_edges, leaving=True)
        last_edge = _edge_from(g, destination, arcs[-1] if arcs else None, self.reverse_edges, leaving=False)
        f0 = _position_on(access, 0, first_edge)
        f1 = _position_on(access, 1, last_edge)
        polyline = _cut(g.edge_polyline(first_edge), f0, 1.0)
        length_dm = (1 - f0) * int(g.length_dm[first_edge]) + f1 * int(g.length_dm[last_edge])
        for arc in arcs:
            polyline.extend(g.edge_polyline(arc)[1:])
            length_dm += int(g.length_dm[arc])
        polyline.extend(_cut(g.edge_polyline(last_edge), 0.0, f1)[1:])
        return Leg(polyline, _metres_scalar(round(length_dm)), _seconds_scalar(int(result.distance)))


def dijkstra_matrices(graph: StreetGraph, points: Sequence[SnappedPoint], reverse: dict[int, int]) -> Matrices:
    """The same matrices as :meth:`MatrixEngine.matrices`, by SciPy's Dijkstra from every point (the reference)."""
    results = []
    for weights in (graph.travel_ds, graph.length_dm):
        access = _Access(graph, points, weights, reverse)
        csgraph = csr_matrix((weights.astype(np.float64), (graph.tail, graph.head)), shape=(graph.node_count, graph.node_count))
        sources = sorted({node for entries in access.depart for node, _ in entries})
        tree = dijkstra(csgraph, directed=True, indices=sources)
        row_of = {node: r for r, node in enumerate(sources)}
        targets = sorted({node for entries in access.arrive for node, _ in entries})
        column = {node: c for c, node in enumerate(targets)}
        from_sources = tree[:, targets]
        to_nodes = np.empty((len(points), len(targets)), dtype=np.float64)
        for i, entries in enumerate(access.depart):
            to_nodes[i] = np.min([from_sources[row_of[node]] + offset for node, offset in entries], axis=0)
        unreachable = np.iinfo(np.int64).max // 4
        results.append(_finish(np.where(np.isfinite(to_nodes), to_nodes, unreachable).astype(np.int64), column, access, weights))
    return Matrices(duration_s=_seconds(results[0]), distance_m=_metres(results[1]))


def _finish(to_nodes: np.ndarray, column: dict[int, int], access: _Access, weights: np.ndarray) -> np.ndarray:
    """From costs to target nodes, costs to the target points: add arrival offsets, same-edge shortcuts, zero diagonal."""
    n = len(access.arrive)
    result = np.full((to_nodes.shape[0], n), np.iinfo(np.int64).max // 4, dtype=np.int64)
    for j, entries in enumerate(access.arrive):
        for node, offset in entries:
            np.minimum(result[:, j], to_nodes[:, column[node]] + offset, out=result[:, j])
    on_edge: dict[int, list[tuple[int, float]]] = {}
    for j, positions in enumerate(access.positions):
        for edge, f in positions:
            on_edge.setdefault(edge, []).append((j, f))
    for i in range(n):
        direct: dict[int, int] = {}
        for edge, f in access.positions[i]:
            for j, g in on_edge.get(edge, ()):
                if g >= f and j != i:
                    cost = _part(g - f, int(weights[edge]))
                    direct[j] = min(direct.get(j, cost), cost)
        for j, cost in direct.items():
            result[i, j] = min(result[i, j], cost)
        result[i, i] = 0
    return result


def _direct(access: _Access, i: int, j: int, weights: np.ndarray) -> tuple[int, int] | None:
    """(cost, edge) of going from point ``i`` to point ``j`` along one shared edge, if they share one."""
    best: tuple[int, int] | None = None
    for edge, f in access.positions[i]:
        for other, g in access.positions[j]:
            if other == edge and g >= f:
                cost = _part(g - f, int(weights[edge]))
                if best is None or cost < best[0]:
                    best = (cost, edge)
    return best


def _position_on(access: _Access, i: int, edge: int) -> float:
    for candidate, f in access.positions[i]:
        if candidate == edge:
            return f
    msg = f"point {i} does not lie on edge {edge}"
    raise ValueError(msg)


def _edge_from(graph: StreetGraph, point: SnappedPoint, arc: int | None, reverse: dict[int, int], *, leaving: bool) -> int:
    """Which of the point's (one or two) edges the path uses: the one meeting ``arc`` at the right node."""
    candidates = [point.edge] + ([reverse[point.edge]] if point.edge in reverse else [])
    for edge in candidates:
        if arc is None:
            return edge
        if leaving and int(graph.head[edge]) == int(graph.tail[arc]):
            return edge
        if not leaving and int(graph.tail[edge]) == int(graph.head[arc]):
            return edge
    return candidates[0]


def _cut(polyline: list[tuple[float, float]], start: float, end: float) -> list[tuple[float, float]]:
    """The part of ``polyline`` between fractions ``start`` and ``end`` of its length (planar approximation)."""
    if len(polyline) < 2:
        return list(polyline)
    points = np.array(polyline)
    steps = np.hypot(np.diff(points[:, 0]), np.diff(points[:, 1]) * math.cos(math.radians(points[0, 0])))
    cumulative = np.concatenate(([0.0], np.cumsum(steps)))
    total = cumulative[-1] or 1.0

    def at(fraction: float) -> tuple[float, float]:
        target = fraction * total
        k = int(np.clip(np.searchsorted(cumulative, target) - 1, 0, len(steps) - 1))
        share = 0.0 if steps[k] == 0 else (target - cumulative[k]) / steps[k]
        lat = points[k, 0] + share * (points[k + 1, 0] - points[k, 0])
        lon = points[k, 1] + share * (points[k + 1, 1] - points[k, 1])
        return (float(lat), float(lon))

    inner = [tuple(p) for p, c in zip(points.tolist(), cumulative, strict=True) if start * total < c < end * total]
    return [at(start), *[(float(a), float(b)) for a, b in inner], at(end)]


def _seconds(deciseconds: np.ndarray) -> np.ndarray:
    return np.asarray(-(-deciseconds // 10), dtype=np.int64)


def _metres(decimetres: np.ndarray) -> np.ndarray:
    return np.asarray((decimetres + 5) // 10, dtype=np.int64)


def _seconds_scalar(deciseconds: int) -> int:
    return -(-deciseconds // 10)


def _metres_scalar(decimetres: int) -> int:
    return (decimetres + 5) // 10
