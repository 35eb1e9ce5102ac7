"""Ruin and recreate by slack induction by string removals (SISR), after Christiaens & Vanden Berghe (2020).

The shared core of :mod:`routing.improve` (shorter routes) and :mod:`routing.fleet_min` (fewer routes).
A ruin removes a few strings of consecutive stops near one stop, one string per route across several
routes (sometimes keeping a substring in the middle in place); a recreation inserts the removed jobs one
by one at their cheapest feasible place, skipping a position now and then ("blinks") so that it does not
rebuild the same plan. Removing strings of neighbours frees room in several routes at one place, which is
what lets long routes exchange whole chains: OR-Tools' guided local search, changing a few arcs at a time,
stalls there (Li & Lim LR2/LRC2: 25-40 % above the best known after seconds).

It works on :mod:`routing.route_min`'s flat :class:`~routing.route_min.Data`, checks an insertion in
constant time with the earliest and latest start times of :class:`~routing.route_min.Route`, and moves a
shipment's two ends together, pickup first. The number of routes never grows.
"""

from __future__ import annotations

import bisect
import math
import random

from routing.route_min import Data
from routing.route_min import Route

C_BAR = 10
"""Average number of jobs removed per ruin (the paper's c̄)."""
L_MAX = 10
"""Longest string removed from one route (the paper's L^max)."""
SPLIT_RATE = 0.5
"""Share of removals that keep a substring of the removed string in place (the paper's split-string)."""
SPLIT_DEPTH = 0.01
"""Chance to stop growing the kept substring at each step (the paper's β for the split-string)."""
BLINK_RATE = 0.01
"""Chance to skip an insertion position: the noise that lets recreation find other orders."""


class RuinRecreate:
    """The current plan, its routes' time slack, and where each stop is."""

    def __init__(self, data: Data, routes: list[list[int]], rng: random.Random) -> None:
        self.data = data
        self.rng = rng
        self.routes = [Route(data, list(r)) for r in routes]
        self.costs = [route_cost(data, r) for r in routes]
        self.jobs = [n for n in range(1, len(data.ids)) if not data.pickup_of[n]]
        self.route_of = [-1] * len(data.ids)
        for k, route in enumerate(self.routes):
            for node in route.nodes:
                self.route_of[node] = k
        cost = data.cost
        self.adjacent = [sorted(range(1, len(data.ids)), key=row.__getitem__) for row in cost]
        """Per node, every stop from the nearest: where a ruin looks for the next route to cut."""
        self.saved: dict[int, tuple[list[int], int]] = {}
        """Routes changed in this iteration, as they were before it (restored on rejection)."""
        self.pairs = any(data.delivery_of)
        self._into = [list(column) for column in zip(*cost, strict=True)]
        """The cost matrix by columns: ``_into[b][a]`` is the cost from ``a`` to ``b``."""

    def total(self) -> int:
        """Cost of the plan as it is now (the touched routes' costs brought up to date)."""
        for k in self.saved:
            self.costs[k] = route_cost(self.data, self.routes[k].nodes)
        return sum(self.costs)

    def _touch(self, k: int) -> None:
        """Remember route ``k`` as it was before this iteration (once), to restore it on rejection."""
        if k not in self.saved:
            self.saved[k] = (list(self.routes[k].nodes), self.costs[k])

    def restore(self) -> None:
        """Undo the iteration: put back every touched route."""
        for k in self.saved:
            for node in self.routes[k].nodes:
                self.route_of[node] = -1
        for k, (nodes, cost) in self.saved.items():
            route = self.routes[k]
            route.nodes = nodes
            route.refresh()
            self.costs[k] = cost
            for node in nodes:
                self.route_of[node] = k
        self.saved = {}

    def commit(self) -> None:
        """Keep the iteration's changes."""
        self.total()
        self.saved = {}

    def ruin(self) -> list[int]:
        """Remove strings of stops from routes near a random stop; return the removed jobs."""
        rng, routes = self.rng, self.routes
        used = [len(r.nodes) for r in routes if r.nodes]
        if not used:
            return []
        longest = min(float(L_MAX), sum(used) / len(used))
        strings = int(rng.uniform(1, 4 * C_BAR / (1 + longest)))
        removed: list[int] = []
        ruined: set[int] = set()
        for node in self.adjacent[rng.choice(self.jobs)]:
            if len(ruined) >= strings:
                break
            k = self.route_of[node]
            if k < 0 or k in ruined:
                continue
            ruined.add(k)
            removed.extend(self._remove_string(k, node, longest))
        return removed

    def _remove_string(self, k: int, node: int, longest: float) -> list[int]:
        rng, d = self.rng, self.data
        route = self.routes[k]
        nodes = route.nodes
        size = int(rng.uniform(1, min(len(nodes), longest) + 1))
        kept = 0
        if size < len(nodes) and rng.random() < SPLIT_RATE:
            kept = 1
            while kept < len(nodes) - size and rng.random() > SPLIT_DEPTH:
                kept += 1
        span = size + kept
        where = nodes.index(node)
        first = min(max(0, where - rng.randrange(span)), len(nodes) - span)
        gone = set(range(first, first + span))
        if kept:
            skip = first + rng.randrange(size + 1)
            gone -= set(range(skip, skip + kept))
        out = {nodes[i] for i in gone}
        if self.pairs:
            out |= {d.delivery_of[n] or d.pickup_of[n] for n in out}
        self._touch(k)
        route.nodes = [n for n in nodes if n not in out]
        route.refresh()
        for n in out:
            self.route_of[n] = -1
        return sorted(n for n in out if not d.pickup_of[n])

    def recreate(self, jobs: list[int], bank: list[int] | None = None) -> bool:
        """Insert ``jobs`` one by one at their cheapest place (with blinks).

        A job that fits nowhere goes to ``bank`` if one is given, else ends the recreation with ``False``.
        """
        self._order(jobs)
        for job in jobs:
            best = self._best_pair(job) if self.pairs else self._best_visit(job)
            if best is None:
                if bank is None:
                    return False
                bank.append(job)
                continue
            _, k, placement = best
            self._touch(k)
            route = self.routes[k]
            if len(placement) == 2:
                route.nodes.insert(placement[1], self.data.delivery_of[job])
                self.route_of[self.data.delivery_of[job]] = k
            route.nodes.insert(placement[0], job)
            route.refresh()
            self.route_of[job] = k
        return True

    def _order(self, jobs: list[int]) -> None:
        d, rng = self.data, self.rng
        draw = rng.randrange(11)
        if draw < 4:
            rng.shuffle(jobs)
        elif draw < 8:
            jobs.sort(key=lambda n: -d.demand[n])
        elif draw < 10:
            jobs.sort(key=lambda n: -d.cost[0][n])
        else:
            jobs.sort(key=lambda n: d.cost[0][n])

    def _best_visit(self, job: int) -> tuple[int, int, tuple[int, ...]] | None:
        """The cheapest feasible position over all routes, looking only where the job's window can fit.

        Most of an iteration's time is spent here, hence the local names. (Checking every arc of the plan
        at once with NumPy was no faster: the routes are short, and each call pays for a dozen array ops.)
        """
        d, rng = self.data, self.rng
        cost, travel, service = d.cost, d.travel, d.service
        ready, due, demand, capacity = d.ready[job], d.due[job], d.demand[job], d.capacity
        into, out, work = self._into[job], cost[job], service[job]
        best: tuple[int, int, tuple[int, ...]] | None = None
        limit = math.inf
        for k, route in enumerate(self.routes):
            if route.load + demand > capacity:
                continue
            path, early, late = route.path, route.early, route.late
            # early and late grow along the route: past ``last`` the job would start too late, before
            # ``first`` the rest of the route could not wait for its window to open.
            first = max(0, bisect.bisect_left(late, ready) - 1)
            last = min(len(path) - 2, bisect.bisect_right(early, due) - 1)
            for p in range(first, last + 1):
                previous, following = path[p], path[p + 1]
                delta = into[previous] + out[following] - cost[previous][following]
                if delta < limit:
                    start = early[p] + service[previous] + travel[previous][job]
                    if start < ready:
                        start = ready
                    if start <= due and start + work + travel[job][following] <= late[p + 1] and rng.random() >= BLINK_RATE:
                        limit, best = delta, (delta, k, (p,))
        return best

    def _best_pair(self, pickup: int) -> tuple[int, int, tuple[int, ...]] | None:
        """The cheapest (i, j) over all routes: pickup before stop index ``i``, delivery before ``j >= i``.

        The pickup's own detour bounds the pair's from below (the triangle inequality), which prunes most ``i``.
        """
        d, rng = self.data, self.rng
        cost, travel, service, ready, due = d.cost, d.travel, d.service, d.ready, d.due
        delivery, amount, capacity = d.delivery_of[pickup], d.demand[pickup], d.capacity
        best: tuple[int, int, tuple[int, ...]] | None = None
        limit = math.inf
        for k, route in enumerate(self.routes):
            nodes, early, late, loads = route.nodes, route.early, route.late, route.loads
            size = len(nodes)
            for i in range(size + 1):
                if loads[i] + amount > capacity:
                    continue
                before = nodes[i - 1] if i else 0
                after = nodes[i] if i < size else 0
                detour = cost[before][pickup] + cost[pickup][after] - cost[before][after]
                if detour >= limit:
                    continue
                clock = early[i] + service[before] + travel[before][pickup]
                if clock < ready[pickup]:
                    clock = ready[pickup]
                if clock > due[pickup]:
                    continue
                # delivery right after the pickup
                delta = cost[before][pickup] + cost[pickup][delivery] + cost[delivery][after] - cost[before][after]
                if delta < limit:
                    arrival = max(ready[delivery], clock + service[pickup] + travel[pickup][delivery])
                    if (
                        arrival <= due[delivery]
                        and arrival + service[delivery] + travel[delivery][after] <= late[i + 1]
                        and rng.random() >= BLINK_RATE
                    ):
                        limit, best = delta, (delta, k, (i, i))
                previous = pickup
                for j in range(i + 1, size + 1):
                    # the stop at index j - 1 now follows the pickup; the delivery goes before index j
                    current = nodes[j - 1]
                    if loads[j] + amount > capacity:
                        break
                    clock = clock + service[previous] + travel[previous][current]
                    if clock < ready[current]:
                        clock = ready[current]
                    if clock > due[current] or clock > late[j]:
                        break
                    previous = current
                    following = nodes[j] if j < size else 0
                    delta = detour + cost[current][delivery] + cost[delivery][following] - cost[current][following]
                    if delta >= limit:
                        continue
                    arrival = clock + service[current] + travel[current][delivery]
                    if arrival < ready[delivery]:
                        arrival = ready[delivery]
                    if (
                        arrival <= due[delivery]
                        and arrival + service[delivery] + travel[delivery][following] <= late[j + 1]
                        and rng.random() >= BLINK_RATE
                    ):
                        limit, best = delta, (delta, k, (i, j))
        return best

    def plan(self) -> list[list[int]]:
        """A copy of the routes (empty ones included)."""
        return [list(r.nodes) for r in self.routes]


def route_cost(data: Data, nodes: list[int]) -> int:
    """Cost of a route from the depot through ``nodes`` and back."""
    cost, previous, total = data.cost, 0, 0
    for node in nodes:
        total += cost[previous][node]
        previous = node
    return total + cost[previous][0]
