"""What comes back from Twilio: delivery receipts (statuses only move forward) and inbound SMS (STOP and START)."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.domain.phones import to_e164
from dispatch.models import Reader
from dispatch.models import SmsMessage
from dispatch.sms.suppression import allow
from dispatch.sms.suppression import suppress
from integrations.twilio.client import classify_code
from integrations.twilio.client import is_forward
from notifications import keywords
from notifications import templates

if t.TYPE_CHECKING:
    from dispatch.context import Context


def record_receipt(ctx: Context, *, message_id: str | None, sid: str | None, status: str, error_code: str | None) -> bool:
    """Move a message's Twilio status forward (an older callback arriving late changes nothing); act on its error code.

    Returns whether the message is known.
    """
    with ctx.uow() as uow:
        session = uow.session
        message = None
        if sid:
            message = session.scalars(select(SmsMessage).where(SmsMessage.twilio_sid == sid)).one_or_none()
        if message is None and message_id and message_id.isdigit():
            message = session.get(SmsMessage, int(message_id))
            if message is not None and sid and message.twilio_sid not in (None, sid):
                return False  # the id in the URL and the message Twilio names disagree
        if message is None:
            return False
        if sid and message.twilio_sid is None:
            message.twilio_sid = sid
        if is_forward(message.status, status):
            message.status = status
        if error_code:
            message.error_code = int(error_code) if error_code.isdigit() else message.error_code
            kind = classify_code(error_code)
            if kind == "opted_out":
                suppress(session, message.phone, "twilio")
            elif kind == "bad_number":
                message.reader.phone_problem = f"twilio {error_code}"
        uow.commit()
        return True


def inbound(ctx: Context, *, from_phone: str, body: str) -> str | None:
    """An SMS from a reader: STOP (and its Russian and Kazakh words) stops our SMS, START turns them on again.

    Returns the reply to send back, if any (the opt-out confirmation in the reader's language).
    """
    phone = to_e164(from_phone)
    kind = keywords.classify(body)
    if phone is None or kind not in ("opt_out", "opt_in"):
        return None
    with ctx.uow() as uow:
        session = uow.session
        if kind == "opt_out":
            suppress(session, phone, "sms")
        else:
            allow(session, phone)
        language = "ru"
        for reader in session.scalars(select(Reader).where(Reader.phone.is_not(None))):
            if to_e164(reader.phone or "") == phone:
                language = reader.language
                break
        uow.commit()
    if kind == "opt_out":
        return templates.render(templates.OPTED_OUT, language, phone=ctx.settings.sms.library_phone)
    return None
