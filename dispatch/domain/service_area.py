"""The area we deliver to: a polygon read from GeoJSON, asked whether it holds a (lat, lon) point."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Point
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry
from shapely.prepared import prep


@dataclass(frozen=True)
class ServiceArea:
    """A named polygon (or several) in WGS 84; points are always (lat, lon) in degrees."""

    name: str
    geometry: BaseGeometry
    _prepared: PreparedGeometry

    @classmethod
    def from_geojson(cls, path: Path) -> ServiceArea:
        """Read a GeoJSON Feature, FeatureCollection or bare geometry; all polygons are joined."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data["features"] if data.get("type") == "FeatureCollection" else [data]
        geometries = [shape(f.get("geometry", f)) for f in features]
        if not geometries:
            msg = f"{path} holds no geometry"
            raise ValueError(msg)
        geometry = geometries[0]
        for extra in geometries[1:]:
            geometry = geometry.union(extra)
        props = features[0].get("properties") or {}
        return cls(name=str(props.get("name", Path(path).stem)), geometry=geometry, _prepared=prep(geometry))

    def contains(self, lat: float, lon: float) -> bool:
        """True when the point lies inside the area (or on its edge)."""
        return bool(self._prepared.covers(Point(lon, lat)))

    def bounds(self) -> tuple[float, float, float, float]:
        """(min_lat, min_lon, max_lat, max_lon) of the area."""
        min_lon, min_lat, max_lon, max_lat = self.geometry.bounds
        return (min_lat, min_lon, max_lat, max_lon)
