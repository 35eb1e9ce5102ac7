"""Shorter routes by SISR with simulated-annealing acceptance, on no more routes than given.

After :mod:`routing.fleet_min` or the ejection pool the plan has the fewest routes found but no short
total distance. Guided local search alone leaves long routes 25-40 % above the best known (Li & Lim
LR2/LRC2); ruin and recreate (:mod:`routing.sisr`) with an annealing that accepts longer plans early and
only shorter ones late reaches the best known there within seconds. A job that fits nowhere after a ruin
rejects the iteration, so the vehicle count never grows.
"""

from __future__ import annotations

import math
import random
import time

from routing.route_min import Data
from routing.sisr import RuinRecreate

START_TEMPERATURE = 1.0
"""Start temperature of the annealing, in average arcs of the initial plan (scale-free)."""
END_TEMPERATURE = 0.01
"""End temperature, in the same unit."""


def improve(
    data: Data,
    routes: list[list[int]],
    *,
    seed: int,
    deadline: float | None,
    max_iterations: int,
) -> list[list[int]]:
    """Shorten ``routes`` (all jobs placed, each route feasible) by SISR, on no more routes than given.

    ``deadline`` is a ``time.perf_counter`` value; ``None`` makes the budget ``max_iterations`` alone (the
    cooling follows the iterations then), so the result depends only on the inputs and the seed. Returns
    the shortest plan found, without empty routes.
    """
    routes = [list(r) for r in routes if r]
    if not routes or max_iterations <= 0:
        return routes
    search = RuinRecreate(data, routes, random.Random(seed))
    current = best = search.total()
    best_plan = search.plan()
    arc = current / (len(search.jobs) + len(routes))
    hot, cold = START_TEMPERATURE * arc, END_TEMPERATURE * arc
    started = time.perf_counter()
    span = None if deadline is None else max(deadline - started, 1e-9)
    for iteration in range(max_iterations):
        if span is None:
            progress = iteration / max_iterations
        else:
            progress = (time.perf_counter() - started) / span
            if progress >= 1:
                break
        temperature = hot * (cold / hot) ** progress
        removed = search.ruin()
        if not search.recreate(removed):
            search.restore()
            continue
        candidate = search.total()
        if candidate < current - temperature * math.log(1.0 - search.rng.random()):
            search.commit()
            current = candidate
            if current < best:
                best, best_plan = current, search.plan()
        else:
            search.restore()
    return [r for r in best_plan if r]
