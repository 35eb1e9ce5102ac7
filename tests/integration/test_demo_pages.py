"""The demo's SMS outbox page through Flask's test client: off outside the demo, staff only, read from the local Twilio."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dispatch.config import SmsSettings
from dispatch.jobs.context import use_context
from dispatch.readers.access import request_code
from dispatch.sms.twilio_log import twilio_log
from dispatch.staff.accounts import add_staff
from integrations.twilio.standin import TwilioFake
from web import create_app

pytestmark = pytest.mark.integration

PASSWORD = "outbox-password-1"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def twilio():
    with TwilioFake() as fake:
        yield fake


def _sms(twilio: TwilioFake) -> SmsSettings:
    return SmsSettings(
        account_sid=twilio.account_sid, auth_token=twilio.auth_token, sender_id="KITAPHANA", api_base_url=twilio.url
    )


@pytest.fixture
def demo_app(ctx, world, twilio):
    ctx.settings = replace(ctx.settings, secret_key="demo-pages", demo=True, sms=_sms(twilio))
    add_staff(ctx, "oper", "Оператор", "operator", PASSWORD)
    built = create_app(ctx=ctx)
    built.config["SESSION_COOKIE_SECURE"] = False
    try:
        yield built
    finally:
        use_context(None)


def _signed_in(app):
    client = app.test_client()
    token = CSRF.search(client.get("/staff/sign-in").get_data(as_text=True))
    assert token
    response = client.post("/staff/sign-in", data={"csrf_token": token.group(1), "username": "oper", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_outbox_shows_the_sign_in_code_the_local_twilio_received(demo_app, ctx, world, twilio) -> None:
    assert request_code(ctx, world.reader) == "sent"
    assert request_code(ctx, world.second_reader) == "sent"
    client = _signed_in(demo_app)
    page = client.get("/demo/sms").get_data(as_text=True)
    assert "SMS демо-режима" in page and "Код для входа" in page
    codes = [m.body for m in twilio.messages]
    first, second = page.index(f"Reader {world.second_reader}"), page.index(f"Reader {world.reader}")
    assert first < second, "newest first"
    for body in codes:
        assert re.search(r"\d{6}", body) and body in page
    assert "sign_in_code" not in page and "queued" not in page
    assert 'class="sms-text" lang="ru"' in page
    kazakh = client.get("/demo/sms?lang=kk").get_data(as_text=True)
    assert "Кіру коды" in kazakh and "Оқырман" in kazakh


def test_the_outbox_says_when_the_local_twilio_does_not_answer(demo_app, ctx, twilio) -> None:
    client = _signed_in(demo_app)
    assert "Сообщений пока нет" in client.get("/demo/sms").get_data(as_text=True)
    twilio.stop()
    assert twilio_log(ctx).problem == "unreachable"
    assert "Локальный Twilio не отвечает" in client.get("/demo/sms").get_data(as_text=True)
    ctx.settings = replace(ctx.settings, sms=SmsSettings())
    assert "Twilio не настроен" in client.get("/demo/sms").get_data(as_text=True)


def test_the_outbox_is_for_signed_in_staff_and_only_in_the_demo(demo_app, ctx) -> None:
    anonymous = demo_app.test_client()
    assert anonymous.get("/demo/sms").status_code == 302  # to the staff sign-in
    client = _signed_in(demo_app)
    assert 'href="/demo/sms"' in client.get("/operator/").get_data(as_text=True)
    ctx.settings = replace(ctx.settings, demo=False)
    assert client.get("/demo/sms").status_code == 404
    assert anonymous.get("/demo/sms").status_code == 404
    assert 'href="/demo/sms"' not in client.get("/operator/").get_data(as_text=True)
