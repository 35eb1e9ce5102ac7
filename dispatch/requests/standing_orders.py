"""Standing orders: a reader's regular visit creates its requests ahead of time, through the intake.

At each visit the courier collects the books on loan that fall due before the next visit and brings
the books the library holds for the reader. The intake's idempotency key names the order, the date
and the kind, so the daily job can run any number of times and create each request once.
"""

from __future__ import annotations

import typing as t
from datetime import date
from datetime import timedelta

from sqlalchemy import select

from dispatch.domain.scheduling import WEEKDAYS
from dispatch.domain.scheduling import local_now
from dispatch.domain.scheduling import parse_window
from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.errors import DispatchError
from dispatch.errors import InvalidRequest
from dispatch.models import Hold
from dispatch.models import Loan
from dispatch.models import Reader
from dispatch.models import StandingOrder
from dispatch.readers.lookup import get_reader
from dispatch.requests.intake import submit_request

if t.TYPE_CHECKING:
    from dispatch.context import Context


def add_standing_order(
    ctx: Context, *, card_number: str, weekday: str, every_weeks: int, first_date: date, window: str | None
) -> dict[str, t.Any]:
    """Create a standing order (e.g. every second Tuesday, 14:00-18:00) for a reader."""
    day = weekday.lower()[:3]
    problems: list[tuple[str, dict[str, t.Any]]] = []
    if day not in WEEKDAYS:
        problems.append(("invalid_choice", {"field": "weekday", "value": weekday}))
    if not 1 <= every_weeks <= 8:
        problems.append(("invalid_choice", {"field": "every_weeks", "value": every_weeks}))
    parsed = parse_window(window, ctx.settings.schedule)
    if parsed is None:
        problems.append(("invalid_window", {"value": window or ""}))
    if problems or parsed is None:
        raise InvalidRequest(problems=problems)
    with ctx.uow() as uow:
        reader = get_reader(uow.session, card_number)
        order = StandingOrder(
            reader_id=reader.id,
            weekday=WEEKDAYS.index(day),
            every_weeks=every_weeks,
            first_date=first_date,
            window_start=parsed[0],
            window_end=parsed[1],
        )
        uow.session.add(order)
        uow.commit()
        return _view(order, reader.card_number)


def list_standing_orders(ctx: Context) -> list[dict[str, t.Any]]:
    """Every standing order with its reader's card."""
    with ctx.uow() as uow:
        rows = uow.session.execute(select(StandingOrder, Reader.card_number).join(Reader).order_by(StandingOrder.id))
        return [_view(order, card) for order, card in rows]


def _view(order: StandingOrder, card: str) -> dict[str, t.Any]:
    return {
        "id": order.id,
        "card_number": card,
        "weekday": WEEKDAYS[order.weekday],
        "every_weeks": order.every_weeks,
        "first_date": order.first_date.isoformat(),
        "window": f"{order.window_start:%H:%M}-{order.window_end:%H:%M}",
        "active": order.active,
    }


def visits(order: StandingOrder, start: date, end: date) -> list[date]:
    """The order's visit dates from ``start`` to ``end`` (both included)."""
    first = max(start, order.first_date)
    offset = (order.weekday - first.weekday()) % 7
    day = first + timedelta(days=offset)
    found = []
    while day <= end:
        if ((day - order.first_date).days // 7) % order.every_weeks == 0:
            found.append(day)
        day += timedelta(days=7)
    return found


def create_due(ctx: Context, *, days_ahead: int = 7) -> dict[str, t.Any]:
    """Create, through the intake, the requests of every visit in the next ``days_ahead`` days."""
    today = local_now(ctx.clock(), ctx.settings.schedule).date()
    created = skipped = rejected = 0
    with ctx.uow() as uow:
        orders = [
            (
                order.id,
                order.reader_id,
                order.reader.card_number,
                visits(order, today + timedelta(days=1), today + timedelta(days=days_ahead)),
                order,
            )
            for order in uow.session.scalars(select(StandingOrder).where(StandingOrder.active.is_(True)))
        ]
        plans = []
        for order_id, reader_id, card, dates, order in orders:
            for day in dates:
                if not ctx.calendar.is_working_day(day):
                    skipped += 1
                    continue
                window = f"{order.window_start:%H:%M}-{order.window_end:%H:%M}"
                until = day + timedelta(weeks=order.every_weeks)
                held = _held(uow.session, reader_id)
                due = _due(uow.session, reader_id, until)
                plans.append((order_id, card, day, window, held, due))
    for order_id, card, day, window, held, due in plans:
        for kind, barcodes in ((RequestKind.DELIVERY, held), (RequestKind.RETURN_PICKUP, due)):
            if not barcodes:
                continue
            try:
                view = submit_request(
                    ctx,
                    card_number=card,
                    barcodes=barcodes,
                    wished_date=day,
                    window=window,
                    kind=kind.value,
                    channel=Channel.STANDING_ORDER.value,
                    idempotency_key=f"standing:{order_id}:{day.isoformat()}:{kind.value}",
                    actor="system:standing-order",
                )
            except DispatchError:
                rejected += 1
                continue
            if view.status == "rejected":
                rejected += 1
            elif not view.duplicate:
                created += 1
                if kind is RequestKind.DELIVERY:
                    _mark_fulfilled(ctx, card, barcodes)
    return {"created": created, "rejected": rejected, "skipped_closed_days": skipped}


def _held(session: t.Any, reader_id: int) -> list[str]:
    holds = session.scalars(select(Hold).where(Hold.reader_id == reader_id, Hold.fulfilled.is_(False)).order_by(Hold.placed_on))
    return [hold.item.barcode for hold in holds if hold.item.status is ItemStatus.AVAILABLE]


def _due(session: t.Any, reader_id: int, until: date) -> list[str]:
    loans = session.scalars(
        select(Loan).where(Loan.reader_id == reader_id, Loan.returned_on.is_(None), Loan.due_on <= until).order_by(Loan.due_on)
    )
    return [loan.item.barcode for loan in loans]


def _mark_fulfilled(ctx: Context, card: str, barcodes: list[str]) -> None:
    with ctx.uow() as uow:
        reader = get_reader(uow.session, card)
        for hold in uow.session.scalars(select(Hold).where(Hold.reader_id == reader.id, Hold.fulfilled.is_(False))):
            if hold.item.barcode in barcodes:
                hold.fulfilled = True
        uow.commit()
