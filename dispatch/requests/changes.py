"""The desk's changes to a reader's request on the phone: cancel it or move it to another service day, with a reason."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from sqlalchemy import select

from dispatch.domain import scheduling
from dispatch.domain.statuses import RequestStatus
from dispatch.errors import DispatchError
from dispatch.labels import label
from dispatch.messages import render
from dispatch.models import DeliveryRequest
from dispatch.readers.lookup import find_reader
from dispatch.requests.transitions import move

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context

CHANGEABLE = frozenset({RequestStatus.SCHEDULED})
"""Only a request waiting for its day: once on a route, the dispatcher changes it (the route holds the stop)."""


class RequestNotChangeable(DispatchError):
    """The request is past the point where the desk may change it; its state is named in the caller's language."""

    code = "request_not_changeable"

    def __init__(self, number: int, status: RequestStatus) -> None:
        self.status = status
        super().__init__(number=number, state=status.value)

    def message(self, lang: str = "ru") -> str:
        """The refusal, with the request's state in words."""
        return render(self.code, lang, {**self.params, "state": label("request_status", self.status.value, lang)})


@dataclass(frozen=True)
class Changed:
    """The request after the change."""

    number: int
    status: str
    service_date: date | None


def cancel_request(ctx: Context, card_number: str, number: int, reason: str, *, actor: str) -> Changed:
    """Cancel the reader's request ``number`` with ``reason`` (kept in its history).

    Raises
    ------
    DispatchError
        ``change_reason_missing``, ``reader_request_not_found`` or ``request_not_changeable``;
        nothing changes.
    """
    why = _reason(reason)
    with ctx.uow() as uow:
        request = _changeable(uow.session, card_number, number)
        move(uow.session, request, RequestStatus.CANCELLED, actor=actor, reason=why, details={"by": "desk"})
        changed = Changed(request.id, request.status.value, request.service_date)
        uow.commit()
        return changed


def move_request(ctx: Context, card_number: str, number: int, new_date: str | date, reason: str, *, actor: str) -> Changed:
    """Move the reader's request ``number`` to the service day ``new_date`` (a working day within the booking rules).

    Raises
    ------
    DispatchError
        ``change_reason_missing``, ``move_date_unreadable``, ``move_date_too_early``, ``move_date_closed``,
        ``date_too_far``, ``move_date_same``, ``reader_request_not_found`` or ``request_not_changeable``;
        nothing changes.
    """
    why = _reason(reason)
    day = _date(new_date)
    now = ctx.clock()
    rules = ctx.settings.schedule
    earliest = scheduling.earliest_service_date(now, rules, ctx.calendar)
    if day < earliest:
        raise DispatchError("move_date_too_early", earliest=earliest.isoformat())
    last = scheduling.local_now(now, rules).date() + timedelta(days=ctx.settings.eligibility.max_days_ahead)
    if day > last:
        raise DispatchError("date_too_far", days=ctx.settings.eligibility.max_days_ahead, last=last.isoformat())
    if not ctx.calendar.is_working_day(day):
        raise DispatchError("move_date_closed", date=day.isoformat())
    with ctx.uow() as uow:
        request = _changeable(uow.session, card_number, number)
        if request.service_date == day:
            raise DispatchError("move_date_same", date=day.isoformat())
        before = request.service_date
        request.service_date = day
        move(
            uow.session,
            request,
            RequestStatus.SCHEDULED,
            actor=actor,
            reason=why,
            details={"service_date": day.isoformat(), "previous": before.isoformat() if before else None, "by": "desk"},
        )
        changed = Changed(request.id, request.status.value, request.service_date)
        uow.commit()
        return changed


def _reason(reason: str) -> str:
    why = " ".join(reason.split())
    if not why:
        raise DispatchError("change_reason_missing")
    return why


def _date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DispatchError("move_date_unreadable", value=value) from None


def _changeable(session: Session, card_number: str, number: int) -> DeliveryRequest:
    reader = find_reader(session, card_number)
    request = (
        session.execute(
            select(DeliveryRequest).where(DeliveryRequest.id == number, DeliveryRequest.reader_id == reader.id).with_for_update()
        ).scalar_one_or_none()
        if reader is not None
        else None
    )
    if request is None:
        raise DispatchError("reader_request_not_found", number=number)
    if request.status not in CHANGEABLE:
        raise RequestNotChangeable(number, request.status)
    return request
