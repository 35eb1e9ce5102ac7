"""The monthly report's pieces without a database: figures from facts, inert cells, months, the chart's scale."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal

import pytest

from dispatch.reports.cells import inert_text
from dispatch.reports.figures import ClaimFact
from dispatch.reports.figures import DoorFact
from dispatch.reports.figures import RouteFact
from dispatch.reports.figures import figures
from dispatch.reports.monthly import DayLine
from dispatch.reports.monthly import month_end
from dispatch.reports.monthly import parse_month
from web.report_chart import chart
from web.report_chart import nice_top

DAY = date(2026, 11, 10)


def _door(
    reader: int, outcome: str, *, hour: int = 6, reason: str | None = None, books: int = 1, window: bool = True
) -> DoorFact:
    return DoorFact(
        branch_id=1,
        day=DAY,
        reader_id=reader,
        outcome=outcome,
        reason=reason,
        books=books,
        recorded_at=datetime(2026, 11, 10, hour, tzinfo=UTC),
        window_start=datetime(2026, 11, 10, 5, tzinfo=UTC) if window else None,
        window_end=datetime(2026, 11, 10, 9, tzinfo=UTC) if window else None,
    )


def test_figures_count_doors_readers_books_reasons_and_the_on_time_share() -> None:
    doors = [
        _door(1, "delivered", books=2),
        _door(1, "delivered", hour=9),  # the window's last minute is still on time
        _door(2, "collected", hour=10, books=3),
        _door(3, "delivered", window=False),  # no window: cannot be shown to be on time
        _door(4, "failed", reason="refused"),
        _door(4, "failed", reason="free text from a courier"),
        _door(5, "failed", reason=None),
    ]
    found = figures(doors, [], [])
    assert (found.readers_served, found.deliveries, found.pickups, found.books, found.failed) == (3, 3, 1, 7, 3)
    assert found.doors == 4
    assert dict(found.failed_by_reason) == {
        "not_at_home": 0,
        "wrong_address": 0,
        "refused": 1,
        "no_access": 0,
        "books_not_ready": 0,
        "other": 2,
    }
    assert (found.served_on_time, found.on_time_share) == (2, 0.5)


def test_km_count_completed_routes_and_yandex_cost_the_billed_price() -> None:
    routes = [RouteFact(1, DAY, True, 12_345), RouteFact(1, DAY, False, 50_000), RouteFact(1, DAY, True, 1_000)]
    claims = [
        ClaimFact(1, DAY, "delivered_finish", "2000", "2100.25"),
        ClaimFact(1, DAY, "delivered", "1500", None),
        ClaimFact(1, DAY, "performer_lookup", "900", None),
        ClaimFact(1, DAY, "cancelled_with_payment", "800", "300"),
        ClaimFact(1, DAY, "delivered", "not a price", None),
    ]
    found = figures([], routes, claims)
    assert found.km == 13.3
    assert found.yandex_cost_kzt == Decimal("3900.25")
    assert found.on_time_share is None


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+7 701 123 45 67", "'+7 701 123 45 67"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Центральная библиотека", "Центральная библиотека"),
        ("a=1", "a=1"),
    ],
)
def test_text_that_would_start_a_formula_gets_an_apostrophe(text: str, inert: str) -> None:
    assert inert_text(text) == inert


def test_months_are_read_from_a_month_picker_only() -> None:
    assert parse_month("2026-11") == date(2026, 11, 1)
    assert parse_month(" 2026-02 ") == date(2026, 2, 1)
    for bad in ("2026-13", "2026-00", "11.2026", "", None, "2026-11-01", "1999-12", "9999-12"):
        assert parse_month(bad) is None
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)
    assert month_end(date(2026, 12, 1)) == date(2026, 12, 31)


def test_the_chart_scale_is_round_and_bars_stack_from_the_baseline() -> None:
    assert [nice_top(n) for n in (0, 3, 5, 10, 11, 37, 120)] == [4, 4, 6, 10, 20, 50, 200]
    days = [DayLine(date(2026, 11, n), 0, 0, 0) for n in range(1, 31)]
    days[9] = DayLine(date(2026, 11, 10), 6, 2, 2)
    drawn = chart(days)
    assert not drawn.empty
    column = drawn.columns[9]
    assert column.day == 10
    assert [bar.series for bar in column.bars] == ["deliveries", "pickups", "failed"]
    assert column.bars[0].y + column.bars[0].height == pytest.approx(drawn.baseline)
    assert column.bars[2].y == pytest.approx(drawn.ticks[-1].y)  # 10 of a scale of 10 reaches the top line
    assert drawn.columns[0].bars == ()
    assert chart([DayLine(date(2026, 11, 1), 0, 0, 0)]).empty
