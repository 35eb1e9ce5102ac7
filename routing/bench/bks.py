"""Best-known solutions: the published vehicle counts and distances, and the route files behind some of them."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from routing.bench.instances import SUITES
from routing.bench.instances import InstanceFormatError
from routing.bench.instances import data_dir


@dataclass(frozen=True)
class Bks:
    """A best-known solution: fewest vehicles first, then the real-valued Euclidean distance (instance units)."""

    vehicles: int
    distance: float
    source: str


def load_bks(suite: str) -> dict[str, Bks]:
    """Return the best-known solutions of ``suite``'s table, keyed by lower-case instance name.

    The tables have the columns ``instance, vehicles, distance, source``; the Gehring-Homberger table
    holds the 200- and 400-customer sets together.
    """
    path = data_dir() / SUITES[suite].bks_file
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["instance"].lower(): Bks(int(row["vehicles"]), float(row["distance"]), row["source"])
            for row in csv.DictReader(handle)
        }


def read_route_file(path: Path) -> list[list[int]]:
    """Read a SINTEF-style solution file: lines ``Route N : id id ...`` (depot excluded) after a header.

    Returns
    -------
    list of list of int
        The routes in file order, as instance node ids.
    """
    routes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*Route\s+\d+\s*:(.*)", line)
        if match:
            routes.append([int(token) for token in match.group(1).split()])
    if not routes:
        msg = f"{path}: no 'Route N : ...' lines"
        raise InstanceFormatError(msg)
    return routes


def reference_routes(suite: str, name: str) -> list[list[int]] | None:
    """Return the best-known routes of instance ``name`` when its suite ships a route file for it, else None.

    Solomon files are ``sintef_solutions_solomon_100/<name>.txt``; Li & Lim files are
    ``bks_solutions_lilim_100/<name>.<vehicles>_<distance>.txt``.
    """
    folder_name = SUITES[suite].routes_folder
    if folder_name is None:
        return None
    folder = data_dir() / folder_name
    candidates = [path for path in folder.glob("*.txt") if path.name.lower().split(".")[0] == name.lower()]
    return read_route_file(candidates[0]) if candidates else None
