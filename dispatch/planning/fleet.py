"""The couriers a branch can send out on a day: the in-house part of a day's fleet (Yandex cars come from settings)."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.domain.scheduling import WEEKDAYS
from dispatch.models import Courier
from dispatch.models import CourierLeave

if t.TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from sqlalchemy.orm import Session


def works_on(courier: Courier, day: date) -> bool:
    """True when ``day`` is one of the courier's working weekdays."""
    return WEEKDAYS[day.weekday()] in courier.working_days.split(",")


def on_leave(session: Session, courier_ids: Iterable[int], day: date) -> set[int]:
    """The ids among ``courier_ids`` of couriers with a leave period that covers ``day``."""
    wanted = list(courier_ids)
    if not wanted:
        return set()
    query = select(CourierLeave.courier_id).where(
        CourierLeave.courier_id.in_(wanted), CourierLeave.starts_on <= day, CourierLeave.ends_on >= day
    )
    return set(session.scalars(query))


def available(session: Session, branch_id: int, day: date) -> list[Courier]:
    """Active couriers of the branch who work on ``day`` and are not on leave, in code order (a stable vehicle order)."""
    couriers = session.scalars(
        select(Courier).where(Courier.branch_id == branch_id, Courier.active.is_(True)).order_by(Courier.code)
    )
    working = [courier for courier in couriers if works_on(courier, day)]
    away = on_leave(session, (courier.id for courier in working), day)
    return [courier for courier in working if courier.id not in away]
