"""Stored transitions: legal ones audited, illegal ones refused without a trace."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy import select

from dispatch.errors import IllegalTransition
from dispatch.errors import NotFound
from dispatch.models import AuditEvent
from dispatch.models import DeliveryRequest
from dispatch.requests.intake import submit_request
from dispatch.requests.transitions import change_status
from dispatch.requests.transitions import history

pytestmark = pytest.mark.integration


def test_legal_moves_are_stored_with_who_and_why(ctx, world):
    request = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]])
    for target in ("planned", "dispatched", "in_transit", "delivered"):
        change_status(ctx, request.id, target, actor="dispatcher:aigul", reason=f"to {target}")
    trail = history(ctx, request.id)
    assert [e["to"] for e in trail][-4:] == ["planned", "dispatched", "in_transit", "delivered"]
    assert trail[-1] | {"at": None} == {
        "at": None,
        "actor": "dispatcher:aigul",
        "from": "in_transit",
        "to": "delivered",
        "reason": "to delivered",
        "details": {},
    }


def test_an_illegal_move_changes_nothing(ctx, world):
    request = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]])
    with ctx.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(IllegalTransition):
        change_status(ctx, request.id, "delivered", actor="x")
    with ctx.uow() as uow:
        assert uow.session.get(DeliveryRequest, request.id).status.value == "scheduled"
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_a_rejected_request_stays_rejected(ctx, world):
    request = submit_request(ctx, card_number=world.blocked_reader, barcodes=[world.books_b01[0]])
    with pytest.raises(IllegalTransition):
        change_status(ctx, request.id, "scheduled", actor="x")


def test_unknown_request(ctx, world):
    with pytest.raises(NotFound):
        change_status(ctx, 424242, "cancelled", actor="x")
    with pytest.raises(NotFound):
        history(ctx, 424242)
