"""The one place that says which status may follow which, for deliveries and return pickups."""

from __future__ import annotations

from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus as S
from dispatch.errors import IllegalTransition

_COMMON: dict[S, frozenset[S]] = {
    S.RECEIVED: frozenset({S.VALIDATED, S.REJECTED, S.CANCELLED}),
    S.VALIDATED: frozenset({S.SCHEDULED, S.CANCELLED}),
    # A scheduled request may be planned, or moved to another day (scheduled again).
    S.SCHEDULED: frozenset({S.SCHEDULED, S.PLANNED, S.CANCELLED}),
    # A draft plan can be replaced, which puts its stops back to scheduled.
    S.PLANNED: frozenset({S.SCHEDULED, S.DISPATCHED, S.CANCELLED}),
    # A route recalled by the dispatcher or cancelled by the carrier goes back to be planned.
    S.DISPATCHED: frozenset({S.IN_TRANSIT, S.SCHEDULED, S.FAILED, S.CANCELLED}),
    # A failed attempt goes back to be planned again, or is closed by a person.
    S.FAILED: frozenset({S.SCHEDULED, S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}

TRANSITIONS: dict[RequestKind, dict[S, frozenset[S]]] = {
    RequestKind.DELIVERY: {
        **_COMMON,
        S.IN_TRANSIT: frozenset({S.DELIVERED, S.FAILED}),
        S.DELIVERED: frozenset(),
    },
    RequestKind.RETURN_PICKUP: {
        **_COMMON,
        S.IN_TRANSIT: frozenset({S.COLLECTED, S.FAILED}),
        # Books collected from the reader are checked in when they reach the branch.
        S.COLLECTED: frozenset({S.RETURNED}),
        S.RETURNED: frozenset(),
    },
}


def allowed_next(kind: RequestKind, current: S | None) -> frozenset[S]:
    """Statuses a request of ``kind`` may move to from ``current`` (``None``: not yet stored)."""
    if current is None:
        return frozenset({S.RECEIVED})
    return TRANSITIONS[kind].get(current, frozenset())


def check_transition(kind: RequestKind, current: S | None, target: S) -> None:
    """Raise :class:`IllegalTransition` unless ``current -> target`` is a legal move for ``kind``."""
    if target not in allowed_next(kind, current):
        raise IllegalTransition(
            kind=kind.value,
            current=current.value if current else "none",
            target=target.value,
        )


def is_terminal(kind: RequestKind, status: S) -> bool:
    """True when nothing may follow ``status``."""
    return not TRANSITIONS[kind].get(status)
