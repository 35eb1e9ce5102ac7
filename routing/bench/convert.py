"""Turn a benchmark instance into the solver's integer Problem, and the solver's Solution back into node-id routes.

Rounding rule: every travel time is rounded up and every window inwards (earliest start up, latest start
down), service times up; so any schedule that is feasible in the integer model is feasible with the
real-valued Euclidean times too. Location index ``i`` of the matrices is instance node id ``i``.
"""

from __future__ import annotations

import math

from routing.bench.instances import Instance
from routing.bench.instances import Node
from routing.errors import ProblemError
from routing.model import Job
from routing.model import Problem
from routing.model import Shipment
from routing.model import Solution
from routing.model import Vehicle
from routing.model import Visit
from routing.model import Window

SCALE = 1000
"""Integer units per instance unit: the model's times and costs are 1/1000 of a time or distance unit."""


def scaled_travel(a: Node, b: Node, *, scale: int = SCALE) -> int:
    """Return ``ceil(scale * euclidean(a, b))``, exact in integer arithmetic when the coordinates are whole.

    Parameters
    ----------
    a, b
        The two nodes; coordinates in instance distance units.
    scale
        Integer units per instance unit.

    Returns
    -------
    int
        Travel time (= distance) in integer units, never below the real value.
    """
    dx, dy = float(a.x - b.x), float(a.y - b.y)
    if dx.is_integer() and dy.is_integer():
        squared = (int(dx) * scale) ** 2 + (int(dy) * scale) ** 2
        root = math.isqrt(squared)
        return root if root * root == squared else root + 1
    return math.ceil(scale * math.hypot(dx, dy))


def scaled_window(ready: float, due: float, *, scale: int = SCALE) -> Window:
    """Return the window ``(ceil(scale * ready), floor(scale * due))`` in integer units: it shrinks, never grows."""
    return (math.ceil(scale * ready), math.floor(scale * due))


def scaled_service(service: float, *, scale: int = SCALE) -> int:
    """Return ``ceil(scale * service)``: a service time in integer units, never below the real one."""
    return math.ceil(scale * service)


def scaled_matrix(instance: Instance, *, scale: int = SCALE) -> list[list[int]]:
    """Return the square travel-time matrix (integer units) over all nodes, indexed by node id."""
    return [[scaled_travel(a, b, scale=scale) for b in instance.nodes] for a in instance.nodes]


def vehicle_fixed_cost(matrix: list[list[int]], vehicles: int) -> int:
    """Return a fixed cost per vehicle larger than any possible difference in total travel cost.

    A plan with ``r`` routes leaves every customer once and the depot ``r <= vehicles`` times, so its travel
    cost is at most the sum of each customer's longest outgoing arc plus ``vehicles`` times the depot's;
    one vehicle more therefore always costs more than any travel it could save.
    """
    customers = sum(max(row) for row in matrix[1:])
    return customers + vehicles * max(matrix[0]) + 1


def to_problem(instance: Instance, *, scale: int = SCALE) -> Problem:
    """Build the solver's Problem: ``vehicles`` identical vehicles from and to node 0 within the depot window.

    Solomon customers become ``Visit`` jobs with id ``str(node id)``; Li & Lim pairs become ``Shipment``
    jobs with id ``str(pickup node id)``. Cost and travel time share one matrix (distance = time).

    Parameters
    ----------
    instance
        The benchmark instance (instance units).
    scale
        Integer units per instance unit for times, distances and service times.

    Returns
    -------
    Problem
        Integer model whose feasible plans are feasible in real arithmetic.
    """
    matrix = scaled_matrix(instance, scale=scale)
    fixed_cost = vehicle_fixed_cost(matrix, instance.vehicles)
    depot = instance.depot
    shift = scaled_window(depot.ready, depot.due, scale=scale)
    vehicles = tuple(
        Vehicle(id=f"v{k}", start=0, end=0, shift=shift, capacity=(instance.capacity,), fixed_cost=fixed_cost)
        for k in range(instance.vehicles)
    )
    jobs: list[Job] = []
    for node in instance.customers:
        window = (scaled_window(node.ready, node.due, scale=scale),)
        service_s = scaled_service(node.service, scale=scale)
        if instance.kind == "vrptw":
            jobs.append(Visit(id=str(node.id), location=node.id, demand=(node.demand,), windows=window, service_s=service_s))
        elif node.delivery:
            delivery = instance.nodes[node.delivery]
            jobs.append(
                Shipment(
                    id=str(node.id),
                    pickup=node.id,
                    delivery=delivery.id,
                    demand=(node.demand,),
                    pickup_windows=window,
                    delivery_windows=(scaled_window(delivery.ready, delivery.due, scale=scale),),
                    pickup_service_s=service_s,
                    delivery_service_s=scaled_service(delivery.service, scale=scale),
                )
            )
    return Problem(duration=matrix, cost=matrix, vehicles=vehicles, jobs=tuple(jobs))


def job_nodes(instance: Instance) -> dict[str, tuple[int, ...]]:
    """Return each job id's node ids: ``(node,)`` for a visit, ``(pickup, delivery)`` for a shipment."""
    if instance.kind == "vrptw":
        return {str(node.id): (node.id,) for node in instance.customers}
    return {str(pickup): (pickup, delivery) for pickup, delivery in instance.pairs}


def solution_routes(solution: Solution, instance: Instance) -> list[list[int]]:
    """Return the solver's routes as lists of instance node ids, depot excluded, empty routes dropped.

    Each step of kind ``visit``, ``pickup`` or ``delivery`` is mapped through its job id; a step whose
    location disagrees with its job raises ``ProblemError``. Breaks are skipped.
    """
    nodes_of = job_nodes(instance)
    visit_positions, shipment_positions = {"visit": 0}, {"pickup": 0, "delivery": 1}
    routes: list[list[int]] = []
    for route in solution.routes:
        ids: list[int] = []
        for step in route.steps:
            if step.kind == "break":
                continue
            nodes = nodes_of.get(step.job, ())
            position = (visit_positions if len(nodes) == 1 else shipment_positions).get(step.kind) if nodes else None
            if position is None:
                msg = f"route {route.vehicle}: step {step.kind!r} of job {step.job!r} is not a job of {instance.name}"
                raise ProblemError(msg)
            node = nodes[position]
            if step.location is not None and step.location != node:
                msg = f"route {route.vehicle}: job {step.job!r} {step.kind} at location {step.location}, expected {node}"
                raise ProblemError(msg)
            ids.append(node)
        if ids:
            routes.append(ids)
    return routes
