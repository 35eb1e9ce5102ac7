"""The courier's rules without a database: when a door may be recorded, which door undo takes back, the words of refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from datetime import datetime
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from couriers.outcomes import check_can_leave
from couriers.outcomes import check_can_record
from couriers.outcomes import last_recorded
from dispatch.config import Settings
from dispatch.domain.statuses import RouteStatus
from dispatch.errors import DispatchError
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop

ALMATY = ZoneInfo("Asia/Almaty")
TUESDAY = date(2026, 11, 24)


def _ctx(moment: datetime) -> SimpleNamespace:
    return SimpleNamespace(clock=lambda: moment, settings=Settings())


def _route(status: RouteStatus) -> PlanRoute:
    return PlanRoute(id=7, status=status, plan=Plan(service_date=TUESDAY))


@pytest.mark.parametrize(
    ("status", "moment", "code"),
    [
        (RouteStatus.DRAFT, datetime(2026, 11, 24, 9, 0, tzinfo=ALMATY), "route_not_dispatched"),
        (RouteStatus.DISPATCHED, datetime(2026, 11, 24, 9, 0, tzinfo=ALMATY), "outcome_before_leaving"),
        (RouteStatus.DISPATCHED, datetime(2026, 11, 23, 9, 0, tzinfo=ALMATY), "outcome_not_today"),
        (RouteStatus.IN_PROGRESS, datetime(2026, 11, 25, 0, 1, tzinfo=ALMATY), "outcome_not_today"),
        # 23:30 UTC on the 23rd is already 04:30 on the 24th in Almaty: the local day counts.
        (RouteStatus.IN_PROGRESS, datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("UTC")), None),
        (RouteStatus.COMPLETED, datetime(2026, 11, 24, 9, 0, tzinfo=ALMATY), "route_finished"),
        (RouteStatus.SUPERSEDED, datetime(2026, 11, 24, 9, 0, tzinfo=ALMATY), "route_finished"),
    ],
)
def test_a_door_needs_the_route_under_way_on_its_local_day(status: RouteStatus, moment: datetime, code: str | None) -> None:
    ctx = _ctx(moment)
    if code is None:
        check_can_record(ctx, _route(status))  # type: ignore[arg-type]
        return
    with pytest.raises(DispatchError) as refused:
        check_can_record(ctx, _route(status))  # type: ignore[arg-type]
    assert refused.value.code == code
    for lang in ("ru", "kk", "en"):
        text = refused.value.message(lang)
        assert text and code not in text and "{" not in text


def test_leaving_the_branch_a_day_early_is_refused_but_a_second_tap_later_is_harmless() -> None:
    with pytest.raises(DispatchError) as early:
        check_can_leave(_ctx(datetime(2026, 11, 23, 18, 0, tzinfo=ALMATY)), _route(RouteStatus.DISPATCHED))  # type: ignore[arg-type]
    assert early.value.code == "leave_not_today" and "24.11.2026" in early.value.message("ru")
    check_can_leave(_ctx(datetime(2026, 11, 25, 9, 0, tzinfo=ALMATY)), _route(RouteStatus.IN_PROGRESS))  # type: ignore[arg-type]


def test_undo_takes_back_the_door_recorded_last_not_the_last_in_route_order() -> None:
    at = datetime(2026, 11, 24, 9, 0, tzinfo=ALMATY)
    route = _route(RouteStatus.IN_PROGRESS)
    route.stops = [
        PlanStop(id=1, request_id=11, outcome="delivered", outcome_at=at + timedelta(minutes=3)),
        PlanStop(id=2, request_id=12, outcome="failed", outcome_at=at),
        PlanStop(id=3, request_id=13, outcome=None, outcome_at=None),
        PlanStop(id=4, request_id=None, outcome=None, outcome_at=None),
    ]
    last = last_recorded(route)
    assert last is not None and last.id == 1
    assert last_recorded(_route(RouteStatus.IN_PROGRESS)) is None


def test_the_undo_window_is_a_setting_and_its_message_counts_minutes() -> None:
    assert Settings().undo_outcome_minutes == 5
    assert replace(Settings(), undo_outcome_minutes=1).undo_outcome_minutes == 1
    assert "1 минуту" in DispatchError("undo_too_late", minutes=1).message("ru")
    assert "3 минуты" in DispatchError("undo_too_late", minutes=3).message("ru")
    assert "5 minutes" in DispatchError("undo_too_late", minutes=5).message("en")
