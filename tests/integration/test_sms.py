"""SMS to readers through the real twilio client and the local Twilio, on PostgreSQL: sending, receipts, opt-outs, the phone menu."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import update
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from dispatch.config import SmsSettings
from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import RequestKind
from dispatch.jobs.context import use_context
from dispatch.jobs.handover import flush_outbox
from dispatch.models import DeliveryRequest
from dispatch.models import JobRun
from dispatch.models import Reader
from dispatch.models import SmsMessage
from dispatch.models import SmsSuppression
from dispatch.requests.intake import submit_request
from dispatch.requests.phone_orders import PhoneOrders
from dispatch.sms.sender import send_message
from dispatch.sms.suppression import set_preference
from integrations.twilio.standin import TwilioFake
from tests.conftest import ALMATY
from web import create_app

PHONE = "+77011234567"


@pytest.fixture
def twilio():
    with TwilioFake() as fake:
        yield fake


@pytest.fixture
def sms_ctx(ctx, world, twilio):
    """The test context texting through the local Twilio; inline jobs run on it."""
    ctx.settings = replace(
        ctx.settings,
        sms=SmsSettings(
            account_sid=twilio.account_sid,
            auth_token=twilio.auth_token,
            sender_id="KITAPHANA",
            api_base_url=twilio.url,
            library_phone="+7 727 250 12 34",
        ),
        public_url="https://lib.example.kz",
    )
    with ctx.uow() as uow:  # one number per reader, so one reader's opt-out is theirs alone
        for n, card in enumerate((world.reader, world.second_reader, world.blocked_reader)):
            uow.session.execute(update(Reader).where(Reader.card_number == card).values(phone=f"+7701123456{7 + n}"))
        uow.commit()
    use_context(ctx)
    try:
        yield ctx
    finally:
        use_context(None)


def _order(ctx, world, key="web-1", card=None, **kwargs):
    return submit_request(
        ctx,
        card_number=card or world.reader,
        barcodes=kwargs.pop("barcodes", [world.books_b01[0]]),
        channel=Channel.WEB.value,
        idempotency_key=key,
        **kwargs,
    )


def _messages(ctx):
    with ctx.uow() as uow:
        return [
            (m.id, m.event, m.state, m.status, m.body, m.twilio_sid, m.send_after)
            for m in uow.session.scalars(select(SmsMessage).order_by(SmsMessage.id))
        ]


def test_an_accepted_request_is_texted_once_even_when_its_job_runs_again(sms_ctx, world, twilio) -> None:
    view = _order(sms_ctx, world)
    [(message_id, event, state, _status, body, sid, _)] = _messages(sms_ctx)
    assert (event, state) == ("request_accepted", "sent")
    assert [m.body for m in twilio.messages] == [body] and f"№{view.id}" in body
    sent = twilio.messages[0]
    assert sent.to == PHONE and sent.sid == sid and sent.from_ == "KITAPHANA"
    assert sent.status_callback == f"https://lib.example.kz/hooks/twilio/sms-status?m={message_id}"

    assert send_message(sms_ctx, message_id)["sent"] is False  # the job ran twice
    _order(sms_ctx, world)  # the same request submitted again
    assert len(twilio.messages) == 1


def test_a_message_due_at_night_waits_for_the_morning(sms_ctx, world, twilio) -> None:
    night = datetime(2026, 11, 23, 22, 30, tzinfo=ALMATY)
    sms_ctx.clock = lambda: night
    _order(sms_ctx, world)
    [(_, _, state, _, _, _, send_after)] = _messages(sms_ctx)
    morning = datetime(2026, 11, 24, 9, 0, tzinfo=ALMATY)
    assert state == "waiting" and send_after == morning and twilio.messages == []
    with sms_ctx.uow() as uow:
        assert uow.session.scalars(select(JobRun.run_at).where(JobRun.kind == "sms")).one() == morning

    sms_ctx.clock = lambda: morning + timedelta(minutes=1)
    flush_outbox(sms_ctx)  # what the sweep (or RQ's scheduler) does when the time comes
    assert len(twilio.messages) == 1 and _messages(sms_ctx)[0][2] == "sent"


def test_twilio_error_codes_are_acted_on(sms_ctx, world, twilio) -> None:
    twilio.fail_number(PHONE, 21610)
    _order(sms_ctx, world, key="a")
    with sms_ctx.uow() as uow:
        assert uow.session.get(SmsSuppression, PHONE).source == "twilio"
        assert uow.session.scalars(select(Reader).where(Reader.card_number == world.reader)).one().sms_opt_out
    asked = len(twilio.requests)
    _order(sms_ctx, world, key="b", barcodes=[world.books_b01[1]])
    assert [m[2] for m in _messages(sms_ctx)] == ["suppressed", "suppressed"]
    assert len(twilio.requests) == asked  # an opted-out number is not even tried

    second = "+77011234568"
    twilio.fail_number(second, 21211)
    _order(sms_ctx, world, key="c", card=world.second_reader, barcodes=[world.books_b01[2]])
    assert _messages(sms_ctx)[-1][2] == "bad_number"
    with sms_ctx.uow() as uow:
        assert uow.session.scalars(select(Reader).where(Reader.card_number == world.second_reader)).one().phone_problem


def test_a_server_error_is_retried_and_the_message_sent_once(sms_ctx, world, twilio) -> None:
    twilio.fail_next(500)
    _order(sms_ctx, world)
    [(message_id, _, state, *_)] = _messages(sms_ctx)
    assert state == "waiting" and twilio.messages == []  # the job failed transiently; RQ would retry it
    assert send_message(sms_ctx, message_id)["sent"] is True
    assert len(twilio.messages) == 1
    with sms_ctx.uow() as uow:
        assert uow.session.get(SmsMessage, message_id).attempts == 2


@pytest.mark.parametrize("channel", ["phone_menu", "web", "operator"])
def test_opting_out_from_each_channel_stops_the_messages(sms_ctx, world, twilio, channel) -> None:
    if channel == "phone_menu":
        PhoneOrders(sms_ctx).set_sms(world.reader, False)
        assert PhoneOrders(sms_ctx).sms_enabled(world.reader) is False
    else:
        set_preference(sms_ctx, world.reader, sms=False, source=channel)
    _order(sms_ctx, world)
    assert [m[2] for m in _messages(sms_ctx)] == ["suppressed"] and twilio.messages == []
    with sms_ctx.uow() as uow:
        assert uow.session.get(SmsSuppression, PHONE).source == channel

    set_preference(sms_ctx, world.reader, sms=True, source=channel)
    _order(sms_ctx, world, key="again", barcodes=[world.books_b01[1]])
    assert len(twilio.messages) == 1


def _signed_post(client, token, path, form, *, public="https://lib.example.kz", signature=None):
    signature = signature if signature is not None else RequestValidator(token).compute_signature(public + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def test_webhooks_refuse_bad_signatures_and_accept_good_ones_behind_a_proxy(sms_ctx, world, twilio) -> None:
    client = create_app(ctx=sms_ctx).test_client()
    token = twilio.auth_token
    form = {"From": PHONE, "Body": "СТОП", "MessageSid": "SM" + "1" * 32}
    path = "/hooks/twilio/sms-inbound"
    assert client.post(path, data=form).status_code == 403
    assert _signed_post(client, token, path, form, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    # Signed for the URL the app sees behind the proxy, not the public one Twilio called: refused.
    assert _signed_post(client, token, path, form, public="http://localhost").status_code == 403
    with sms_ctx.uow() as uow:
        assert uow.session.get(SmsSuppression, PHONE) is None

    answer = _signed_post(client, token, path, form)
    assert answer.status_code == 200 and "SMS" in ET.fromstring(answer.data).findtext("Message")
    with sms_ctx.uow() as uow:
        assert uow.session.get(SmsSuppression, PHONE).source == "sms"
    _signed_post(client, token, path, {**form, "Body": "старт"})
    with sms_ctx.uow() as uow:
        assert uow.session.get(SmsSuppression, PHONE) is None


def test_receipts_from_the_local_twilio_move_the_status_forward_only(sms_ctx, world, twilio) -> None:
    app = create_app(ctx=sms_ctx)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    twilio.callback_base_url = f"http://127.0.0.1:{server.port}"  # the proxy: Twilio signs the public URL
    try:
        _order(sms_ctx, world)
        sid = twilio.messages[0].sid
        for status in ("sent", "delivered", "sent"):  # the last one arrives late, out of order
            call = twilio.deliver(sid, status)
            assert call is not None and call.status == 204, call
        assert _messages(sms_ctx)[0][3] == "delivered"
    finally:
        server.shutdown()
        thread.join()


def test_a_reader_orders_by_phone_from_card_number_to_a_stored_request(sms_ctx, world, twilio) -> None:
    client = create_app(ctx=sms_ctx).test_client()
    token = twilio.auth_token
    call = {"CallSid": "CA" + "7" * 32, "From": PHONE}

    def step(reply, digits=None):
        root = ET.fromstring(reply.data)
        target = root.find("Gather") if digits is not None else root.find("Redirect")
        url = target.attrib["action"] if digits is not None else target.text
        form = {**call, **({"Digits": digits} if digits is not None else {})}
        path, _, query = url.partition("?")
        full = f"{path}?{query}" if query else path
        return client.post(
            full,
            data=form,
            headers={"X-Twilio-Signature": RequestValidator(token).compute_signature(f"https://lib.example.kz{full}", form)},
        )

    start = client.post(
        "/voice",
        data=call,
        headers={"X-Twilio-Signature": RequestValidator(token).compute_signature("https://lib.example.kz/voice", call)},
    )
    assert start.status_code == 200
    confirm = step(start, world.reader)
    assert "Вы ввели" in confirm.data.decode()
    menu = step(confirm, "1")
    assert "сдать книги" in menu.data.decode()  # the reader has a book on loan: a return pickup is offered
    order = step(menu, "3")
    submitting = step(order, "1")
    done = step(submitting)
    text = done.data.decode()
    assert "принята" in text
    again = step(submitting)  # Twilio repeats the webhook
    assert again.data == done.data
    with sms_ctx.uow() as uow:
        requests = uow.session.scalars(select(DeliveryRequest)).all()
        assert [(r.kind, r.channel) for r in requests] == [(RequestKind.RETURN_PICKUP, Channel.PHONE)]
        assert f"номер {requests[0].id}" in text
    assert [m[1] for m in _messages(sms_ctx)][:1] == ["return_scheduled"]
    assert any("заберёт" in m.body for m in twilio.messages)

    wrong = step(start, "9999999")
    for _ in range(2):
        wrong = step(wrong, "9999999")
    assert ET.fromstring(wrong.data).find("Dial") is not None  # three unknown cards: an operator


def test_a_planned_day_tells_each_reader_the_evening_before_then_on_the_way_delivered_or_failed(
    ctx, twilio, almaty_graph
) -> None:
    from couriers.outcomes import dispatch_route
    from couriers.outcomes import record_outcome
    from dispatch.models import PlanRoute
    from dispatch.planning.service import plan_day
    from tests.integration.day_world import TUESDAY
    from tests.integration.day_world import courier_leaves
    from tests.integration.day_world import make_day

    ctx.settings = replace(
        ctx.settings,
        sms=SmsSettings(
            account_sid=twilio.account_sid, auth_token=twilio.auth_token, sender_id="KITAPHANA", api_base_url=twilio.url
        ),
        planning=replace(ctx.settings.planning, solver_workers=1),
    )
    use_context(ctx)
    try:
        world = make_day(ctx, almaty_graph, readers=5, couriers=1)
        accepted = len(twilio.messages)
        assert accepted == len(world.requests)
        plan_day(ctx, TUESDAY, world.branch)
        evening = datetime(2026, 11, 23, 18, 0, tzinfo=ALMATY)
        planned = [m for m in _messages(ctx) if m[1] == "delivery_planned"]
        assert planned and all(m[2] == "waiting" and m[6] == evening for m in planned)
        assert all("завтра, 24.11" in m[4] for m in planned)

        with ctx.uow() as uow:
            route = uow.session.scalars(select(PlanRoute).where(PlanRoute.courier_id.is_not(None))).first()
            route_id = route.id
            stops = [(s.id, s.request_id) for s in route.stops if s.request_id is not None]
        dispatch_route(ctx, route_id, actor="test")
        courier_leaves(ctx, route_id)  # Tuesday morning: the route's own day
        on_the_way = [m for m in _messages(ctx) if m[1] == "courier_on_the_way"]
        assert len(on_the_way) == 1 and on_the_way[0][2] == "sent"

        record_outcome(ctx, stops[0][0], "delivered", actor="courier")
        events = [m[1] for m in _messages(ctx)]
        assert "delivered" in events and events.count("courier_on_the_way") == min(2, len(stops))
        if len(stops) > 1:
            record_outcome(ctx, stops[1][0], "failed", reason="not_at_home", actor="courier")
            failed = [m for m in _messages(ctx) if m[1] == "attempt_failed"]
            assert len(failed) == 1 and "снова" in failed[0][4]
    finally:
        use_context(None)
