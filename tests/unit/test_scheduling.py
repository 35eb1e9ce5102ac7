"""Service day around the cut-off, weekends and holidays; windows; branch choice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time

import pytest

from dispatch.config import ScheduleRules
from dispatch.domain.scheduling import WorkCalendar
from dispatch.domain.scheduling import choose_branch
from dispatch.domain.scheduling import earliest_service_date
from dispatch.domain.scheduling import parse_window
from dispatch.domain.scheduling import service_date
from dispatch.domain.statuses import RequestKind
from tests.conftest import ALMATY

RULES = ScheduleRules()
CAL = WorkCalendar(RULES)


def at(day: str, hh_mm: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hh_mm), tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at("2026-11-23", "13:59"), "2026-11-24"),  # Monday before the cut-off: Tuesday
        (at("2026-11-23", "14:00"), "2026-11-25"),  # at the cut-off: the day after
        (at("2026-11-27", "09:00"), "2026-11-30"),  # Friday morning: Monday
        (at("2026-11-27", "16:00"), "2026-12-01"),  # Friday evening: Tuesday
        (at("2026-11-28", "10:00"), "2026-11-30"),  # Saturday morning: Monday
        (at("2026-11-29", "18:00"), "2026-12-01"),  # Sunday evening: Tuesday
        (at("2026-12-15", "10:00"), "2026-12-17"),  # Independence Day, 16 December, is skipped
    ],
)
def test_earliest_day_around_cutoff_weekends_and_holidays(received, expected):
    assert earliest_service_date(received, RULES, CAL).isoformat() == expected


def test_cutoff_is_read_in_almaty_time_whatever_the_server_zone():

    utc = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 13:30 in Almaty
    assert earliest_service_date(utc, RULES, CAL).isoformat() == "2026-11-24"
    assert earliest_service_date(utc.replace(hour=9), RULES, CAL).isoformat() == "2026-11-25"


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        earliest_service_date(datetime(2026, 11, 23, 10, 0), RULES, CAL)  # noqa: DTZ001 - naive on purpose


def test_cutoff_and_working_days_are_configuration():
    rules = replace(RULES, cutoff=time(12, 0), working_weekdays=frozenset({0, 1, 2, 3, 4, 5}))
    calendar = WorkCalendar(rules)
    assert earliest_service_date(at("2026-11-23", "12:30"), rules, calendar).isoformat() == "2026-11-25"
    assert earliest_service_date(at("2026-11-27", "09:00"), rules, calendar).isoformat() == "2026-11-28"


def test_closed_dates_are_skipped():
    rules = replace(RULES, closed_dates=frozenset({"2026-11-24"}))
    assert earliest_service_date(at("2026-11-23", "10:00"), rules, WorkCalendar(rules)).isoformat() == "2026-11-25"


def test_holidays_can_be_switched_off():
    rules = replace(RULES, holidays_country=None)
    assert WorkCalendar(rules).is_working_day(date(2026, 12, 16))
    assert not CAL.is_working_day(date(2026, 12, 16))


@pytest.mark.parametrize(
    ("wished", "expected"),
    [
        (None, "2026-11-24"),
        ("2026-11-23", "2026-11-24"),  # too soon: the earliest possible day
        ("2026-11-26", "2026-11-26"),  # a later working day is kept
        ("2026-11-28", "2026-11-30"),  # a Saturday moves to Monday
    ],
)
def test_wished_day_is_kept_when_possible(wished, expected):
    day = date.fromisoformat(wished) if wished else None
    assert service_date(at("2026-11-23", "10:00"), day, RULES, CAL).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, (time(10), time(18))),
        ("", (time(10), time(18))),
        ("10:00-14:00", (time(10), time(14))),
        (" 14:00 - 18:00 ", (time(14), time(18))),
        ("9:00-11:00", (time(9), time(11))),
        ("14:00-10:00", None),  # backwards
        ("10:00-11:00", None),  # shorter than two hours
        ("07:00-10:00", None),  # before service hours
        ("18:00-21:00", None),  # after service hours
        ("утром", None),
        ("10:00", None),
    ],
)
def test_windows(text, expected):
    assert parse_window(text, RULES) == expected


def test_delivery_goes_to_the_branch_holding_the_books():
    assert choose_branch(RequestKind.DELIVERY, ["B02", "B02"], "B01") == "B02"


def test_delivery_prefers_the_home_branch_when_it_holds_some_books():
    assert choose_branch(RequestKind.DELIVERY, ["B02", "B01"], "B01") == "B01"


def test_return_pickup_goes_to_the_home_branch():
    assert choose_branch(RequestKind.RETURN_PICKUP, ["B02", "B03"], "B01") == "B01"
    assert choose_branch(RequestKind.RETURN_PICKUP, ["B02"], None) == "B02"
