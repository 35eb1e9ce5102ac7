"""Check node-id routes against an instance in double precision, independently of any solver or integer model."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from dataclasses import field

from routing.bench.instances import Instance
from routing.bench.instances import euclidean

TIME_TOLERANCE = 1e-6
"""Instance time units a service start may exceed its due time by, to absorb floating-point summation error."""


@dataclass(frozen=True)
class Check:
    """The verdict on a plan: feasible or not, every violation found, and the total distance (instance units)."""

    feasible: bool
    problems: list[str] = field(default_factory=list)
    distance: float = 0.0


def routes_distance(instance: Instance, routes: list[list[int]]) -> float:
    """Return the total Euclidean length (instance units, double precision) of depot -> route -> depot legs.

    Empty routes add nothing; unknown node ids raise ``IndexError``.
    """
    total = 0.0
    for route in routes:
        if route:
            path = [0, *route, 0]
            total += sum(euclidean(instance.nodes[a], instance.nodes[b]) for a, b in itertools.pairwise(path))
    return total


def _check_route(instance: Instance, number: int, route: list[int], route_of: dict[int, int]) -> list[str]:
    problems: list[str] = []
    nodes = instance.nodes
    depot = instance.depot
    load = sum(nodes[i].demand for i in route) if instance.kind == "vrptw" else 0
    if load > instance.capacity:
        problems.append(f"route {number}: load {load} exceeds capacity {instance.capacity}")
    time, previous = depot.ready, depot
    for position, node_id in enumerate(route):
        node = nodes[node_id]
        time = max(time + euclidean(previous, node), node.ready)
        if time > node.due + TIME_TOLERANCE:
            problems.append(f"route {number}: service at node {node_id} starts at {time:.4f}, after its due time {node.due:g}")
        time += node.service
        previous = node
        if instance.kind == "pdptw":
            load += node.demand
            if load > instance.capacity:
                problems.append(f"route {number}: load {load} after node {node_id} exceeds capacity {instance.capacity}")
            if node.pickup and (route_of.get(node.pickup) != number or route.index(node.pickup) > position):
                problems.append(f"route {number}: delivery {node_id} is not preceded by its pickup {node.pickup} on this route")
    back = time + euclidean(previous, depot)
    if back > depot.due + TIME_TOLERANCE:
        problems.append(f"route {number}: returns to the depot at {back:.4f}, after its due time {depot.due:g}")
    return problems


def check_routes(instance: Instance, routes: list[list[int]]) -> Check:
    """Check a plan: each customer served once, loads, pickup before delivery, windows, depot return, fleet size.

    Vehicles leave the depot at its ready time, drive at unit speed (time = Euclidean distance), may wait
    for a window to open, and must start each service by its due time (tolerance ``TIME_TOLERANCE``).

    Parameters
    ----------
    instance
        The benchmark instance.
    routes
        One list of node ids per vehicle, depot excluded; empty routes are ignored.

    Returns
    -------
    Check
        ``feasible`` is True when ``problems`` is empty; ``distance`` sums the valid routes' legs.
    """
    used = [route for route in routes if route]
    problems: list[str] = []
    if len(used) > instance.vehicles:
        problems.append(f"{len(used)} routes for {instance.vehicles} vehicles")
    served = Counter(node_id for route in used for node_id in route)
    unknown = sorted(node_id for node_id in served if not 0 < node_id < len(instance.nodes))
    if unknown:
        problems.append(f"not customers of {instance.name}: {unknown}")
    problems += [f"node {node_id} served {count} times" for node_id, count in sorted(served.items()) if count > 1]
    missing = [node.id for node in instance.customers if node.id not in served]
    if missing:
        problems.append(f"{len(missing)} customers not served: {missing}")
    valid = [route for route in used if not set(route) & set(unknown)]
    if len(valid) < len(used):
        problems.append(f"{len(used) - len(valid)} routes with unknown nodes left out of the time and load checks")
    route_of = {node_id: number for number, route in enumerate(valid, start=1) for node_id in route}
    for number, route in enumerate(valid, start=1):
        problems += _check_route(instance, number, route, route_of)
    return Check(not problems, problems, routes_distance(instance, valid))
