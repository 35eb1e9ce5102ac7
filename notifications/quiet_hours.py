"""When an SMS may go out: none during the quiet hours (21:00–09:00 in Almaty by default); a night message waits for the morning."""

from __future__ import annotations

from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

QUIET_START = time(21, 0)
QUIET_END = time(9, 0)
TZ = "Asia/Almaty"


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as e:
        msg = f"unknown time zone {tz!r}"
        raise ValueError(msg) from e


def _check(now: datetime, quiet_start: time, quiet_end: time) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        msg = f"now must be timezone-aware, got {now!r}"
        raise ValueError(msg)
    if quiet_start.tzinfo is not None or quiet_end.tzinfo is not None:
        msg = "quiet_start and quiet_end are local wall-clock times: give them without tzinfo"
        raise ValueError(msg)


def is_quiet(now: datetime, quiet_start: time = QUIET_START, quiet_end: time = QUIET_END, tz: str = TZ) -> bool:
    """Whether ``now`` falls in the quiet hours ``[quiet_start, quiet_end)``, read on the wall clock of ``tz``.

    When ``quiet_start`` is later than ``quiet_end`` the quiet hours span midnight (21:00–09:00);
    equal times mean no quiet hours at all.
    """
    _check(now, quiet_start, quiet_end)
    local = now.astimezone(_zone(tz)).time()
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= local < quiet_end
    return local >= quiet_start or local < quiet_end


def next_allowed(now: datetime, quiet_start: time = QUIET_START, quiet_end: time = QUIET_END, tz: str = TZ) -> datetime:
    """The earliest moment from ``now`` on when a message may be sent.

    ``now`` itself (unchanged) outside the quiet hours; otherwise the end of the quiet hours on the
    wall clock of ``tz``, as an aware datetime in ``tz``: 23:30 gives 09:00 the next morning,
    03:00 gives 09:00 the same day, 21:00 sharp is already quiet and 09:00 sharp is allowed again.

    Raises
    ------
    ValueError
        ``now`` is naive, a quiet-hours bound carries a tzinfo, or ``tz`` is unknown.
    """
    if not is_quiet(now, quiet_start, quiet_end, tz):
        return now
    zone = _zone(tz)
    local = now.astimezone(zone)
    day = local.date()
    if quiet_start > quiet_end and local.time() >= quiet_start:
        day += timedelta(days=1)  # the evening part of a span over midnight: wait for tomorrow morning
    wake = datetime.combine(day, quiet_end, tzinfo=zone)
    # A wall-clock time skipped by a DST jump does not exist: the round trip through UTC settles it.
    return wake.astimezone(ZoneInfo("UTC")).astimezone(zone)
