"""A card number typed with whitespace around it finds its reader on every channel, as the import stored it."""

from __future__ import annotations

import re
import textwrap
import typing as t
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from dispatch.errors import UnknownReader
from dispatch.imports.importers import SPECS
from dispatch.imports.importers import run_import
from dispatch.models import Hold
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Reader
from dispatch.models import SmsMessage
from dispatch.models import SmsSuppression
from dispatch.readers.access import request_code
from dispatch.readers.access import verify_code
from dispatch.readers.desk import find_readers
from dispatch.readers.desk import reader_record
from dispatch.readers.location import place_reader
from dispatch.readers.lookup import find_reader
from dispatch.readers.lookup import get_reader
from dispatch.readers.standing import standing
from dispatch.requests.intake import submit_request
from dispatch.requests.phone_orders import PhoneOrders
from dispatch.requests.standing_orders import add_standing_order
from dispatch.requests.standing_orders import create_due
from dispatch.requests.status import reader_overview
from dispatch.sms.suppression import set_preference
from dispatch.staff.accounts import add_staff
from dispatch.staff.accounts import issue_token
from tests.integration.factories import reader_values
from web import create_app

pytestmark = pytest.mark.integration

PADDINGS = [" {} ", "\t{}\n", "\u00a0{}\u2009"]
"""Spaces, a tab and a newline, a no-break space and a thin space (pasted from a document)."""


@pytest.fixture(params=PADDINGS, ids=["spaces", "tab-newline", "nbsp-thin"])
def typed(request, world) -> str:
    """The world's reader's card as someone typed or pasted it."""
    return str(request.param).format(world.reader)


def _sms_codes(ctx) -> list[str]:
    with ctx.uow() as uow:
        bodies = uow.session.scalars(select(SmsMessage.body).where(SmsMessage.event == "sign_in_code").order_by(SmsMessage.id))
        return [re.search(r"\b(\d{6})\b", body).group(1) for body in bodies]  # type: ignore[union-attr]


# --- the lookup itself ----------------------------------------------------------------------------


def test_the_lookup_finds_the_card_typed_with_whitespace_around_it(ctx, world, typed) -> None:
    with ctx.uow() as uow:
        found = find_reader(uow.session, typed, lock=True)
        assert found is not None and found.card_number == world.reader
        assert get_reader(uow.session, typed).id == found.id


def test_the_lookup_keeps_what_is_inside_the_card_as_the_import_does(ctx, world) -> None:
    with ctx.uow() as uow:
        uow.session.add(Reader(**reader_values("AB-12 3")))
        uow.commit()
    with ctx.uow() as uow:
        assert find_reader(uow.session, "  AB-12 3 ") is not None
        assert [find_reader(uow.session, card) for card in ("AB123", "ab-12 3", "AB-123")] == [None, None, None]


def test_an_unknown_card_is_named_as_it_was_typed(ctx, world) -> None:
    with ctx.uow() as uow, pytest.raises(UnknownReader) as caught:
        get_reader(uow.session, " 9999999 ")
    assert caught.value.code == "card_not_found" and caught.value.params == {"card": " 9999999 "}


# --- each channel ---------------------------------------------------------------------------------


def test_reader_sign_in_codes_find_the_padded_card(ctx, world, typed) -> None:
    assert request_code(ctx, typed) == "sent"
    (code,) = _sms_codes(ctx)
    found = verify_code(ctx, typed, code)
    assert found is not None and found.card_number == world.reader


def test_the_sign_in_page_signs_in_with_a_padded_card(ctx, world) -> None:
    ctx.settings = replace(ctx.settings, secret_key="tests")
    app = create_app(ctx=ctx)
    app.config.update(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
    client = app.test_client()
    sent = client.post("/sign-in?lang=ru", data={"card": f"  {world.reader}  "})
    assert sent.status_code == 302
    (code,) = _sms_codes(ctx)
    signed_in = client.post("/sign-in/code", data={"code": code})
    assert signed_in.status_code == 302 and "/sign-in" not in signed_in.headers["Location"]


def test_the_intake_takes_a_padded_card_as_the_stored_one(ctx, world, typed) -> None:
    first = submit_request(ctx, card_number=typed, barcodes=[world.books_b01[0]], channel="web", idempotency_key="k1")
    assert first.card_number == world.reader and first.status == "scheduled"
    again = submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], channel="web", idempotency_key="k1")
    assert again.duplicate and again.id == first.id  # the same request, not a reused key


def test_the_intake_names_an_unknown_card_without_its_padding(ctx, world) -> None:
    with pytest.raises(UnknownReader) as caught:
        submit_request(ctx, card_number=" 9999999 ", barcodes=[world.books_b01[0]])
    assert caught.value.params == {"card": "9999999"}


def test_the_operator_desk_finds_a_padded_card(ctx, world, typed) -> None:
    assert reader_record(ctx, typed).card_number == world.reader
    assert [row.card_number for row in find_readers(ctx, typed)] == [world.reader]
    assert standing(ctx, typed).card_number == world.reader
    placed = place_reader(ctx, typed, 43.25, 76.93, actor="staff:op")
    assert placed.card_number == world.reader


def test_the_phone_menu_finds_a_padded_card(ctx, world, typed) -> None:
    phone = PhoneOrders(ctx)
    info = phone.find_reader(typed)
    assert info is not None and info.name == f"Reader {world.reader}"
    assert phone.loans_to_return(typed) is not None  # the world's reader has a book on loan
    assert phone.sms_enabled(typed) is True
    phone.set_sms(typed, False)
    assert phone.sms_enabled(typed) is False
    submitted = phone.submit(typed, "delivery", (world.books_b01[0],), "CA-test")
    assert submitted.ok, submitted.reason_text


def test_the_sms_choice_finds_a_padded_card_and_answers_with_the_stored_one(ctx, world, typed) -> None:
    answer = set_preference(ctx, typed, sms=False, source="web")
    assert answer == {"card_number": world.reader, "sms": False, "phone": "+77011234567"}
    with ctx.uow() as uow:
        assert uow.session.get(SmsSuppression, "+77011234567") is not None


def test_a_standing_order_for_a_padded_card_makes_its_requests(ctx, world, typed) -> None:
    with ctx.uow() as uow:
        reader = get_reader(uow.session, world.reader)
        item = uow.session.scalars(select(Item).where(Item.barcode == world.books_b01[0])).one()
        uow.session.add(Hold(reader_id=reader.id, item_id=item.id, placed_on=date(2026, 11, 20)))
        uow.commit()
    order = add_standing_order(
        ctx, card_number=typed, weekday="tue", every_weeks=2, first_date=date(2026, 11, 24), window="14:00-18:00"
    )
    assert order["card_number"] == world.reader
    assert create_due(ctx, days_ahead=7)["created"] == 2
    with ctx.uow() as uow:
        assert uow.session.scalars(select(Hold.fulfilled)).all() == [True]


def test_the_status_of_a_padded_card_is_its_readers(ctx, world, typed) -> None:
    submit_request(ctx, card_number=world.reader, barcodes=[world.books_b01[0]], channel="web")
    overview = reader_overview(ctx, typed)
    assert overview["standing"]["card_number"] == world.reader and len(overview["requests"]) == 1


def test_the_api_finds_a_padded_card(ctx, world) -> None:
    client = create_app(ctx=ctx).test_client()
    add_staff(ctx, "operator", "Оператор", "operator", "correct horse battery")
    headers = {"Authorization": f"Bearer {issue_token(ctx, 'operator', 'tests')}"}
    body = {"card_number": f" {world.reader} ", "barcodes": [world.books_b01[0]], "idempotency_key": "api-pad"}
    created = client.post("/api/v1/requests", json=body, headers=headers)
    assert created.status_code == 201 and created.get_json()["card_number"] == world.reader
    found = client.get(f"/api/v1/readers/%20{world.reader}%20", headers=headers)
    assert found.status_code == 200 and found.get_json()["standing"]["card_number"] == world.reader
    missing = client.get("/api/v1/readers/%209999999%20", headers=headers)
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "call",
    [
        lambda ctx, card: standing(ctx, card),
        lambda ctx, card: reader_record(ctx, card),
        lambda ctx, card: place_reader(ctx, card, 43.25, 76.93, actor="staff:op"),
        lambda ctx, card: reader_overview(ctx, card),
        lambda ctx, card: set_preference(ctx, card, sms=False, source="web"),
        lambda ctx, card: add_standing_order(
            ctx, card_number=card, weekday="tue", every_weeks=1, first_date=date(2026, 11, 24), window=None
        ),
    ],
    ids=["standing", "desk", "location", "status", "sms", "standing_order"],
)
def test_an_unknown_card_is_still_refused_with_the_card_as_typed(ctx, world, call: t.Callable[..., object]) -> None:
    with pytest.raises(UnknownReader) as caught:
        call(ctx, " 9999999 ")
    assert caught.value.code == "card_not_found" and caught.value.params == {"card": " 9999999 "}


# --- the import -----------------------------------------------------------------------------------


def _write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(content), encoding="utf-8")
    return path


def test_the_import_stores_the_normalised_card_and_finds_it_again(ctx, world, tmp_path) -> None:
    readers = """\
        card_number;full_name;phone
        "  0200001\u00a0";Padded Reader;8 701 123 45 67
        0200002 ;Second Reader;8 701 123 45 68
        """
    report = run_import(ctx, SPECS["readers"], _write(tmp_path, "readers.csv", readers))
    assert (report.created, report.rejected) == (2, [])
    with ctx.uow() as uow:
        stored = uow.session.scalars(select(Reader.card_number).where(Reader.full_name.not_like("Reader %")))
        assert sorted(stored) == ["0200001", "0200002"]
    again = run_import(ctx, SPECS["readers"], _write(tmp_path, "readers.csv", readers.replace("Second", "Other")))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)  # the same readers, found by their stored cards
    loans = f"""\
        barcode,card_number,issued_on,due_on
        {world.books_b01[1]}," 0200001 ",2026-11-01,2026-12-01
        """
    assert run_import(ctx, SPECS["loans"], _write(tmp_path, "loans.csv", loans)).created == 1
    with ctx.uow() as uow:
        loan = uow.session.scalars(select(Loan).join(Item).where(Item.barcode == world.books_b01[1])).one()
        assert loan.reader.card_number == "0200001"
        assert find_reader(uow.session, "0200001 ") is not None
