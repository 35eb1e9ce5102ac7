"""The roster of in-house couriers as staff keep it: who works for which branch, and who is on or off."""

from __future__ import annotations

import typing as t
from dataclasses import asdict
from dataclasses import dataclass

from sqlalchemy import select

from dispatch.errors import NotFound
from dispatch.models import Branch
from dispatch.models import Courier

if t.TYPE_CHECKING:
    from dispatch.context import Context


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
