"""Books go back: loans start at the door, and a return pickup is scheduled before they fall due."""

from __future__ import annotations

import typing as t
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.jobs import runs
from dispatch.models import DeliveryRequest
from dispatch.models import Loan
from dispatch.requests.intake import submit_request

if t.TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from dispatch.context import Context

RETURN_JOB = "return_pickup"


def lend_at_door(session: Session, request: DeliveryRequest, day: date, loan_days: int) -> date:
    """Open a loan for each copy handed over (unless the library's loans file already has one).

    Returns the earliest due date among the copies, which the return pickup is timed by.
    """
    due_dates = []
    for line in request.lines:
        loan = session.execute(
            select(Loan).where(Loan.item_id == line.item_id, Loan.reader_id == request.reader_id, Loan.returned_on.is_(None))
        ).scalar_one_or_none()
        if loan is None:
            loan = Loan(item_id=line.item_id, reader_id=request.reader_id, issued_on=day, due_on=day + timedelta(days=loan_days))
            session.add(loan)
            session.flush()
        line.loan_id = loan.id
        line.item.status = ItemStatus.ON_LOAN
        due_dates.append(loan.due_on)
    return min(due_dates)


def return_job_key(request: DeliveryRequest) -> str:
    """One return-pickup job per delivery, whatever happens around it."""
    return f"return:{request.public_id}"


def schedule_return(ctx: Context, session: Session, request: DeliveryRequest, due_on: date) -> datetime:
    """Record (in the caller's transaction) the job creating the pickup ``return_days_before_due`` before ``due_on``.

    The job row is the outbox: :func:`dispatch.jobs.handover.flush_outbox` hands it to RQ after the commit,
    and the periodic sweep hands it again if that hand-over was lost.
    """
    planning = ctx.settings.planning
    run_day = due_on - timedelta(days=planning.return_days_before_due)
    run_at = datetime.combine(run_day, planning.return_job_hour, tzinfo=ZoneInfo(ctx.settings.schedule.timezone))
    run_at = max(run_at, ctx.clock())
    runs.add_in(session, return_job_key(request), RETURN_JOB, {"delivery_id": request.id}, run_at)
    return run_at


def create_return_pickup(ctx: Context, delivery_id: int) -> dict[str, t.Any]:
    """Ask, through the intake, for the books of a delivery still on loan to be collected.

    Idempotent: the intake's key is derived from the delivery, so running twice creates one pickup.
    """
    with ctx.uow() as uow:
        delivery = uow.session.get(DeliveryRequest, delivery_id)
        if delivery is None or delivery.kind is not RequestKind.DELIVERY or delivery.status is not RequestStatus.DELIVERED:
            return {"created": False, "reason": "delivery_not_delivered"}
        open_loans = [
            line.item.barcode
            for line in delivery.lines
            if line.loan is not None and line.loan.returned_on is None and line.loan.reader_id == delivery.reader_id
        ]
        card = delivery.reader.card_number
        key = f"return-pickup:{delivery.public_id}"
    if not open_loans:
        return {"created": False, "reason": "nothing_on_loan"}
    view = submit_request(
        ctx,
        card_number=card,
        barcodes=open_loans,
        kind=RequestKind.RETURN_PICKUP.value,
        channel=Channel.SYSTEM.value,
        idempotency_key=key,
        actor="system:returns",
        notes=f"return of delivery {delivery_id}",
    )
    return {"created": not view.duplicate, "request_id": view.id, "status": view.status, "service_date": view.service_date}
