"""The intake service on PostgreSQL: stored outcomes, audit, idempotency under real concurrency."""

from __future__ import annotations

import threading
from datetime import datetime
from datetime import time

import pytest
from sqlalchemy import func
from sqlalchemy import select

from dispatch.errors import IdempotencyConflict
from dispatch.errors import InvalidRequest
from dispatch.errors import UnknownReader
from dispatch.models import AuditEvent
from dispatch.models import DeliveryRequest
from dispatch.models import SmsMessage
from dispatch.requests.intake import submit_request
from dispatch.requests.transitions import change_status
from dispatch.requests.transitions import history
from tests.conftest import ALMATY

pytestmark = pytest.mark.integration


def count(ctx, model) -> int:
    with ctx.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_an_eligible_delivery_is_scheduled_at_its_branch_for_the_next_working_day(ctx, world):
    result = submit_request(ctx, card_number=world.reader, barcodes=world.books_b01[:2], channel="web", actor="reader:web")
    assert (result.status, result.branch_code, result.service_date) == ("scheduled", "B01", "2026-11-24")
    assert result.window == "10:00-18:00"
    assert result.items == list(world.books_b01[:2])
    assert len(result.public_id) >= 20
    steps = [(e["from"], e["to"], e["actor"]) for e in history(ctx, result.id)]
    assert steps == [
        (None, "received", "reader:web"),
        ("received", "validated", "reader:web"),
        ("validated", "scheduled", "reader:web"),
    ]


def test_an_ineligible_request_is_stored_as_rejected_with_every_reason(ctx, world):
    result = submit_request(
        ctx, card_number=world.blocked_reader, barcodes=[world.lost_book, world.books_b01[0]], window="10:00-14:00"
    )
    assert result.status == "rejected"
    assert [r["code"] for r in result.reasons] == ["card_blocked", "item_not_lendable"]
    assert all(r["message_ru"] and r["message_kk"] for r in result.reasons)
    assert result.service_date is None
    assert [e["to"] for e in history(ctx, result.id)] == ["received", "rejected"]


def test_unknown_card_stores_nothing(ctx, world):
    with pytest.raises(UnknownReader) as caught:
        submit_request(ctx, card_number="999", barcodes=[world.books_b01[0]])
    assert "999" in caught.value.message("kk")
    assert count(ctx, DeliveryRequest) == 0


def test_unreadable_fields_are_all_reported_and_nothing_is_stored(ctx, world):
    with pytest.raises(InvalidRequest) as caught:
        submit_request(ctx, card_number=world.reader, barcodes=["x"], wished_date="24.11.2026", window="утром", channel="fax")
    assert [code for code, _ in caught.value.problems] == ["invalid_choice", "invalid_date", "invalid_window"]
    assert "fax" in caught.value.message("ru")
    assert count(ctx, DeliveryRequest) == 0
    assert count(ctx, AuditEvent) == 0


@pytest.mark.parametrize(
    ("barcodes", "wished", "codes"),
    [
        ([], None, ["no_items"]),
        ([" ", ""], None, ["no_items"]),
        (["nope", "200100001", "also-nope"], None, ["item_not_found", "item_not_found"]),
        (["200100001"], "2026-11-20", ["date_in_past"]),
    ],
)
@pytest.mark.parametrize("channel", ["web", "api", "phone", "operator"])
def test_an_input_mistake_stores_nothing_and_queues_no_sms_on_every_channel(ctx, world, barcodes, wished, codes, channel):
    with pytest.raises(InvalidRequest) as caught:
        submit_request(ctx, card_number=world.blocked_reader, barcodes=barcodes, wished_date=wished, channel=channel)
    assert [code for code, _ in caught.value.problems] == codes
    assert caught.value.code == "invalid_request"
    if codes[0] == "item_not_found":
        assert "nope" in caught.value.message("kk") and "also-nope" in caught.value.message("ru")
    assert (count(ctx, DeliveryRequest), count(ctx, AuditEvent), count(ctx, SmsMessage)) == (0, 0, 0)


def test_a_refused_request_is_stored_and_its_reader_told(ctx, world):
    result = submit_request(ctx, card_number=world.blocked_reader, barcodes=[world.books_b01[0]], channel="operator")
    assert result.status == "rejected"
    assert count(ctx, SmsMessage) == 1


def test_the_same_key_twice_gives_the_same_request(ctx, world):
    first = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], idempotency_key="k-1")
    again = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], idempotency_key="k-1")
    assert again.id == first.id and again.duplicate and not first.duplicate
    assert count(ctx, DeliveryRequest) == 1


def test_a_key_reused_for_a_different_request_is_refused(ctx, world):
    submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], idempotency_key="k-2")
    with pytest.raises(IdempotencyConflict):
        submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[1]], idempotency_key="k-2")
    assert count(ctx, DeliveryRequest) == 1


def _in_parallel(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as e:
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_parallel_submissions_with_one_key_make_exactly_one_request(ctx, world):
    results = _in_parallel(
        20,
        lambda _i: submit_request(
            ctx, card_number=world.reader, barcodes=world.books_b01[:3], idempotency_key="burst", channel="api"
        ),
    )
    assert all(not isinstance(r, Exception) for r in results), results
    assert len({r.id for r in results}) == 1
    assert sum(not r.duplicate for r in results) == 1
    assert count(ctx, DeliveryRequest) == 1
    assert count(ctx, AuditEvent) == 3


def test_two_readers_racing_for_one_book_get_it_once(ctx, world):
    cards = [world.reader, world.second_reader]
    results = _in_parallel(2, lambda i: submit_request(ctx, card_number=cards[i], barcodes=[world.books_b01[0]]))
    assert sorted(r.status for r in results) == ["rejected", "scheduled"]
    loser = next(r for r in results if r.status == "rejected")
    assert [reason["code"] for reason in loser.reasons] == ["item_already_requested"]


def test_open_requests_limit_counts_stored_requests(ctx, world):
    for barcode in world.books_b01[:2]:
        assert submit_request(ctx, card_number=world.reader, barcodes=[barcode]).status == "scheduled"
    third = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[2]])
    assert [r["code"] for r in third.reasons] == ["too_many_open_requests"]


def test_a_cancelled_request_frees_its_books(ctx, world):
    first = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]])
    change_status(ctx, first.id, "cancelled", actor="operator:1", reason="reader changed their mind")
    again = submit_request(ctx, card_number=world.second_reader, barcodes=[world.books_b01[0]])
    assert again.status == "scheduled"


def test_a_return_pickup_collects_loaned_books_for_the_home_branch(ctx, world):
    result = submit_request(ctx, card_number=world.reader, barcodes=[world.on_loan], kind="return_pickup", channel="phone")
    assert (result.status, result.kind, result.branch_code) == ("scheduled", "return_pickup", "B01")
    with ctx.uow() as uow:
        stored = uow.session.get(DeliveryRequest, result.id)
        assert stored.lines[0].loan is not None and stored.lines[0].loan.due_on.isoformat() == "2026-12-01"


def test_a_pickup_of_a_book_the_reader_does_not_have_is_rejected(ctx, world):
    result = submit_request(ctx, card_number=world.second_reader, barcodes=[world.on_loan], kind="return_pickup")
    assert [r["code"] for r in result.reasons] == ["item_not_on_loan_to_reader"]


def test_requests_after_the_cutoff_go_to_the_day_after(ctx, world):
    ctx.clock = lambda: datetime(2026, 11, 23, 14, 5, tzinfo=ALMATY)
    late = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]])
    assert late.service_date == "2026-11-25"


def test_a_wished_saturday_moves_to_monday(ctx, world):
    result = submit_request(
        ctx, card_number=world.reader, barcodes=[world.books_b01[0]], wished_date="2026-11-28", window="14:00-18:00"
    )
    assert (result.wished_date, result.service_date, result.window) == ("2026-11-28", "2026-11-30", "14:00-18:00")
    with ctx.uow() as uow:
        assert uow.session.get(DeliveryRequest, result.id).window_start == time(14, 0)
