"""A small hand-made November for the monthly report: two branches, three readers, plan versions, claims.

Written straight through the ORM so that every figure can be counted by hand (see ``EXPECTED``).
"""

from __future__ import annotations

import itertools
import typing as t
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal

from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.models import Reader
from dispatch.models import YandexClaim
from tests.integration.factories import reader_values

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context

NOVEMBER = date(2026, 11, 1)
TENTH = date(2026, 11, 10)
ELEVENTH = date(2026, 11, 11)
INJECTION = '=HYPERLINK("http://evil.example/x","Нажмите")'
"""The second branch's name: a formula a spreadsheet would run if the export let it through."""

EXPECTED_B01 = {
    "readers_served": 2,
    "deliveries": 3,
    "pickups": 1,
    "books": 7,
    "failed": 2,
    "not_at_home": 1,
    "other": 1,
    "on_time_share": 0.75,
    "km": 20.3,
    "yandex_cost_kzt": Decimal("4800.50"),
}
EXPECTED_CITY = {
    "readers_served": 3,
    "deliveries": 4,
    "pickups": 1,
    "books": 8,
    "failed": 2,
    "on_time_share": 0.8,
    "km": 23.3,
    "yandex_cost_kzt": Decimal("4800.50"),
}

_numbers = itertools.count(1)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _request(s: Session, reader: Reader, branch: Branch, day: date, kind: RequestKind = RequestKind.DELIVERY) -> DeliveryRequest:
    number = next(_numbers)
    request = DeliveryRequest(
        kind=kind,
        status=RequestStatus.DELIVERED if kind is RequestKind.DELIVERY else RequestStatus.COLLECTED,
        reader_id=reader.id,
        branch_id=branch.id,
        channel=Channel.OPERATOR,
        idempotency_key=f"report-month-{number}",
        fingerprint=f"{number:064d}",
        window_start=time(10, 0),
        window_end=time(14, 0),
        service_date=day,
        created_by="test",
    )
    s.add(request)
    s.flush()
    return request


def _plan(s: Session, branch: Branch, day: date, version: int) -> Plan:
    plan = Plan(
        branch_id=branch.id,
        service_date=day,
        version=version,
        run_key=f"report-{branch.code}-{day}-{version}",
        input_fingerprint="x",
        created_by="test",
        time_limit_s=1.0,
    )
    s.add(plan)
    s.flush()
    return plan


def _route(s: Session, plan: Plan, status: RouteStatus, distance_m: int, carrier: Carrier = Carrier.IN_HOUSE) -> PlanRoute:
    route = PlanRoute(
        plan_id=plan.id,
        number=next(_numbers),
        carrier=carrier,
        vehicle="yandex:1" if carrier is Carrier.YANDEX else "courier:C1",
        status=status,
        start_at=_at(plan.service_date, 4),
        end_at=_at(plan.service_date, 10),
        distance_m=distance_m,
        duration_s=3600,
    )
    s.add(route)
    s.flush()
    return route


def _door(
    s: Session,
    route: PlanRoute,
    request: DeliveryRequest,
    outcome: str,
    *,
    books: int = 0,
    reason: str | None = None,
    at_hour: int = 6,
) -> None:
    day = route.plan.service_date
    key = "drop" if request.kind is RequestKind.DELIVERY else "collect"
    s.add(
        PlanStop(
            route_id=route.id,
            sequence=next(_numbers),
            kind="deliver" if request.kind is RequestKind.DELIVERY else "collect",
            request_id=request.id,
            lat=43.25,
            lon=76.92,
            arrival_at=_at(day, 5),
            eta=_at(day, 5),
            departure_at=_at(day, 5, 5),
            window_start=_at(day, 5),  # 10:00 in Almaty
            window_end=_at(day, 9),  # 14:00 in Almaty
            items={key: [f"B{next(_numbers)}" for _ in range(books)], "load": ["not counted"]},
            outcome=outcome,
            outcome_reason=reason,
            outcome_at=_at(day, at_hour),
        )
    )


def _claim(s: Session, route: PlanRoute, status: str, estimate: str | None, final: str | None) -> None:
    s.add(
        YandexClaim(
            route_id=route.id,
            direction="delivery",
            yandex_request_id=f"report-claim-{next(_numbers)}",
            status=status,
            estimate_kzt=estimate,
            final_price_kzt=final,
        )
    )


def make_month(ctx: Context, *, second_branch_name: str = INJECTION) -> None:
    """November for B01 and B02 (named ``second_branch_name``), with the traps a report must not fall into.

    B01 on the 10th has two plan versions: the first (a completed 99 km route with a served door) is
    not current and must not count. December's door must not count in November.
    """
    with ctx.uow() as uow:
        s = uow.session
        b01 = Branch(code="B01", name="Центральная библиотека", lat=43.25, lon=76.92)
        b02 = Branch(code="B02", name=second_branch_name, lat=43.22, lon=76.85)
        s.add_all([b01, b02])
        s.flush()
        r1, r2, r3 = (Reader(**reader_values(card, home_branch_id=b01.id)) for card in ("0300001", "0300002", "0300003"))
        s.add_all([r1, r2, r3])
        s.flush()

        old = _plan(s, b01, TENTH, 1)
        stale = _route(s, old, RouteStatus.COMPLETED, 99_000)
        _door(s, stale, _request(s, r3, b01, TENTH), "delivered", books=5)

        current = _plan(s, b01, TENTH, 2)
        done = _route(s, current, RouteStatus.COMPLETED, 12_345)
        _door(s, done, _request(s, r1, b01, TENTH), "delivered", books=2)
        _door(s, done, _request(s, r2, b01, TENTH, RequestKind.RETURN_PICKUP), "collected", books=1, at_hour=10)
        _door(s, done, _request(s, r3, b01, TENTH), "failed", reason="not_at_home")
        going = _route(s, current, RouteStatus.IN_PROGRESS, 5_000)
        _door(s, going, _request(s, r1, b01, TENTH), "delivered", books=1)
        _door(s, going, _request(s, r3, b01, TENTH), "failed", reason="дверь закрыта, домофон не работает")
        superseded = _route(s, current, RouteStatus.SUPERSEDED, 7_000)
        _door(s, superseded, _request(s, r3, b01, TENTH), "delivered", books=4)

        yandex = _route(s, _plan(s, b01, ELEVENTH, 1), RouteStatus.COMPLETED, 8_000, Carrier.YANDEX)
        _door(s, yandex, _request(s, r2, b01, ELEVENTH), "delivered", books=3)
        _claim(s, yandex, "delivered_finish", "2400", "2500.50")
        _claim(s, yandex, "delivered", "1800", None)
        _claim(s, yandex, "cancelled", "999", None)
        _claim(s, yandex, "cancelled_with_payment", "700", "500")

        other = _route(s, _plan(s, b02, TENTH, 1), RouteStatus.COMPLETED, 3_000)
        _door(s, other, _request(s, r3, b02, TENTH), "delivered", books=1)

        december = _route(s, _plan(s, b01, date(2026, 12, 1), 1), RouteStatus.COMPLETED, 4_000)
        _door(s, december, _request(s, r1, b01, date(2026, 12, 1)), "delivered", books=6)
        uow.commit()
