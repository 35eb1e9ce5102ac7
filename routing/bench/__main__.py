"""Command line: ``python -m routing.bench --suite SUITE --time-limit S`` prints a table against the BKS."""

from __future__ import annotations

import argparse
import sys
import typing as t
from pathlib import Path

from routing.bench.bks import load_bks
from routing.bench.convert import SCALE
from routing.bench.instances import SUITES
from routing.bench.instances import InstanceFormatError
from routing.bench.instances import instance_names
from routing.bench.report import Record
from routing.bench.report import format_header
from routing.bench.report import format_row
from routing.bench.report import format_summary
from routing.bench.report import summarise
from routing.bench.report import write_json
from routing.bench.runners import bench_instance
from routing.bench.runners import preload


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m routing.bench",
        description="Solve benchmark instances, check every plan in double precision and compare with the "
        "best-known solutions: vehicles first, then distance. Exit status 0 when every plan is feasible, "
        "1 when some is not, 2 on a usage error or a missing solver module.",
    )
    parser.add_argument("--suite", choices=sorted(SUITES), help="instance set (optional with --matrix or --almaty)")
    parser.add_argument("--instances", help="comma-separated instance names (case-insensitive); default: the whole suite")
    parser.add_argument("--time-limit", type=float, dest="time_limit_s", help="search time per instance, seconds")
    parser.add_argument("--workers", type=int, default=2, help="solver threads (default 2; PyVRP uses one)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", type=Path, dest="json_path", help="write records, routes and summary to this file")
    parser.add_argument("--anchor", choices=["vroom", "pyvrp"], help="run this reference solver instead of routing.solver")
    parser.add_argument("--scale", type=int, default=SCALE, help=f"integer units per instance unit (default {SCALE})")
    parser.add_argument("--matrix", type=int, metavar="N", help="also run routing.bench.matrix_bench on N points")
    parser.add_argument(
        "--almaty", type=int, metavar="N", help="also plan a generated Almaty day of N requests, ours beside the usual setup"
    )
    return parser


def _matrix_figures(points: int, seed: int) -> dict[str, t.Any] | None:
    try:
        from routing.bench.matrix_bench import run_matrix_benchmark
    except ModuleNotFoundError as error:
        if error.name != "routing.bench.matrix_bench":
            raise
        print("--matrix: routing.bench.matrix_bench is not available", file=sys.stderr)
        return None
    figures: dict[str, t.Any] = run_matrix_benchmark(points, seed)
    return figures


def _selected(parser: argparse.ArgumentParser, suite: str, instances: str | None) -> list[str]:
    names = instance_names(suite)
    if not instances:
        return names
    by_key = {name.lower(): name for name in names}
    wanted = [name.strip() for name in instances.split(",") if name.strip()]
    unknown = [name for name in wanted if name.lower() not in by_key]
    if unknown:
        parser.error(f"not in {suite}: {', '.join(unknown)}")
    return [by_key[name.lower()] for name in wanted]


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.suite is None and args.matrix is None and args.almaty is None:
        parser.error("give --suite, --matrix, --almaty or several")
    if args.suite is not None and (args.time_limit_s is None or args.time_limit_s <= 0):
        parser.error("--suite needs --time-limit S with S > 0")
    if args.workers < 1 or args.scale < 1:
        parser.error("--workers and --scale must be at least 1")
    solver = args.anchor or "ortools"
    records: list[Record] = []
    if args.suite is not None:
        try:
            names = _selected(parser, args.suite, args.instances)
            preload(solver)
        except InstanceFormatError as error:
            print(error, file=sys.stderr)
            return 2
        except ModuleNotFoundError as error:
            print(f"{solver}: cannot import {error.name}", file=sys.stderr)
            return 2
        bks = load_bks(args.suite)
        print(
            f"{solver} on {args.suite}: {len(names)} instances, {args.time_limit_s:g} s each, {args.workers} workers, seed {args.seed}"
        )
        print(format_header())
        for name in names:
            record = bench_instance(
                args.suite,
                name,
                solver=solver,
                bks=bks.get(name.lower()),
                time_limit_s=args.time_limit_s,
                seed=args.seed,
                workers=args.workers,
                scale=args.scale,
            )
            records.append(record)
            print(format_row(record), flush=True)
    summary = summarise(records)
    if records:
        print(format_summary(summary))
    matrix = None if args.matrix is None else _matrix_figures(args.matrix, args.seed)
    almaty = None
    if args.almaty is not None:
        from routing.bench.almaty_bench import run_almaty_benchmark

        almaty = run_almaty_benchmark(args.almaty, time_limit_s=args.time_limit_s or 20.0, seed=args.seed, workers=args.workers)
    if args.json_path is not None:
        settings = {
            "solver": solver if args.suite else None,
            "suite": args.suite,
            "time_limit_s": args.time_limit_s,
            "workers": args.workers,
            "seed": args.seed,
            "scale": args.scale,
        }
        write_json(args.json_path, settings=settings, records=records, summary=summary, matrix=matrix, almaty=almaty)
    if args.matrix is not None and matrix is None:
        return 2
    return 0 if summary["all_feasible"] else 1


if __name__ == "__main__":
    sys.exit(main())
