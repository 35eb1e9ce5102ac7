"""Plain data for the solver: the problem (vehicles, jobs, matrices) and the solution it returns.

Units: times are whole seconds from the start of the planning day (midnight local time for Almaty,
time zero for benchmark instances); durations in seconds; distances in the matrix's own integer unit
(metres for Almaty; scaled Euclidean units for benchmarks). Locations are indices into the matrices.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

Window = tuple[int, int]
"""Earliest and latest start of service, in seconds; both inclusive."""


@dataclass(frozen=True)
class Break:
    """A rest the courier takes once during the shift, starting within ``window``."""

    window: Window
    duration_s: int


@dataclass(frozen=True)
class Vehicle:
    """A courier (or a carrier's car) with its own start and end location, shift and capacities.

    ``capacity`` has one entry per load unit (for Almaty: books, grams); every job's ``demand`` has the
    same length. ``fixed_cost`` is paid once when the vehicle is used, so fewer vehicles are preferred.
    """

    id: str
    start: int
    end: int
    shift: Window
    capacity: tuple[int, ...]
    fixed_cost: int = 0
    max_duration_s: int | None = None
    breaks: tuple[Break, ...] = ()
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Visit:
    """One stop: deliver or collect ``demand`` at ``location`` within one of ``windows``.

    Its demand occupies capacity for the whole route (right for routes that only deliver from, or
    only collect to, the depot, as in the Solomon instances).
    """

    id: str
    location: int
    demand: tuple[int, ...]
    windows: tuple[Window, ...]
    service_s: int = 0
    skills: frozenset[str] = frozenset()
    pinned: Pin | None = None


@dataclass(frozen=True)
class Shipment:
    """Carry ``demand`` from ``pickup`` to ``delivery`` on one vehicle, picking up first.

    A home delivery is a shipment from the branch to the reader; a return pickup one from the reader
    to the branch; Li & Lim instances are shipments between customers.
    """

    id: str
    pickup: int
    delivery: int
    demand: tuple[int, ...]
    pickup_windows: tuple[Window, ...]
    delivery_windows: tuple[Window, ...]
    pickup_service_s: int = 0
    delivery_service_s: int = 0
    skills: frozenset[str] = frozenset()
    pinned: Pin | None = None


@dataclass(frozen=True)
class Pin:
    """Keep a job on ``vehicle``; jobs pinned to one vehicle keep the order of their ``position``.

    For a shipment the position orders its delivery node (its pickup comes before it anyway). Other
    jobs may still be inserted between pinned ones unless the caller pins those too.
    """

    vehicle: str
    position: int


Job = Visit | Shipment


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs: square integer matrices indexed by location, vehicles and jobs.

    ``duration`` is travel time in seconds (service times are separate); ``cost`` is what the objective
    minimises besides fixed vehicle costs (distance for benchmarks, travel time or distance for
    Almaty); both must satisfy the triangle inequality closely enough for the search to work well.
    """

    duration: t.Sequence[t.Sequence[int]]
    cost: t.Sequence[t.Sequence[int]]
    vehicles: tuple[Vehicle, ...]
    jobs: tuple[Job, ...]
    balance_coefficient: int = 0
    """Cost per second of the longest route's duration: above zero, the couriers' days are evened out."""


@dataclass(frozen=True)
class Step:
    """One stop of a route in order: which job, which end of it, and the planned times (seconds)."""

    job: str
    kind: str  # "visit", "pickup", "delivery", "break"
    location: int | None
    arrival_s: int
    start_s: int
    departure_s: int
    load: tuple[int, ...]


@dataclass(frozen=True)
class Route:
    """A vehicle's route: start time, the steps, end time, and its totals."""

    vehicle: str
    start_s: int
    end_s: int
    steps: tuple[Step, ...]
    cost: int
    duration_s: int


@dataclass(frozen=True)
class Unassigned:
    """A job no route could take, and why (a stable code and a sentence for the dispatcher)."""

    job: str
    reason: str
    detail: str


@dataclass
class Solution:
    """Routes (used vehicles only), unassigned jobs with reasons, and the figures of the search."""

    routes: list[Route] = field(default_factory=list)
    unassigned: list[Unassigned] = field(default_factory=list)
    objective: int = 0
    cost: int = 0
    seconds: float = 0.0
    strategy: str = ""

    @property
    def vehicles_used(self) -> int:
        """How many vehicles have at least one job."""
        return len(self.routes)
