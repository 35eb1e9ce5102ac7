"""The stand-in's time: the clock it is given (tests pin it), the timestamps it reads and the ``--step-s`` ticker."""

from __future__ import annotations

import typing as t
from collections.abc import Callable
from datetime import UTC
from datetime import datetime

if t.TYPE_CHECKING:
    import threading

    from integrations.yandex.standin.wire import Json

#: Gives the aware "now" for timestamps, ``due`` checks and the accept window.
Clock = Callable[[], datetime]


def system_now() -> datetime:
    """The default clock: the real time, in UTC."""
    return datetime.now(UTC)


def parse_ts(value: Json) -> datetime | None:
    """An ISO 8601 timestamp with a time zone, or ``None`` for anything else (Yandex refuses naive times)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def tick_every(step_s: float, released: threading.Event, tick: Callable[[], None]) -> None:
    """Call ``tick`` every ``step_s`` seconds until ``released`` is set (a demo's claims move by themselves)."""
    while not released.wait(step_s):
        tick()
