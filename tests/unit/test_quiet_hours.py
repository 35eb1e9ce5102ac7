"""Quiet hours: a message due at night waits for the morning; the span over midnight and its edges."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from notifications.quiet_hours import is_quiet
from notifications.quiet_hours import next_allowed

ALMATY = ZoneInfo("Asia/Almaty")
NIGHT = (time(21, 0), time(9, 0))


def at(day: int, hour: int, minute: int = 0, second: int = 0, *, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(24, 12), at(24, 12)),  # midday: now
        (at(24, 9), at(24, 9)),  # 09:00 sharp is allowed again
        (at(24, 20, 59, 59), at(24, 20, 59, 59)),  # the last second before the quiet hours
        (at(24, 21), at(25, 9)),  # 21:00 sharp is already quiet
        (at(24, 23, 30), at(25, 9)),  # late evening: tomorrow morning
        (at(24, 23, 59, 59), at(25, 9)),
        (at(25, 0), at(25, 9)),  # midnight: the same day's morning
        (at(25, 3, 15), at(25, 9)),
        (at(25, 8, 59, 59), at(25, 9)),
        (at(30, 22), at(1, 9, month=12)),  # over a month end
        (at(31, 22, month=12), at(1, 9, month=1, year=2027)),  # and a year end
    ],
)
def test_default_quiet_hours_in_almaty(now, expected):
    result = next_allowed(now)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()


def test_an_allowed_moment_comes_back_unchanged():
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 11:00 in Almaty
    assert next_allowed(now, *NIGHT, "Asia/Almaty") is now


def test_a_utc_moment_is_read_on_almatys_clock_and_answered_in_almaty_time():
    late = at(24, 22).astimezone(UTC)
    result = next_allowed(late, *NIGHT, "Asia/Almaty")
    assert result == at(25, 9)
    assert result.tzinfo == ALMATY
    assert (result.hour, result.minute) == (9, 0)


def test_quiet_hours_within_one_day():
    lunch = (time(13, 0), time(14, 0))
    assert next_allowed(at(24, 12, 59), *lunch, "Asia/Almaty") == at(24, 12, 59)
    assert next_allowed(at(24, 13), *lunch, "Asia/Almaty") == at(24, 14)
    assert next_allowed(at(24, 13, 30), *lunch, "Asia/Almaty") == at(24, 14)
    assert next_allowed(at(24, 14), *lunch, "Asia/Almaty") == at(24, 14)


def test_equal_bounds_mean_no_quiet_hours():
    for hour in (0, 9, 21, 23):
        assert not is_quiet(at(24, hour), time(9), time(9), "Asia/Almaty")
        assert next_allowed(at(24, hour), time(9), time(9), "Asia/Almaty") == at(24, hour)


def test_other_bounds_and_zone():
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 7, 1, 22, 30, tzinfo=berlin)
    assert next_allowed(now, time(22), time(7, 30), "Europe/Berlin") == datetime(2026, 7, 2, 7, 30, tzinfo=berlin)


def test_a_wake_up_time_skipped_by_daylight_saving_moves_past_the_jump():
    berlin = ZoneInfo("Europe/Berlin")
    # 29 March 2026: clocks go from 02:00 straight to 03:00, so 02:30 does not exist that night.
    now = datetime(2026, 3, 28, 23, 0, tzinfo=berlin)
    result = next_allowed(now, time(22), time(2, 30), "Europe/Berlin")
    assert result == datetime(2026, 3, 29, 3, 30, tzinfo=berlin)
    assert result.utcoffset() is not None and result.utcoffset().total_seconds() == 2 * 3600


@pytest.mark.parametrize(
    ("now", "quiet"),
    [(at(24, 20, 59), False), (at(24, 21), True), (at(25, 2), True), (at(25, 8, 59), True), (at(25, 9), False)],
)
def test_is_quiet(now, quiet):
    assert is_quiet(now) is quiet


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_allowed(datetime(2026, 11, 24, 22, 0))  # noqa: DTZ001 - the mistake under test
    with pytest.raises(ValueError, match="unknown time zone"):
        next_allowed(at(24, 22), *NIGHT, "Asia/Nowhere")
    with pytest.raises(ValueError, match="without tzinfo"):
        next_allowed(at(24, 22), time(21, tzinfo=ALMATY), time(9), "Asia/Almaty")
