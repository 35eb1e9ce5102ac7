"""Route minimisation with an ejection pool, after Nagata & Bräysy (2009), for plain VRPTW and PDPTW problems.

OR-Tools' local search rarely empties a route: every move that would has to pass through plans that
leave a job out or break a window. This phase does it directly. It removes a route, puts its stops in
a pool, and inserts them one by one into the other routes; a stop that fits nowhere is inserted anyway
after ejecting one or two stops of a route to make room, chosen to minimise a counter of how often each
stop has failed before (so the hard ones get inserted and the easy ones move). Random feasible moves
between insertions keep the search from cycling. The plan it returns has fewer routes, but not a short
total distance: :mod:`routing.improve` and OR-Tools' guided local search shorten it afterwards.

Only the shapes of the Solomon and Li & Lim instances are supported (:func:`supports`): all visits or
all shipments, one window per stop, one load unit, identical vehicles starting and ending at one depot.
A shipment is placed, ejected and moved as a pair, pickup first (and ejects one other shipment at most,
since trying pairs of them on long routes would take too long in Python). Times are the problem's integers, so a
plan feasible here is feasible in the OR-Tools model.
"""

from __future__ import annotations

import itertools
import random
import time
import typing as t
from dataclasses import dataclass

from routing.model import Problem
from routing.model import Shipment
from routing.model import Visit

Plan = list[list[tuple[str, int]]]
"""Routes per vehicle as (job id, end): end 0 is a visit or a pickup, 1 a delivery."""


@dataclass(frozen=True)
class Data:
    """The problem as flat lists indexed by node: node 0 is the depot, then one node per visit or two per shipment.

    A delivery's ``demand`` is negative; ``delivery_of`` names a pickup's delivery node and ``pickup_of`` a
    delivery's pickup node (0 elsewhere). A job is known by its first node: the visit, or the pickup.
    """

    travel: list[list[int]]
    cost: list[list[int]]
    ready: list[int]
    due: list[int]
    service: list[int]
    demand: list[int]
    capacity: int
    ids: list[str]
    ends: list[int]
    delivery_of: list[int]
    pickup_of: list[int]
    reachable: list[list[bool]]
    """Whether ``b`` can follow ``a`` at all: service at ``a`` as early as it opens still reaches ``b`` in time."""


def supports(problem: Problem) -> bool:
    """Whether ``problem`` has the plain shape this phase handles (else the caller skips it)."""
    vehicles, first = problem.vehicles, problem.vehicles[0]
    same_fleet = all(
        (v.start, v.end, v.shift, v.capacity, v.fixed_cost)
        == (first.start, first.start, first.shift, first.capacity, first.fixed_cost)
        and v.max_duration_s is None
        and not v.breaks
        and not v.skills
        for v in vehicles
    )
    visits = all(isinstance(job, Visit) and len(job.windows) == 1 for job in problem.jobs)
    shipments = all(
        isinstance(job, Shipment) and len(job.pickup_windows) == len(job.delivery_windows) == 1 and job.demand[0] >= 0
        for job in problem.jobs
    )
    plain = all(not job.skills and job.pinned is None for job in problem.jobs)
    return (
        same_fleet
        and (visits or shipments)
        and plain
        and len(first.capacity) == 1
        and problem.balance_coefficient == 0
        and len(problem.jobs) > 1
    )


def _stops(problem: Problem) -> list[tuple[str, int, int, tuple[int, int], int, int]]:
    """(job id, end, location, window, service, demand) of each stop, in node order (depot excluded)."""
    stops = []
    for job in problem.jobs:
        if isinstance(job, Visit):
            stops.append((job.id, 0, job.location, job.windows[0], job.service_s, job.demand[0]))
        else:
            stops.append((job.id, 0, job.pickup, job.pickup_windows[0], job.pickup_service_s, job.demand[0]))
            stops.append((job.id, 1, job.delivery, job.delivery_windows[0], job.delivery_service_s, -job.demand[0]))
    return stops


def data_of(problem: Problem) -> Data:
    """Flatten a problem that :func:`supports` accepts into per-node lists."""
    vehicle = problem.vehicles[0]
    stops = _stops(problem)
    locations = [vehicle.start] + [stop[2] for stop in stops]
    travel = [[int(problem.duration[a][b]) for b in locations] for a in locations]
    ready = [vehicle.shift[0]] + [stop[3][0] for stop in stops]
    due = [vehicle.shift[1]] + [stop[3][1] for stop in stops]
    service = [0] + [stop[4] for stop in stops]
    n = len(locations)
    ends = [0] + [stop[1] for stop in stops]
    return Data(
        travel=travel,
        cost=[[int(problem.cost[a][b]) for b in locations] for a in locations],
        ready=ready,
        due=due,
        service=service,
        demand=[0] + [stop[5] for stop in stops],
        capacity=vehicle.capacity[0],
        ids=[""] + [stop[0] for stop in stops],
        ends=ends,
        delivery_of=[k + 1 if 0 < k < n - 1 and ends[k + 1] == 1 else 0 for k in range(n)],
        pickup_of=[k - 1 if ends[k] == 1 else 0 for k in range(n)],
        reachable=[[ready[a] + service[a] + travel[a][b] <= due[b] for b in range(n)] for a in range(n)],
    )


class Route:
    """A route's stops with the earliest (``early``) and latest (``late``) feasible start at each position.

    Positions count the start depot as 0 and the end depot as ``len(nodes) + 1`` (``path`` holds the nodes
    by position, depots included); ``late`` is what makes an insertion check constant-time: whatever
    arrives at a position by its ``late`` keeps the rest feasible. Both grow along the route, so the
    positions open to a window are found by bisection.
    """

    def __init__(self, data: Data, nodes: list[int]) -> None:
        self.data = data
        self.nodes = nodes
        self.path: list[int] = []
        self.early: list[int] = []
        self.late: list[int] = []
        self.loads: list[int] = []
        self.load = 0
        self.refresh()

    def refresh(self) -> None:
        """Recompute the time slack arrays and the load after the stops changed.

        Called after every insertion of the ruin-and-recreate phases, hence the local names and no
        ``min``/``max`` calls (twice as fast on 30-stop routes).
        """
        d = self.data
        ready, due, service, travel, demand = d.ready, d.due, d.service, d.travel, d.demand
        path = [0, *self.nodes, 0]
        early = [0] * len(path)
        clock = early[0] = ready[0]
        previous = 0
        for k in range(1, len(path)):
            node = path[k]
            clock += service[previous] + travel[previous][node]
            if clock < ready[node]:
                clock = ready[node]
            early[k] = clock
            previous = node
        late = [0] * len(path)
        bound = late[-1] = due[0]
        following = 0
        for k in range(len(path) - 2, -1, -1):
            node = path[k]
            bound -= travel[node][following] + service[node]
            if bound > due[node]:
                bound = due[node]
            late[k] = bound
            following = node
        loads = [0] * len(path)
        load = 0
        for k in range(1, len(path)):
            load += demand[path[k]]
            loads[k] = load
        self.path, self.early, self.late, self.loads, self.load = path, early, late, loads, load

    def node_at(self, position: int) -> int:
        """The node at ``position`` (0 and ``len(nodes) + 1`` are the depot)."""
        return self.nodes[position - 1] if 0 < position <= len(self.nodes) else 0

    def fits(self, node: int, position: int) -> bool:
        """Whether ``node`` can go between positions ``position`` and ``position + 1`` (time and load)."""
        d = self.data
        if self.load + d.demand[node] > d.capacity:
            return False
        before, after = self.node_at(position), self.node_at(position + 1)
        start = max(d.ready[node], self.early[position] + d.service[before] + d.travel[before][node])
        return start <= d.due[node] and start + d.service[node] + d.travel[node][after] <= self.late[position + 1]

    def insertion_cost(self, node: int, position: int) -> int:
        """Added cost of putting ``node`` between positions ``position`` and ``position + 1``."""
        cost, before, after = self.data.cost, self.node_at(position), self.node_at(position + 1)
        return cost[before][node] + cost[node][after] - cost[before][after]

    def pair_options(self, pickup: int) -> t.Iterator[tuple[int, int]]:
        """Every feasible (i, j): the pickup goes before stop index ``i``, its delivery before stop index ``j >= i``.

        For each ``i`` the stops after the pickup are walked once, carrying its load, while the delivery
        is tried before each of them; the ``late`` array settles the rest of the route in one comparison.
        """
        d, stops = self.data, self.nodes
        delivery, amount = d.delivery_of[pickup], d.demand[pickup]
        ready, due, service, travel = d.ready, d.due, d.service, d.travel
        for i in range(len(stops) + 1):
            if self.loads[i] + amount > d.capacity:
                continue
            before = self.node_at(i)
            clock = max(ready[pickup], self.early[i] + service[before] + travel[before][pickup])
            if clock > due[pickup]:
                continue
            previous = pickup
            for j in range(i, len(stops) + 1):
                arrival = max(ready[delivery], clock + service[previous] + travel[previous][delivery])
                after = self.node_at(j + 1)
                if arrival <= due[delivery] and arrival + service[delivery] + travel[delivery][after] <= self.late[j + 1]:
                    yield i, j
                if j == len(stops) or self.loads[j + 1] + amount > d.capacity:
                    break
                clock = max(ready[after], clock + service[previous] + travel[previous][after])
                if clock > due[after]:
                    break
                previous = after

    def pair_cost(self, pickup: int, i: int, j: int) -> int:
        """Added cost of a shipment placed as :meth:`pair_options` describes."""
        cost, delivery = self.data.cost, self.data.delivery_of[pickup]
        before, after = self.node_at(i), self.node_at(i + 1)
        if i == j:
            return cost[before][pickup] + cost[pickup][delivery] + cost[delivery][after] - cost[before][after]
        last, following = self.node_at(j), self.node_at(j + 1)
        return (
            cost[before][pickup]
            + cost[pickup][after]
            - cost[before][after]
            + cost[last][delivery]
            + cost[delivery][following]
            - cost[last][following]
        )

    def options(self, job: int) -> list[tuple[int, tuple[int, ...]]]:
        """Every feasible placement of ``job`` (a visit's position, or a shipment's (i, j)) with its added cost."""
        if self.data.delivery_of[job]:
            return [(self.pair_cost(job, i, j), (i, j)) for i, j in self.pair_options(job)]
        return [(self.insertion_cost(job, p), (p,)) for p in range(len(self.nodes) + 1) if self.fits(job, p)]

    def place(self, job: int, placement: tuple[int, ...]) -> None:
        """Insert ``job`` where ``placement`` says (see :meth:`options`)."""
        if len(placement) == 2:
            self.nodes.insert(placement[1], self.data.delivery_of[job])
        self.nodes.insert(placement[0], job)
        self.refresh()

    def without(self, job: int) -> list[int]:
        """The stops with ``job`` (both ends of a shipment) left out."""
        return [n for n in self.nodes if n != job and self.data.pickup_of[n] != job]


def feasible(data: Data, nodes: t.Sequence[int]) -> bool:
    """Whether a whole route (stops only, depots implied) keeps every window and the capacity.

    Pickup-before-delivery is not checked: every move keeps a shipment's two ends in order.
    """
    clock, previous, load = data.ready[0], 0, 0
    for node in [*nodes, 0]:
        load += data.demand[node]
        clock = max(data.ready[node], clock + data.service[previous] + data.travel[previous][node])
        if clock > data.due[node] or load > data.capacity:
            return False
        previous = node
    return True


def _tail_fits(route: Route, node: int, position: int, ejected: tuple[int, ...]) -> bool:
    """Whether the route with ``node`` inserted before stop index ``position`` and ``ejected`` removed keeps its windows.

    Walks from the first change only, and stops as soon as an unchanged stop past the last change is
    reached within its latest start (``late``): the rest of the route is then feasible as it was. The
    innermost loop of the phase, hence the local names.
    """
    d, stops, late = route.data, route.nodes, route.late
    ready, due, service, travel = d.ready, d.due, d.service, d.travel
    first = min(position, ejected[0]) if ejected else position
    last = max(position, ejected[-1] + 1) if ejected else position
    clock, previous = route.early[first], route.node_at(first)
    for index in range(first, len(stops) + 1):
        if index == position:
            clock += service[previous] + travel[previous][node]
            if clock < ready[node]:
                clock = ready[node]
            elif clock > due[node]:
                return False
            previous = node
        if index in ejected:
            continue
        current = stops[index] if index < len(stops) else 0
        clock += service[previous] + travel[previous][current]
        if clock < ready[current]:
            clock = ready[current]
        if index >= last:
            return clock <= late[index + 1]
        if clock > due[current]:
            return False
        previous = current
    return True


def _neighbours_reachable(d: Data, stops: list[int], node: int, position: int, ejected: tuple[int, ...]) -> bool:
    """A quick necessary condition for :func:`_tail_fits`: ``node`` fits between its new neighbours' windows."""
    before = position - 1
    while before in ejected:
        before -= 1
    after = position
    while after in ejected:
        after += 1
    previous = stops[before] if before >= 0 else 0
    following = stops[after] if after < len(stops) else 0
    return d.reachable[previous][node] and d.reachable[node][following]


@dataclass
class _Ejection:
    """The best way found so far to force a stop into a route: where, whom to eject, at what penalty."""

    penalty: int
    route: int
    position: int
    ejected: tuple[int, ...]


class _Pool:
    """One attempt at emptying a route: the pool of jobs to place and the per-job failure counters."""

    def __init__(self, data: Data, routes: list[list[int]], victim: int, rng: random.Random) -> None:
        self.data = data
        self.rng = rng
        self.routes = [Route(data, list(r)) for k, r in enumerate(routes) if k != victim]
        self.pool = [n for n in routes[victim] if not data.pickup_of[n]]
        rng.shuffle(self.pool)
        self.penalty = [1] * len(data.ids)

    def step(self) -> None:
        """Place one job of the pool: where it fits at least cost, else by ejecting the cheapest jobs."""
        job = self.pool.pop()
        if not self._insert(job):
            self.penalty[job] += 1
            if self.data.delivery_of[job]:
                self._eject_for_pair(job)
            else:
                self._eject_for(job)
        self.perturb(PERTURB_MOVES)

    def _insert(self, job: int) -> bool:
        best: tuple[int, int, tuple[int, ...]] | None = None
        for k, route in enumerate(self.routes):
            for cost, placement in route.options(job):
                if best is None or (cost, k, placement) < best:
                    best = (cost, k, placement)
        if best is None:
            return False
        self.routes[best[1]].place(job, best[2])
        return True

    def _routes_in_random_order(self) -> list[int]:
        order = list(range(len(self.routes)))
        self.rng.shuffle(order)
        return order

    def _eject_for(self, node: int) -> None:
        best: _Ejection | None = None
        for k in self._routes_in_random_order():
            best = self._best_in_route(node, k, self.routes[k], best)
            if best is not None and best.penalty == 1:
                break  # no ejection costs less
        if best is None:
            # Nothing fits even with two ejections: try again later, after other placements and moves.
            self.pool.insert(0, node)
            return
        route = self.routes[best.route]
        ejected = [route.nodes[i] for i in best.ejected]
        kept = [n for i, n in enumerate(route.nodes) if i not in best.ejected]
        kept.insert(best.position - sum(1 for i in best.ejected if i < best.position), node)
        route.nodes = kept
        route.refresh()
        self.pool.extend(ejected)

    def _eject_for_pair(self, job: int) -> None:
        """Eject the one shipment of least penalty whose removal lets ``job`` in (two would cost too much here)."""
        best: tuple[int, int, int] | None = None
        for k in self._routes_in_random_order():
            route = self.routes[k]
            candidates = sorted((self.penalty[n], n) for n in route.nodes if self.data.delivery_of[n])
            for penalty, other in candidates:
                if best is not None and penalty >= best[0]:
                    break
                trial = Route(self.data, route.without(other))
                if next(trial.pair_options(job), None) is not None:
                    best = (penalty, k, other)
                    break
            if best is not None and best[0] == 1:
                break
        if best is None:
            self.pool.insert(0, job)
            return
        _, k, other = best
        route = self.routes[k]
        route.nodes = route.without(other)
        route.refresh()
        _, placement = min(route.options(job))
        route.place(job, placement)
        self.pool.append(other)

    def _best_in_route(self, node: int, k: int, route: Route, best: _Ejection | None) -> _Ejection | None:
        d = self.data
        stops = route.nodes
        for size in range(1, MAX_EJECTED + 1):
            for ejected in itertools.combinations(range(len(stops)), size):
                penalty = sum(self.penalty[stops[i]] for i in ejected)
                if best is not None and penalty >= best.penalty:
                    continue
                if route.load - sum(d.demand[stops[i]] for i in ejected) + d.demand[node] > d.capacity:
                    continue
                for position in range(len(stops) + 1):
                    if _neighbours_reachable(d, stops, node, position, ejected) and _tail_fits(route, node, position, ejected):
                        best = _Ejection(penalty, k, position, ejected)
                        break
        return best

    def perturb(self, moves: int) -> None:
        """Random feasible relocations and swaps between routes, whatever their cost: they diversify."""
        routes = [r for r in self.routes if r.nodes]
        if len(routes) < 2:
            return
        pairs = any(self.data.delivery_of)
        for _ in range(moves):
            first, second = self.rng.sample(routes, 2)
            i = self.rng.randrange(len(first.nodes))
            if pairs or self.rng.random() < 0.5:
                self._relocate(first, i, second)
            else:
                self._swap(first, i, second, self.rng.randrange(len(second.nodes)))
            if not first.nodes:
                routes = [r for r in self.routes if r.nodes]
                if len(routes) < 2:
                    return

    def _relocate(self, source: Route, i: int, target: Route) -> None:
        job = self.data.pickup_of[source.nodes[i]] or source.nodes[i]
        options = target.options(job)
        if not options:
            return
        remaining = source.without(job)
        if not feasible(self.data, remaining):
            return
        target.place(job, self.rng.choice(options)[1])
        source.nodes = remaining
        source.refresh()

    def _swap(self, first: Route, i: int, second: Route, j: int) -> None:
        a = [*first.nodes[:i], second.nodes[j], *first.nodes[i + 1 :]]
        b = [*second.nodes[:j], first.nodes[i], *second.nodes[j + 1 :]]
        if feasible(self.data, a) and feasible(self.data, b):
            first.nodes, second.nodes = a, b
            first.refresh()
            second.refresh()

    def result(self) -> list[list[int]]:
        """The routes without empty ones."""
        return [list(r.nodes) for r in self.routes if r.nodes]


MAX_EJECTED = 2
"""Stops that may be ejected from one route to make room for one (Nagata & Bräysy use up to 5 with pruning)."""
PERTURB_MOVES = 30
"""Random moves tried after each placement."""


def lower_bound(data: Data) -> int:
    """Routes needed for the load alone."""
    return max(1, -(-sum(data.demand) // data.capacity))


def minimise(
    data: Data,
    routes: list[list[int]],
    *,
    seed: int,
    deadline: float | None,
    max_steps: int,
) -> list[list[int]]:
    """Remove routes one at a time with the ejection pool until the time or the step budget runs out.

    ``deadline`` is a ``time.perf_counter`` value; ``None`` makes the budget ``max_steps`` placements alone,
    so the result depends only on the inputs and the seed. Returns the plan with the fewest routes found
    (the input itself when no route could be removed).
    """
    rng = random.Random(seed)
    best = [list(r) for r in routes if r]
    steps = 0
    while len(best) > lower_bound(data) and steps < max_steps:
        victim = min(range(len(best)), key=lambda k: (len(best[k]), rng.random()))
        attempt = _Pool(data, best, victim, rng)
        while attempt.pool and steps < max_steps and (deadline is None or time.perf_counter() < deadline):
            attempt.step()
            steps += 1
        result = attempt.result()
        if attempt.pool or len(result) >= len(best):
            break
        best = result
    return best


def to_nodes(data: Data, plan: Plan) -> list[list[int]]:
    """Routes of node numbers from a plan of (job id, end)."""
    node_of = {(job, end): k for k, (job, end) in enumerate(zip(data.ids, data.ends, strict=True)) if k}
    return [[node_of[stop] for stop in route] for route in plan]


def to_plan(data: Data, routes: list[list[int]], vehicles: int) -> Plan:
    """A plan of (job id, end) over ``vehicles`` vehicles (the unused ones empty)."""
    plan: Plan = [[(data.ids[n], data.ends[n]) for n in route] for route in routes]
    return plan + [[] for _ in range(vehicles - len(plan))]
