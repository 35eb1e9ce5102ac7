"""Run one solver (our OR-Tools solver, or an anchor) on one instance and check what it returns."""

from __future__ import annotations

import importlib
import time

from routing.bench.bks import Bks
from routing.bench.convert import SCALE
from routing.bench.convert import solution_routes
from routing.bench.convert import to_problem
from routing.bench.feasibility import check_routes
from routing.bench.instances import Instance
from routing.bench.instances import load_instance
from routing.bench.report import Record
from routing.bench.report import make_record
from routing.bench.run import Run
from routing.errors import RoutingError
from routing.model import Problem

SOLVERS = ("ortools", "vroom", "pyvrp")
"""``ortools`` is ``routing.solver.solve``; ``vroom`` and ``pyvrp`` are the anchors."""

_MODULES = {"ortools": "routing.solver", "vroom": "routing.bench.anchors", "pyvrp": "routing.bench.anchors"}


def preload(solver: str) -> None:
    """Import ``solver``'s module now, so that a missing one fails before any instance is read."""
    importlib.import_module(_MODULES[solver])


def _run_ortools(instance: Instance, problem: Problem, *, time_limit_s: float, seed: int, workers: int) -> Run:
    from routing.solver import solve

    started = time.perf_counter()
    solution = solve(problem, time_limit_s=time_limit_s, seed=seed, workers=workers)
    seconds = time.perf_counter() - started
    note = f"{len(solution.unassigned)} unassigned" if solution.unassigned else ""
    return Run(solution_routes(solution, instance), seconds, note)


def solve_instance(solver: str, instance: Instance, problem: Problem, *, time_limit_s: float, seed: int, workers: int) -> Run:
    """Solve ``problem`` (the integer model of ``instance``) with ``solver``, one of ``SOLVERS``.

    Parameters
    ----------
    solver
        ``ortools``, ``vroom`` or ``pyvrp``.
    instance, problem
        The instance and its integer model from ``to_problem``.
    time_limit_s
        Search time budget in seconds (VROOM may stop earlier).
    seed
        Random seed (VROOM has none).
    workers
        Threads for OR-Tools and VROOM (PyVRP uses one).

    Returns
    -------
    Run
        The routes; the time excludes building the model.
    """
    if solver == "ortools":
        return _run_ortools(instance, problem, time_limit_s=time_limit_s, seed=seed, workers=workers)
    from routing.bench import anchors

    anchor = anchors.solve_vroom if solver == "vroom" else anchors.solve_pyvrp
    return anchor(problem, time_limit_s=time_limit_s, seed=seed, workers=workers)


def bench_instance(
    suite: str,
    name: str,
    *,
    solver: str,
    bks: Bks | None,
    time_limit_s: float,
    seed: int,
    workers: int,
    scale: int = SCALE,
) -> Record:
    """Read, convert, solve and check one instance; a ``RoutingError`` of the solver becomes a failed record."""
    instance = load_instance(suite, name)
    problem = to_problem(instance, scale=scale)
    try:
        run = solve_instance(solver, instance, problem, time_limit_s=time_limit_s, seed=seed, workers=workers)
    except RoutingError as error:
        run = Run([], 0.0, f"{type(error).__name__}: {error}")
    check = check_routes(instance, run.routes)
    return make_record(solver, instance.name, run.routes, check, run.seconds, bks, run.note)
