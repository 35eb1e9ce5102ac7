"""What changed between two versions of a day's plan, in terms a dispatcher acts on."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from dispatch.models import Plan

RETIMED_AFTER_S = 15 * 60
"""An ETA that moved by at least this much is reported (readers are told a window, not a minute)."""


def _placements(plan: Plan) -> dict[int, tuple[str, t.Any]]:
    return {
        stop.request_id: (route.vehicle, stop.eta)
        for route in plan.routes
        for stop in route.stops
        if stop.request_id is not None and stop.outcome is None
    }


def describe_changes(previous: Plan | None, plan: Plan) -> dict[str, t.Any]:
    """Requests added to routes, taken off them, moved between couriers, re-timed, and newly unassigned."""
    before = _placements(previous) if previous is not None else {}
    after = _placements(plan)
    unassigned_before = {u.request_id for u in previous.unassigned} if previous is not None else set()
    moved = [
        {"request_id": rid, "from": before[rid][0], "to": after[rid][0]}
        for rid in sorted(before.keys() & after.keys())
        if before[rid][0] != after[rid][0]
    ]
    retimed = [
        {"request_id": rid, "from": before[rid][1].isoformat(), "to": after[rid][1].isoformat()}
        for rid in sorted(before.keys() & after.keys())
        if before[rid][0] == after[rid][0] and abs((after[rid][1] - before[rid][1]).total_seconds()) >= RETIMED_AFTER_S
    ]
    return {
        "based_on": previous.version if previous is not None else None,
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "moved": moved,
        "retimed": retimed,
        "newly_unassigned": sorted({u.request_id for u in plan.unassigned} - unassigned_before),
    }
