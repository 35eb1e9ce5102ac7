"""Real places from the OpenStreetMap extract: points on named drivable streets and addressed buildings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import osmium

DRIVABLE = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "motorway_link",
        "trunk_link",
        "primary_link",
        "secondary_link",
        "tertiary_link",
    }
)
_PREFIXES = (
    (re.compile(r"^(улица|ул\.|ул\s)\s*", re.I), "ул."),
    (re.compile(r"^(проспект|пр-т|пр\.)\s*", re.I), "пр."),
    (re.compile(r"^(микрорайон|мкр\.?|мкн\.?)\s*(№\s*)?", re.I), "мкр."),
    (re.compile(r"^(переулок|пер\.)\s*", re.I), "пер."),
)
_SUFFIXES = (
    (re.compile(r"\s+(прс\.?|пр\.|проспект|даңғылы)$", re.I), "пр."),
    (re.compile(r"\s+(ул\.?|улица|көшесі)$", re.I), "ул."),
)
_KEEP_AS_IS = re.compile(r"тракт|шоссе|дорога|бульвар", re.I)
_NOT_A_STREET = re.compile(r"переход|^проезд$|^на\s", re.I)
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүІі]")


def clean_street(name: str) -> str | None:
    """A tidy street name (``ул. Толе би``) from an OSM ``name``, or ``None`` when it is not a street."""
    first = name.split(";")[0].strip()
    if len(first) < 4 or _NOT_A_STREET.search(first) or not _CYRILLIC.search(first):
        return None
    for pattern, kind in _PREFIXES:
        match = pattern.match(first)
        if match:
            rest = first[match.end() :].strip()
            return f"{kind} {rest}" if rest else None
    for pattern, kind in _SUFFIXES:
        match = pattern.search(first)
        if match:
            return f"{kind} {first[: match.start()].strip()}"
    if _KEEP_AS_IS.search(first):
        return first
    return f"ул. {first}"


@dataclass(frozen=True)
class Place:
    """A point (lat, lon in degrees) with the street address a person would write."""

    lat: float
    lon: float
    street: str
    house: str | None = None

    @property
    def address(self) -> str:
        """``ул. Абая, 12`` style address."""
        return f"{self.street}, {self.house}" if self.house else self.street


class _Collector(osmium.SimpleHandler):
    def __init__(self) -> None:
        super().__init__()
        self.street_points: list[Place] = []
        self.buildings: list[Place] = []

    def way(self, way: osmium.osm.Way) -> None:
        tags = way.tags
        highway, name = tags.get("highway"), tags.get("name")
        coords = [(n.location.lat, n.location.lon) for n in way.nodes if n.location.valid()]
        if not coords:
            return
        if highway in DRIVABLE and name:
            street = clean_street(name)
            if street:
                self.street_points.extend(Place(lat, lon, street) for lat, lon in coords)
        house, street_name = tags.get("addr:housenumber"), tags.get("addr:street")
        if house and street_name:
            street = clean_street(street_name)
            if street:
                lat = sum(c[0] for c in coords) / len(coords)
                lon = sum(c[1] for c in coords) / len(coords)
                self.buildings.append(Place(lat, lon, street, house))

    def node(self, node: osmium.osm.Node) -> None:
        tags = node.tags
        house, street_name = tags.get("addr:housenumber"), tags.get("addr:street")
        if house and street_name and node.location.valid():
            street = clean_street(street_name)
            if street:
                self.buildings.append(Place(node.location.lat, node.location.lon, street, house))


def read_places(osm_path: Path) -> tuple[list[Place], list[Place]]:
    """Points on named drivable streets, and addressed buildings, from an ``.osm.pbf`` or ``.osm`` file.

    Raises
    ------
    FileNotFoundError
        The map file is not there (set ``DISPATCH_OSM_PATH``).
    """
    if not Path(osm_path).is_file():
        msg = f"OpenStreetMap file not found: {osm_path} (set DISPATCH_OSM_PATH)"
        raise FileNotFoundError(msg)
    collector = _Collector()
    collector.apply_file(str(osm_path), locations=True)
    return collector.street_points, collector.buildings
