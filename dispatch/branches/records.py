"""A branch's record on the admin pages: name, address, phone, e-mail, 24/7; each change audited.

The code and the depot's point come from the library system's branches export and stay as imported
(the point is where every route of the branch starts and ends).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from sqlalchemy import select

from dispatch.admin import audit
from dispatch.admin.refusals import AdminRefused
from dispatch.domain import phones
from dispatch.errors import NotFound
from dispatch.models import Branch

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context

BRANCH_ENTITY = "branch"


@dataclass(frozen=True)
class BranchView:
    """A branch as the admin pages show it."""

    id: int
    code: str
    name: str
    address: str
    phone: str | None
    email: str | None
    open_24_7: bool
    lat: float
    lon: float


@dataclass(frozen=True)
class BranchEdit:
    """What the branch form says; :func:`edit_branch` checks it."""

    name: str
    address: str
    phone: str
    email: str
    open_24_7: bool


def list_branches(ctx: Context) -> list[BranchView]:
    """Every branch, by code."""
    with ctx.uow() as uow:
        return [_view(branch) for branch in uow.session.scalars(select(Branch).order_by(Branch.code))]


def get_branch(ctx: Context, code: str) -> BranchView:
    """One branch; :class:`NotFound` for an unknown code."""
    with ctx.uow() as uow:
        return _view(_branch(uow.session, code))


def edit_branch(ctx: Context, code: str, edit: BranchEdit, *, actor: str) -> BranchView:
    """Save the branch's contacts; each changed field is audited.

    Raises
    ------
    AdminRefused
        ``bad_phone`` for a phone that is not a Kazakhstan number (``field`` names the form field).
    """
    phone = None
    if edit.phone.strip():
        phone = phones.to_e164(edit.phone)
        if phone is None:
            raise AdminRefused("bad_phone", field="phone", value=edit.phone)
    wanted = {
        "name": edit.name.strip(),
        "address": edit.address.strip(),
        "phone": phone,
        "email": edit.email.strip() or None,
        "open_24_7": edit.open_24_7,
    }
    with ctx.uow() as uow:
        branch = _branch(uow.session, code)
        changes = audit.changed(branch, wanted)
        if changes:
            audit.record(uow.session, actor=actor, entity=BRANCH_ENTITY, entity_id=branch.id, action="edited", changes=changes)
        uow.session.flush()
        view = _view(branch)
        uow.commit()
        return view


def _branch(session: Session, code: str) -> Branch:
    branch = session.execute(select(Branch).where(Branch.code == code)).scalar_one_or_none()
    if branch is None:
        raise NotFound(what="branch", id=code)
    return branch


def _view(branch: Branch) -> BranchView:
    return BranchView(
        id=branch.id,
        code=branch.code,
        name=branch.name,
        address=branch.address,
        phone=branch.phone,
        email=branch.email,
        open_24_7=branch.open_24_7,
        lat=branch.lat,
        lon=branch.lon,
    )
