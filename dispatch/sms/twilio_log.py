"""What Twilio holds for our account: its latest messages, newest first, each with the reader it went to.

Read through Twilio's REST API with the same client that sends (in the demo it is the local Twilio,
by configuration alone), so the list shows what really left the system, not what we meant to send.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from sqlalchemy import select
from twilio.base.exceptions import TwilioException

from dispatch.models import SmsMessage
from integrations.twilio.client import make_client

if t.TYPE_CHECKING:
    from dispatch.context import Context

DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class LoggedMessage:
    """One message as Twilio has it; ``reader`` and ``event`` are ours, when the message is one we sent."""

    sid: str
    to: str
    body: str
    status: str
    created_at: datetime
    """In the city's time zone."""
    reader: str | None
    event: str | None
    language: str | None
    """The text's language (``ru``, ``kk``): a Kazakh page marks a Russian text as such for screen readers."""


@dataclass(frozen=True)
class TwilioLog:
    """The messages, or why they could not be read (``"not_configured"``, ``"unreachable"``)."""

    messages: list[LoggedMessage]
    problem: str | None = None


def twilio_log(ctx: Context, *, limit: int = DEFAULT_LIMIT) -> TwilioLog:
    """The account's latest ``limit`` messages from Twilio, newest first, matched to our readers by Twilio's sid."""
    sms = ctx.settings.sms
    if not sms.enabled:
        return TwilioLog([], "not_configured")
    client = make_client(sms.account_sid or "", sms.auth_token or "", sms.api_base_url)
    try:
        found = client.messages.list(limit=limit)
    except (TwilioException, requests.RequestException):
        return TwilioLog([], "unreachable")
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    sids = [str(m.sid) for m in found]
    with ctx.uow() as uow:
        ours = {
            row.twilio_sid: (row.reader.full_name, row.event, row.language)
            for row in uow.session.scalars(select(SmsMessage).where(SmsMessage.twilio_sid.in_(sids)))
        }
    unknown: tuple[str | None, str | None, str | None] = (None, None, None)
    messages = [
        LoggedMessage(
            str(m.sid), str(m.to), str(m.body), str(m.status), m.date_created.astimezone(zone), *ours.get(str(m.sid), unknown)
        )
        for m in found
    ]
    messages.sort(key=lambda m: m.created_at, reverse=True)
    return TwilioLog(messages)
