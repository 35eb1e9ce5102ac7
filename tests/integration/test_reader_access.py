"""Readers' one-time sign-in codes: sent at once by SMS, stored hashed, limited in time, tries and number."""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from dispatch.models import ReaderCode
from dispatch.models import SmsMessage
from dispatch.readers.access import request_code
from dispatch.readers.access import verify_code
from tests.conftest import ALMATY
from tests.conftest import MONDAY_MORNING


def _codes(ctx) -> list[str]:
    """The codes texted so far, oldest first (read from the stored SMS bodies)."""
    with ctx.uow() as uow:
        bodies = uow.session.scalars(select(SmsMessage.body).where(SmsMessage.event == "sign_in_code").order_by(SmsMessage.id))
        return [re.search(r"\b(\d{6})\b", body).group(1) for body in bodies]  # type: ignore[union-attr]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_code_is_texted_in_the_readers_language_and_signs_them_in_once(ctx, world) -> None:
    assert request_code(ctx, world.reader) == "sent"
    (code,) = _codes(ctx)
    with ctx.uow() as uow:
        row = uow.session.scalars(select(ReaderCode)).one()
        assert code not in (row.code_hash, row.salt)  # only its salted hash is kept
        message = uow.session.scalars(select(SmsMessage)).one()
        assert message.language == "ru" and message.phone == "+77011234567" and message.segments <= 2
    found = verify_code(ctx, world.reader, f" {code[:3]} {code[3:]} ")
    assert found is not None and found.card_number == world.reader
    assert verify_code(ctx, world.reader, code) is None  # spent


def test_the_code_sms_does_not_wait_for_the_quiet_hours(ctx, world) -> None:
    late = datetime(2026, 11, 23, 23, 30, tzinfo=ALMATY)
    ctx.clock = lambda: late
    request_code(ctx, world.reader)
    with ctx.uow() as uow:
        message = uow.session.scalars(select(SmsMessage)).one()
        assert message.event == "sign_in_code"
        assert message.send_after == late
        assert message.state in ("not_configured", "sent", "waiting", "sending")


def test_a_code_expires_after_ten_minutes(ctx, world) -> None:
    request_code(ctx, world.reader)
    (code,) = _codes(ctx)
    ctx.clock = lambda: MONDAY_MORNING + timedelta(minutes=10, seconds=1)
    assert verify_code(ctx, world.reader, code) is None


def test_a_code_is_good_just_before_it_expires(ctx, world) -> None:
    request_code(ctx, world.reader)
    (code,) = _codes(ctx)
    ctx.clock = lambda: MONDAY_MORNING + timedelta(minutes=9, seconds=59)
    assert verify_code(ctx, world.reader, code) is not None


def test_five_wrong_tries_kill_the_code(ctx, world) -> None:
    request_code(ctx, world.reader)
    (code,) = _codes(ctx)
    for _ in range(5):
        assert verify_code(ctx, world.reader, _wrong(code)) is None
    assert verify_code(ctx, world.reader, code) is None


def test_four_wrong_tries_leave_the_code_good(ctx, world) -> None:
    request_code(ctx, world.reader)
    (code,) = _codes(ctx)
    for _ in range(4):
        assert verify_code(ctx, world.reader, _wrong(code)) is None
    assert verify_code(ctx, world.reader, code) is not None


def test_three_codes_per_card_per_fifteen_minutes(ctx, world) -> None:
    assert [request_code(ctx, world.reader) for _ in range(4)] == ["sent", "sent", "sent", "limited"]
    assert len(_codes(ctx)) == 3
    ctx.clock = lambda: MONDAY_MORNING + timedelta(minutes=15, seconds=1)
    assert request_code(ctx, world.reader) == "sent"
    assert request_code(ctx, world.second_reader) == "sent"  # the limit is per card


def test_a_code_of_one_card_does_not_open_another(ctx, world) -> None:
    request_code(ctx, world.reader)
    (code,) = _codes(ctx)
    assert verify_code(ctx, world.second_reader, code) is None
    assert verify_code(ctx, world.reader, code) is not None


@pytest.mark.parametrize("card", ["9999999", "", "0100001' OR '1'='1"])
def test_an_unknown_card_gets_no_sms_and_the_same_no(ctx, world, card) -> None:
    assert request_code(ctx, card) == "unknown"
    assert _codes(ctx) == []
    assert verify_code(ctx, card, "123456") is None


def test_the_sign_in_pages_say_the_same_for_a_known_and_an_unknown_card(ctx, world) -> None:
    from dataclasses import replace

    from web import create_app

    ctx.settings = replace(ctx.settings, secret_key="tests")
    app = create_app(ctx=ctx)
    app.config.update(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
    pages = []
    for card in (world.reader, "9999999"):
        client = app.test_client()
        sent = client.post("/sign-in?lang=ru", data={"card": card})
        assert sent.status_code == 302
        code_page = client.get(sent.headers["Location"]).get_data(as_text=True)
        wrong = client.post("/sign-in/code", data={"code": "000000"}).get_data(as_text=True)
        pages.append((code_page.replace(card, "CARD"), wrong.replace(card, "CARD")))
    assert pages[0] == pages[1]
    assert "Неверный номер билета или код" in pages[0][1]


def test_the_sign_in_forms_are_rate_limited_per_address(ctx, world) -> None:
    from dataclasses import replace

    from web import create_app

    ctx.settings = replace(ctx.settings, secret_key="tests")
    app = create_app(ctx=ctx)
    app.config.update(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
    client = app.test_client()
    answers = [client.post("/sign-in", data={"card": f"99{n:05d}"}).status_code for n in range(11)]
    assert answers == [302] * 10 + [429]
    with client.session_transaction() as session:
        session["reader_card"] = world.reader
    codes = [client.post("/sign-in/code", data={"code": "000000"}).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]
