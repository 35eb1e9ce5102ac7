"""Sending one queued SMS through Twilio, exactly once, and acting on Twilio's error codes.

The message is marked ``sending`` and committed before Twilio is called. A run that finds it
``waiting`` sends it; a run that finds it in any other state (the job ran twice, or a worker died
mid-call and its retry came) sends nothing, so a reader never gets the same message twice. Twilio's
answers: 21610 (opted out) puts the number on our suppression list; 21211, 21614 and the like flag
the reader's number for staff; temporary failures (5xx, 429, no connection, 30003) are retried up to
``DISPATCH_SMS_MAX_ATTEMPTS`` times with the jobs' backoff; a read timeout (Twilio may have taken the
message) parks it as ``unknown`` for a person; anything else fails the message.
"""

from __future__ import annotations

import typing as t

import requests

from dispatch.domain.scheduling import local_now
from dispatch.jobs.runner import TransientError
from dispatch.models import SmsMessage
from dispatch.sms.outbox import ASKED_FOR
from dispatch.sms.relevance import still_relevant
from dispatch.sms.suppression import is_suppressed
from dispatch.sms.suppression import suppress
from integrations.twilio.client import classify_error
from integrations.twilio.client import make_client
from integrations.twilio.client import send_sms

if t.TYPE_CHECKING:
    from twilio.rest import Client

    from dispatch.context import Context

STATUS_PATH = "/hooks/twilio/sms-status"


def send_message(ctx: Context, message_id: int, *, client: Client | None = None) -> dict[str, t.Any]:
    """Send the message if it still waits, applies and may be sent; returns its state afterwards."""
    settings = ctx.settings.sms
    with ctx.uow() as uow:
        session = uow.session
        message = session.get(SmsMessage, message_id, with_for_update=True)
        if message is None or message.state != "waiting":
            return {"message_id": message_id, "state": message.state if message else "missing", "sent": False}
        asked_for = message.event in ASKED_FOR
        if not asked_for and (message.reader.sms_opt_out or is_suppressed(session, message.phone)):
            message.state = "suppressed"
        elif not still_relevant(session, message, local_now(ctx.clock(), ctx.settings.schedule).date()):
            message.state = "skipped"
        elif not settings.enabled:
            message.state = "not_configured"
        else:
            message.state, message.attempts = "sending", message.attempts + 1
        state = message.state
        phone, body = message.phone, message.body
        uow.commit()
    if state != "sending":
        return {"message_id": message_id, "state": state, "sent": False}
    client = client or make_client(settings.account_sid or "", settings.auth_token or "", settings.api_base_url)
    try:
        sent = send_sms(
            client,
            to=phone,
            body=body,
            status_callback=_status_callback(ctx, message_id),
            messaging_service_sid=settings.messaging_service_sid,
            sender_id=settings.sender_id,
        )
    except Exception as error:  # every failure is classified below; nothing is lost
        return _failed(ctx, message_id, error)
    with ctx.uow() as uow:
        message = uow.session.get(SmsMessage, message_id)
        assert message is not None
        message.state, message.twilio_sid, message.sent_at = "sent", sent.sid, ctx.clock()
        if message.status is None:
            message.status = sent.status
        uow.commit()
    return {"message_id": message_id, "state": "sent", "sent": True, "sid": sent.sid}


def _failed(ctx: Context, message_id: int, error: Exception) -> dict[str, t.Any]:
    # A read timeout may come after Twilio took the message: sending again could text the reader
    # twice, so the message is parked as ``unknown`` for a person (Twilio's log tells).
    kind = "unknown" if isinstance(error, requests.ReadTimeout) else classify_error(error)
    code = getattr(error, "code", None)
    with ctx.uow() as uow:
        session = uow.session
        message = session.get(SmsMessage, message_id)
        assert message is not None
        message.error_code = code if isinstance(code, int) else None
        if kind == "opted_out":
            message.state = "suppressed"
            suppress(session, message.phone, "twilio")
        elif kind == "bad_number":
            message.state = "bad_number"
            message.reader.phone_problem = f"twilio {code}: {getattr(error, 'msg', error)}"[:40]
        elif kind == "temporary" and message.attempts < ctx.settings.sms.max_attempts:
            message.state = "waiting"  # nothing reached the reader: the retry may send
        elif kind == "unknown":
            message.state = "unknown"
        else:
            message.state = "failed"
        state = message.state
        uow.commit()
    if state == "waiting":
        raise TransientError(f"Twilio: {error}") from error
    return {"message_id": message_id, "state": state, "sent": False, "error_code": code}


def _status_callback(ctx: Context, message_id: int) -> str | None:
    if ctx.settings.public_url is None:
        return None
    return f"{ctx.settings.public_url}{STATUS_PATH}?m={message_id}"
