"""The desk's changes on PostgreSQL: the door's details with their audit, cancelling and moving a request with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dispatch.errors import DispatchError
from dispatch.errors import UnknownReader
from dispatch.models import AuditEvent
from dispatch.models import Reader
from dispatch.readers.address import AddressInvalid
from dispatch.readers.address import edit_address
from dispatch.readers.desk import reader_record
from dispatch.requests.changes import cancel_request
from dispatch.requests.changes import move_request
from dispatch.requests.intake import submit_request
from dispatch.requests.transitions import change_status
from dispatch.requests.transitions import history
from dispatch.staff.accounts import add_staff

pytestmark = pytest.mark.integration


def test_the_doors_details_are_saved_and_each_change_is_audited(ctx, world):
    add_staff(ctx, "oper", "Оператор Олжас", "operator", "correct horse battery")
    first = edit_address(ctx, world.reader, {"entrance": " 2 ", "floor": "5", "has_lift": False}, actor="staff:oper")
    assert first.changes == {"entrance": (None, "2"), "floor": (None, "5"), "has_lift": (None, False)}
    again = edit_address(ctx, world.reader, {"entrance": "2", "floor": "5"}, actor="staff:oper")
    assert again.changes == {}
    edit_address(ctx, world.reader, {"floor": "", "access_notes": "звонить дважды"}, actor="reader:web")
    record = reader_record(ctx, world.reader)
    assert (record.entrance, record.floor, record.has_lift, record.access_notes) == ("2", None, False, "звонить дважды")
    assert [(c.actor_name, sorted(c.changes)) for c in record.address_history] == [
        (None, ["access_notes", "floor"]),
        ("Оператор Олжас", ["entrance", "floor", "has_lift"]),
    ]
    assert record.address_history[0].changes["floor"] == ("5", None)


def test_a_too_long_detail_changes_nothing(ctx, world):
    with pytest.raises(AddressInvalid) as caught:
        edit_address(ctx, world.reader, {"entrance": "1", "door_code": "x" * 21, "flat": "y" * 11}, actor="staff:oper")
    assert caught.value.problems == {"flat": 10, "door_code": 20}
    with ctx.uow() as uow:
        reader = uow.session.scalars(select(Reader).where(Reader.card_number == world.reader)).one()
        assert reader.entrance is None
        assert uow.session.scalars(select(AuditEvent)).all() == []
    with pytest.raises(UnknownReader):
        edit_address(ctx, "nobody", {"entrance": "1"}, actor="staff:oper")


def test_a_request_moves_to_another_working_day_with_its_reason(ctx, world):
    taken = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], channel="operator")
    assert taken.service_date == "2026-11-24"
    moved = move_request(ctx, world.reader, taken.id, "2026-11-26", "  у врача  во вторник ", actor="staff:oper")
    assert moved.service_date == date(2026, 11, 26)
    last = history(ctx, taken.id)[-1]
    assert (last["from"], last["to"], last["reason"], last["details"]["previous"]) == (
        "scheduled",
        "scheduled",
        "у врача во вторник",
        "2026-11-24",
    )


@pytest.mark.parametrize(
    ("day", "reason", "code"),
    [
        ("2026-11-26", " ", "change_reason_missing"),
        ("26.11.2026", "просьба", "move_date_unreadable"),
        ("2026-11-23", "просьба", "move_date_too_early"),
        ("2026-11-28", "просьба", "move_date_closed"),
        ("2027-03-01", "просьба", "date_too_far"),
        ("2026-11-24", "просьба", "move_date_same"),
    ],
)
def test_a_move_the_rules_refuse_changes_nothing(ctx, world, day, reason, code):
    taken = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], channel="operator")
    with pytest.raises(DispatchError) as caught:
        move_request(ctx, world.reader, taken.id, day, reason, actor="staff:oper")
    assert caught.value.code == code
    assert caught.value.message("kk") != code
    assert [e["to"] for e in history(ctx, taken.id)] == ["received", "validated", "scheduled"]


def test_a_request_is_cancelled_with_a_reason_but_not_another_readers_or_a_planned_one(ctx, world):
    mine = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], channel="operator")
    theirs = submit_request(ctx, card_number=world.second_reader, barcodes=[world.books_b01[1]], channel="operator")
    with pytest.raises(DispatchError) as caught:
        cancel_request(ctx, world.reader, theirs.id, "ошибка", actor="staff:oper")
    assert caught.value.code == "reader_request_not_found"
    change_status(ctx, theirs.id, "planned", actor="test")
    with pytest.raises(DispatchError) as caught:
        cancel_request(ctx, world.second_reader, theirs.id, "передумал", actor="staff:oper")
    assert caught.value.code == "request_not_changeable"
    assert "В маршруте" in caught.value.message("ru") and "Маршрутқа қосылды" in caught.value.message("kk")
    cancelled = cancel_request(ctx, world.reader, mine.id, "дочь привезёт сама", actor="staff:oper")
    assert cancelled.status == "cancelled"
    assert history(ctx, mine.id)[-1]["reason"] == "дочь привезёт сама"
    record = reader_record(ctx, world.reader)
    assert record.open_requests == () and [r.status for r in record.past_requests] == ["cancelled"]
