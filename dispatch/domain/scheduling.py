"""Which day and which branch serve a request: working days, the cut-off, windows, branch choice."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

from dispatch.domain.statuses import RequestKind

if t.TYPE_CHECKING:
    from collections.abc import Iterable

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as configuration and the import files spell them, Monday first (``date.weekday()``)."""


@dataclass(frozen=True)
class ScheduleRules:
    """When requests are served: cut-off, working days, service hours and windows (local time)."""

    timezone: str = "Asia/Almaty"
    cutoff: time = time(14, 0)
    working_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays_country: str | None = "KZ"
    closed_dates: frozenset[str] = frozenset()
    service_start: time = time(9, 0)
    service_end: time = time(20, 0)
    default_window: tuple[time, time] = (time(10, 0), time(18, 0))
    min_window_minutes: int = 120


class WorkCalendar:
    """Working days: configured weekdays, less public holidays of a country and closed dates."""

    def __init__(self, rules: ScheduleRules) -> None:
        self._rules = rules

    @cached_property
    def _holidays(self) -> holidays.HolidayBase | None:
        if not self._rules.holidays_country:
            return None
        return holidays.country_holidays(self._rules.holidays_country)

    def is_working_day(self, day: date) -> bool:
        """True when couriers go out on ``day``."""
        if day.weekday() not in self._rules.working_weekdays:
            return False
        if day.isoformat() in self._rules.closed_dates:
            return False
        return not (self._holidays is not None and day in self._holidays)

    def next_working_day(self, day: date, *, include_self: bool = False) -> date:
        """The first working day after ``day`` (or ``day`` itself when ``include_self`` and it works)."""
        candidate = day if include_self else day + timedelta(days=1)
        for _ in range(366):
            if self.is_working_day(candidate):
                return candidate
            candidate += timedelta(days=1)
        msg = "no working day within a year: check DISPATCH_WORKING_DAYS and DISPATCH_CLOSED_DATES"
        raise ValueError(msg)


def local_now(received_at: datetime, rules: ScheduleRules) -> datetime:
    """``received_at`` (timezone-aware) in the service's local time."""
    if received_at.tzinfo is None:
        msg = "received_at must be timezone-aware"
        raise ValueError(msg)
    return received_at.astimezone(ZoneInfo(rules.timezone))


def earliest_service_date(received_at: datetime, rules: ScheduleRules, calendar: WorkCalendar) -> date:
    """Before the cut-off: the next working day; at or after it: the working day after that."""
    local = local_now(received_at, rules)
    first = calendar.next_working_day(local.date())
    if local.time() < rules.cutoff:
        return first
    return calendar.next_working_day(first)


def service_date(
    received_at: datetime,
    wished: date | None,
    rules: ScheduleRules,
    calendar: WorkCalendar,
) -> date:
    """The day a request is batched for: the wished day if it is possible and working, else the next one."""
    earliest = earliest_service_date(received_at, rules, calendar)
    if wished is None or wished <= earliest:
        return earliest
    return calendar.next_working_day(wished, include_self=True)


def parse_window(text: str | None, rules: ScheduleRules) -> tuple[time, time] | None:
    """``HH:MM-HH:MM`` inside service hours and long enough; the default window when ``text`` is empty.

    Returns ``None`` when the text is not such a window (the caller turns that into an error).
    """
    if text is None or not text.strip():
        return rules.default_window
    start_text, sep, end_text = text.strip().partition("-")
    try:
        start, end = parse_clock(start_text), parse_clock(end_text)
    except ValueError:
        return None
    if not sep or start >= end or start < rules.service_start or end > rules.service_end:
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes < rules.min_window_minutes:
        return None
    return (start, end)


def parse_clock(text: str) -> time:
    """``9:00`` or ``09:00`` as a time; ``ValueError`` otherwise."""
    return datetime.strptime(text.strip(), "%H:%M").time()  # noqa: DTZ007 - a clock time, no date


def choose_branch(kind: RequestKind, item_branches: Iterable[str | None], home_branch: str | None) -> str | None:
    """The branch that serves a request.

    A delivery is served by the branch holding its items (the home branch when it holds some of
    them); books coming back can go to any branch, so a return pickup goes to the reader's home branch.
    """
    holding = [code for code in item_branches if code]
    if kind is RequestKind.RETURN_PICKUP:
        return home_branch or (holding[0] if holding else None)
    if home_branch and home_branch in holding:
        return home_branch
    if not holding:
        return home_branch
    return max(sorted(set(holding)), key=holding.count)
