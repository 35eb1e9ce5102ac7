"""The street graph, snapper and matrix engine of a map, built once per process and shared by plans."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from routing.graph import StreetGraph
from routing.graph import load_graph
from routing.matrix import MatrixEngine
from routing.snapping import Snapper


@dataclass(frozen=True)
class Streets:
    """What planning needs of the street network."""

    graph: StreetGraph
    snapper: Snapper
    engine: MatrixEngine


@functools.cache
def streets_for(osm_path: Path, snap_max_m: float) -> Streets:
    """The map at ``osm_path`` (compiled graph from the routing cache), its snapper and matrix engine."""
    graph = load_graph(osm_path)
    return Streets(graph=graph, snapper=Snapper(graph, max_distance_m=snap_max_m), engine=MatrixEngine(graph))


def warm_up(osm_path: Path, snap_max_m: float) -> None:
    """Load the map and build the matrix engine's hierarchy now, before a worker forks its jobs."""
    if osm_path.is_file():
        streets_for(osm_path, snap_max_m).engine.warm_up()
