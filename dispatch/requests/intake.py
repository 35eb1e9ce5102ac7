"""Request intake: the one service every channel (web, operator, phone menu, API) submits through.

It reads and checks the fields, applies the eligibility rules, picks the branch and the day, and
stores the request with its audit trail. Input mistakes (unreadable fields, no books, unknown barcodes,
a past date) store nothing and tell nobody; a request the eligibility rules refuse is stored as
rejected with every reason. An idempotency key makes a repeated or concurrent
submission return the request already stored instead of creating another.
"""

from __future__ import annotations

import hashlib
import json
import typing as t
import uuid
from dataclasses import asdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispatch.domain import eligibility
from dispatch.domain import scheduling
from dispatch.domain.statuses import OPEN_STATUSES
from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.errors import IdempotencyConflict
from dispatch.errors import InvalidRequest
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Reader
from dispatch.models import RequestItem
from dispatch.readers.lookup import get_reader
from dispatch.readers.lookup import normalise_card
from dispatch.requests.transitions import move
from dispatch.sms import events as sms_events

if t.TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import time

    from sqlalchemy.orm import Session

    from dispatch.context import Context

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class RequestView:
    """A stored request as plain data: what every channel shows back to its user."""

    id: int
    public_id: str
    kind: str
    status: str
    card_number: str
    branch_code: str | None
    channel: str
    wished_date: str | None
    service_date: str | None
    window: str
    items: list[str]
    reasons: list[dict[str, t.Any]]
    received_at: str
    duplicate: bool = False

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)


@dataclass(frozen=True)
class _Parsed:
    kind: RequestKind
    channel: Channel
    card_number: str
    barcodes: tuple[str, ...]
    wished_date: date | None
    window: tuple[time, time]
    key: str

    def fingerprint(self) -> str:
        """Hash of what the request asks for, to tell a true repeat from a reused key."""
        payload = {
            "kind": self.kind.value,
            "card": self.card_number,
            "items": sorted(self.barcodes),
            "date": self.wished_date.isoformat() if self.wished_date else None,
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def submit_request(
    ctx: Context,
    *,
    card_number: str,
    barcodes: Sequence[str],
    wished_date: str | date | None = None,
    window: str | None = None,
    kind: str = RequestKind.DELIVERY.value,
    channel: str = Channel.OPERATOR.value,
    idempotency_key: str | None = None,
    actor: str = "system",
    notes: str | None = None,
) -> RequestView:
    """Validate and store one request; return it (``duplicate`` True when the key was seen before).

    Raises
    ------
    InvalidRequest
        A field cannot be read, or is a mistake of whoever typed it (no books, an unknown barcode, a
        date already past); nothing is stored and nobody is told. Only a request the eligibility
        rules refuse is stored, as rejected with its reasons, and its reader told.
    UnknownReader
        No reader has this card; nothing is stored.
    IdempotencyConflict
        The key was used for a different request; nothing is stored.
    """
    parsed = _parse(ctx, card_number, barcodes, wished_date, window, kind, channel, idempotency_key)
    fingerprint = parsed.fingerprint()
    with ctx.uow() as uow:
        session = uow.session
        reader = get_reader(session, parsed.card_number, lock=True)
        # Checked only now: holding the reader's row lock, a concurrent twin has either committed or not begun.
        existing = _by_key(session, parsed.key)
        if existing is not None:
            return _repeat(existing, fingerprint)
        _check_books(session, parsed.barcodes)
        try:
            request = _build(ctx, session, reader, parsed, fingerprint, actor, notes)
            session.flush()
            sms_events.request_taken(ctx, session, request)
        except IntegrityError:
            uow.rollback()
            existing = _by_key(session, parsed.key)
            if existing is None:
                raise
            return _repeat(existing, fingerprint)
        uow.commit()
        return view(request)


def _parse(
    ctx: Context,
    card_number: str,
    barcodes: Sequence[str],
    wished_date: str | date | None,
    window: str | None,
    kind: str,
    channel: str,
    key: str | None,
) -> _Parsed:
    problems: list[tuple[str, dict[str, t.Any]]] = []
    parsed_kind = _choice(RequestKind, kind, "kind", problems)
    parsed_channel = _choice(Channel, channel, "channel", problems)
    parsed_date: date | None = None
    if isinstance(wished_date, date):
        parsed_date = wished_date
    elif wished_date is not None and str(wished_date).strip():
        try:
            parsed_date = date.fromisoformat(str(wished_date).strip())
        except ValueError:
            problems.append(("invalid_date", {"value": wished_date}))
    today = scheduling.local_now(ctx.clock(), ctx.settings.schedule).date()
    if parsed_date is not None and parsed_date < today:
        problems.append(("date_in_past", {"date": parsed_date.isoformat()}))
    rules = ctx.settings.schedule
    parsed_window = scheduling.parse_window(window, rules)
    if parsed_window is None:
        problems.append(
            (
                "invalid_window",
                {
                    "value": window,
                    "earliest": rules.service_start.strftime("%H:%M"),
                    "latest": rules.service_end.strftime("%H:%M"),
                    "min_minutes": rules.min_window_minutes,
                },
            )
        )
    if key is not None and (not key.strip() or len(key) > MAX_KEY_LENGTH):
        problems.append(("invalid_key", {}))
    if problems or parsed_kind is None or parsed_channel is None or parsed_window is None:
        raise InvalidRequest(problems)
    cleaned = tuple(dict.fromkeys(code.strip() for code in barcodes if code and code.strip()))
    return _Parsed(
        kind=parsed_kind,
        channel=parsed_channel,
        card_number=normalise_card(card_number),
        barcodes=cleaned,
        wished_date=parsed_date,
        window=parsed_window,
        key=key.strip() if key else f"auto:{uuid.uuid4()}",
    )


_E = t.TypeVar("_E", RequestKind, Channel)


def _choice(enum_cls: type[_E], value: str, field: str, problems: list[tuple[str, dict[str, t.Any]]]) -> _E | None:
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_cls)
        problems.append(("invalid_choice", {"value": value, "field": field, "allowed": allowed}))
        return None


def _check_books(session: Session, barcodes: Sequence[str]) -> None:
    """Raise :class:`InvalidRequest` for no books or barcodes no copy has: a slip of the keyboard, not a refusal."""
    if not barcodes:
        raise InvalidRequest([("no_items", {})])
    known = set(session.scalars(select(Item.barcode).where(Item.barcode.in_(barcodes))))
    unknown = [code for code in barcodes if code not in known]
    if unknown:
        raise InvalidRequest([("item_not_found", {"barcode": code}) for code in unknown])


def _by_key(session: Session, key: str) -> DeliveryRequest | None:
    return session.execute(select(DeliveryRequest).where(DeliveryRequest.idempotency_key == key)).scalar_one_or_none()


def _repeat(existing: DeliveryRequest, fingerprint: str) -> RequestView:
    if existing.fingerprint != fingerprint:
        raise IdempotencyConflict(key=existing.idempotency_key, request_id=existing.id)
    return view(existing, duplicate=True)


def _build(
    ctx: Context,
    session: Session,
    reader: Reader,
    parsed: _Parsed,
    fingerprint: str,
    actor: str,
    notes: str | None,
) -> DeliveryRequest:
    """Create the request, judge it and move it to scheduled or rejected, auditing each step."""
    received_at = ctx.clock()
    today = scheduling.local_now(received_at, ctx.settings.schedule).date()
    on_date = scheduling.service_date(received_at, parsed.wished_date, ctx.settings.schedule, ctx.calendar)
    items = _lock_items(session, parsed.barcodes)
    loans = {barcode: _open_loan(session, reader, item) for barcode, item in items.items()}
    facts = [_item_facts(session, barcode, items.get(barcode), loans.get(barcode)) for barcode in parsed.barcodes]
    reasons = eligibility.check(
        parsed.kind,
        reader_facts(session, reader),
        facts,
        on_date=on_date,
        wished_date=parsed.wished_date,
        today=today,
        rules=ctx.settings.eligibility,
        area=ctx.area,
    )
    home_code = reader.home_branch.code if reader.home_branch else None
    branch_code = scheduling.choose_branch(parsed.kind, [item.branch.code for item in items.values()], home_code)
    branch = session.execute(select(Branch).where(Branch.code == branch_code)).scalar_one_or_none() if branch_code else None
    request = DeliveryRequest(
        kind=parsed.kind,
        status=None,
        reader=reader,
        branch=branch,
        channel=parsed.channel,
        idempotency_key=parsed.key,
        fingerprint=fingerprint,
        wished_date=parsed.wished_date,
        window_start=parsed.window[0],
        window_end=parsed.window[1],
        notes=notes,
        created_by=actor,
        received_at=received_at,
    )
    for barcode in parsed.barcodes:
        item = items.get(barcode)
        if item is not None:
            request.lines.append(RequestItem(item=item, loan=loans[barcode]))
    session.add(request)
    move(session, request, RequestStatus.RECEIVED, actor=actor, reason=f"channel {parsed.channel.value}")
    if reasons:
        request.reasons = [reason.as_dict() for reason in reasons]
        move(session, request, RequestStatus.REJECTED, actor=actor, reason=", ".join(r.code for r in reasons))
        return request
    move(session, request, RequestStatus.VALIDATED, actor=actor, reason="eligible")
    request.service_date = on_date
    move(
        session,
        request,
        RequestStatus.SCHEDULED,
        actor=actor,
        reason=f"branch {branch_code}, {on_date.isoformat()}",
        details={"service_date": on_date.isoformat(), "branch": branch_code, "received_at": received_at.isoformat()},
    )
    return request


def _lock_items(session: Session, barcodes: Sequence[str]) -> dict[str, Item]:
    """The requested copies, locked in id order so that two intakes never deadlock on them."""
    if not barcodes:
        return {}
    rows = session.scalars(select(Item).where(Item.barcode.in_(barcodes)).order_by(Item.id).with_for_update()).all()
    return {item.barcode: item for item in rows}


def _open_loan(session: Session, reader: Reader, item: Item) -> Loan | None:
    return session.execute(
        select(Loan).where(Loan.item_id == item.id, Loan.reader_id == reader.id, Loan.returned_on.is_(None))
    ).scalar_one_or_none()


def reader_facts(session: Session, reader: Reader) -> eligibility.ReaderFacts:
    """What the eligibility rules need to know about ``reader``, from the database."""
    open_requests = session.scalar(
        select(func.count(DeliveryRequest.id)).where(
            DeliveryRequest.reader_id == reader.id, DeliveryRequest.status.in_(OPEN_STATUSES)
        )
    )
    return eligibility.ReaderFacts(
        card_number=reader.card_number,
        card_expires_on=reader.card_expires_on,
        blocked=reader.blocked,
        block_reason=reader.block_reason,
        birth_date=reader.birth_date,
        disability_group=reader.disability_group,
        disability_until=reader.disability_until,
        temporary_until=reader.temporary_until,
        lat=reader.lat,
        lon=reader.lon,
        phone=reader.phone,
        open_requests=int(open_requests or 0),
    )


def _item_facts(session: Session, barcode: str, item: Item | None, loan: Loan | None) -> eligibility.ItemFacts:
    if item is None:
        return eligibility.ItemFacts(barcode=barcode, found=False)
    in_open_request = session.scalar(
        select(func.count(RequestItem.id))
        .join(DeliveryRequest, RequestItem.request_id == DeliveryRequest.id)
        .where(RequestItem.item_id == item.id, DeliveryRequest.status.in_(OPEN_STATUSES))
    )
    return eligibility.ItemFacts(
        barcode=barcode,
        found=True,
        title=item.title,
        status=item.status,
        branch_code=item.branch.code,
        in_open_request=bool(in_open_request),
        on_loan_to_reader=loan is not None,
    )


def view(request: DeliveryRequest, *, duplicate: bool = False) -> RequestView:
    """Plain-data view of a stored request."""
    return RequestView(
        id=request.id,
        public_id=request.public_id,
        kind=request.kind.value,
        status=request.status.value,
        card_number=request.reader.card_number,
        branch_code=request.branch.code if request.branch else None,
        channel=request.channel.value,
        wished_date=request.wished_date.isoformat() if request.wished_date else None,
        service_date=request.service_date.isoformat() if request.service_date else None,
        window=f"{request.window_start:%H:%M}-{request.window_end:%H:%M}",
        items=[line.item.barcode for line in request.lines],
        reasons=list(request.reasons or []),
        received_at=request.received_at.isoformat(),
        duplicate=duplicate,
    )
