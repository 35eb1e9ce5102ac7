"""Snap (lat, lon) points onto the nearest drivable edge, saying how far they were from it."""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from shapely import LineString
from shapely import STRtree

from routing.errors import SnapError

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from routing.graph import StreetGraph

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_MAX_SNAP_M = 300.0


@dataclass(frozen=True)
class SnappedPoint:
    """A point placed on the graph: on ``edge`` at ``fraction`` of its length from the edge's tail."""

    lat: float
    lon: float
    edge: int
    fraction: float
    distance_m: float
    snapped_lat: float
    snapped_lon: float


class Snapper:
    """Finds the nearest edge of a :class:`StreetGraph` for points, in a local metric projection."""

    def __init__(self, graph: StreetGraph, *, max_distance_m: float = DEFAULT_MAX_SNAP_M) -> None:
        if max_distance_m <= 0:
            msg = f"max_distance_m must be positive, got {max_distance_m}"
            raise ValueError(msg)
        self.graph = graph
        self.max_distance_m = max_distance_m
        self._lat0 = float(np.mean(graph.lat))
        self._lon0 = float(np.mean(graph.lon))

    def _xy(self, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scale = math.pi / 180 * EARTH_RADIUS_M
        return (lon - self._lon0) * math.cos(math.radians(self._lat0)) * scale, (lat - self._lat0) * scale

    def _latlon(self, x: float, y: float) -> tuple[float, float]:
        scale = math.pi / 180 * EARTH_RADIUS_M
        return y / scale + self._lat0, x / (math.cos(math.radians(self._lat0)) * scale) + self._lon0

    @cached_property
    def _lines(self) -> list[LineString]:
        g = self.graph
        x, y = self._xy(g.geometry_lat, g.geometry_lon)
        return [
            LineString(
                np.column_stack(
                    (x[g.geometry_start[k] : g.geometry_start[k + 1]], y[g.geometry_start[k] : g.geometry_start[k + 1]])
                )
            )
            for k in range(g.edge_count)
        ]

    @cached_property
    def _tree(self) -> STRtree:
        return STRtree(self._lines)

    @cached_property
    def _area(self) -> shapely.Geometry:
        x, y = self._xy(self.graph.lat, self.graph.lon)
        return shapely.MultiPoint(np.column_stack((x, y))).convex_hull.buffer(self.max_distance_m)

    def snap(self, lat: float, lon: float, *, index: int | None = None) -> SnappedPoint:
        """The point on the nearest edge.

        Raises
        ------
        SnapError
            ``reason`` is ``off_map`` (outside the graph's area or not a coordinate) or ``far_from_road``
            (farther than ``max_distance_m`` from any drivable edge).
        """
        label = f"point {index} " if index is not None else "point "
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            msg = f"{label}({lat}, {lon}) is not a coordinate"
            raise SnapError(msg, reason="off_map", index=index)
        x, y = self._xy(np.array([lat]), np.array([lon]))
        point = shapely.Point(float(x[0]), float(y[0]))
        if not self._area.covers(point):
            msg = f"{label}({lat:.6f}, {lon:.6f}) is outside the street map"
            raise SnapError(msg, reason="off_map", index=index)
        nearest, distances = self._tree.query_nearest(point, return_distance=True)
        edge = int(min(nearest))  # ties (a two-way street's two edges) resolved the same way every time
        distance_m = float(distances[0])
        if distance_m > self.max_distance_m:
            msg = f"{label}({lat:.6f}, {lon:.6f}) is {distance_m:.0f} m from the nearest drivable street (limit {self.max_distance_m:.0f} m)"
            raise SnapError(msg, reason="far_from_road", index=index, distance_m=distance_m)
        line = self._lines[edge]
        along = line.project(point)
        fraction = float(along / line.length) if line.length > 0 else 0.0
        on_line = line.interpolate(along)
        snapped_lat, snapped_lon = self._latlon(on_line.x, on_line.y)
        return SnappedPoint(lat, lon, edge, min(1.0, max(0.0, fraction)), distance_m, snapped_lat, snapped_lon)

    def snap_all(self, points: Sequence[tuple[float, float]]) -> list[SnappedPoint | SnapError]:
        """Snap every (lat, lon); a point that cannot be snapped gives its :class:`SnapError` in its place."""
        results: list[SnappedPoint | SnapError] = []
        for i, (lat, lon) in enumerate(points):
            try:
                results.append(self.snap(lat, lon, index=i))
            except SnapError as e:
                results.append(e)
        return results
