"""Moving a request between statuses: the state machine is checked and every move is audited."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.domain.state_machine import check_transition
from dispatch.domain.statuses import RequestStatus
from dispatch.errors import NotFound
from dispatch.models import AuditEvent
from dispatch.models import DeliveryRequest

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context

ENTITY = "delivery_request"


def move(
    session: Session,
    request: DeliveryRequest,
    target: RequestStatus,
    *,
    actor: str,
    reason: str | None = None,
    details: dict[str, t.Any] | None = None,
) -> AuditEvent:
    """Set ``request.status`` to ``target`` if the state machine allows it, and record who and why.

    Raises
    ------
    IllegalTransition
        When ``target`` may not follow the current status; nothing is changed then.
    """
    current = request.status
    check_transition(request.kind, current, target)
    request.status = target
    if request.id is None:
        session.flush()
    event = AuditEvent(
        actor=actor,
        entity=ENTITY,
        entity_id=request.id,
        from_status=current.value if current else None,
        to_status=target.value,
        reason=reason,
        details=details or {},
    )
    session.add(event)
    return event


def change_status(
    ctx: Context,
    request_id: int,
    target: str,
    *,
    actor: str,
    reason: str | None = None,
) -> dict[str, t.Any]:
    """Move one stored request to ``target`` (a status value), for staff tools; returns the audit entry."""
    status = RequestStatus(target)
    with ctx.uow() as uow:
        request = uow.session.execute(
            select(DeliveryRequest).where(DeliveryRequest.id == request_id).with_for_update()
        ).scalar_one_or_none()
        if request is None:
            raise NotFound(what="request", id=request_id)
        event = move(uow.session, request, status, actor=actor, reason=reason)
        uow.commit()
        return audit_entry(event)


def history(ctx: Context, request_id: int) -> list[dict[str, t.Any]]:
    """Every recorded status change of a request, oldest first."""
    with ctx.uow() as uow:
        events = uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == request_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        ).all()
        if not events:
            raise NotFound(what="request", id=request_id)
        return [audit_entry(event) for event in events]


def audit_entry(event: AuditEvent) -> dict[str, t.Any]:
    """An audit event as plain data."""
    return {
        "at": event.at.isoformat(),
        "actor": event.actor,
        "from": event.from_status,
        "to": event.to_status,
        "reason": event.reason,
        "details": event.details,
    }
