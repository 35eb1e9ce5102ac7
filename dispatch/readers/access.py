"""Readers signing in to their pages: one-time codes by SMS, and who a session's reader is.

A code is six digits, kept only as a salted SHA-256, good for :data:`CODE_TTL` and
:data:`MAX_ATTEMPTS` tries; a card gets at most :data:`MAX_CODES` codes per :data:`CODE_WINDOW`.
Whatever goes wrong (unknown card, no phone, wrong or spent code) the caller learns only "no", so
the pages cannot be used to find out which card numbers exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import typing as t
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select

from dispatch.models import Reader
from dispatch.models import ReaderCode
from dispatch.readers.lookup import find_reader
from dispatch.sms.outbox import queue_sms
from notifications.templates import SIGN_IN_CODE

if t.TYPE_CHECKING:
    from dispatch.context import Context

CODE_TTL = timedelta(minutes=10)
CODE_WINDOW = timedelta(minutes=15)
MAX_CODES = 3
MAX_ATTEMPTS = 5
CODE_DIGITS = 6


@dataclass(frozen=True)
class ReaderRef:
    """A signed-in reader as the web app needs them."""

    id: int
    card_number: str
    name: str
    language: str


def reader_by_id(ctx: Context, reader_id: int) -> ReaderRef | None:
    """The reader with this id, or ``None`` (a blocked card still signs in: the page says why nothing can be ordered)."""
    with ctx.uow() as uow:
        reader = uow.session.get(Reader, reader_id)
        if reader is None:
            return None
        return _ref(reader)


def request_code(ctx: Context, card_number: str) -> str:
    """Send a new sign-in code to the phone of the reader with ``card_number``; returns what happened.

    Returns ``"sent"``, ``"unknown"`` (no such card), ``"no_phone"`` or ``"limited"`` (already
    :data:`MAX_CODES` codes in :data:`CODE_WINDOW`). Pages must show the same words for all four.
    The SMS is ``urgent``: it does not wait for the quiet hours.
    """
    with ctx.uow() as uow:
        session = uow.session
        reader = find_reader(session, card_number, lock=True)  # one code request or check per card at a time: the limits hold
        if reader is None:
            return "unknown"
        if not reader.phone:
            return "no_phone"
        now = ctx.clock()
        recent = session.scalar(
            select(func.count(ReaderCode.id)).where(ReaderCode.reader_id == reader.id, ReaderCode.created_at > now - CODE_WINDOW)
        )
        if int(recent or 0) >= MAX_CODES:
            return "limited"
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_hex(16)
        row = ReaderCode(reader_id=reader.id, code_hash=_hash(salt, code), salt=salt, expires_at=now + CODE_TTL, created_at=now)
        session.add(row)
        session.flush()
        message = queue_sms(ctx, session, reader, SIGN_IN_CODE, {"code": code}, key=f"sign_in:{row.id}", urgent=True)
        uow.commit()
        return "sent" if message is not None else "no_phone"


def verify_code(ctx: Context, card_number: str, code: str) -> ReaderRef | None:
    """The reader when ``code`` is a live code of theirs (it is then spent), else ``None`` whatever the cause.

    Every live code of the card counts one attempt per try; a code is dead once expired, used or
    tried :data:`MAX_ATTEMPTS` times. Codes are compared in constant time.
    """
    typed = "".join(code.split())
    with ctx.uow() as uow:
        session = uow.session
        reader = find_reader(session, card_number, lock=True)  # locked as in request_code
        if reader is None:
            _hash(secrets.token_hex(16), typed)  # about the same work as for a real card
            return None
        now = ctx.clock()
        live = session.scalars(
            select(ReaderCode)
            .where(
                ReaderCode.reader_id == reader.id,
                ReaderCode.used_at.is_(None),
                ReaderCode.expires_at > now,
                ReaderCode.attempts < MAX_ATTEMPTS,
            )
            .order_by(ReaderCode.id)
        ).all()
        matched: ReaderCode | None = None
        for row in live:
            row.attempts += 1
            if hmac.compare_digest(row.code_hash, _hash(row.salt, typed)) and matched is None:
                matched = row
        if matched is not None:
            matched.used_at = now
        uow.commit()
        return _ref(reader) if matched is not None else None


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _ref(reader: Reader) -> ReaderRef:
    return ReaderRef(reader.id, reader.card_number, reader.full_name, reader.language)
