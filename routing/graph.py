"""Load the drivable street graph from an OpenStreetMap file and compile it into a fast cache.

The only module of ``routing`` that touches the disk or the network. The graph keeps the largest
strongly connected part, respects one-way streets, and sets a speed per road class (km/h) instead of
trusting the extract's sparse ``maxspeed`` tags. Edge weights are integers: travel time in
deciseconds and length in decimetres, so that sums are exact and every engine gives the same answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import typing as t
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

from routing.errors import GraphError

if t.TYPE_CHECKING:
    import networkx as nx

CACHE_FORMAT = 3
"""Bumped whenever the compiled layout or the build rules change, so old caches are rebuilt."""

DEFAULT_SPEEDS_KPH: dict[str, float] = {
    "motorway": 80.0,
    "motorway_link": 50.0,
    "trunk": 60.0,
    "trunk_link": 40.0,
    "primary": 45.0,
    "primary_link": 35.0,
    "secondary": 40.0,
    "secondary_link": 30.0,
    "tertiary": 35.0,
    "tertiary_link": 30.0,
    "unclassified": 30.0,
    "residential": 25.0,
    "road": 25.0,
    "living_street": 10.0,
    "service": 15.0,
}
"""Typical free-flow speeds in Almaty by OSM ``highway`` class (km/h); override per class as needed."""

FALLBACK_SPEED_KPH = 25.0
_EXCLUDED_SERVICE = {"parking", "parking_aisle", "driveway", "private", "emergency_access", "drive-through"}
_NO_ACCESS = {"no", "private"}
_KEPT_WAY_TAGS = ("highway", "oneway", "junction", "name", "maxspeed", "lanes", "ref", "access", "service")


@dataclass(frozen=True)
class GraphSettings:
    """How the graph is built: speeds per road class and whether ``maxspeed`` tags are believed."""

    speeds_kph: t.Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SPEEDS_KPH))
    fallback_speed_kph: float = FALLBACK_SPEED_KPH
    trust_maxspeed: bool = False

    def key(self) -> str:
        """A stable fingerprint of the settings, part of the cache key."""
        data = {
            "speeds": dict(sorted(self.speeds_kph.items())),
            "fallback": self.fallback_speed_kph,
            "trust": self.trust_maxspeed,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class StreetGraph:
    """A directed street graph as flat arrays (node ``i``, edge ``k``); coordinates in degrees.

    Edge ``k`` runs from ``tail[k]`` to ``head[k]``; its polyline is
    ``geometry_lat/lon[geometry_start[k]:geometry_start[k + 1]]`` and includes both end nodes.
    There is at most one edge per ordered node pair (the fastest), and no self-loops.
    """

    osm_id: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    travel_ds: np.ndarray
    length_dm: np.ndarray
    speed_kph: np.ndarray
    geometry_start: np.ndarray
    geometry_lat: np.ndarray
    geometry_lon: np.ndarray
    source: str = ""

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return int(self.lat.shape[0])

    @property
    def edge_count(self) -> int:
        """Number of directed edges."""
        return int(self.tail.shape[0])

    def edge_polyline(self, edge: int) -> list[tuple[float, float]]:
        """(lat, lon) points of one edge, from its tail to its head."""
        a, b = int(self.geometry_start[edge]), int(self.geometry_start[edge + 1])
        return list(zip(self.geometry_lat[a:b].tolist(), self.geometry_lon[a:b].tolist(), strict=True))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by name, for saving."""
        return {name: getattr(self, name) for name in _ARRAY_NAMES}


_ARRAY_NAMES = (
    "osm_id", "lat", "lon", "tail", "head", "travel_ds", "length_dm", "speed_kph",
    "geometry_start", "geometry_lat", "geometry_lon",
)  # fmt: skip


def default_cache_dir() -> Path:
    """``ROUTING_CACHE_DIR``, or ``var/cache/routing`` in the checkout."""
    configured = os.environ.get("ROUTING_CACHE_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "var" / "cache" / "routing"


def load_graph(
    osm_path: Path | str,
    *,
    settings: GraphSettings | None = None,
    cache_dir: Path | None = None,
) -> StreetGraph:
    """The compiled graph of ``osm_path``, built once and then read from the cache.

    The cache file's name holds a hash of the source file's bytes and of the settings, so editing or
    replacing the map, or changing a speed, rebuilds it; an unchanged source loads in milliseconds.

    Raises
    ------
    GraphError
        The file is missing or holds no drivable streets.
    """
    settings = settings or GraphSettings()
    path = Path(osm_path)
    if not path.is_file():
        msg = f"OpenStreetMap file not found: {path}"
        raise GraphError(msg)
    cache = cache_path(path, settings, cache_dir or default_cache_dir())
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as data:
            arrays = {name: data[name] for name in _ARRAY_NAMES}
        return StreetGraph(**arrays, source=str(path))
    graph = build_graph(path, settings)
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial.npz")
    np.savez(partial, **graph.arrays())  # type: ignore[arg-type]  # numpy stubs mistype **kwds
    partial.replace(cache)  # atomic: a crash never leaves a half-written cache behind
    return graph


def cache_path(osm_path: Path, settings: GraphSettings, cache_dir: Path) -> Path:
    """Where the compiled graph of ``osm_path`` with ``settings`` lives."""
    digest = hashlib.sha256()
    with osm_path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return cache_dir / f"{osm_path.stem}-{digest.hexdigest()[:16]}-{settings.key()}-v{CACHE_FORMAT}.npz"


def build_graph(osm_path: Path, settings: GraphSettings) -> StreetGraph:
    """Build the graph with osmnx (slow: seconds); :func:`load_graph` caches the result."""
    import osmnx as ox

    with tempfile.TemporaryDirectory() as tmp:
        xml_path = Path(tmp) / "drivable.osm"
        _to_drivable_xml(osm_path, xml_path)  # pyosmium reads both .osm.pbf and .osm
        try:
            graph = ox.graph_from_xml(xml_path, bidirectional=False, simplify=True, retain_all=True)
        except ValueError as e:
            msg = f"no drivable streets in {osm_path}: {e}"
            raise GraphError(msg) from e
    return compile_networkx(graph, settings, source=str(osm_path))


def graph_for_place(place: str, *, settings: GraphSettings | None = None) -> StreetGraph:
    """Download a city's drivable streets by name with osmnx (needs the internet), e.g. ``"Almaty, Kazakhstan"``."""
    import osmnx as ox

    graph = ox.graph_from_place(place, network_type="drive", retain_all=True)
    return compile_networkx(graph, settings or GraphSettings(), source=place)


def compile_networkx(graph: nx.MultiDiGraph, settings: GraphSettings, *, source: str) -> StreetGraph:
    """Largest strongly connected part, speeds and travel times, then flat integer arrays."""
    import osmnx as ox

    graph = ox.truncate.largest_component(graph, strongly=True)
    if graph.number_of_edges() == 0:
        msg = f"no connected drivable streets in {source}"
        raise GraphError(msg)
    if not settings.trust_maxspeed:
        for _, _, data in graph.edges(data=True):
            data.pop("maxspeed", None)
    graph = ox.add_edge_speeds(graph, hwy_speeds=dict(settings.speeds_kph), fallback=settings.fallback_speed_kph)
    graph = ox.add_edge_travel_times(graph)
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    best: dict[tuple[int, int], tuple[int, int, float, list[tuple[float, float]]]] = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        travel_ds = max(1, round(float(data["travel_time"]) * 10))
        key = (index[u], index[v])
        if key in best and best[key][0] <= travel_ds:
            continue
        length_dm = max(1, round(float(data["length"]) * 10))
        if "geometry" in data:
            points = [(lat, lon) for lon, lat in data["geometry"].coords]
        else:
            points = [(graph.nodes[u]["y"], graph.nodes[u]["x"]), (graph.nodes[v]["y"], graph.nodes[v]["x"])]
        best[key] = (travel_ds, length_dm, float(data["speed_kph"]), points)
    keys = sorted(best)
    starts = np.zeros(len(keys) + 1, dtype=np.int64)
    geometry: list[tuple[float, float]] = []
    for k, key in enumerate(keys):
        geometry.extend(best[key][3])
        starts[k + 1] = len(geometry)
    return StreetGraph(
        osm_id=np.array(nodes, dtype=np.int64),
        lat=np.array([graph.nodes[n]["y"] for n in nodes], dtype=np.float64),
        lon=np.array([graph.nodes[n]["x"] for n in nodes], dtype=np.float64),
        tail=np.array([k[0] for k in keys], dtype=np.int32),
        head=np.array([k[1] for k in keys], dtype=np.int32),
        travel_ds=np.array([best[k][0] for k in keys], dtype=np.int64),
        length_dm=np.array([best[k][1] for k in keys], dtype=np.int64),
        speed_kph=np.array([best[k][2] for k in keys], dtype=np.float64),
        geometry_start=starts,
        geometry_lat=np.array([p[0] for p in geometry], dtype=np.float64),
        geometry_lon=np.array([p[1] for p in geometry], dtype=np.float64),
        source=source,
    )


def _drivable(tags: t.Mapping[str, str]) -> bool:
    """The ways a car may use: osmnx's ``drive`` network, read from the tags."""
    highway = tags.get("highway")
    if highway is None or highway not in DEFAULT_SPEEDS_KPH:
        return False
    if tags.get("area") == "yes" or tags.get("access") in _NO_ACCESS or tags.get("motor_vehicle") in _NO_ACCESS:
        return False
    return not (highway == "service" and tags.get("service") in _EXCLUDED_SERVICE)


def _to_drivable_xml(source: Path, target: Path) -> None:
    """Write the drivable ways of ``source`` as OSM XML that osmnx can read.

    Ways cut at the extract's edge reference nodes the file does not hold; osmnx refuses those, so
    each way is split into its runs of present nodes (a run of one node is dropped).
    """
    import osmium

    ways: list[tuple[int, list[int], dict[str, str]]] = []
    needed: set[int] = set()

    class _Ways(osmium.SimpleHandler):
        def way(self, way: t.Any) -> None:
            tags = {tag.k: tag.v for tag in way.tags}
            if _drivable(tags):
                refs = [node.ref for node in way.nodes]
                ways.append((way.id, refs, {k: v for k, v in tags.items() if k in _KEPT_WAY_TAGS}))
                needed.update(refs)

    _Ways().apply_file(str(source))
    coords: dict[int, tuple[float, float]] = {}

    class _Nodes(osmium.SimpleHandler):
        def node(self, node: t.Any) -> None:
            if node.id in needed and node.location.valid():
                coords[node.id] = (node.location.lat, node.location.lon)

    _Nodes().apply_file(str(source))
    with target.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="routing.graph">\n')
        used = sorted({ref for _, refs, _ in ways for ref in refs if ref in coords})
        for ref in used:
            lat, lon = coords[ref]
            out.write(f'<node id="{ref}" lat="{lat:.7f}" lon="{lon:.7f}"/>\n')
        for way_id, refs, tags in ways:
            for k, run in enumerate(_present_runs(refs, coords)):
                run_id = way_id if k == 0 else 10**12 + way_id * 100 + k
                out.write(f'<way id="{run_id}">')
                out.write("".join(f'<nd ref="{ref}"/>' for ref in run))
                out.write("".join(f"<tag k={quoteattr(key)} v={quoteattr(value)}/>" for key, value in tags.items()))
                out.write("</way>\n")
        out.write("</osm>\n")


def _present_runs(refs: list[int], present: t.Container[int]) -> list[list[int]]:
    """Split ``refs`` into maximal runs of nodes that are present, keeping runs of two or more."""
    runs: list[list[int]] = []
    current: list[int] = []
    for ref in refs:
        if ref in present:
            current.append(ref)
            continue
        if len(current) >= 2:
            runs.append(current)
        current = []
    if len(current) >= 2:
        runs.append(current)
    return runs
