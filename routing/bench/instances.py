"""Read Solomon / Gehring-Homberger VRPTW and Li & Lim PDPTW instance files into plain data.

Times and distances are in the instances' own unit: travel time equals Euclidean distance.
"""

from __future__ import annotations

import math
import os
import re
import typing as t
from dataclasses import dataclass
from pathlib import Path

from routing.errors import RoutingError

Kind = t.Literal["vrptw", "pdptw"]

DATA_DIR_ENV = "ROUTING_VRP_DIR"
"""Environment variable naming the folder of the benchmark data (default ``<repo>/../shared/data/vrp``)."""


class InstanceFormatError(RoutingError):
    """A benchmark file that cannot be read as the format its suite declares."""


@dataclass(frozen=True)
class Suite:
    """A folder of instances in one format, with its best-known-solution table and optional route files."""

    folder: str
    kind: Kind
    bks_file: str
    routes_folder: str | None = None


SUITES: dict[str, Suite] = {
    "solomon_100": Suite("solomon_100", "vrptw", "bks_solomon.csv", "sintef_solutions_solomon_100"),
    "homberger_200": Suite("homberger_200", "vrptw", "bks_homberger_200_400.csv"),
    "homberger_400": Suite("homberger_400", "vrptw", "bks_homberger_200_400.csv"),
    "lilim_100": Suite("lilim_100", "pdptw", "bks_lilim.csv", "bks_solutions_lilim_100"),
    "lilim_200": Suite("lilim_200", "pdptw", "bks_lilim_200.csv"),
}


@dataclass(frozen=True, slots=True)
class Node:
    """One line of an instance file; times (``ready``, ``due``, ``service``) are in instance time units.

    ``pickup`` and ``delivery`` are the sibling node ids of a Li & Lim pair (0 when there is none): a
    pickup names its ``delivery``, a delivery its ``pickup``.
    """

    id: int
    x: float
    y: float
    demand: int
    ready: float
    due: float
    service: float
    pickup: int = 0
    delivery: int = 0


@dataclass(frozen=True)
class Instance:
    """A benchmark instance: ``nodes[i].id == i``, node 0 is the depot, ``vehicles`` identical vehicles."""

    name: str
    kind: Kind
    vehicles: int
    capacity: int
    nodes: tuple[Node, ...]

    @property
    def depot(self) -> Node:
        """The depot (node 0): its window is the vehicles' shift."""
        return self.nodes[0]

    @property
    def customers(self) -> tuple[Node, ...]:
        """Every node but the depot."""
        return self.nodes[1:]

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """Li & Lim (pickup, delivery) node ids, in the order of the pickups in the file."""
        return [(node.id, node.delivery) for node in self.customers if node.delivery]


def euclidean(a: Node, b: Node) -> float:
    """Return the Euclidean distance (instance units, double precision) between two nodes."""
    return math.hypot(a.x - b.x, a.y - b.y)


def data_dir() -> Path:
    """Return the benchmark data folder: ``$ROUTING_VRP_DIR``, else ``<repo>/../shared/data/vrp``."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "data" / "vrp"


def _natural_key(name: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name.lower())]


def instance_names(suite: str) -> list[str]:
    """Return the instance names (file stems) of ``suite`` in natural order (``c1_2_2`` before ``c1_2_10``)."""
    folder = data_dir() / SUITES[suite].folder
    if not folder.is_dir():
        msg = f"benchmark folder {folder} not found (set {DATA_DIR_ENV})"
        raise InstanceFormatError(msg)
    return sorted((path.stem for path in folder.glob("*.txt")), key=_natural_key)


def load_instance(suite: str, name: str) -> Instance:
    """Read instance ``name`` (case-insensitive file stem) of ``suite`` from the data folder."""
    matches = [stem for stem in instance_names(suite) if stem.lower() == name.lower()]
    if not matches:
        msg = f"no instance {name!r} in suite {suite}"
        raise InstanceFormatError(msg)
    path = data_dir() / SUITES[suite].folder / f"{matches[0]}.txt"
    return read_solomon(path) if SUITES[suite].kind == "vrptw" else read_lilim(path)


def _numbers(line: str) -> list[float] | None:
    try:
        return [float(token) for token in line.split()]
    except ValueError:
        return None


def _check_ids(path: Path, nodes: list[Node]) -> tuple[Node, ...]:
    if [node.id for node in nodes] != list(range(len(nodes))):
        msg = f"{path}: node ids must run 0, 1, 2, ... in file order"
        raise InstanceFormatError(msg)
    return tuple(nodes)


def read_solomon(path: Path) -> Instance:
    """Read a Solomon or Gehring-Homberger file: name, ``VEHICLE NUMBER CAPACITY``, then 7-column node rows.

    Parameters
    ----------
    path
        The instance file; the name is its stem (the first line repeats it).

    Returns
    -------
    Instance
        Kind ``"vrptw"``; demands are delivered from the depot.
    """
    lines = [line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()]
    fleet: list[float] | None = None
    nodes: list[Node] = []
    for line in lines[1:]:
        row = _numbers(line)
        if row is None:
            continue
        if len(row) == 2 and fleet is None:
            fleet = row
        elif len(row) == 7:
            node_id, x, y, demand, ready, due, service = row
            nodes.append(Node(int(node_id), x, y, int(demand), ready, due, service))
        else:
            msg = f"{path}: unexpected line {line!r}"
            raise InstanceFormatError(msg)
    if fleet is None or not nodes:
        msg = f"{path}: no VEHICLE section or no customer rows"
        raise InstanceFormatError(msg)
    return Instance(path.stem, "vrptw", int(fleet[0]), int(fleet[1]), _check_ids(path, nodes))


def read_lilim(path: Path) -> Instance:
    """Read a Li & Lim file: ``K Q speed``, then ``id x y demand ready due service pickup delivery`` rows.

    The speed column is ignored (some files carry 0): travel time equals distance, as in every published
    result. Each pickup (demand > 0) must name a delivery that names it back with the opposite demand.

    Parameters
    ----------
    path
        The instance file; the name is its stem.

    Returns
    -------
    Instance
        Kind ``"pdptw"``.
    """
    rows = [_numbers(line) for line in path.read_text(encoding="ascii").splitlines() if line.strip()]
    fleet, body = (rows[0], rows[1:]) if rows else (None, [])
    nodes = [
        Node(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], r[6], int(r[7]), int(r[8]))
        for r in body
        if r is not None and len(r) == 9
    ]
    if fleet is None or len(fleet) != 3 or len(nodes) != len(body):
        msg = f"{path}: expected a 'K Q speed' line and 9-column node rows"
        raise InstanceFormatError(msg)
    checked = _check_ids(path, nodes)
    for node in checked[1:]:
        sibling = node.delivery if node.demand > 0 else node.pickup
        partner = checked[sibling] if 0 < sibling < len(checked) else None
        back = None if partner is None else (partner.pickup if node.demand > 0 else partner.delivery)
        if node.demand == 0 or partner is None or back != node.id or partner.demand != -node.demand:
            msg = f"{path}: node {node.id} is not half of a consistent pickup-delivery pair"
            raise InstanceFormatError(msg)
    return Instance(path.stem, "pdptw", int(fleet[0]), int(fleet[1]), checked)
