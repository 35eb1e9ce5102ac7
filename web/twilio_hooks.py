"""Twilio's webhooks: SMS delivery receipts, inbound SMS, and the phone menu for ordering by phone.

Each request must carry a valid ``X-Twilio-Signature`` over the URL Twilio called and the posted
fields; anything else gets 403 and changes nothing. Behind a proxy the app sees another URL than the
one Twilio signed, so the public URL is rebuilt from ``DISPATCH_PUBLIC_URL`` (scheme and host) and
the path and query as received, byte for byte.
"""

from __future__ import annotations

import functools
import typing as t

from flask import Blueprint
from flask import Response
from flask import abort
from flask import request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from dispatch.requests.phone_orders import PhoneOrders
from dispatch.sms import receipts
from notifications.voice.menu import handle
from notifications.voice.state import CallState
from web.extension import context

bp = Blueprint("twilio", __name__)

VOICE_PATH = "/voice"


def public_url() -> str:
    """The URL Twilio called: the configured public scheme and host, the path and query as received."""
    query = request.query_string.decode("latin-1")
    path = request.path + (f"?{query}" if query else "")
    base = context().settings.public_url
    if base is None:
        return request.host_url.rstrip("/") + path
    return base + path


def signed(view: t.Callable[..., Response]) -> t.Callable[..., Response]:
    """Refuse (403) a request whose ``X-Twilio-Signature`` does not match Twilio's auth token."""

    @functools.wraps(view)
    def checked(*args: t.Any, **kwargs: t.Any) -> Response:
        token = context().settings.sms.auth_token
        signature = request.headers.get("X-Twilio-Signature", "")
        if not token or not signature or not RequestValidator(token).validate(public_url(), request.form, signature):
            abort(403)
        return view(*args, **kwargs)

    return checked


@bp.post("/hooks/twilio/sms-status")
@signed
def sms_status() -> Response:
    """A delivery receipt: the message's status moves forward (never back); 204 either way."""
    status = request.form.get("MessageStatus") or request.form.get("SmsStatus") or ""
    receipts.record_receipt(
        context(),
        message_id=request.args.get("m"),
        sid=request.form.get("MessageSid") or request.form.get("SmsSid"),
        status=status,
        error_code=request.form.get("ErrorCode"),
    )
    return Response(status=204)


@bp.post("/hooks/twilio/sms-inbound")
@signed
def sms_inbound() -> Response:
    """An SMS from a reader: STOP and its Russian and Kazakh words stop our SMS; the answer is TwiML."""
    reply = receipts.inbound(context(), from_phone=request.form.get("From", ""), body=request.form.get("Body", ""))
    answer = MessagingResponse()
    if reply:
        answer.message(reply)
    return Response(str(answer), mimetype="text/xml")


@bp.post(VOICE_PATH)
@bp.post(f"{VOICE_PATH}/<step>")
@signed
def voice(step: str = "start") -> Response:
    """One step of the phone menu: Twilio sends the keys pressed, we answer with the next TwiML."""
    call_sid = request.form.get("CallSid", "")
    if not call_sid:
        abort(400)
    reply = handle(
        step,
        CallState.from_query(request.args),
        request.form.get("Digits"),
        PhoneOrders(context()),
        call_sid=call_sid,
        dial_status=request.form.get("DialCallStatus"),
        base_path=VOICE_PATH,
    )
    return Response(reply.twiml, mimetype="text/xml")
