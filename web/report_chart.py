"""The monthly report's chart as plain geometry for an SVG the template draws: stacked bars of each day's doors.

Drawn on the server so the page needs no script, no outside service and no picture file; the page
shows the same numbers as a table beside it for screen readers and for copying.
"""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass

if t.TYPE_CHECKING:
    from dispatch.reports.monthly import DayLine

WIDTH = 720
HEIGHT = 260
LEFT = 40
RIGHT = 8
TOP = 12
BOTTOM = 28
SERIES = ("deliveries", "pickups", "failed")
"""Bottom to top in each bar; the template names and colours them."""


@dataclass(frozen=True)
class Bar:
    """One part of a day's bar."""

    series: str
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True)
class Column:
    """A day: its number under the axis and its bar's parts."""

    day: int
    x: float
    label_x: float
    bars: tuple[Bar, ...]
    total: int


@dataclass(frozen=True)
class Tick:
    """A line across the plot at ``value``."""

    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    """What the template draws."""

    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    empty: bool


def nice_top(largest: int) -> int:
    """A round, even top for the scale (4, 6, 10, 20, 50, 100…), at least ``largest``."""
    if largest <= 4:
        return 4
    step = int(10 ** math.floor(math.log10(largest)))
    top = next(factor * step for factor in (1, 2, 5, 10) if factor * step >= largest)
    return top + top % 2  # even, so that the middle line falls on a whole number


def chart(days: t.Sequence[DayLine]) -> Chart:
    """Stacked bars (deliveries, pickups, failed attempts) for each day of the month."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    largest = max((d.deliveries + d.pickups + d.failed for d in days), default=0)
    top = nice_top(largest)
    slot = plot_w / max(len(days), 1)
    width = round(slot * 0.7, 1)
    columns = []
    for index, line in enumerate(days):
        x = round(LEFT + index * slot + (slot - width) / 2, 1)
        y = float(baseline)
        bars = []
        for series, value in zip(SERIES, (line.deliveries, line.pickups, line.failed), strict=True):
            height = round(value / top * plot_h, 1)
            if value:
                y = round(y - height, 1)
                bars.append(Bar(series, x, y, width, height, value))
        columns.append(
            Column(line.day.day, x, round(x + width / 2, 1), tuple(bars), line.deliveries + line.pickups + line.failed)
        )
    ticks = tuple(Tick(value, round(baseline - value / top * plot_h, 1)) for value in (0, top // 2, top))
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, float(baseline), tuple(columns), ticks, largest == 0)
