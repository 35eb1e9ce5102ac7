"""A dispatcher's pins: a request kept on a chosen vehicle (``courier:C01``, ``yandex:1``) when the day is planned again."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from dispatch.domain.statuses import PLANNABLE_STATUSES
from dispatch.errors import DispatchError
from dispatch.errors import NotFound
from dispatch.models import AuditEvent
from dispatch.models import Base
from dispatch.models import DeliveryRequest
from dispatch.models import UtcDateTime
from dispatch.models import utcnow

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context

VEHICLE_PREFIXES = ("courier:", "yandex:")
"""Draft vehicles a request may be pinned to (live routes keep their own stops pinned already)."""


class StopPin(Base):
    """One request kept on one vehicle of its branch's day, set by a dispatcher."""

    __tablename__ = "stop_pins"
    __table_args__ = (UniqueConstraint("service_date", "request_id", name="uq_stop_pins_date_request"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    service_date: Mapped[date] = mapped_column(Date)
    request_id: Mapped[int] = mapped_column(ForeignKey("delivery_requests.id", ondelete="CASCADE"))
    vehicle: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


@dataclass(frozen=True)
class PinView:
    """A stored pin as plain data."""

    request_id: int
    vehicle: str
    service_date: str
    created_by: str


def pin_request(ctx: Context, request_id: int, vehicle: str, *, actor: str) -> PinView:
    """Keep request ``request_id`` on ``vehicle`` when its day is planned again (a second pin replaces the first).

    Raises
    ------
    NotFound
        No such request.
    DispatchError
        ``pin_vehicle_invalid`` for a vehicle id that is not ``courier:CODE`` or ``yandex:N``;
        ``pin_request_not_plannable`` when the request has no day and branch, or is already under way.
    """
    vehicle = vehicle.strip()
    if not vehicle.startswith(VEHICLE_PREFIXES) or len(vehicle) > 64 or vehicle.endswith(":"):
        raise DispatchError("pin_vehicle_invalid", vehicle=vehicle)
    with ctx.uow() as uow:
        session = uow.session
        request = session.execute(
            select(DeliveryRequest).where(DeliveryRequest.id == request_id).with_for_update()
        ).scalar_one_or_none()
        if request is None:
            raise NotFound(what="request", id=request_id)
        if request.service_date is None or request.branch_id is None or request.status not in PLANNABLE_STATUSES:
            raise DispatchError("pin_request_not_plannable", request=request.public_id, status=request.status.value)
        pin = session.execute(
            select(StopPin).where(StopPin.service_date == request.service_date, StopPin.request_id == request.id)
        ).scalar_one_or_none()
        previous = pin.vehicle if pin else None
        if pin is None:
            pin = StopPin(branch_id=request.branch_id, service_date=request.service_date, request_id=request.id)
            session.add(pin)
        # The record time, on the same clock as a plan's ``created_at``: a pin made after a plan waits for the next.
        pin.vehicle, pin.created_by, pin.created_at = vehicle, actor, utcnow()
        session.add(
            AuditEvent(
                actor=actor,
                entity="delivery_request",
                entity_id=request.id,
                from_status=request.status.value,
                to_status=request.status.value,
                reason=f"pinned to {vehicle}",
                details={"pin": vehicle, "previous_pin": previous},
            )
        )
        view = PinView(request.id, vehicle, request.service_date.isoformat(), actor)
        uow.commit()
        return view


def unpin_request(ctx: Context, request_id: int) -> int:
    """Let the planner place the request freely again; returns how many pins were removed."""
    with ctx.uow() as uow:
        removed = len(uow.session.scalars(delete(StopPin).where(StopPin.request_id == request_id).returning(StopPin.id)).all())
        uow.commit()
        return removed


def pins_for(session: Session, branch_id: int, day: date) -> dict[int, str]:
    """The branch's pins on ``day``: request id to vehicle id."""
    rows = session.execute(
        select(StopPin.request_id, StopPin.vehicle).where(StopPin.branch_id == branch_id, StopPin.service_date == day)
    )
    return {request_id: vehicle for request_id, vehicle in rows}


def day_pins(ctx: Context, day: date, branch_code: str) -> dict[int, str]:
    """:func:`pins_for` by branch code, in its own unit of work."""
    from dispatch.models import Branch

    with ctx.uow() as uow:
        branch_id = uow.session.scalar(select(Branch.id).where(Branch.code == branch_code))
        return pins_for(uow.session, branch_id, day) if branch_id is not None else {}
