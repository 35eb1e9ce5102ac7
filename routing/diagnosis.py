"""Why a job was left out: check it alone against every vehicle and name the first rule that fails."""

from __future__ import annotations

import typing as t

from routing.model import Problem
from routing.model import Shipment
from routing.model import Unassigned
from routing.model import Vehicle
from routing.model import Visit
from routing.model import Window

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from routing.model import Job

REASONS: dict[str, str] = {
    "no_vehicle_with_skills": "no courier has the skills this stop needs",
    "capacity": "the load is larger than any courier can carry",
    "window_unreachable": "no courier can reach the stop within its time window from the branch",
    "shift_too_short": "no courier could serve the stop and get back before the end of the shift",
    "route_too_long": "serving the stop alone would exceed the maximum route duration",
    "no_room": "every courier who could serve it is full in time or load: add a courier or widen the window",
}
"""Stable codes, in the order the checks run, with a sentence for the dispatcher."""

_ORDER = list(REASONS)


def explain_unassigned(problem: Problem, job_ids: Iterable[str]) -> list[Unassigned]:
    """A reason for each left-out job: the furthest any vehicle got through the checks, alone."""
    by_id = {job.id: job for job in problem.jobs}
    result = []
    for job_id in job_ids:
        job = by_id[job_id]
        failures = [_first_failure(problem, job, vehicle) for vehicle in problem.vehicles]
        reason = max(failures, key=_ORDER.index)
        result.append(Unassigned(job_id, reason, REASONS[reason]))
    return result


def _first_failure(problem: Problem, job: Job, vehicle: Vehicle) -> str:
    """The first check ``job`` fails on ``vehicle`` when served alone, or ``no_room`` if it passes all."""
    if not job.skills <= vehicle.skills:
        return "no_vehicle_with_skills"
    if any(d > c for d, c in zip(job.demand, vehicle.capacity, strict=True)):
        return "capacity"
    d = problem.duration
    if isinstance(job, Visit):
        stops = [(job.location, job.windows, job.service_s)]
    else:
        assert isinstance(job, Shipment)
        stops = [
            (job.pickup, job.pickup_windows, job.pickup_service_s),
            (job.delivery, job.delivery_windows, job.delivery_service_s),
        ]
    clock, here = vehicle.shift[0], vehicle.start
    for location, windows, service_s in stops:
        begin = _earliest_start(clock + int(d[here][location]), windows)
        if begin is None:
            return "window_unreachable"
        clock, here = begin + service_s, location
    back = clock + int(d[here][vehicle.end])
    if back > vehicle.shift[1]:
        return "shift_too_short"
    if vehicle.max_duration_s is not None and back - _latest_departure(problem, job, vehicle) > vehicle.max_duration_s:
        return "route_too_long"
    return "no_room"


def _earliest_start(arrival: int, windows: tuple[Window, ...]) -> int | None:
    """When service can start for an ``arrival`` (waiting allowed), or ``None`` if every window has closed."""
    for start, end in sorted(windows):
        if arrival <= end:
            return max(arrival, start)
    return None


def _latest_departure(problem: Problem, job: Job, vehicle: Vehicle) -> int:
    """The latest start from the depot that still meets the first stop's earliest window start."""
    first = job.location if isinstance(job, Visit) else job.pickup
    windows = job.windows if isinstance(job, Visit) else job.pickup_windows
    opening = min(start for start, _ in windows)
    return max(vehicle.shift[0], opening - int(problem.duration[vehicle.start][first]))
