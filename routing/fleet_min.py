"""Fewer routes by SISR's fleet minimisation (Christiaens & Vanden Berghe 2020), for plain VRPTW and PDPTW.

A route is dropped and its jobs left out; ruin and recreate (:mod:`routing.sisr`) then runs with the jobs
that fit nowhere kept aside. A recreated plan is kept when it leaves fewer jobs out, or jobs left out
less often so far (each job counts its absences): hard jobs get placed, easy ones move. When all fit, the
next route is dropped. On Solomon R1/RC1 and Li & Lim LR1/LR2 it removed as many routes as the ejection
pool of :mod:`routing.route_min` in the same 4 s, and more on 9 of 27 (fewer on one, LR108).
"""

from __future__ import annotations

import random
import time

from routing.route_min import Data
from routing.sisr import RuinRecreate


def fewer_routes(
    data: Data,
    routes: list[list[int]],
    *,
    seed: int,
    deadline: float | None,
    max_iterations: int,
    floor: int = 1,
) -> list[list[int]]:
    """SISR's fleet minimisation: drop a route, and ruin and recreate until its jobs all fit elsewhere.

    A recreated plan is kept when it leaves fewer jobs out, or jobs that were left out less often before
    (each job counts its absences): the hard ones get placed first, the easy ones move. Returns the plan
    with the fewest routes found.
    """
    rng = random.Random(seed)
    routes = [list(r) for r in routes if r]
    best = [list(r) for r in routes]
    absences = [0] * len(data.ids)
    search: RuinRecreate | None = None
    bank: list[int] = []
    for iteration in range(max_iterations):
        if deadline is not None and iteration % 16 == 0 and time.perf_counter() >= deadline:
            break
        if search is None:
            if len(best) <= floor:
                break
            victim = min(range(len(best)), key=lambda k: (len(best[k]), rng.random()))
            search = RuinRecreate(data, [r for k, r in enumerate(best) if k != victim], rng)
            bank = [n for n in best[victim] if not data.pickup_of[n]]
        removed = search.ruin()
        left: list[int] = []
        search.recreate(removed + bank, left)
        if len(left) < len(bank) or sum(absences[n] for n in left) < sum(absences[n] for n in bank):
            search.commit()
            bank = left
            if not bank:
                best = [r for r in search.plan() if r]
                search = None
        else:
            search.restore()
        for n in left:
            absences[n] += 1
    return best
