"""A dispatcher's pin checked before it is stored: refused with a reason in words when the vehicle cannot take the stop.

The solver keeps a pinned stop on its vehicle even where the skills say no, and quietly drops a pin
to a vehicle that is not planned that day: both made pins look kept when they were not. Here a pin
is only stored when the planner can keep it (the same rules :mod:`dispatch.planning.inputs` plans by).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch.domain.statuses import LIVE_ROUTE_STATUSES
from dispatch.domain.statuses import PLANNABLE_STATUSES
from dispatch.domain.statuses import Carrier
from dispatch.errors import DispatchError
from dispatch.errors import NotFound
from dispatch.labels import label
from dispatch.models import Courier
from dispatch.models import DeliveryRequest
from dispatch.models import RequestItem
from dispatch.planning import fleet
from dispatch.planning.clock import DayClock
from dispatch.planning.inputs import DEFAULT_BOOK_G
from dispatch.planning.inputs import current_plan
from dispatch.planning.inputs import needed_skills
from dispatch.planning.pins import PinView
from dispatch.planning.pins import pin_request

if t.TYPE_CHECKING:
    from datetime import date
    from datetime import time

    from sqlalchemy.orm import Session

    from dispatch.config import PlanningSettings
    from dispatch.context import Context


class PinRefused(DispatchError):
    """The vehicle cannot take the stop; ``reason`` is a ``pin_refusal`` code of :mod:`dispatch.labels`."""

    code = "pin_refused"

    def __init__(self, reason: str, vehicle: str) -> None:
        self.reason = reason
        super().__init__(reason=reason, vehicle=vehicle)

    def message(self, lang: str = "ru") -> str:
        """Why, in the dispatcher's language."""
        return label("pin_refusal", self.reason, lang)


@dataclass(frozen=True)
class Fleet:
    """The vehicles a branch's draft routes may use on a day: free couriers by vehicle id, and Yandex car ids."""

    couriers: dict[str, Courier]
    busy: set[str]
    yandex: list[str]

    @property
    def ids(self) -> list[str]:
        """Every pinnable vehicle id, couriers first."""
        return [*self.couriers, *self.yandex]


def day_fleet(session: Session, branch_id: int, day: date, planning: PlanningSettings) -> Fleet:
    """The couriers working on ``day`` whose route is not handed out yet, and the Yandex cars not yet booked."""
    current = current_plan(session, branch_id, day)
    live = [r for r in current.routes if r.status in LIVE_ROUTE_STATUSES] if current else []
    busy_ids = {r.courier_id for r in live if r.courier_id is not None}
    couriers: dict[str, Courier] = {}
    busy: set[str] = set()
    for courier in fleet.available(session, branch_id, day):
        if courier.id in busy_ids:
            busy.add(f"courier:{courier.code}")
        else:
            couriers[f"courier:{courier.code}"] = courier
    cars = max(0, planning.yandex_vehicles - sum(1 for r in live if r.carrier is Carrier.YANDEX))
    return Fleet(couriers, busy, [f"yandex:{k + 1}" for k in range(cars)])


def refusal(session: Session, request: DeliveryRequest, vehicle: str, planning: PlanningSettings, zone: str) -> str | None:
    """The ``pin_refusal`` code that keeps ``request`` off ``vehicle``, or ``None`` when the planner can keep the pin."""
    assert request.branch_id is not None and request.service_date is not None
    return refusal_in(day_fleet(session, request.branch_id, request.service_date, planning), request, vehicle, planning, zone)


def refusal_in(found: Fleet, request: DeliveryRequest, vehicle: str, planning: PlanningSettings, zone: str) -> str | None:
    """:func:`refusal` against a fleet already read (the console asks it for every vehicle of every stop)."""
    assert request.service_date is not None
    skills = needed_skills(request.reader, planning)
    books = len(request.lines)
    grams = sum(line.item.weight_g or DEFAULT_BOOK_G for line in request.lines)
    if vehicle.startswith("yandex:"):
        if vehicle not in found.yandex:
            return "no_such_car"
        if skills:
            return "yandex_no_stairs"
        shift = planning.yandex_shift
        capacity = (planning.yandex_capacity_books, planning.yandex_capacity_g)
    else:
        if vehicle in found.busy:
            return "courier_busy"
        courier = found.couriers.get(vehicle)
        if courier is None:
            return "not_working"
        if not skills <= set(courier.skills):
            return "courier_no_skill"
        shift = (courier.shift_start, courier.shift_end)
        capacity = (courier.capacity_books, courier.capacity_g)
    if books > capacity[0] or grams > capacity[1]:
        return "too_many_books"
    if not _overlaps(request, shift, DayClock(request.service_date, zone)):
        return "window_outside_shift"
    return None


def _overlaps(request: DeliveryRequest, shift: tuple[time, time], clock: DayClock) -> bool:
    start, end = clock.seconds(shift[0]), clock.seconds(shift[1])
    return clock.seconds(request.window_start) < end and clock.seconds(request.window_end) > start


def pin(ctx: Context, request_id: int, vehicle: str, *, actor: str) -> PinView:
    """Check, then store the pin (:func:`dispatch.planning.pins.pin_request`).

    Raises
    ------
    PinRefused
        The vehicle cannot take the stop; nothing is stored.
    """
    vehicle = vehicle.strip()
    with ctx.uow() as uow:
        request = uow.session.execute(
            select(DeliveryRequest)
            .where(DeliveryRequest.id == request_id)
            .options(selectinload(DeliveryRequest.reader), selectinload(DeliveryRequest.lines).selectinload(RequestItem.item))
        ).scalar_one_or_none()
        if request is None:
            raise NotFound(what="request", id=request_id)
        if request.branch_id is not None and request.service_date is not None and request.status in PLANNABLE_STATUSES:
            reason = refusal(uow.session, request, vehicle, ctx.settings.planning, ctx.settings.schedule.timezone)
            if reason is not None:
                raise PinRefused(reason, vehicle)
    return pin_request(ctx, request_id, vehicle, actor=actor)
