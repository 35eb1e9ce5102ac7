"""The request state machine: legal moves allowed, illegal ones refused, for both kinds."""

from __future__ import annotations

import itertools

import pytest

from dispatch.domain.state_machine import TRANSITIONS
from dispatch.domain.state_machine import allowed_next
from dispatch.domain.state_machine import check_transition
from dispatch.domain.state_machine import is_terminal
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus as S
from dispatch.errors import IllegalTransition

D, P = RequestKind.DELIVERY, RequestKind.RETURN_PICKUP

HAPPY_DELIVERY = [None, S.RECEIVED, S.VALIDATED, S.SCHEDULED, S.PLANNED, S.DISPATCHED, S.IN_TRANSIT, S.DELIVERED]
HAPPY_PICKUP = [None, S.RECEIVED, S.VALIDATED, S.SCHEDULED, S.PLANNED, S.DISPATCHED, S.IN_TRANSIT, S.COLLECTED, S.RETURNED]


@pytest.mark.parametrize(("kind", "path"), [(D, HAPPY_DELIVERY), (P, HAPPY_PICKUP)])
def test_the_whole_happy_path_is_legal(kind, path):
    for current, target in itertools.pairwise(path):
        check_transition(kind, current, target)


@pytest.mark.parametrize(
    ("kind", "current", "target"),
    [
        (D, S.RECEIVED, S.REJECTED),
        (D, S.PLANNED, S.SCHEDULED),  # a draft plan replaced
        (D, S.DISPATCHED, S.SCHEDULED),  # carrier cancelled: plan again
        (D, S.IN_TRANSIT, S.FAILED),
        (D, S.FAILED, S.SCHEDULED),  # failed attempt goes back to be planned
        (D, S.FAILED, S.CANCELLED),
        (P, S.IN_TRANSIT, S.FAILED),
        (D, S.SCHEDULED, S.CANCELLED),
    ],
)
def test_recovery_moves_are_legal(kind, current, target):
    check_transition(kind, current, target)


@pytest.mark.parametrize(
    ("kind", "current", "target"),
    [
        (D, None, S.SCHEDULED),  # a new request starts as received
        (D, S.RECEIVED, S.SCHEDULED),  # never scheduled without validation
        (D, S.REJECTED, S.VALIDATED),  # a rejection is final
        (D, S.DELIVERED, S.FAILED),
        (D, S.CANCELLED, S.SCHEDULED),
        (D, S.SCHEDULED, S.DELIVERED),
        (D, S.IN_TRANSIT, S.COLLECTED),  # deliveries are not collected
        (P, S.IN_TRANSIT, S.DELIVERED),  # pickups are not delivered
        (P, S.RETURNED, S.COLLECTED),
        (D, S.DELIVERED, S.DELIVERED),
    ],
)
def test_illegal_moves_raise(kind, current, target):
    with pytest.raises(IllegalTransition) as caught:
        check_transition(kind, current, target)
    assert caught.value.code == "illegal_transition"
    assert target.value in caught.value.message("ru")


def test_every_status_is_known_to_both_kinds():
    for kind in RequestKind:
        for status in S:
            if (kind, status) in {(D, S.COLLECTED), (D, S.RETURNED), (P, S.DELIVERED)}:
                assert status not in TRANSITIONS[kind]
            else:
                assert status in TRANSITIONS[kind], (kind, status)


def test_terminal_statuses():
    assert {s for s in TRANSITIONS[D] if is_terminal(D, s)} == {S.REJECTED, S.CANCELLED, S.DELIVERED}
    assert {s for s in TRANSITIONS[P] if is_terminal(P, s)} == {S.REJECTED, S.CANCELLED, S.RETURNED}


def test_only_received_starts_a_request():
    assert allowed_next(D, None) == {S.RECEIVED}
