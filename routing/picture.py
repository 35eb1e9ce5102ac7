"""Draw routes over the street network as a PNG, so a dispatcher can see a plan at a glance.

The picture zooms on the routes: only the streets near them are drawn, in light grey, under each
route's path in its own colour, its stops as numbered circles (1..n in route order) and its depot as a
square. Longitude is stretched by 1 / cos(latitude) so that a kilometre is as long east-west as it is
north-south. Matplotlib's ``Figure`` is used directly with the Agg canvas, never ``pyplot``, so no
figure is registered in global state and nothing is left open after saving.
"""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from routing.errors import RoutingError

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes

    from routing.graph import StreetGraph

ATTRIBUTION = "© OpenStreetMap contributors"
"""The street data's licence (ODbL) asks for this credit on every map drawn from it."""

STREET_COLOUR = "#cccccc"
MARGIN_FRACTION = 0.08
"""Space around the routes, as a fraction of their extent on each side."""
MIN_MARGIN_DEG = 0.003
"""At least this much space around them (degrees of latitude, about 330 m), so a one-stop route has streets."""
MIN_SIZE_PX = 200

_FIGURE_IN = 8.0  # always 8 inches square; the dpi makes it size_px, so text and lines keep their proportions


@dataclass(frozen=True)
class RouteDrawing:
    """One route to draw; every point is (lat, lon) in degrees.

    ``polyline`` is the street path driven, ``stops`` the stops in route order (numbered 1..n on the
    picture), ``depot`` where the route starts and ends.
    """

    label: str
    polyline: tuple[tuple[float, float], ...]
    stops: tuple[tuple[float, float], ...]
    depot: tuple[float, float]


def route_colours(count: int) -> list[str]:
    """The colour of each of ``count`` routes as ``#rrggbb``: tab10, or tab20 past ten routes (then repeating)."""
    cmap = colormaps["tab10" if count <= 10 else "tab20"]
    return [to_hex(cmap(i % cmap.N)) for i in range(count)]


def draw_routes(
    graph: StreetGraph,
    routes: Sequence[RouteDrawing],
    *,
    path: Path,
    title: str = "",
    size_px: int = 1600,
) -> Path:
    """Draw ``routes`` on the streets of ``graph`` and save a square PNG of ``size_px`` pixels.

    Parameters
    ----------
    graph
        The street graph whose edge polylines form the background.
    routes
        The routes, each drawn in its own colour and named in the legend by its ``label``.
    path
        Where to write the PNG; missing parent folders are created.
    title
        Written in the top-left corner, if given.
    size_px
        Width and height of the picture in pixels.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RoutingError
        No routes, a picture smaller than ``MIN_SIZE_PX``, or a point that is not a (lat, lon) in degrees.
    """
    _validate(routes, size_px)
    west, east, south, north = _view(routes)
    figure = Figure(figsize=(_FIGURE_IN, _FIGURE_IN), dpi=size_px / _FIGURE_IN, facecolor="white")
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    streets = LineCollection(_streets_in(graph, west, east, south, north), colors=STREET_COLOUR, linewidths=0.5, zorder=1)
    ax.add_collection(streets)
    for route, colour in zip(routes, route_colours(len(routes)), strict=True):
        _draw_route(ax, route, colour)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    corner: dict[str, t.Any] = {
        "transform": ax.transAxes,
        "zorder": 10,
        "bbox": {"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 2},
    }
    if title:
        ax.text(0.01, 0.99, title, ha="left", va="top", fontsize=11, fontweight="bold", **corner)
    ax.text(0.995, 0.005, ATTRIBUTION, ha="right", va="bottom", fontsize=6, color="#444444", **corner)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", facecolor="white")
    return path


def _validate(routes: Sequence[RouteDrawing], size_px: int) -> None:
    """Refuse what would give an empty or unreadable picture, before any drawing."""
    if not routes:
        msg = "no routes to draw"
        raise RoutingError(msg)
    if size_px < MIN_SIZE_PX:
        msg = f"size_px must be at least {MIN_SIZE_PX}, got {size_px}"
        raise RoutingError(msg)
    for route in routes:
        for lat, lon in (*route.polyline, *route.stops, route.depot):
            if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
                msg = f"route {route.label!r} has a point that is not (lat, lon) in degrees: ({lat}, {lon})"
                raise RoutingError(msg)


def _view(routes: Sequence[RouteDrawing]) -> tuple[float, float, float, float]:
    """(west, east, south, north): every point plus a margin, widened to a square on the ground."""
    points = [p for route in routes for p in (*route.polyline, *route.stops, route.depot)]
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    squash = math.cos(math.radians(mid_lat))  # degrees of longitude to degrees of latitude, on the ground
    half = max(max(lats) - min(lats), (max(lons) - min(lons)) * squash) / 2
    half = half * (1 + 2 * MARGIN_FRACTION) + MIN_MARGIN_DEG
    return mid_lon - half / squash, mid_lon + half / squash, mid_lat - half, mid_lat + half


def _streets_in(graph: StreetGraph, west: float, east: float, south: float, north: float) -> list[np.ndarray]:
    """The polyline of every edge whose bounding box meets the view, each as an (m, 2) array of (lon, lat)."""
    if graph.edge_count == 0:
        return []
    starts, ends = graph.geometry_start[:-1], graph.geometry_start[1:]
    lat_lo = np.minimum.reduceat(graph.geometry_lat, starts)
    lat_hi = np.maximum.reduceat(graph.geometry_lat, starts)
    lon_lo = np.minimum.reduceat(graph.geometry_lon, starts)
    lon_hi = np.maximum.reduceat(graph.geometry_lon, starts)
    near = np.flatnonzero((lat_hi >= south) & (lat_lo <= north) & (lon_hi >= west) & (lon_lo <= east))
    xy = np.column_stack((graph.geometry_lon, graph.geometry_lat))
    return [xy[starts[k] : ends[k]] for k in near]


def _draw_route(ax: Axes, route: RouteDrawing, colour: str) -> None:
    """The path, the numbered stops and the depot of one route, all in ``colour``."""
    ax.plot(
        [p[1] for p in route.polyline],
        [p[0] for p in route.polyline],
        color=colour,
        linewidth=2.2,
        alpha=0.9,
        solid_capstyle="round",
        solid_joinstyle="round",
        zorder=3,
        label=route.label,
    )
    for number, (lat, lon) in enumerate(route.stops, start=1):
        ax.plot(lon, lat, marker="o", markersize=12, markerfacecolor=colour, markeredgecolor="white", markeredgewidth=1, zorder=5)
        ax.text(lon, lat, str(number), ha="center", va="center", fontsize=6.5, fontweight="bold", color="white", zorder=6)
    ax.plot(
        route.depot[1],
        route.depot[0],
        marker="s",
        markersize=11,
        markerfacecolor="black",
        markeredgecolor=colour,
        markeredgewidth=2,
        zorder=7,
    )
