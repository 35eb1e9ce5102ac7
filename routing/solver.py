"""The OR-Tools routing model: vehicles, visits and shipments in; routes and reasoned drops out.

One model serves the Almaty planner and the benchmarks. Every job is optional with a large drop
penalty, so the solver always returns the best partial plan it finds; what it cannot place comes back
with a reason (:mod:`routing.diagnosis`). Travel times are integers already (callers round up), so a
plan feasible here is feasible in exact arithmetic. ``workers`` above one runs a portfolio of search
strategies in separate processes and keeps the best result (fewest drops, then fewest vehicles, then
cost). The search path depends only on the problem, the seed and the strategy: with a ``solution_limit``
the answer is identical run after run; a wall-clock ``time_limit_s`` can stop it at a different point
on a busier machine.
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import time
import typing as t
from dataclasses import dataclass
from dataclasses import replace

from ortools.constraint_solver import pywrapcp
from ortools.constraint_solver import routing_enums_pb2
from ortools.util import optional_boolean_pb2

from routing import fleet_min
from routing import improve
from routing import route_min
from routing.diagnosis import explain_unassigned
from routing.errors import ProblemError
from routing.model import Break
from routing.model import Problem
from routing.model import Route
from routing.model import Shipment
from routing.model import Solution
from routing.model import Step
from routing.model import Visit
from routing.model import Window

if t.TYPE_CHECKING:
    from collections.abc import Sequence

BOOL_TRUE = optional_boolean_pb2.BOOL_TRUE
FIRST = routing_enums_pb2.FirstSolutionStrategy
META = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class Strategy:
    """One way to search: a first-solution heuristic and an improvement method."""

    name: str
    first_solution: int
    metaheuristic: int
    route_min_until: float = 0.6
    """Point of the time limit up to which routes are removed (where :func:`routing.route_min.supports`
    the problem): the workers differ, so that one of them keeps more time for shortening the routes."""
    fleet: str = "sisr"
    """How routes are removed: ``sisr`` (:mod:`routing.fleet_min`) or ``ejection`` (:mod:`routing.route_min`).
    Each wins on some instances (LR108: only the ejection pool reaches 9 routes), hence one of each."""


STRATEGIES: dict[str, Strategy] = {
    "gls": Strategy("gls", FIRST.PARALLEL_CHEAPEST_INSERTION, META.GUIDED_LOCAL_SEARCH),
    "sa": Strategy("sa", FIRST.LOCAL_CHEAPEST_INSERTION, META.SIMULATED_ANNEALING, route_min_until=0.35, fleet="ejection"),
    "tabu": Strategy("tabu", FIRST.SAVINGS, META.TABU_SEARCH, route_min_until=0.35, fleet="ejection"),
    "sequential": Strategy("sequential", FIRST.SEQUENTIAL_CHEAPEST_INSERTION, META.GUIDED_LOCAL_SEARCH),
    # The setup most OR-Tools examples use; kept as the baseline the benchmarks compare against.
    "usual": Strategy("usual", FIRST.PATH_CHEAPEST_ARC, META.GUIDED_LOCAL_SEARCH),
}
PORTFOLIO = ("gls", "tabu", "sa")
"""Strategies taken in turn by the workers when the jobs are all visits (measured on Solomon)."""
PORTFOLIO_SHIPMENTS = ("gls", "sa", "tabu")
"""The same for problems with shipments: savings builds poor pickup-and-delivery plans (Li & Lim)."""
PORTFOLIO_CITY = ("sequential", "usual", "gls")
"""The same for city days (breaks, skills, pins). With breaks the insertion heuristics are slow: 5-12 s
for a 300-request day (savings finds nothing), and a first plan cut short by the time limit leaves
requests out. Sequential insertion is the quickest of them and gives the best days; path-cheapest-arc
finishes in under a second, so the second worker always ends with a whole plan."""


@dataclass(frozen=True)
class _Node:
    """One node of the OR-Tools model: a depot, a visit, or one end of a shipment."""

    location: int
    windows: tuple[Window, ...]
    service_s: int
    demand: tuple[int, ...]
    job: str | None
    kind: str


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    solution_limit: int | None = None,
    strategies: Sequence[str] | None = None,
    reduce_vehicles: bool = True,
) -> Solution:
    """Plan routes for ``problem``.

    Parameters
    ----------
    time_limit_s
        Wall-clock budget of each worker, in seconds.
    seed
        Orders the jobs before the search (ties are broken differently for another seed).
    workers
        Processes to run; each takes the next strategy of ``strategies`` (default :data:`PORTFOLIO`,
        :data:`PORTFOLIO_SHIPMENTS` when there are shipments, :data:`PORTFOLIO_CITY` for the shapes
        :mod:`routing.route_min` does not support).
    solution_limit
        Stop after this many improving solutions: a deterministic budget, independent of machine speed
        and load (``time_limit_s`` still stops a search that outlasts it). Each search also stops after
        :data:`FAILURES_PER_SOLUTION` failed moves per solution, for searches that find no move at all.
    reduce_vehicles
        Spend part of the time emptying routes with :mod:`routing.route_min` where it applies (elsewhere
        the vehicles' fixed costs alone reduce them); off, the whole budget goes to the first plan and its
        improvement, as in a plain OR-Tools setup.

    Returns
    -------
    Solution
        Routes of the used vehicles and every unassigned job with its reason. Never ``None``.
    """
    _validate(problem)
    names = list(strategies or portfolio(problem))
    if workers < 1:
        msg = f"workers must be at least 1, got {workers}"
        raise ProblemError(msg)
    chosen = [STRATEGIES[names[i % len(names)]] for i in range(workers)]
    if workers == 1:
        return _solve_one(problem, chosen[0], time_limit_s, seed, solution_limit, reduce_vehicles)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        arguments = [(problem, strategy, time_limit_s, seed, solution_limit, reduce_vehicles) for strategy in chosen]
        results = pool.starmap(_solve_one, arguments)
    return min(results, key=lambda s: (len(s.unassigned), s.objective))


def portfolio(problem: Problem) -> tuple[str, ...]:
    """The strategies the workers take in turn when none are given, by the shape of ``problem``."""
    if not route_min.supports(problem):
        return PORTFOLIO_CITY
    return PORTFOLIO_SHIPMENTS if any(isinstance(job, Shipment) for job in problem.jobs) else PORTFOLIO


def _validate(problem: Problem) -> None:
    n = len(problem.duration)
    if (
        n == 0
        or any(len(row) != n for row in problem.duration)
        or len(problem.cost) != n
        or any(len(row) != n for row in problem.cost)
    ):
        msg = "duration and cost must be square matrices of the same size"
        raise ProblemError(msg)
    if not problem.vehicles:
        msg = "at least one vehicle is needed"
        raise ProblemError(msg)
    units = len(problem.vehicles[0].capacity)
    ids: set[str] = set()
    vehicle_ids = {v.id for v in problem.vehicles}
    for vehicle in problem.vehicles:
        if len(vehicle.capacity) != units or not (0 <= vehicle.start < n and 0 <= vehicle.end < n):
            msg = f"vehicle {vehicle.id}: capacity units or start/end location out of range"
            raise ProblemError(msg)
        if vehicle.shift[0] > vehicle.shift[1]:
            msg = f"vehicle {vehicle.id}: shift ends before it starts"
            raise ProblemError(msg)
    for job in problem.jobs:
        if job.id in ids:
            msg = f"job id {job.id} is used twice"
            raise ProblemError(msg)
        ids.add(job.id)
        locations = [job.location] if isinstance(job, Visit) else [job.pickup, job.delivery]
        windows = [job.windows] if isinstance(job, Visit) else [job.pickup_windows, job.delivery_windows]
        if len(job.demand) != units or any(not 0 <= loc < n for loc in locations):
            msg = f"job {job.id}: demand units or location out of range"
            raise ProblemError(msg)
        if any(not w or any(a > b for a, b in w) for w in windows):
            msg = f"job {job.id}: needs at least one window, each with start <= end"
            raise ProblemError(msg)
        if job.pinned is not None and job.pinned.vehicle not in vehicle_ids:
            msg = f"job {job.id}: pinned to unknown vehicle {job.pinned.vehicle}"
            raise ProblemError(msg)


Plan = list[list[tuple[str, int]]]
"""Routes per vehicle as (job id, end): end 0 is a visit or a pickup, 1 a delivery."""


class _Model:
    """The OR-Tools objects for one problem, and the maps between jobs and nodes.

    ``fixed_costs=False`` keeps the vehicles' fixed costs out of the search's objective (:func:`_read`
    adds them back): for searches that cap the vehicle count, whose guided local search would otherwise
    scale its penalties to the fixed costs rather than to the distances.
    """

    def __init__(self, problem: Problem, seed: int, *, max_vehicles: int | None = None, fixed_costs: bool = True) -> None:
        self.problem = problem
        self.fixed_costs = fixed_costs
        vehicles = problem.vehicles
        depot_locations = sorted({loc for v in vehicles for loc in (v.start, v.end)})
        horizon = max(v.shift[1] for v in vehicles)
        units = len(vehicles[0].capacity)
        self.nodes: list[_Node] = [_Node(loc, ((0, horizon),), 0, (0,) * units, None, "depot") for loc in depot_locations]
        depot_node = {loc: i for i, loc in enumerate(depot_locations)}
        jobs = list(problem.jobs)
        random.Random(seed).shuffle(jobs)
        self.job_nodes: dict[str, list[int]] = {}
        for job in jobs:
            if isinstance(job, Visit):
                self.job_nodes[job.id] = [len(self.nodes)]
                self.nodes.append(_Node(job.location, job.windows, job.service_s, job.demand, job.id, "visit"))
            else:
                self.job_nodes[job.id] = [len(self.nodes), len(self.nodes) + 1]
                self.nodes.append(_Node(job.pickup, job.pickup_windows, job.pickup_service_s, job.demand, job.id, "pickup"))
                negative = tuple(-d for d in job.demand)
                self.nodes.append(_Node(job.delivery, job.delivery_windows, job.delivery_service_s, negative, job.id, "delivery"))
        self.horizon = max(horizon, max(w[1] for node in self.nodes for w in node.windows))
        self.manager = pywrapcp.RoutingIndexManager(
            len(self.nodes), len(vehicles), [depot_node[v.start] for v in vehicles], [depot_node[v.end] for v in vehicles]
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.breaks: dict[int, list[tuple[Break, t.Any]]] = {}
        self._build()
        self.max_vehicles = len(vehicles) if max_vehicles is None else max_vehicles
        if max_vehicles is not None:
            self.routing.SetMaximumNumberOfActiveVehicles(max_vehicles)

    def plan(self, assignment: t.Any) -> Plan:
        """The routes of ``assignment`` as (job id, end) per vehicle (end 0: visit or pickup, 1: delivery).

        Job terms rather than node numbers, since another model of the same problem (another seed)
        numbers its nodes differently.
        """
        routes: Plan = []
        for v in range(len(self.problem.vehicles)):
            index, route = self.routing.Start(v), []
            while True:
                index = assignment.Value(self.routing.NextVar(index))
                if self.routing.IsEnd(index):
                    break
                node = self.nodes[self.manager.IndexToNode(index)]
                route.append((str(node.job), 1 if node.kind == "delivery" else 0))
            routes.append(route)
        return routes

    def start_from(self, plan: Plan, parameters: t.Any) -> t.Any:
        """An assignment holding ``plan``, or ``None`` if it is not feasible in this model.

        Reading routes closes the model, which builds the local search operators: with ``parameters``
        (the ones the search will use), not the defaults.
        """
        self.routing.CloseModelWithParameters(parameters)
        routes = [[self.manager.NodeToIndex(self.job_nodes[job][end]) for job, end in route] for route in plan]
        return self.routing.ReadAssignmentFromRoutes(routes, True)

    def _build(self) -> None:
        problem, routing, nodes = self.problem, self.routing, self.nodes
        duration, cost = problem.duration, problem.cost
        locs = [node.location for node in nodes]
        cost_matrix = [[int(cost[a][b]) for b in locs] for a in locs]
        time_matrix = [[int(duration[a][b]) + nodes[i].service_s for b in locs] for i, a in enumerate(locs)]
        cost_index = routing.RegisterTransitMatrix(cost_matrix)
        routing.SetArcCostEvaluatorOfAllVehicles(cost_index)
        time_index = routing.RegisterTransitMatrix(time_matrix)
        routing.AddDimension(time_index, self.horizon, self.horizon, False, "time")
        self.time = routing.GetDimensionOrDie("time")
        for u in range(len(problem.vehicles[0].capacity)):
            demand_index = routing.RegisterUnaryTransitVector([node.demand[u] for node in nodes])
            capacities = [v.capacity[u] for v in problem.vehicles]
            routing.AddDimensionWithVehicleCapacity(demand_index, 0, capacities, True, f"load{u}")
        self._windows()
        self._vehicles()
        self._jobs(cost_matrix)

    def _windows(self) -> None:
        for node_index, node in enumerate(self.nodes):
            if node.job is None:
                continue
            cumul = self.time.CumulVar(self.manager.NodeToIndex(node_index))
            windows = sorted(node.windows)
            cumul.SetRange(windows[0][0], windows[-1][1])
            for (_, end), (start, _) in itertools.pairwise(windows):
                if start > end + 1:
                    cumul.RemoveInterval(end + 1, start - 1)

    def _vehicles(self) -> None:
        routing, solver = self.routing, self.routing.solver()
        service = [node.service_s for node in self.nodes]
        for v, vehicle in enumerate(self.problem.vehicles):
            start, end = routing.Start(v), routing.End(v)
            self.time.CumulVar(start).SetRange(vehicle.shift[0], vehicle.shift[1])
            self.time.CumulVar(end).SetRange(vehicle.shift[0], vehicle.shift[1])
            routing.SetFixedCostOfVehicle(vehicle.fixed_cost if self.fixed_costs else 0, v)
            if vehicle.max_duration_s is not None:
                self.time.SetSpanUpperBoundForVehicle(vehicle.max_duration_s, v)
            if vehicle.breaks:
                intervals = [
                    solver.FixedDurationIntervalVar(b.window[0], b.window[1], b.duration_s, False, f"break {vehicle.id} {k}")
                    for k, b in enumerate(vehicle.breaks)
                ]
                self.time.SetBreakIntervalsOfVehicle(intervals, v, service)
                for interval in intervals:
                    routing.AddIntervalToAssignment(interval)
                self.breaks[v] = list(zip(vehicle.breaks, intervals, strict=True))
        # Finish each route as early as possible, then leave as late as that allows (no idle waiting).
        for v in range(len(self.problem.vehicles)):
            routing.AddVariableMinimizedByFinalizer(self.time.CumulVar(routing.End(v)))
        for v in range(len(self.problem.vehicles)):
            routing.AddVariableMaximizedByFinalizer(self.time.CumulVar(routing.Start(v)))
        if self.problem.balance_coefficient:
            self.time.SetGlobalSpanCostCoefficient(self.problem.balance_coefficient)

    def _jobs(self, cost_matrix: list[list[int]]) -> None:
        problem, routing, manager = self.problem, self.routing, self.manager
        solver = routing.solver()
        vehicle_index = {v.id: i for i, v in enumerate(problem.vehicles)}
        biggest_arc = max((max(row) for row in cost_matrix), default=0)
        fixed = max(v.fixed_cost for v in problem.vehicles)
        span = problem.balance_coefficient * self.horizon
        self.penalty = 10 * (fixed + 4 * biggest_arc + span) + 1000
        pinned: dict[int, list[tuple[int, int]]] = {}
        for job in problem.jobs:
            indices = [manager.NodeToIndex(n) for n in self.job_nodes[job.id]]
            penalty = self.penalty * (10 if job.pinned else 1)
            for index in indices:
                routing.AddDisjunction([index], penalty)
            if isinstance(job, Shipment):
                pickup, delivery = indices
                routing.AddPickupAndDelivery(pickup, delivery)
                solver.Add(routing.ActiveVar(pickup) == routing.ActiveVar(delivery))
                solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(delivery))
                solver.Add(self.time.CumulVar(pickup) <= self.time.CumulVar(delivery))
            allowed = [i for i, v in enumerate(problem.vehicles) if job.skills <= v.skills]
            if job.pinned is not None:
                allowed = [vehicle_index[job.pinned.vehicle]]
                pinned.setdefault(allowed[0], []).append((job.pinned.position, indices[-1]))
            if len(allowed) < len(problem.vehicles):
                for index in indices:
                    # -1 keeps "not performed" possible (SetAllowedVehiclesForIndex's binding refuses lists).
                    routing.VehicleVar(index).SetValues([-1, *allowed])
        if pinned:
            self._pin_order(pinned)

    def _pin_order(self, pinned: dict[int, list[tuple[int, int]]]) -> None:
        """Jobs pinned to a vehicle keep their order: a stop counter must grow along the pins."""
        routing = self.routing
        counter_index = routing.RegisterUnaryTransitVector([0 if node.job is None else 1 for node in self.nodes])
        routing.AddDimension(counter_index, 0, len(self.nodes), True, "order")
        order = routing.GetDimensionOrDie("order")
        solver = routing.solver()
        for chain in pinned.values():
            chain.sort()
            for (_, a), (_, b) in itertools.pairwise(chain):
                # An inactive node's cumul is free, so a dropped pin never blocks the others.
                solver.Add(order.CumulVar(a) < order.CumulVar(b))

    def parameters(self, strategy: Strategy, time_limit_s: float, solution_limit: int | None) -> t.Any:
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = strategy.first_solution
        params.local_search_metaheuristic = strategy.metaheuristic
        # Insertion heuristics look at all positions by default: quadratic, and slow past a few hundred
        # nodes (26 s for a 300-request Almaty day). Looking at the ~60 nearest keeps them in seconds.
        insertion = params.global_cheapest_insertion_first_solution_parameters
        insertion.neighbors_ratio = min(1.0, NEIGHBOURS / max(1, len(self.nodes)))
        insertion.min_neighbors = NEIGHBOURS
        if any(isinstance(job, Shipment) for job in self.problem.jobs) and route_min.supports(self.problem):
            # The pair moves alone stall within a second on long pickup-and-delivery routes (Li & Lim LR2,
            # LRC2). Not on city days (one depot, shipments both ways, breaks): there they left 122 of 300
            # requests out of a 20 s plan.
            _ruin_and_recreate(params)
        params.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
        if solution_limit is not None:
            params.solution_limit = solution_limit
        return params

    def limit_failures(self, solution_limit: int | None) -> None:
        """With a ``solution_limit``, stop the searches after as many failed moves as it allows too.

        Guided local search on a problem with no move to make (one job whose only vehicle starts late)
        finds no second solution and would otherwise spin until the time limit. Failures count the same
        on every machine, so the budget stays deterministic. Call before the model is closed.
        """
        if solution_limit is not None:
            failures = max(MIN_FAILURES, FAILURES_PER_SOLUTION * solution_limit)
            self.routing.AddSearchMonitor(self.routing.solver().FailuresLimit(failures))


def _ruin_and_recreate(params: t.Any) -> None:
    """Add OR-Tools' ruin-and-recreate operators (around close nodes and expensive chains) to the local search."""
    operators = params.local_search_operators
    operators.use_local_cheapest_insertion_close_nodes_lns = BOOL_TRUE
    operators.use_global_cheapest_insertion_close_nodes_lns = BOOL_TRUE
    operators.use_local_cheapest_insertion_expensive_chain_lns = BOOL_TRUE
    operators.use_global_cheapest_insertion_expensive_chain_lns = BOOL_TRUE


def _solve_one(
    problem: Problem,
    strategy: Strategy,
    time_limit_s: float,
    seed: int,
    solution_limit: int | None,
    reduce_vehicles: bool = True,
) -> Solution:
    """One worker: a first plan and its improvement; on plain shapes, fewer routes, then the shortest routes.

    Problems of the plain shape :mod:`routing.route_min` supports lose routes (SISR fleet minimisation or
    the ejection pool, by strategy), get shorter routes by SISR with annealing (:mod:`routing.improve`,
    seeded per strategy so that the two workers' searches differ), and are then polished by guided local
    search with the vehicle count capped. The others (city days: breaks, skills, pins) are
    searched in one go, with the vehicles' fixed costs in the objective. Restarting them with fewer
    vehicles cost more than it gained: OR-Tools could not always restore a plan with breaks it had found
    itself (ROUTING_FAIL at once on 300-request days), and each restart spent seconds on a first plan.
    """
    started = time.perf_counter()
    model = _Model(problem, seed)
    model.limit_failures(solution_limit)
    plain = reduce_vehicles and len(problem.vehicles) > 1 and route_min.supports(problem)
    share = EJECTION_FIRST_SHARE if plain else 1.0
    assignment = model.routing.SolveWithParameters(model.parameters(strategy, time_limit_s * share, solution_limit))
    if assignment is None:
        return replace(_all_unassigned(problem), seconds=time.perf_counter() - started, strategy=strategy.name)
    best, plan = _read(model, assignment), model.plan(assignment)
    if plain and not best.unassigned:
        data = route_min.data_of(problem)
        routes = route_min.to_nodes(data, plan)
        routes = _fewer_routes(data, routes, strategy, seed, started + strategy.route_min_until * time_limit_s, solution_limit)
        routes = _improve(
            data, routes, seed + list(STRATEGIES).index(strategy.name), started + IMPROVE_UNTIL * time_limit_s, solution_limit
        )
        plan = route_min.to_plan(data, routes, len(problem.vehicles))
        best, plan = _polish(problem, STRATEGIES["gls"], seed, best, plan, started + time_limit_s, solution_limit)
    return replace(best, seconds=time.perf_counter() - started, strategy=strategy.name)


def _fewer_routes(
    data: route_min.Data, routes: list[list[int]], strategy: Strategy, seed: int, deadline: float, solution_limit: int | None
) -> list[list[int]]:
    """Fewer routes by the strategy's method; with a ``solution_limit`` a step budget replaces the clock."""
    if strategy.fleet == "ejection":
        steps = EJECTION_STEPS_PER_SOLUTION * solution_limit if solution_limit is not None else None
        return route_min.minimise(
            data,
            routes,
            seed=seed,
            deadline=None if steps is not None else deadline,
            max_steps=steps if steps is not None else 10**9,
        )
    iterations = FLEET_ITERATIONS_PER_SOLUTION * solution_limit if solution_limit is not None else None
    return fleet_min.fewer_routes(
        data,
        routes,
        seed=seed,
        deadline=None if iterations is not None else deadline,
        max_iterations=iterations if iterations is not None else 10**9,
        floor=route_min.lower_bound(data),
    )


def _improve(
    data: route_min.Data, routes: list[list[int]], seed: int, deadline: float, solution_limit: int | None
) -> list[list[int]]:
    """Shorter routes by :mod:`routing.improve`; with a ``solution_limit`` an iteration budget replaces the clock."""
    iterations = IMPROVE_ITERATIONS_PER_SOLUTION * solution_limit if solution_limit is not None else None
    return improve.improve(
        data,
        routes,
        seed=seed,
        deadline=None if iterations is not None else deadline,
        max_iterations=iterations if iterations is not None else 10**9,
    )


SHORT_ROUTE_JOBS = 15
"""Jobs per route up to which the final improvement uses ruin-and-recreate operators whatever the jobs."""
NEIGHBOURS = 60
"""Nodes an insertion heuristic considers around each position (see :meth:`_Model.parameters`)."""

EJECTION_FIRST_SHARE = 0.2
"""Share of the time limit for the first plan when the ejection pool follows (it needs no good plan)."""
EJECTION_STEPS_PER_SOLUTION = 10
"""Ejection-pool placements per unit of ``solution_limit``: the deterministic budget replacing the clock."""
IMPROVE_UNTIL = 0.95
"""Point of the time limit up to which :mod:`routing.improve` shortens the routes; guided local search has the
rest (it still finds a few short-range moves the ruin and recreate misses)."""
IMPROVE_ITERATIONS_PER_SOLUTION = 20
"""SISR iterations per unit of ``solution_limit`` when shortening routes."""
FLEET_ITERATIONS_PER_SOLUTION = 20
"""SISR iterations per unit of ``solution_limit`` when removing routes."""
FAILURES_PER_SOLUTION = 100
"""Failed moves per unit of ``solution_limit`` before an OR-Tools search stops. Searches that move fail
3-6 times per solution (Almaty days and the unit problems, every strategy), so only a search that finds
nothing reaches it."""
MIN_FAILURES = 10_000
"""Failed moves allowed whatever the ``solution_limit``, so that a small one still leaves the first plan room
(first plans took no failures on the problems above; a savings plan that fails gives up within 50)."""


def _polish(
    problem: Problem, strategy: Strategy, seed: int, best: Solution, plan: Plan, deadline: float, solution_limit: int | None
) -> tuple[Solution, Plan]:
    """Improve ``plan`` until ``deadline`` with no more vehicles than it uses; keep ``best`` if that is better."""
    # The vehicle count is capped, so its fixed costs can leave the objective: the guided local search
    # scales its penalties by the objective, and fixed costs there would swamp the distances (1-13 %
    # shorter routes without them on the benchmarks).
    model = _Model(problem, seed, max_vehicles=sum(1 for route in plan if route), fixed_costs=False)
    model.limit_failures(solution_limit)
    parameters = model.parameters(strategy, max(deadline - time.perf_counter(), 0.01), solution_limit)
    if len(problem.jobs) <= SHORT_ROUTE_JOBS * model.max_vehicles:
        # Short routes (Solomon R1, RC1) gain from ruin and recreate too; long ones with visits lose (R2, RC2).
        _ruin_and_recreate(parameters)
    initial = model.start_from(plan, parameters)
    if initial is None:
        return best, plan
    assignment = model.routing.SolveFromAssignmentWithParameters(initial, parameters)
    if assignment is not None:
        candidate = _read(model, assignment)
        if not _better(best, candidate):
            best, plan = candidate, model.plan(assignment)
    return best, plan


def _better(candidate: Solution, best: Solution) -> bool:
    """Fewer jobs left out, or as few and a lower objective (fixed vehicle costs included)."""
    return (len(candidate.unassigned), candidate.objective) < (len(best.unassigned), best.objective)


def _all_unassigned(problem: Problem) -> Solution:
    return Solution(routes=[], unassigned=explain_unassigned(problem, [job.id for job in problem.jobs]))


def _read(model: _Model, assignment: t.Any) -> Solution:
    problem, routing, manager = model.problem, model.routing, model.manager
    routes: list[Route] = []
    served: set[str] = set()
    loads = [routing.GetDimensionOrDie(f"load{u}") for u in range(len(problem.vehicles[0].capacity))]
    total_cost = fixed_outside = 0
    for v, vehicle in enumerate(problem.vehicles):
        index = routing.Start(v)
        if routing.IsEnd(assignment.Value(routing.NextVar(index))):
            continue
        steps: list[Step] = []
        previous_departure = assignment.Value(model.time.CumulVar(index))
        previous_location = vehicle.start
        route_cost = 0
        start_s = previous_departure
        while True:
            following = assignment.Value(routing.NextVar(index))
            route_cost += routing.GetArcCostForVehicle(index, following, v)  # the first arc carries the fixed cost
            index = following
            if routing.IsEnd(index):
                break
            node = model.nodes[manager.IndexToNode(index)]
            begin = assignment.Value(model.time.CumulVar(index))
            arrival = previous_departure + int(problem.duration[previous_location][node.location])
            load = tuple(assignment.Value(dim.CumulVar(index)) + node.demand[u] for u, dim in enumerate(loads))
            steps.append(Step(str(node.job), node.kind, node.location, arrival, begin, begin + node.service_s, load))
            served.add(str(node.job))
            previous_departure, previous_location = begin + node.service_s, node.location
        end_s = assignment.Value(model.time.CumulVar(routing.End(v)))
        steps.extend(_break_steps(model, assignment, v))
        steps.sort(key=lambda s: (s.start_s, s.kind != "break"))
        if not model.fixed_costs:
            route_cost += vehicle.fixed_cost
            fixed_outside += vehicle.fixed_cost
        total_cost += route_cost
        routes.append(Route(vehicle.id, start_s, end_s, tuple(steps), route_cost, end_s - start_s))
    missing = [job.id for job in problem.jobs if job.id not in served]
    return Solution(
        routes=routes,
        unassigned=explain_unassigned(problem, missing),
        objective=assignment.ObjectiveValue() + fixed_outside,
        cost=total_cost,
    )


def _break_steps(model: _Model, assignment: t.Any, vehicle: int) -> list[Step]:
    steps = []
    for brk, interval in model.breaks.get(vehicle, []):
        start = assignment.StartValue(interval)
        steps.append(Step("break", "break", None, start, start, start + brk.duration_s, ()))
    return steps
