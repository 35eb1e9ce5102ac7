"""The roster of in-house couriers as staff keep it: who works for which branch, their shifts, and who is on leave.

Every change made from the admin pages is audited (who, when, each field before and after).
"""

from __future__ import annotations

import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from dispatch.admin import audit
from dispatch.admin.refusals import AdminRefused
from dispatch.domain import phones
from dispatch.domain.scheduling import WEEKDAYS
from dispatch.domain.statuses import CourierKind
from dispatch.errors import NotFound
from dispatch.imports.importers import COURIER_SKILLS
from dispatch.models import Branch
from dispatch.models import Courier
from dispatch.models import CourierLeave

if t.TYPE_CHECKING:
    from datetime import date
    from datetime import time

    from sqlalchemy.orm import Session

    from dispatch.context import Context

COURIER_ENTITY = "courier"
LEAVE_ENTITY = "courier_leave"
LONGEST_LEAVE = timedelta(days=366)


@dataclass(frozen=True)
class CourierView:
    """A courier as the roster lists them."""

    code: str
    full_name: str
    phone: str | None
    kind: str
    branch_code: str
    shift: str
    working_days: str
    capacity_books: int
    capacity_kg: float
    skills: list[str]
    active: bool

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)


def roster(ctx: Context, *, branch_code: str | None = None) -> list[CourierView]:
    """Every courier (active or not), by branch and code."""
    with ctx.uow() as uow:
        query = select(Courier, Branch.code).join(Branch, Courier.branch_id == Branch.id).order_by(Branch.code, Courier.code)
        if branch_code:
            query = query.where(Branch.code == branch_code)
        return [_view(courier, code) for courier, code in uow.session.execute(query)]


def set_active(ctx: Context, code: str, *, active: bool) -> CourierView:
    """Take a courier off the roster (leave, illness) or back on; their past routes are kept."""
    with ctx.uow() as uow:
        courier = uow.session.execute(select(Courier).where(Courier.code == code)).scalar_one_or_none()
        if courier is None:
            raise NotFound(what="courier", id=code)
        courier.active = active
        view = _view(courier, courier.branch.code)
        uow.commit()
        return view


def _view(courier: Courier, branch_code: str) -> CourierView:
    return CourierView(
        code=courier.code,
        full_name=courier.full_name,
        phone=courier.phone,
        kind=courier.kind.value,
        branch_code=branch_code,
        shift=f"{courier.shift_start:%H:%M}-{courier.shift_end:%H:%M}",
        working_days=courier.working_days,
        capacity_books=courier.capacity_books,
        capacity_kg=courier.capacity_g / 1000,
        skills=list(courier.skills),
        active=courier.active,
    )


@dataclass(frozen=True)
class CourierEdit:
    """What the admin's courier form says, already typed; :func:`save_courier` checks the rules."""

    full_name: str
    phone: str
    kind: str
    branch_code: str
    shift_start: time
    shift_end: time
    working_days: list[str]
    capacity_books: int
    capacity_kg: int
    skills: list[str]
    active: bool


@dataclass(frozen=True)
class LeaveView:
    """A leave period of a courier, both days included."""

    id: int
    starts_on: date
    ends_on: date
    reason: str
    created_by: str


@dataclass(frozen=True)
class CourierCard:
    """A courier's record with their leave periods, latest first (``id`` keys their audit trail)."""

    id: int
    courier: CourierView
    leaves: list[LeaveView]


def branches(ctx: Context) -> list[tuple[str, str]]:
    """``(code, name)`` of every branch, by name: the choices of a courier's branch."""
    with ctx.uow() as uow:
        return [(code, name) for code, name in uow.session.execute(select(Branch.code, Branch.name).order_by(Branch.name))]


def courier_card(ctx: Context, code: str) -> CourierCard:
    """The courier and their leave periods; :class:`NotFound` for an unknown code."""
    with ctx.uow() as uow:
        courier = _courier(uow.session, code)
        query = select(CourierLeave).where(CourierLeave.courier_id == courier.id).order_by(CourierLeave.starts_on.desc())
        leaves = [
            LeaveView(leave.id, leave.starts_on, leave.ends_on, leave.reason, leave.created_by)
            for leave in uow.session.scalars(query)
        ]
        return CourierCard(courier.id, _view(courier, courier.branch.code), leaves)


def save_courier(ctx: Context, code: str, edit: CourierEdit, *, actor: str, create: bool = False) -> CourierView:
    """Create the courier ``code`` or change their record; each changed field is audited.

    Raises
    ------
    AdminRefused
        The shift ends before it starts, no working day, a phone that is not a number, an unknown
        branch, or (``create``) the code is taken. Its ``field`` parameter names the form field.
    """
    values = _checked(edit)
    with ctx.uow() as uow:
        session = uow.session
        branch_id = session.scalar(select(Branch.id).where(Branch.code == edit.branch_code))
        if branch_id is None:
            raise AdminRefused("unknown_branch", field="branch_code", value=edit.branch_code)
        values["branch_id"] = branch_id
        if create:
            if session.scalar(select(Courier.id).where(Courier.code == code)) is not None:
                raise AdminRefused("courier_exists", field="code", value=code)
            courier = Courier(code=code, **values)
            session.add(courier)
            session.flush()
            changes: audit.Changes = {field: (None, value) for field, value in values.items()}
            action = "created"
        else:
            courier = _courier(session, code)
            changes = audit.changed(courier, values)
            action = "edited"
        if "branch_id" in changes:
            before, after = changes.pop("branch_id")
            changes["branch"] = (_branch_code(session, before), _branch_code(session, after))
        if changes:
            audit.record(session, actor=actor, entity=COURIER_ENTITY, entity_id=courier.id, action=action, changes=changes)
        session.flush()
        view = _view(courier, edit.branch_code)
        uow.commit()
        return view


def add_leave(ctx: Context, code: str, starts_on: date, ends_on: date, reason: str, *, actor: str) -> LeaveView:
    """Record a leave period (both days included); planning leaves the courier out on those days."""
    if ends_on < starts_on:
        raise AdminRefused("leave_bad_dates", field="ends_on", starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    if ends_on - starts_on > LONGEST_LEAVE:
        raise AdminRefused("leave_too_long", field="ends_on")
    with ctx.uow() as uow:
        session = uow.session
        courier = _courier(session, code, lock=True)
        overlapping = session.scalars(
            select(CourierLeave).where(
                CourierLeave.courier_id == courier.id, CourierLeave.starts_on <= ends_on, CourierLeave.ends_on >= starts_on
            )
        ).first()
        if overlapping is not None:
            raise AdminRefused(
                "leave_overlaps",
                field="starts_on",
                starts_on=overlapping.starts_on.isoformat(),
                ends_on=overlapping.ends_on.isoformat(),
            )
        leave = CourierLeave(
            courier_id=courier.id, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()[:200], created_by=actor
        )
        session.add(leave)
        session.flush()
        changes: audit.Changes = {"starts_on": (None, starts_on), "ends_on": (None, ends_on), "reason": (None, leave.reason)}
        audit.record(session, actor=actor, entity=LEAVE_ENTITY, entity_id=courier.id, action="leave_added", changes=changes)
        uow.commit()
        return LeaveView(leave.id, leave.starts_on, leave.ends_on, leave.reason, leave.created_by)


def cancel_leave(ctx: Context, code: str, leave_id: int, *, actor: str) -> None:
    """Remove a leave period of the courier (recorded by mistake, or the courier is back early)."""
    with ctx.uow() as uow:
        session = uow.session
        courier = _courier(session, code)
        leave = session.get(CourierLeave, leave_id)
        if leave is None or leave.courier_id != courier.id:
            raise NotFound(what="leave", id=leave_id)
        changes: audit.Changes = {
            "starts_on": (leave.starts_on, None),
            "ends_on": (leave.ends_on, None),
            "reason": (leave.reason, None),
        }
        audit.record(session, actor=actor, entity=LEAVE_ENTITY, entity_id=courier.id, action="leave_cancelled", changes=changes)
        session.delete(leave)
        uow.commit()


def _courier(session: Session, code: str, *, lock: bool = False) -> Courier:
    query = select(Courier).where(Courier.code == code)
    courier = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if courier is None:
        raise NotFound(what="courier", id=code)
    return courier


def _branch_code(session: Session, branch_id: int | None) -> str | None:
    """A branch's code for the audit trail, which names branches as people do."""
    branch = session.get(Branch, branch_id) if branch_id is not None else None
    return branch.code if branch else None


def _checked(edit: CourierEdit) -> dict[str, t.Any]:
    """The record's values from the form's, or the first rule it breaks."""
    if edit.shift_end <= edit.shift_start:
        raise AdminRefused("shift_order", field="shift_end", start=f"{edit.shift_start:%H:%M}", end=f"{edit.shift_end:%H:%M}")
    days = [day for day in WEEKDAYS if day in edit.working_days]
    if not days:
        raise AdminRefused("no_working_days", field="working_days")
    phone = None
    if edit.phone.strip():
        phone = phones.to_e164(edit.phone)
        if phone is None:
            raise AdminRefused("bad_phone", field="phone", value=edit.phone)
    return {
        "full_name": edit.full_name.strip(),
        "phone": phone,
        "kind": CourierKind(edit.kind),
        "shift_start": edit.shift_start,
        "shift_end": edit.shift_end,
        "working_days": ",".join(days),
        "capacity_books": edit.capacity_books,
        "capacity_g": edit.capacity_kg * 1000,
        "skills": [skill for skill in COURIER_SKILLS if skill in edit.skills],
        "active": edit.active,
    }
