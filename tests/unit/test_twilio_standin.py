"""The real twilio Client against the local Twilio stand-in: sends, errors and their classes, signed status callbacks."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import urllib.request
from datetime import UTC
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from integrations.twilio.client import FINAL_STATUSES
from integrations.twilio.client import STATUS_ORDER
from integrations.twilio.client import SentMessage
from integrations.twilio.client import classify_code
from integrations.twilio.client import classify_error
from integrations.twilio.client import is_forward
from integrations.twilio.client import make_client
from integrations.twilio.client import send_sms
from integrations.twilio.standin import DEFAULT_ACCOUNT_SID
from integrations.twilio.standin import DEFAULT_AUTH_TOKEN
from integrations.twilio.standin import TwilioFake
from notifications.segments import count_segments
from notifications.templates import render
from tests.webhook_receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
READER = "+77011234567"
PUBLIC_CALLBACK = "https://lib.example.kz/hooks/twilio/sms-status?m=42"
SERVICE = "MG" + "a" * 32


class Receiver(WebhookReceiver):
    """Our webhook, answering 204 unless told otherwise."""

    def __init__(self, status: int = 204) -> None:
        super().__init__(status)


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture
def fake(receiver):
    with TwilioFake(callback_base_url=receiver.url, clock=lambda: NOW) as f:
        yield f


@pytest.fixture
def client(fake):
    return make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, fake.url)


def send(client, to: str = READER, body: str | None = None, **kwargs) -> SentMessage:
    kwargs.setdefault("status_callback", PUBLIC_CALLBACK)
    if "messaging_service_sid" not in kwargs:
        kwargs.setdefault("sender_id", "LIBRARY")
    text = body if body is not None else render("delivery_planned", "ru", date="25.11", window="10:00–14:00")
    return send_sms(client, to=to, body=text, **kwargs)


# --- sending ---------------------------------------------------------------------------------------------


def test_a_send_is_recorded_and_answered_like_twilio(fake, client):
    body = render("request_accepted", "kk", number="10234", date="24.11", window="10:00–14:00")

    sent = send(client, body=body)

    assert sent.sid.startswith("SM") and len(sent.sid) == 34 and int(sent.sid[2:], 16) >= 0
    assert sent.status == "queued"
    assert sent.segments == count_segments(body).segments == 2
    [message] = fake.messages
    assert (message.sid, message.to, message.from_, message.body) == (sent.sid, READER, "LIBRARY", body)
    assert message.status_callback == PUBLIC_CALLBACK and message.encoding == "UCS-2"
    [request] = fake.requests
    assert request.method == "POST" and request.authorized
    assert request.path == f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages.json"
    assert request.form == {"To": READER, "From": "LIBRARY", "Body": body, "StatusCallback": PUBLIC_CALLBACK}


def test_a_messaging_service_send_is_accepted_without_a_from(fake, client):
    sent = send(client, messaging_service_sid=SERVICE, validity_period_s=3600)

    assert sent.status == "accepted"
    fetched = client.messages(sent.sid).fetch()
    assert fetched.status == "accepted" and fetched.from_ is None and fetched.messaging_service_sid == SERVICE
    assert fake.requests[0].form["ValidityPeriod"] == "3600"


def test_the_message_resource_is_fetched_with_the_real_client(fake, client):
    sent = send(client, body="Hello from the library")

    fetched = client.messages(sent.sid).fetch()

    assert (fetched.sid, fetched.status, fetched.to, fetched.body) == (sent.sid, "queued", READER, "Hello from the library")
    assert fetched.num_segments == "1" and fetched.direction == "outbound-api" and fetched.error_code is None
    assert fetched.date_created == NOW and fetched.account_sid == DEFAULT_ACCOUNT_SID


def test_send_sms_checks_its_arguments_before_calling_twilio(fake, client):
    with pytest.raises(ValueError, match="messaging_service_sid or sender_id"):
        send_sms(client, to=READER, body="x", status_callback=None)
    with pytest.raises(ValueError, match="1 to 1600"):
        send(client, body="")
    with pytest.raises(ValueError, match="1 to 1600"):
        send(client, body="x" * 1601)
    with pytest.raises(ValueError, match="validity_period_s"):
        send(client, validity_period_s=0)
    assert fake.requests == []


def test_make_client_refuses_a_base_url_without_a_host():
    with pytest.raises(ValueError, match="api_base_url"):
        make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, "127.0.0.1:8099")
    with pytest.raises(ValueError, match="timeout_s"):
        make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, "http://127.0.0.1:8099", timeout_s=0)


# --- errors ----------------------------------------------------------------------------------------------


def test_wrong_credentials_get_twilios_401(fake):
    wrong = make_client(DEFAULT_ACCOUNT_SID, "not-the-token", fake.url)

    with pytest.raises(TwilioRestException) as caught:
        send(wrong)

    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert classify_error(caught.value) == "permanent"
    assert fake.messages == [] and not fake.requests[0].authorized


def test_an_opted_out_number_surfaces_as_21610(fake, client):
    fake.fail_number(READER, 21610)

    with pytest.raises(TwilioRestException) as caught:
        send(client)

    assert (caught.value.status, caught.value.code) == (400, 21610)
    assert "unsubscribed recipient" in caught.value.msg
    assert classify_error(caught.value) == "opted_out"
    assert send(client, to="+77017654321").status == "queued"  # other readers still get theirs
    assert len(fake.messages) == 1


@pytest.mark.parametrize("code", [21211, 21614])
def test_bad_numbers_surface_with_their_code(fake, client, code):
    fake.fail_next(code)

    with pytest.raises(TwilioRestException) as caught:
        send(client)

    assert (caught.value.status, caught.value.code) == (400, code)
    assert classify_error(caught.value) == "bad_number"
    assert send(client).status == "queued"  # the fault was for the next request only


def test_a_number_not_in_e164_is_refused_with_21211(fake, client):
    with pytest.raises(TwilioRestException) as caught:
        send(client, to="87011234567")
    assert caught.value.code == 21211 and classify_error(caught.value) == "bad_number"


@pytest.mark.parametrize(("error", "status", "code"), [(500, 500, 20500), (503, 503, 20503), (429, 429, 20429)])
def test_server_errors_and_throttling_are_temporary(fake, client, error, status, code):
    fake.fail_next(error, times=2)

    for _ in range(2):
        with pytest.raises(TwilioRestException) as caught:
            send(client)
        assert (caught.value.status, caught.value.code) == (status, code)
        assert classify_error(caught.value) == "temporary"
    assert send(client).status == "queued"


def test_a_refused_connection_is_temporary():
    with TwilioFake() as gone:
        url = gone.url
    with pytest.raises(requests.ConnectionError) as caught:
        send(make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, url))
    assert classify_error(caught.value) == "temporary"


def test_a_timeout_is_temporary():
    with TwilioFake() as stalling:
        stalling.stall_next(seconds=60)
        impatient = make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, stalling.url, timeout_s=0.2)
        with pytest.raises(requests.Timeout) as caught:
            send(impatient)
    assert classify_error(caught.value) == "temporary"


def test_twilio_validation_errors(fake, client):
    with pytest.raises(TwilioRestException) as no_service:
        client.messages.create(to=READER, body="x", messaging_service_sid="MGnope")
    with pytest.raises(TwilioRestException) as bad_callback:
        client.messages.create(to=READER, body="x", from_="LIBRARY", status_callback="https://my_app.example.kz/hook")
    with pytest.raises(TwilioRestException) as too_long:
        client.messages.create(to=READER, body="x" * 1601, from_="LIBRARY")
    with pytest.raises(TwilioRestException) as no_sender:
        client.messages.create(to=READER, body="x")
    assert [e.value.code for e in (no_service, bad_callback, too_long, no_sender)] == [21701, 21609, 21617, 21603]
    assert fake.messages == []


def test_an_unknown_message_is_404(client):
    with pytest.raises(TwilioRestException) as caught:
        client.messages("SM" + "0" * 32).fetch()
    assert (caught.value.status, caught.value.code) == (404, 20404)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (21610, "opted_out"),
        ("21610", "opted_out"),
        (21211, "bad_number"),
        (21614, "bad_number"),
        ("30005", "bad_number"),
        ("30006", "bad_number"),
        ("30003", "temporary"),
        (30008, "temporary"),
        (20429, "temporary"),
        ("30007", "permanent"),
        (21408, "permanent"),
        (None, "permanent"),
        ("", "permanent"),
        ("abc", "permanent"),
    ],
)
def test_classify_code(code, kind):
    assert classify_code(code) == kind


def test_classify_code_by_http_status_and_other_exceptions():
    assert classify_code(20500, 500) == "temporary"
    assert classify_code(99999, 429) == "temporary"
    assert classify_code(99999, 400) == "permanent"
    assert classify_code(21610, 500) == "opted_out"
    assert classify_error(ValueError("bug")) == "permanent"
    assert classify_error(TimeoutError()) == "temporary"
    assert classify_error(ConnectionResetError()) == "temporary"


# --- status callbacks --------------------------------------------------------------------------------------


def test_a_status_callback_is_signed_for_the_public_url_and_posted_locally(fake, client, receiver):
    sent = send(client)

    call = fake.deliver(sent.sid, "delivered")

    assert call is not None and call.status == 204 and call.error is None
    assert call.signed_url == PUBLIC_CALLBACK
    assert call.posted_url == f"{receiver.url}/hooks/twilio/sms-status?m=42"
    [(path, headers, form)] = receiver.posts
    assert path == "/hooks/twilio/sms-status?m=42"
    assert headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert form["MessageSid"] == form["SmsSid"] == sent.sid
    assert form["MessageStatus"] == form["SmsStatus"] == "delivered"
    assert (form["AccountSid"], form["From"], form["To"], form["ApiVersion"]) == (
        DEFAULT_ACCOUNT_SID,
        "LIBRARY",
        READER,
        "2010-04-01",
    )
    assert "ErrorCode" not in form
    validator = RequestValidator(DEFAULT_AUTH_TOKEN)
    signature = headers["X-Twilio-Signature"]
    assert validator.validate(PUBLIC_CALLBACK, form, signature)
    assert not validator.validate(receiver.url + path, form, signature)  # the URL the app sees behind the proxy
    assert not RequestValidator("another-token").validate(PUBLIC_CALLBACK, form, signature)
    assert client.messages(sent.sid).fetch().status == "delivered"


def test_a_failed_delivery_carries_its_error_code(fake, client, receiver):
    sent = send(client)

    fake.deliver(sent.sid, "sent")
    fake.deliver(sent.sid, "undelivered", error_code=30003)
    other = send(client)
    fake.deliver(other.sid, "failed")

    first, second, third = (form for _, _, form in receiver.posts)
    assert first["MessageStatus"] == "sent" and "ErrorCode" not in first
    assert second["MessageStatus"] == "undelivered" and second["ErrorCode"] == "30003"
    assert classify_code(second["ErrorCode"]) == "temporary"
    assert third["MessageStatus"] == "failed" and third["ErrorCode"] == "30008"
    fetched = client.messages(sent.sid).fetch()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30003)
    assert fake.message(sent.sid).statuses == ("queued", "sent", "undelivered")
    for _, headers, form in receiver.posts:
        assert RequestValidator(DEFAULT_AUTH_TOKEN).validate(PUBLIC_CALLBACK, form, headers["X-Twilio-Signature"])


def test_a_messaging_service_message_gets_its_sender_when_sent(fake, client, receiver):
    sent = send(client, messaging_service_sid=SERVICE)

    fake.deliver(sent.sid, "sent")

    [(_, _, form)] = receiver.posts
    assert form["From"] == "LIBRARY" and form["MessagingServiceSid"] == SERVICE


def test_callbacks_may_arrive_out_of_order_and_the_status_never_moves_back(fake, client, receiver):
    sent = send(client)
    fake.deliver(sent.sid, "delivered")
    fake.deliver(sent.sid, "sent")  # late

    stored: str | None = sent.status
    for _, _, form in receiver.posts:
        if is_forward(stored, form["MessageStatus"]):
            stored = form["MessageStatus"]
    assert stored == "delivered"


def test_a_message_without_status_callback_posts_nothing(fake, client, receiver):
    sent = send(client, status_callback=None)
    assert fake.deliver(sent.sid, "delivered") is None
    assert receiver.posts == [] and fake.message(sent.sid).status == "delivered"


def test_deliver_refuses_unknown_statuses_and_messages(fake, client):
    sent = send(client)
    with pytest.raises(ValueError, match="status must be one of"):
        fake.deliver(sent.sid, "queued")
    with pytest.raises(KeyError):
        fake.deliver("SM" + "0" * 32)


def test_a_callback_the_app_refuses_is_recorded():
    with Receiver(status=403) as refusing, TwilioFake(callback_base_url=refusing.url) as f:
        sent = send(make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, f.url))
        call = f.deliver(sent.sid)
    assert call is not None and call.status == 403
    assert f.callbacks == [call]


# --- statuses ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "forward"),
    [
        (None, "queued", True),
        ("queued", "sending", True),
        ("accepted", "sent", True),
        ("scheduled", "queued", False),
        ("sending", "sent", True),
        ("sent", "delivered", True),
        ("queued", "delivered", True),
        ("sent", "undelivered", True),
        ("queued", "failed", True),
        ("queued", "canceled", True),
        ("delivered", "sent", False),
        ("delivered", "sending", False),
        ("sent", "queued", False),
        ("sent", "sent", False),
        ("delivered", "undelivered", False),
        ("undelivered", "delivered", False),
        ("failed", "delivered", False),
        ("delivered", "read", True),
        ("sent", "read", True),
        ("undelivered", "read", False),
        ("read", "delivered", False),
        ("read", "read", False),
        ("sent", "something_new", False),
        ("something_old", "sent", True),
    ],
)
def test_is_forward(old, new, forward):
    assert is_forward(old, new) is forward


def test_status_order_covers_the_outbound_statuses():
    assert set(STATUS_ORDER) >= {
        "queued",
        "accepted",
        "scheduled",
        "sending",
        "sent",
        "delivered",
        "undelivered",
        "failed",
        "canceled",
        "read",
    }
    assert {"delivered", "undelivered", "failed", "canceled"} <= FINAL_STATUSES
    assert "sent" not in FINAL_STATUSES


# --- demo use -------------------------------------------------------------------------------------------------


def test_control_paths_drive_the_fake_over_http(fake, client, receiver):
    sent = send(client)

    def post(path: str, **form: str) -> dict:
        request = urllib.request.Request(f"{fake.url}/_fake/{path}", data=urlencode(form).encode(), method="POST")
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    delivered = post(f"messages/{sent.sid}/deliver", status="undelivered", error_code="30006")
    post("faults", error="21610", to="+77010000000")
    with urllib.request.urlopen(f"{fake.url}/_fake/messages") as response:
        listed = json.loads(response.read())

    assert delivered["callback"]["params"]["ErrorCode"] == "30006" and delivered["callback"]["status"] == 204
    assert [m["status"] for m in listed["messages"]] == ["undelivered"]
    with pytest.raises(TwilioRestException) as caught:
        send(client, to="+77010000000")
    assert caught.value.code == 21610


def test_auto_delivery_walks_messages_to_delivered(receiver):
    with TwilioFake(callback_base_url=receiver.url, auto_deliver_s=0.0) as auto:
        sent = send(make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, auto.url))
        done = threading.Event()
        while not done.is_set():
            if len(auto.callbacks) >= 2:
                done.set()
            else:
                done.wait(0.01)
    assert auto.message(sent.sid).statuses == ("queued", "sent", "delivered")
    assert [form["MessageStatus"] for _, _, form in receiver.posts] == ["sent", "delivered"]


def test_runs_from_the_command_line():
    process = subprocess.Popen(
        [sys.executable, "-m", "integrations.twilio.standin", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        base = banner.split(" on ")[1].split("/2010-04-01")[0]
        sent = send(make_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, base), status_callback=None)
        assert sent.status == "queued"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        if process.stdout is not None:
            process.stdout.close()
