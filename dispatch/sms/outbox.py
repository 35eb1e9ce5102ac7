"""Queueing an SMS inside the transaction of the change it tells about, once per request and event.

The message row carries a unique key (event, request and what distinguishes it, e.g. the date), so
a job or a service run twice queues nothing new. Its send job is recorded in the same transaction
(the outbox) for the time the quiet hours allow, and handed to RQ when the transaction commits.
"""

from __future__ import annotations

import typing as t
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dispatch.domain.phones import to_e164
from dispatch.jobs import runs
from dispatch.models import SmsMessage
from dispatch.sms.suppression import is_suppressed
from notifications.quiet_hours import next_allowed
from notifications.segments import count_segments
from notifications.templates import render

if t.TYPE_CHECKING:
    from datetime import date
    from datetime import datetime

    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from dispatch.models import DeliveryRequest
    from dispatch.models import Reader

SMS_JOB = "sms"
ASKED_FOR = frozenset({"sign_in_code"})
"""Events the reader asks for themselves: sent even when updates are turned off."""
LANGUAGES = ("ru", "kk")


def queue_sms(
    ctx: Context,
    session: Session,
    reader: Reader,
    event: str,
    params: dict[str, t.Any],
    *,
    key: str,
    request: DeliveryRequest | None = None,
    not_before: datetime | None = None,
    service_date: date | None = None,
    urgent: bool = False,
) -> SmsMessage | None:
    """Store the message ``event`` for ``reader`` and record its send job; ``None`` when the reader has no number.

    A number on the suppression list (or a reader who opted out) gets the row, marked ``suppressed``,
    and no job: what we did not send stays visible. An ``urgent`` message (a sign-in code the reader
    is waiting for) is sent at once, quiet hours or not.
    """
    phone = to_e164(reader.phone or "")
    if phone is None:
        return None
    existing = session.scalars(select(SmsMessage).where(SmsMessage.key == key)).one_or_none()
    if existing is not None:
        return existing
    language = reader.language if reader.language in LANGUAGES else "ru"
    body = render(event, language, **params)
    settings = ctx.settings.sms
    now = ctx.clock()
    earliest = max(now, not_before) if not_before is not None else now
    send_after = (
        earliest
        if urgent
        else next_allowed(earliest, settings.quiet_hours[0], settings.quiet_hours[1], ctx.settings.schedule.timezone)
    )
    # A code the reader asked for right now is not one of the updates they turned off.
    suppressed = not urgent and (reader.sms_opt_out or is_suppressed(session, phone))
    message = SmsMessage(
        key=key,
        reader_id=reader.id,
        request_id=request.id if request is not None else None,
        event=event,
        service_date=service_date,
        phone=phone,
        language=language,
        body=body,
        segments=count_segments(body).segments,
        send_after=send_after,
        state="suppressed" if suppressed else "waiting",
    )
    session.add(message)
    session.flush()
    if not suppressed:
        runs.add_in(session, job_key(message), SMS_JOB, {"message_id": message.id}, send_after if send_after > now else None)
    return message


def job_key(message: SmsMessage) -> str:
    """The send job's key: one job per message."""
    return f"sms:{message.id}"


def local_text(moment: datetime, ctx: Context, pattern: str) -> str:
    """``moment`` in the city's time, formatted (``%d.%m``, ``%H:%M``) for a message."""
    return moment.astimezone(ZoneInfo(ctx.settings.schedule.timezone)).strftime(pattern)


def recent_messages(ctx: Context, *, state: str | None = None, limit: int = 50) -> list[dict[str, t.Any]]:
    """The latest SMS to readers, newest first (``state``: only waiting, sent, failed…), as plain data."""
    with ctx.uow() as uow:
        query = select(SmsMessage).order_by(SmsMessage.id.desc()).limit(limit)
        if state:
            query = query.where(SmsMessage.state == state)
        return [_message_document(m) for m in uow.session.scalars(query)]


def _message_document(message: SmsMessage) -> dict[str, t.Any]:
    return {
        "id": message.id,
        "event": message.event,
        "request_id": message.request_id,
        "phone": message.phone,
        "language": message.language,
        "state": message.state,
        "status": message.status,
        "error_code": message.error_code,
        "segments": message.segments,
        "send_after": message.send_after.isoformat(),
        "body": message.body,
    }
