"""What the claim statuses mean to the stand-in: where each failure may strike, when cancelling is free or paid, success."""

from __future__ import annotations

from integrations.yandex.models import ClaimStatus as S

#: Where each failure may strike, and the status :meth:`~.lifecycle.Lifecycle.play` waits for before striking.
FAILURES: dict[str, tuple[frozenset[str], str | None]] = {
    S.ESTIMATING_FAILED: (frozenset({S.NEW, S.ESTIMATING}), S.ESTIMATING),
    S.PERFORMER_NOT_FOUND: (frozenset({S.ACCEPTED, S.PERFORMER_LOOKUP, S.PERFORMER_DRAFT}), S.PERFORMER_DRAFT),
    S.CANCELLED_BY_TAXI: (
        frozenset(
            {
                S.ACCEPTED,
                S.PERFORMER_LOOKUP,
                S.PERFORMER_DRAFT,
                S.PERFORMER_FOUND,
                S.PICKUP_ARRIVED,
                S.READY_FOR_PICKUP_CONFIRMATION,
            }
        ),
        S.PERFORMER_FOUND,
    ),
    S.FAILED: (frozenset(), None),  # from any open status
}
FREE_CANCEL = frozenset(
    {
        S.NEW,
        S.ESTIMATING,
        S.ESTIMATING_FAILED,
        S.READY_FOR_APPROVAL,
        S.ACCEPTED,
        S.PERFORMER_LOOKUP,
        S.PERFORMER_DRAFT,
        S.PERFORMER_FOUND,
    }
)
PAID_CANCEL = frozenset({S.PICKUP_ARRIVED, S.READY_FOR_PICKUP_CONFIRMATION})
AT_DOOR = frozenset({S.DELIVERY_ARRIVED, S.READY_FOR_DELIVERY_CONFIRMATION})
SUCCESS = frozenset({S.DELIVERED_FINISH})


def cancel_state(status: str) -> str:
    """Free until the courier reaches the branch, paid until pickup, then unavailable."""
    if status in FREE_CANCEL:
        return "free"
    if status in PAID_CANCEL:
        return "paid"
    return "unavailable"
