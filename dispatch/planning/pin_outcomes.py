"""Whether each pin was kept by the last planning, so a pin never looks kept when it was not."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from sqlalchemy import select

from dispatch.domain.statuses import RouteStatus
from dispatch.planning.pins import StopPin

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.models import Plan


@dataclass(frozen=True)
class PinOutcome:
    """A pin and what the current plan did with it; ``state`` is a ``pin_state`` code, ``reason`` an ``unassigned_reason`` one."""

    request_id: int
    vehicle: str
    state: str
    reason: str | None = None
    placed_on: str | None = None


def pin_outcomes(session: Session, branch_id: int, day: t.Any, plan: Plan | None) -> dict[int, PinOutcome]:
    """Per pinned request of the branch's day: ``waiting`` (pinned after the plan), ``honoured``, ``moved`` or ``left_out``."""
    pins = session.scalars(select(StopPin).where(StopPin.branch_id == branch_id, StopPin.service_date == day))
    placed: dict[int, str] = {}
    left_out: dict[int, str] = {}
    if plan is not None:
        for route in plan.routes:
            if route.status is RouteStatus.SUPERSEDED:
                continue
            for stop in route.stops:
                if stop.request_id is not None:
                    placed[stop.request_id] = route.vehicle
        left_out = {u.request_id: u.reason for u in plan.unassigned}
    found: dict[int, PinOutcome] = {}
    for pin in pins:
        if plan is None or pin.created_at > plan.created_at:
            state, reason = "waiting", None
        elif placed.get(pin.request_id) == pin.vehicle:
            state, reason = "honoured", None
        elif pin.request_id in left_out:
            state, reason = "left_out", left_out[pin.request_id]
        else:
            state, reason = "moved", None
        found[pin.request_id] = PinOutcome(pin.request_id, pin.vehicle, state, reason, placed.get(pin.request_id))
    return found
