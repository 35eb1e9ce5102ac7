"""The couriers a branch can send out on a day: the in-house part of a day's fleet (Yandex cars come from settings)."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.domain.scheduling import WEEKDAYS
from dispatch.models import Courier

if t.TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session


def works_on(courier: Courier, day: date) -> bool:
    """True when ``day`` is one of the courier's working weekdays."""
    return WEEKDAYS[day.weekday()] in courier.working_days.split(",")


def available(session: Session, branch_id: int, day: date) -> list[Courier]:
    """Active couriers of the branch who work on ``day``, in code order (a stable vehicle order)."""
    couriers = session.scalars(
        select(Courier).where(Courier.branch_id == branch_id, Courier.active.is_(True)).order_by(Courier.code)
    )
    return [courier for courier in couriers if works_on(courier, day)]
