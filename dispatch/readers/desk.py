"""What the operator's desk reads: readers found by name, card or phone, and one reader's whole record."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from sqlalchemy import and_
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch.domain.phones import to_e164
from dispatch.domain.scheduling import local_now
from dispatch.domain.statuses import OPEN_STATUSES
from dispatch.domain.statuses import ItemStatus
from dispatch.models import AuditEvent
from dispatch.models import DeliveryRequest
from dispatch.models import Hold
from dispatch.models import Loan
from dispatch.models import Reader
from dispatch.models import RequestItem
from dispatch.readers.actors import actor_names
from dispatch.readers.address import ADDRESS_CHANGED
from dispatch.readers.folding import fold
from dispatch.readers.folding import folded
from dispatch.readers.location import ENTITY as READER_ENTITY
from dispatch.readers.lookup import get_reader
from dispatch.readers.lookup import normalise_card
from dispatch.requests.changes import CHANGEABLE

if t.TYPE_CHECKING:
    from datetime import date
    from datetime import datetime

    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

    from dispatch.context import Context
    from dispatch.domain.scheduling import ScheduleRules

MIN_QUERY = 2
MIN_PHONE_DIGITS = 4
"""Fewer digits of a phone would match half the city."""
FULL_PREFIX_DIGITS = 5
"""``8 777`` or ``+7 701``: enough digits to read the start of a number rather than any part of it."""


@dataclass(frozen=True)
class ReaderRow:
    """A reader in a list of matches."""

    card_number: str
    name: str
    phone: str | None
    address: str


@dataclass(frozen=True)
class LoanLine:
    """A book the reader has at home."""

    barcode: str
    title: str
    author: str
    due_on: date
    overdue: bool
    requested_in: int | None = None
    """The number of the open request that already collects it, if one does."""


@dataclass(frozen=True)
class HoldLine:
    """A book held for the reader at a branch."""

    barcode: str
    title: str
    author: str
    branch_name: str
    available: bool
    requested_in: int | None = None
    """The number of the open request that already brings it, if one does."""


@dataclass(frozen=True)
class RequestLine:
    """One of the reader's requests, by the number the reader was told."""

    number: int
    kind: str
    status: str
    channel: str
    service_date: date | None
    window: str
    titles: tuple[str, ...]
    changeable: bool


@dataclass(frozen=True)
class AddressChange:
    """One recorded change of the reader's door details: who, when (local wall-clock time), what."""

    at: datetime
    actor: str
    actor_name: str | None
    changes: dict[str, tuple[t.Any, t.Any]]


@dataclass(frozen=True)
class ReaderRecord:
    """One reader as the operator sees them on the phone."""

    card_number: str
    name: str
    phone: str | None
    language: str
    address: str
    entrance: str | None
    floor: str | None
    flat: str | None
    door_code: str | None
    has_lift: bool | None
    access_notes: str | None
    lat: float | None
    lon: float | None
    branch_code: str | None
    branch_name: str | None
    sms_on: bool
    phone_problem: str | None
    loans: tuple[LoanLine, ...]
    holds: tuple[HoldLine, ...]
    open_requests: tuple[RequestLine, ...]
    past_requests: tuple[RequestLine, ...]
    address_history: tuple[AddressChange, ...]


def find_readers(ctx: Context, query: str, *, limit: int = 20) -> list[ReaderRow]:
    """Readers whose card is ``query``, whose name holds every word of it, or whose phone it is.

    Names match whatever the letter case (Cyrillic and Kazakh too) with ё read as е; a phone matches in
    any common form (``8 777 402 28 54``, ``+7 777 402-28-54``, ``87774022854``) or by four or more of its digits.
    """
    text = query.strip()
    if len(text) < MIN_QUERY:
        return []
    with ctx.uow() as uow:
        session = uow.session
        conditions = [Reader.card_number == normalise_card(text), _name_matches(session, text)]
        phone = _phone_matches(text)
        if phone is not None:
            conditions.append(phone)
        readers = session.scalars(select(Reader).where(or_(*conditions)).order_by(Reader.full_name).limit(limit))
        return [ReaderRow(r.card_number, r.full_name, readable_phone(r.phone), r.address) for r in readers]


def readable_phone(e164: str | None) -> str | None:
    """A Kazakh number grouped the way it is read aloud (``+7 777 402 28 54``); others as stored."""
    if e164 and re.fullmatch(r"\+7\d{10}", e164):
        d = e164[2:]
        return f"+7 {d[:3]} {d[3:6]} {d[6:8]} {d[8:]}"
    return e164


def _name_matches(session: Session, text: str) -> ColumnElement[bool]:
    name = folded(session, Reader.full_name)
    return and_(*(name.contains(word, autoescape=True) for word in fold(text).split()))


def _phone_matches(text: str) -> ColumnElement[bool] | None:
    """The phone condition for ``text``, or ``None`` when it does not look like (a part of) a phone."""
    e164 = to_e164(text) if re.fullmatch(r"[\d\s()+\-]+", text) else None
    if e164:
        return Reader.phone == e164
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_PHONE_DIGITS or re.search(r"[^\d\s()+\-]", text):
        return None
    if len(digits) >= FULL_PREFIX_DIGITS and (text.startswith("+7") or text.startswith("8")):
        # The start of a Kazakh number typed with its trunk or country prefix: match the start of the E.164.
        return Reader.phone.startswith("+7" + digits[1:], autoescape=True)
    return Reader.phone.contains(digits, autoescape=True)


def reader_record(ctx: Context, card_number: str, *, past: int = 5) -> ReaderRecord:
    """The reader with card ``card_number`` as the desk shows them; :class:`UnknownReader` when none has it."""
    with ctx.uow() as uow:
        session = uow.session
        reader = get_reader(session, card_number, options=[selectinload(Reader.home_branch)])
        today = local_now(ctx.clock(), ctx.settings.schedule).date()
        loans = session.scalars(
            select(Loan)
            .where(Loan.reader_id == reader.id, Loan.returned_on.is_(None))
            .options(selectinload(Loan.item))
            .order_by(Loan.due_on)
        ).all()
        holds = session.scalars(
            select(Hold)
            .where(Hold.reader_id == reader.id, Hold.fulfilled.is_(False))
            .options(selectinload(Hold.item))
            .order_by(Hold.placed_on)
        ).all()
        open_requests = _requests(session, reader.id, DeliveryRequest.status.in_(OPEN_STATUSES))
        past_requests = _requests(session, reader.id, DeliveryRequest.status.not_in(OPEN_STATUSES), limit=past)
        requested = {line.item.barcode: r.id for r in open_requests for line in r.lines}
        branch = reader.home_branch
        return ReaderRecord(
            card_number=reader.card_number,
            name=reader.full_name,
            phone=readable_phone(reader.phone),
            language=reader.language,
            address=reader.address,
            entrance=reader.entrance,
            floor=reader.floor,
            flat=reader.flat,
            door_code=reader.door_code,
            has_lift=reader.has_lift,
            access_notes=reader.access_notes,
            lat=reader.lat,
            lon=reader.lon,
            branch_code=branch.code if branch else None,
            branch_name=branch.name if branch else None,
            sms_on=bool(reader.phone) and not reader.sms_opt_out and not reader.phone_problem,
            phone_problem=reader.phone_problem,
            loans=tuple(
                LoanLine(
                    loan.item.barcode,
                    loan.item.title,
                    loan.item.author,
                    loan.due_on,
                    loan.due_on < today,
                    requested.get(loan.item.barcode),
                )
                for loan in loans
            ),
            holds=tuple(
                HoldLine(
                    h.item.barcode,
                    h.item.title,
                    h.item.author,
                    h.item.branch.name,
                    h.item.status is ItemStatus.AVAILABLE,
                    requested.get(h.item.barcode),
                )
                for h in holds
            ),
            open_requests=tuple(_line(r) for r in open_requests),
            past_requests=tuple(_line(r) for r in past_requests),
            address_history=_address_history(session, reader.id, ctx.settings.schedule),
        )


def _requests(session: Session, reader_id: int, which: ColumnElement[bool], *, limit: int | None = None) -> list[DeliveryRequest]:
    """The reader's requests in ``which`` states, newest first, with their books."""
    query = (
        select(DeliveryRequest)
        .where(DeliveryRequest.reader_id == reader_id, which)
        .options(selectinload(DeliveryRequest.lines).selectinload(RequestItem.item))
        .order_by(DeliveryRequest.received_at.desc(), DeliveryRequest.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _line(request: DeliveryRequest) -> RequestLine:
    return RequestLine(
        number=request.id,
        kind=request.kind.value,
        status=request.status.value,
        channel=request.channel.value,
        service_date=request.service_date,
        window=f"{request.window_start:%H:%M}–{request.window_end:%H:%M}",
        titles=tuple(line.item.title for line in request.lines),
        changeable=request.status in CHANGEABLE,
    )


def _address_history(session: Session, reader_id: int, rules: ScheduleRules, *, limit: int = 10) -> tuple[AddressChange, ...]:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == READER_ENTITY, AuditEvent.entity_id == reader_id, AuditEvent.to_status == ADDRESS_CHANGED)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    names = actor_names(session, [event.actor for event in events])
    return tuple(
        AddressChange(
            at=local_now(event.at, rules).replace(tzinfo=None),
            actor=event.actor,
            actor_name=names.get(event.actor),
            changes={field: (pair[0], pair[1]) for field, pair in (event.details.get("changes") or {}).items()},
        )
        for event in events
    )
