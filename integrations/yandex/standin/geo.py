"""Where points are and how far apart: reading ``[lon, lat]``, the zone served (Almaty) and route lengths."""

from __future__ import annotations

import itertools
import math
import typing as t

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from integrations.yandex.standin.wire import Json

#: ``(min_lon, min_lat, max_lon, max_lat)``.
Zone = tuple[float, float, float, float]
#: Roughly Almaty (lon 76.7-77.2, lat 43.1-43.4) with a margin: outside it Yandex answers ``unknown_zone``.
ALMATY_ZONE: Zone = (76.6, 43.0, 77.35, 43.5)


def coordinates(value: Json) -> tuple[float, float] | None:
    """``[lon, lat]`` as two finite numbers, or ``None``."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        return None
    return float(value[0]), float(value[1])


def in_zone(zone: Zone, lon_lat: tuple[float, float]) -> bool:
    """Whether the point is served; a swapped ``[lat, lon]`` in Almaty falls outside."""
    lon, lat = lon_lat
    min_lon, min_lat, max_lon, max_lat = zone
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def route_m(lon_lats: Iterable[tuple[float, float]]) -> float:
    """Length of the polyline through the points in metres, times 1.3 for streets not being straight."""
    points = list(lon_lats)
    return 1.3 * sum(_haversine_m(a, b) for a, b in itertools.pairwise(points))


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
