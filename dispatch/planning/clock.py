"""Seconds from local midnight of a service day, and back to aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo


class DayClock:
    """Converts between the solver's seconds-of-day and stored UTC times for one day in one time zone."""

    def __init__(self, day: date, timezone: str) -> None:
        self.day = day
        self.zone = ZoneInfo(timezone)
        self.midnight = datetime.combine(day, time(0, 0), tzinfo=self.zone)

    def seconds(self, clock: time) -> int:
        """A local clock time of the day as seconds from midnight."""
        return clock.hour * 3600 + clock.minute * 60 + clock.second

    def seconds_at(self, moment: datetime) -> int:
        """An aware moment as seconds from the day's local midnight (negative before it)."""
        return int((moment - self.midnight).total_seconds())

    def at(self, seconds: int) -> datetime:
        """Seconds from local midnight as an aware UTC datetime."""
        return (self.midnight + timedelta(seconds=seconds)).astimezone(UTC)

    def local(self, moment: datetime) -> datetime:
        """An aware moment in the day's time zone (for display)."""
        return moment.astimezone(self.zone)
