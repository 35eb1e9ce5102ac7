"""Benchmark records compared with the best-known solutions hierarchically (vehicles first), as table and JSON."""

from __future__ import annotations

import json
import statistics
import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path

from routing.bench.bks import Bks
from routing.bench.feasibility import Check

VsBks = t.Literal["fewer_vehicles", "same_vehicles", "more_vehicles", "no_bks"]


@dataclass(frozen=True)
class Record:
    """One solver's result on one instance; distances in instance units, recomputed in double precision.

    ``gap_pct`` is the distance gap to the BKS whatever the vehicle counts; it only ranks two plans when
    ``vs_bks`` is ``same_vehicles``, since fewer vehicles always win. The tables round BKS distances (to
    2 decimals for Solomon, 4 for the others), so a gap within about 0.001 % of zero means equal.
    """

    solver: str
    instance: str
    vehicles: int
    distance: float
    feasible: bool
    seconds: float
    bks_vehicles: int | None
    bks_distance: float | None
    gap_pct: float | None
    vs_bks: VsBks
    problems: list[str]
    note: str
    routes: list[list[int]]


def compare_vehicles(vehicles: int, bks: Bks | None) -> VsBks:
    """Return where ``vehicles`` stands against the BKS count, the first level of the hierarchical comparison."""
    if bks is None:
        return "no_bks"
    if vehicles == bks.vehicles:
        return "same_vehicles"
    return "fewer_vehicles" if vehicles < bks.vehicles else "more_vehicles"


def make_record(
    solver: str, instance: str, routes: list[list[int]], check: Check, seconds: float, bks: Bks | None, note: str
) -> Record:
    """Build the record of one run from its routes, the checker's verdict and the instance's BKS (if any)."""
    vehicles = sum(1 for route in routes if route)
    gap_pct = None if bks is None or not vehicles else 100.0 * (check.distance - bks.distance) / bks.distance
    return Record(
        solver=solver,
        instance=instance,
        vehicles=vehicles,
        distance=check.distance,
        feasible=check.feasible,
        seconds=seconds,
        bks_vehicles=None if bks is None else bks.vehicles,
        bks_distance=None if bks is None else bks.distance,
        gap_pct=gap_pct,
        vs_bks=compare_vehicles(vehicles, bks),
        problems=check.problems,
        note=note,
        routes=routes,
    )


def summarise(records: list[Record]) -> dict[str, t.Any]:
    """Return the suite's figures: feasibility, share at the BKS vehicle count, mean gap there, mean seconds.

    Only feasible records count as reaching the BKS vehicle count; ``mean_gap_pct_at_bks_vehicles`` averages
    the distance gap over those alone, the only ones where distance decides.
    """
    with_bks = [r for r in records if r.vs_bks != "no_bks"]
    at_bks = [r for r in with_bks if r.feasible and r.vs_bks == "same_vehicles"]
    return {
        "instances": len(records),
        "feasible": sum(r.feasible for r in records),
        "all_feasible": all(r.feasible for r in records),
        "with_bks": len(with_bks),
        "at_bks_vehicles": len(at_bks),
        "share_at_bks_vehicles": len(at_bks) / len(with_bks) if with_bks else None,
        "fewer_vehicles_than_bks": sum(r.feasible and r.vs_bks == "fewer_vehicles" for r in with_bks),
        "extra_vehicles": sum(r.vehicles - t.cast("int", r.bks_vehicles) for r in with_bks if r.vs_bks == "more_vehicles"),
        "mean_gap_pct_at_bks_vehicles": statistics.fmean(t.cast("float", r.gap_pct) for r in at_bks) if at_bks else None,
        "mean_seconds": statistics.fmean(r.seconds for r in records) if records else None,
    }


_VS = {"fewer_vehicles": "fewer veh", "same_vehicles": "same veh", "more_vehicles": "more veh", "no_bks": "no BKS"}


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_header() -> str:
    """Return the table's header line."""
    return f"{'instance':<10} {'veh':>4} {'bks':>4} {'distance':>10} {'bks dist':>10} {'gap %':>7} {'vs BKS':<9} {'ok':<3} {'seconds':>8}  note"


def format_row(record: Record) -> str:
    """Return one table line: vehicles against the BKS count first, then the distance gap."""
    bks = "-" if record.bks_vehicles is None else str(record.bks_vehicles)
    note = record.note or ("" if record.feasible else record.problems[0])
    return (
        f"{record.instance:<10} {record.vehicles:>4} {bks:>4} {record.distance:>10.2f} {_number(record.bks_distance, 2):>10} "
        f"{_number(record.gap_pct, 2):>7} {_VS[record.vs_bks]:<9} {'yes' if record.feasible else 'NO':<3} {record.seconds:>8.2f}  {note}"
    )


def format_summary(summary: dict[str, t.Any]) -> str:
    """Return the summary lines printed under the table."""
    share = summary["share_at_bks_vehicles"]
    gap = summary["mean_gap_pct_at_bks_vehicles"]
    return "\n".join(
        [
            f"feasible: {summary['feasible']}/{summary['instances']} (all feasible: {'yes' if summary['all_feasible'] else 'no'})",
            f"at the BKS vehicle count: {summary['at_bks_vehicles']}/{summary['with_bks']}"
            + ("" if share is None else f" = {100 * share:.0f} %")
            + f"; fewer than BKS: {summary['fewer_vehicles_than_bks']}; extra vehicles in all: {summary['extra_vehicles']}",
            f"mean distance gap on instances at the BKS vehicle count: {_number(gap, 2)} %",
            f"mean seconds: {_number(summary['mean_seconds'], 2)}",
        ]
    )


def write_json(
    path: Path,
    *,
    settings: dict[str, t.Any],
    records: list[Record],
    summary: dict[str, t.Any],
    matrix: dict[str, t.Any] | None,
    almaty: dict[str, t.Any] | None = None,
) -> None:
    """Write the run's settings, records (with routes), summary and optional matrix and Almaty-day figures as JSON."""
    document = {
        **settings,
        "records": [asdict(record) for record in records],
        "summary": summary,
        "matrix": matrix,
        "almaty_day": almaty,
    }
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
