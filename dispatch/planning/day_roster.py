"""Who works for a branch on a day: the couriers on shift, and those who do not work that day and why."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from sqlalchemy import select

from dispatch.models import Courier
from dispatch.planning.fleet import works_on

if t.TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class RosterLine:
    """One courier on the day: ``absence`` is ``None`` when working, else ``off_roster`` (leave, illness) or ``day_off``."""

    code: str
    name: str
    kind: str
    shift: str
    skills: list[str]
    capacity_books: int
    absence: str | None


def day_roster(session: Session, branch_id: int, day: date) -> list[RosterLine]:
    """The branch's couriers on ``day``: working ones first, each group in code order."""
    lines = [
        RosterLine(
            code=c.code,
            name=c.full_name,
            kind=c.kind.value,
            shift=f"{c.shift_start:%H:%M}–{c.shift_end:%H:%M}",
            skills=list(c.skills or []),
            capacity_books=c.capacity_books,
            absence=None if c.active and works_on(c, day) else ("off_roster" if not c.active else "day_off"),
        )
        for c in session.scalars(select(Courier).where(Courier.branch_id == branch_id).order_by(Courier.code))
    ]
    return sorted(lines, key=lambda line: line.absence is not None)
