"""A day's batches by branch, around the cut-off, without rejected or other days' requests."""

from __future__ import annotations

from datetime import date
from datetime import datetime

import pytest

from dispatch.planning.batches import batches_for
from dispatch.requests.intake import submit_request
from dispatch.requests.transitions import change_status
from tests.conftest import ALMATY

pytestmark = pytest.mark.integration


def test_batches_group_the_day_by_branch(ctx, world):
    early = submit_request(ctx, card_number=world.reader, barcodes=world.books_b01[:2], window="14:00-18:00")
    other = submit_request(ctx, card_number=world.second_reader, barcodes=[world.book_b02], window="10:00-14:00")
    pickup = submit_request(ctx, card_number=world.reader, barcodes=[world.on_loan], kind="return_pickup", window="10:00-14:00")
    submit_request(ctx, card_number=world.blocked_reader, barcodes=[world.books_b01[3]])  # rejected: not batched
    found = batches_for(ctx, date(2026, 11, 24))
    assert [(b.branch_code, b.deliveries, b.pickups, b.items) for b in found] == [("B01", 1, 1, 3), ("B02", 1, 0, 1)]
    assert [e.id for e in found[0].requests] == [pickup.id, early.id]  # by window start
    assert found[1].requests[0].id == other.id
    assert [b.branch_code for b in batches_for(ctx, date(2026, 11, 24), branch_code="B02")] == ["B02"]
    assert batches_for(ctx, date(2026, 11, 25)) == []


def test_cutoff_splits_requests_between_days(ctx, world):
    ctx.clock = lambda: datetime(2026, 11, 23, 13, 59, tzinfo=ALMATY)
    before = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]])
    ctx.clock = lambda: datetime(2026, 11, 23, 14, 1, tzinfo=ALMATY)
    after = submit_request(ctx, card_number=world.second_reader, barcodes=[world.books_b01[1]])
    assert [e.id for b in batches_for(ctx, date(2026, 11, 24)) for e in b.requests] == [before.id]
    assert [e.id for b in batches_for(ctx, date(2026, 11, 25)) for e in b.requests] == [after.id]


def test_friday_after_cutoff_is_planned_on_tuesday(ctx, world):
    ctx.clock = lambda: datetime(2026, 11, 27, 16, 0, tzinfo=ALMATY)
    request = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]])
    assert request.service_date == "2026-12-01"
    assert [e.id for b in batches_for(ctx, date(2026, 12, 1)) for e in b.requests] == [request.id]
    assert batches_for(ctx, date(2026, 11, 30)) == []


def test_cancelled_requests_leave_the_batch(ctx, world):
    request = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]])
    change_status(ctx, request.id, "cancelled", actor="operator:1")
    assert batches_for(ctx, date(2026, 11, 24)) == []
