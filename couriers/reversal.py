"""What recording a stop changed, kept beside it, so that the courier's undo puts back exactly that.

Recording a door writes one audit entry for the stop (entity ``plan_stop``) whose details are the
trace: the request's status and service day before, each book's loan and shelf status before, the
loans opened, the return job recorded, the SMS queued, and (when it was the route's last door) what
closing the route did. :func:`reverse` reads the trace back; nothing else is guessed.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from sqlalchemy import func
from sqlalchemy import select

from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.errors import DispatchError
from dispatch.models import AuditEvent
from dispatch.models import DeliveryRequest
from dispatch.models import JobRun
from dispatch.models import Loan
from dispatch.models import RequestItem
from dispatch.models import SmsMessage
from dispatch.requests.transitions import ENTITY as REQUEST_ENTITY

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.models import PlanRoute
    from dispatch.models import PlanStop

STOP_ENTITY = "plan_stop"
UNDONE = "undone"
MAY_HAVE_REACHED = frozenset({"sending", "sent", "unknown"})
"""SMS states in which the message may have reached the reader: it cannot be called back."""
WITHDRAWN = "skipped"
"""The state a withdrawn SMS takes (the outbox's word for a message whose event no longer applies)."""


@dataclass
class Trace:
    """What one recorded outcome changed (JSON-ready through :meth:`as_details`)."""

    request_status: str
    service_date: str | None
    route_status: str
    sms_before: int
    lines: list[tuple[int, int | None, str]] = field(default_factory=list)
    loans_opened: list[int] = field(default_factory=list)
    return_job: str | None = None
    finished: dict[str, t.Any] = field(default_factory=dict)

    def as_details(self, session: Session, route: PlanRoute, request_after: str) -> dict[str, t.Any]:
        """The audit entry's details: the trace, the status the outcome left, and the SMS it queued."""
        ids = [s.request_id for s in route.stops if s.request_id is not None]
        sms = session.scalars(select(SmsMessage.id).where(SmsMessage.id > self.sms_before, SmsMessage.request_id.in_(ids))).all()
        return {
            "request_status": self.request_status,
            "request_status_after": request_after,
            "service_date": self.service_date,
            "route_status": self.route_status,
            "lines": [list(line) for line in self.lines],
            "loans_opened": self.loans_opened,
            "return_job": self.return_job,
            "sms": list(sms),
            "finished": self.finished,
        }


def begin(session: Session, route: PlanRoute, request: DeliveryRequest) -> Trace:
    """The state before an outcome is recorded."""
    last_sms = session.scalar(select(func.max(SmsMessage.id))) or 0
    service_date = request.service_date.isoformat() if request.service_date else None
    lines = [(line.id, line.loan_id, line.item.status.value) for line in request.lines]
    return Trace(request.status.value, service_date, route.status.value, last_sms, lines)


def open_loans(session: Session, request: DeliveryRequest) -> set[int]:
    """Ids of the reader's open loans of the request's copies (to tell later which ones the door opened)."""
    items = [line.item_id for line in request.lines]
    return set(
        session.scalars(
            select(Loan.id).where(Loan.item_id.in_(items), Loan.reader_id == request.reader_id, Loan.returned_on.is_(None))
        )
    )


def job_exists(session: Session, key: str) -> bool:
    """Whether a job is already recorded under ``key`` (then recording did not add it)."""
    return session.execute(select(JobRun.id).where(JobRun.key == key)).first() is not None


def write(session: Session, stop: PlanStop, details: dict[str, t.Any], *, actor: str) -> None:
    """The stop's audit entry carrying the trace."""
    assert stop.outcome is not None
    session.add(
        AuditEvent(actor=actor, entity=STOP_ENTITY, entity_id=stop.id, from_status=None, to_status=stop.outcome, details=details)
    )


def read(session: Session, stop: PlanStop) -> dict[str, t.Any] | None:
    """The trace of the stop's current outcome, or ``None`` when it was not recorded with one (e.g. by Yandex)."""
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == STOP_ENTITY, AuditEvent.entity_id == stop.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if event is None or event.to_status != stop.outcome:
        return None
    return dict(event.details)


@dataclass(frozen=True)
class Reversed:
    """What undoing put back, and the SMS that had already gone (they cannot be called back)."""

    sms_withdrawn: int
    sms_already_sent: int
    return_job_withdrawn: str | None


def reverse(session: Session, route: PlanRoute, stop: PlanStop, trace: dict[str, t.Any], *, actor: str) -> Reversed:
    """Put back what the traced outcome changed; raises ``undo_moved_on`` when the request has moved on since."""
    request = stop.request
    assert request is not None and stop.outcome is not None
    if request.status.value != trace["request_status_after"]:
        raise DispatchError("undo_moved_on", status=request.status.value)
    job = trace.get("return_job")
    if job is not None:
        run = session.scalars(select(JobRun).where(JobRun.key == job)).one_or_none()
        if run is not None and run.attempts > 0:
            raise DispatchError("undo_moved_on", status=request.status.value)
        if run is not None:
            session.delete(run)
    _reopen_route(session, route, trace.get("finished") or {}, actor)
    for line_id, loan_id, item_status in trace["lines"]:
        line = session.get(RequestItem, line_id)
        if line is not None:
            line.loan_id = loan_id
            line.item.status = ItemStatus(item_status)
    session.flush()
    for loan_id in trace["loans_opened"]:
        loan = session.get(Loan, loan_id)
        if loan is not None:
            session.delete(loan)
    withdrawn, sent = _withdraw_sms(session, trace["sms"])
    undone = stop.outcome
    _put_back(session, request, RequestStatus(trace["request_status"]), actor, f"undone: {undone} at stop {stop.id}")
    request.service_date = date.fromisoformat(trace["service_date"]) if trace["service_date"] else None
    stop.outcome, stop.outcome_reason, stop.outcome_at = None, None, None
    details = {"undone": undone, "sms_withdrawn": withdrawn, "sms_already_sent": sent, "return_job_withdrawn": job}
    session.add(
        AuditEvent(actor=actor, entity=STOP_ENTITY, entity_id=stop.id, from_status=undone, to_status=UNDONE, details=details)
    )
    return Reversed(withdrawn, sent, job)


def _reopen_route(session: Session, route: PlanRoute, finished: dict[str, t.Any], actor: str) -> None:
    """The outcome closed the route: it is under way again, and the collected books are not checked in yet."""
    if not finished:
        return
    route.status = RouteStatus(finished["route_status"])
    for request_id in finished["returned"]:
        returned = session.get(DeliveryRequest, request_id)
        if returned is not None and returned.status is RequestStatus.RETURNED:
            _put_back(session, returned, RequestStatus.COLLECTED, actor, f"undone: route {route.id} back at the branch")
    for loan_id in finished["loans_closed"]:
        loan = session.get(Loan, loan_id)
        if loan is not None:
            loan.returned_on = None
    for line_id, item_status in finished["items"]:
        line = session.get(RequestItem, line_id)
        if line is not None:
            line.item.status = ItemStatus(item_status)


def _put_back(session: Session, request: DeliveryRequest, target: RequestStatus, actor: str, reason: str) -> None:
    """The request's status back to what it was, audited as undone (the one move the state machine does not list)."""
    current = request.status
    request.status = target
    session.add(
        AuditEvent(
            actor=actor,
            entity=REQUEST_ENTITY,
            entity_id=request.id,
            from_status=current.value,
            to_status=target.value,
            reason=reason,
            details={"undo": True},
        )
    )


def _withdraw_sms(session: Session, ids: list[int]) -> tuple[int, int]:
    """Withdraw the messages still waiting; count those that may have reached the reader.

    Every message's key is freed (suffixed), so recording the door again tells the reader anew.
    """
    withdrawn = sent = 0
    for message in session.scalars(select(SmsMessage).where(SmsMessage.id.in_(ids))):
        if message.state == "waiting":
            message.state = WITHDRAWN
            withdrawn += 1
        elif message.state in MAY_HAVE_REACHED:
            sent += 1
        message.key = f"{message.key}|undone:{message.id}"[:200]
    return withdrawn, sent
