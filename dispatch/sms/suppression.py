"""Our own list of numbers not to text: opt-outs from the phone menu, the web page, the operator and STOP.

Kazakh senders are often one-way (readers cannot text STOP), so the list is ours rather than
Twilio's; Twilio's 21610 (the number opted out with Twilio) lands here too.
"""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.domain.phones import to_e164
from dispatch.models import Reader
from dispatch.models import SmsSuppression
from dispatch.readers.lookup import get_reader

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context

SOURCES = ("phone_menu", "web", "operator", "sms", "twilio")


def is_suppressed(session: Session, phone: str) -> bool:
    """Whether ``phone`` (E.164) must not be texted."""
    return session.get(SmsSuppression, phone) is not None


def suppress(session: Session, phone: str, source: str) -> None:
    """Stop texting ``phone``, and mark every reader with that number as opted out (in the caller's transaction)."""
    if session.get(SmsSuppression, phone) is None:
        session.add(SmsSuppression(phone=phone, source=source))
    for reader in _readers_with(session, phone):
        reader.sms_opt_out = True


def allow(session: Session, phone: str) -> None:
    """Text ``phone`` again (the reader asked for SMS back)."""
    row = session.get(SmsSuppression, phone)
    if row is not None:
        session.delete(row)
    for reader in _readers_with(session, phone):
        reader.sms_opt_out = False


def set_preference(ctx: Context, card_number: str, *, sms: bool, source: str) -> dict[str, t.Any]:
    """A reader turns SMS off or on (phone menu, web page, operator): their number joins or leaves the list."""
    if source not in SOURCES:
        msg = f"unknown source {source!r}"
        raise ValueError(msg)
    with ctx.uow() as uow:
        reader = get_reader(uow.session, card_number)
        phone = to_e164(reader.phone or "")
        if phone is None:
            reader.sms_opt_out = not sms
        elif sms:
            allow(uow.session, phone)
        else:
            suppress(uow.session, phone, source)
        uow.commit()
        return {"card_number": reader.card_number, "sms": sms, "phone": phone}


def _readers_with(session: Session, phone: str) -> list[Reader]:
    """Readers whose stored number is ``phone`` in whatever form it was written."""
    candidates = session.scalars(select(Reader).where(Reader.phone.is_not(None)))
    return [reader for reader in candidates if to_e164(reader.phone or "") == phone]
