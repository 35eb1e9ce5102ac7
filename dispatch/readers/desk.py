"""What the operator's desk reads: readers found by card, name or phone, and one reader's record."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch.models import DeliveryRequest
from dispatch.models import Reader
from dispatch.readers.lookup import get_reader
from dispatch.readers.lookup import normalise_card

if t.TYPE_CHECKING:
    from dispatch.context import Context

MIN_QUERY = 2
MIN_PHONE_DIGITS = 4
"""Fewer digits of a phone would match half the city."""


@dataclass(frozen=True)
class ReaderRow:
    """A reader in a list of matches."""

    card_number: str
    name: str
    phone: str | None
    address: str


@dataclass(frozen=True)
class ReaderRecord:
    """One reader as the operator sees them, with their latest requests."""

    card_number: str
    name: str
    phone: str | None
    language: str
    address: str
    entrance: str | None
    floor: str | None
    flat: str | None
    has_lift: bool | None
    lat: float | None
    lon: float | None
    branch_code: str | None
    requests: tuple[dict[str, t.Any], ...]


def find_readers(ctx: Context, query: str, *, limit: int = 20) -> list[ReaderRow]:
    """Readers whose card is ``query``, or whose name or phone contains it (digits only for a phone)."""
    text = query.strip()
    if len(text) < MIN_QUERY:
        return []
    digits = re.sub(r"\D", "", text)
    conditions = [
        Reader.card_number == normalise_card(text),
        func.lower(Reader.full_name).contains(text.lower(), autoescape=True),
    ]
    if len(digits) >= MIN_PHONE_DIGITS:
        conditions.append(Reader.phone.contains(digits, autoescape=True))
    with ctx.uow() as uow:
        readers = uow.session.scalars(select(Reader).where(or_(*conditions)).order_by(Reader.full_name).limit(limit))
        return [ReaderRow(r.card_number, r.full_name, r.phone, r.address) for r in readers]


def reader_record(ctx: Context, card_number: str, *, requests: int = 10) -> ReaderRecord:
    """The reader with card ``card_number``; :class:`UnknownReader` when none has it."""
    with ctx.uow() as uow:
        reader = get_reader(uow.session, card_number, options=[selectinload(Reader.home_branch)])
        latest = uow.session.scalars(
            select(DeliveryRequest)
            .where(DeliveryRequest.reader_id == reader.id)
            .order_by(DeliveryRequest.received_at.desc(), DeliveryRequest.id.desc())
            .limit(requests)
        )
        return ReaderRecord(
            card_number=reader.card_number,
            name=reader.full_name,
            phone=reader.phone,
            language=reader.language,
            address=reader.address,
            entrance=reader.entrance,
            floor=reader.floor,
            flat=reader.flat,
            has_lift=reader.has_lift,
            lat=reader.lat,
            lon=reader.lon,
            branch_code=reader.home_branch.code if reader.home_branch else None,
            requests=tuple(
                {
                    "public_id": r.public_id,
                    "kind": r.kind.value,
                    "status": r.status.value,
                    "date": r.service_date.isoformat() if r.service_date else None,
                    "window": f"{r.window_start:%H:%M}-{r.window_end:%H:%M}",
                }
                for r in latest
            ),
        )
