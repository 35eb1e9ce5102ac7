"""What a signed-in reader's pages show: their standing and requests, books to order or give back, service days.

Every function takes the reader's own id (from the session), so a reader only ever sees their own
records; requests are found by their unguessable ``public_id``.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlalchemy import select

from dispatch.domain.scheduling import earliest_service_date
from dispatch.domain.statuses import OPEN_STATUSES
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.models import DeliveryRequest
from dispatch.models import Hold
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.models import Reader
from dispatch.models import RequestItem
from dispatch.models import YandexClaim
from dispatch.readers.standing import Standing
from dispatch.readers.standing import standing_of

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from dispatch.context import Context

SEARCH_LIMIT = 30
TRACKED = frozenset({RequestStatus.PLANNED, RequestStatus.DISPATCHED, RequestStatus.IN_TRANSIT})


@dataclass(frozen=True)
class Book:
    """A copy the reader can choose: to order (``held`` when set aside for them) or to give back (``due_on``)."""

    barcode: str
    title: str
    author: str
    held: bool = False
    due_on: date | None = None


@dataclass(frozen=True)
class ReaderRequest:
    """One of the reader's requests as their page shows it (times local, ``eta`` ``HH:MM`` when planned)."""

    public_id: str
    kind: str
    status: str
    service_date: date | None
    window: str
    titles: tuple[str, ...]
    reasons: tuple[dict[str, t.Any], ...]
    eta: str | None
    tracking_link: str | None


@dataclass(frozen=True)
class Overview:
    """The reader's page: standing, requests newest first, and whether SMS are on."""

    standing: Standing
    requests: tuple[ReaderRequest, ...]
    sms_on: bool
    has_phone: bool


def overview(ctx: Context, reader_id: int) -> Overview:
    """Everything the reader's own page shows."""
    with ctx.uow() as uow:
        session = uow.session
        reader = session.get(Reader, reader_id)
        if reader is None:
            msg = f"reader {reader_id} is gone"
            raise LookupError(msg)
        rows = session.scalars(
            select(DeliveryRequest).where(DeliveryRequest.reader_id == reader_id).order_by(DeliveryRequest.id.desc()).limit(50)
        ).all()
        return Overview(
            standing=standing_of(ctx, session, reader),
            requests=tuple(_request(ctx, session, row) for row in rows),
            sms_on=not reader.sms_opt_out,
            has_phone=bool(reader.phone),
        )


def request_of(ctx: Context, reader_id: int, public_id: str) -> ReaderRequest | None:
    """The reader's request with ``public_id``; ``None`` when there is none or it is someone else's."""
    with ctx.uow() as uow:
        row = uow.session.scalars(
            select(DeliveryRequest).where(DeliveryRequest.public_id == public_id, DeliveryRequest.reader_id == reader_id)
        ).one_or_none()
        return _request(ctx, uow.session, row) if row is not None else None


def books_to_order(ctx: Context, reader_id: int, query: str = "") -> list[Book]:
    """The reader's reserved copies, then available copies of their home branch matching ``query`` (title or author)."""
    with ctx.uow() as uow:
        session = uow.session
        reader = session.get(Reader, reader_id)
        if reader is None:
            return []
        busy = _busy_items(session)
        held = session.scalars(
            select(Item).join(Hold, Hold.item_id == Item.id).where(Hold.reader_id == reader_id, Hold.fulfilled.is_(False))
        ).all()
        books = [Book(i.barcode, i.title, i.author, held=True) for i in held if i.id not in busy]
        words = query.strip()
        if words and reader.home_branch_id is not None:
            pattern = f"%{_escape(words)}%"
            found = session.scalars(
                select(Item)
                .where(
                    Item.branch_id == reader.home_branch_id,
                    Item.status == ItemStatus.AVAILABLE,
                    or_(Item.title.ilike(pattern, escape="\\"), Item.author.ilike(pattern, escape="\\")),
                )
                .order_by(Item.title, Item.id)
                .limit(SEARCH_LIMIT)
            ).all()
            seen = {b.barcode for b in books}
            books += [Book(i.barcode, i.title, i.author) for i in found if i.barcode not in seen and i.id not in busy]
        return books


def books_on_loan(ctx: Context, reader_id: int) -> list[Book]:
    """The copies the reader has at home and no open request collects yet, soonest due first."""
    with ctx.uow() as uow:
        session = uow.session
        busy = _busy_items(session)
        loans = session.scalars(
            select(Loan).where(Loan.reader_id == reader_id, Loan.returned_on.is_(None)).order_by(Loan.due_on, Loan.id)
        ).all()
        return [Book(ln.item.barcode, ln.item.title, ln.item.author, due_on=ln.due_on) for ln in loans if ln.item_id not in busy]


def chosen_books(ctx: Context, reader_id: int, kind: str, barcodes: Sequence[str]) -> list[Book]:
    """Those of ``barcodes`` the reader may choose for a request of ``kind``, in the order given; others are dropped."""
    wanted = list(dict.fromkeys(barcodes))
    if kind == RequestKind.RETURN_PICKUP.value:
        allowed = {b.barcode: b for b in books_on_loan(ctx, reader_id)}
    else:
        with ctx.uow() as uow:
            session = uow.session
            reader = session.get(Reader, reader_id)
            held = set(
                session.scalars(
                    select(Item.barcode)
                    .join(Hold, Hold.item_id == Item.id)
                    .where(Hold.reader_id == reader_id, Hold.fulfilled.is_(False))
                )
            )
            items = session.scalars(select(Item).where(Item.barcode.in_(wanted))).all()
            allowed = {
                i.barcode: Book(i.barcode, i.title, i.author, held=i.barcode in held)
                for i in items
                if i.barcode in held
                or (reader is not None and i.branch_id == reader.home_branch_id and i.status == ItemStatus.AVAILABLE)
            }
    return [allowed[code] for code in wanted if code in allowed]


def service_days(ctx: Context, count: int = 5) -> list[date]:
    """The next ``count`` days a request made now can be served on: the earliest, then the working days after it."""
    first = earliest_service_date(ctx.clock(), ctx.settings.schedule, ctx.calendar)
    days = [first]
    while len(days) < count:
        days.append(ctx.calendar.next_working_day(days[-1]))
    return days


def _busy_items(session: Session) -> set[int]:
    """Copies already carried by an open request."""
    return set(
        session.scalars(
            select(RequestItem.item_id)
            .join(DeliveryRequest, RequestItem.request_id == DeliveryRequest.id)
            .where(DeliveryRequest.status.in_(OPEN_STATUSES))
        )
    )


def _request(ctx: Context, session: Session, row: DeliveryRequest) -> ReaderRequest:
    eta, link = (None, None)
    if row.status in TRACKED:
        eta, link = _tracking(ctx, session, row)
    return ReaderRequest(
        public_id=row.public_id,
        kind=row.kind.value,
        status=row.status.value,
        service_date=row.service_date,
        window=f"{_hm(row.window_start)}–{_hm(row.window_end)}",
        titles=tuple(line.item.title for line in row.lines),
        reasons=tuple(row.reasons or ()),
        eta=eta,
        tracking_link=link,
    )


def _tracking(ctx: Context, session: Session, row: DeliveryRequest) -> tuple[str | None, str | None]:
    """The stop's ETA in the current plan (highest version for the branch and day) and a Yandex tracking link."""
    stop = session.scalars(
        select(PlanStop)
        .join(PlanRoute, PlanStop.route_id == PlanRoute.id)
        .join(Plan, PlanRoute.plan_id == Plan.id)
        .where(PlanStop.request_id == row.id)
        .order_by(Plan.version.desc(), PlanStop.id.desc())
        .limit(1)
    ).one_or_none()
    eta = stop.eta.astimezone(ZoneInfo(ctx.settings.schedule.timezone)).strftime("%H:%M") if stop is not None else None
    conditions = [YandexClaim.request_id == row.id]
    if stop is not None:
        conditions.append(YandexClaim.route_id == stop.route_id)
    claims = session.scalars(select(YandexClaim).where(or_(*conditions)).order_by(YandexClaim.id.desc())).all()
    link = next((c.tracking_links[row.public_id] for c in claims if row.public_id in (c.tracking_links or {})), None)
    return eta, link


def _hm(moment: time | datetime) -> str:
    return moment.strftime("%H:%M")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
