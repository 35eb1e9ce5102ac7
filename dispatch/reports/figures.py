"""A month's figures from plain facts about served doors, routes and Yandex claims (no database: easy to check by hand).

What each figure means (the README's "Reports" section says the same):

* **readers served**: distinct readers with at least one door served (books delivered or collected);
* **deliveries** / **pickups**: doors where the books were handed over / collected;
* **books**: barcodes handed over or collected at those doors;
* **failed attempts**: doors recorded as not done, by the reason the courier (or Yandex) gave;
  a reason outside the catalogue counts as "other";
* **on-time share**: of the doors served, those whose outcome was recorded inside the reader's
  window (``None`` when no door was served);
* **km**: the planned distance of the routes that were completed;
* **Yandex cost**: what Yandex billed (the final price) for every claim it priced, plus the estimate
  of claims delivered but not priced yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation

from dispatch.domain.statuses import FailureReason
from dispatch.domain.statuses import StopOutcome

REASONS: tuple[str, ...] = tuple(reason.value for reason in FailureReason)
"""Failure reasons in the catalogue's order: every report lists all of them, zeros included."""

DELIVERED_CLAIM_STATUSES = frozenset({"delivered", "delivered_finish"})


@dataclass(frozen=True)
class DoorFact:
    """One reader's door with an outcome, on a route of a current plan version."""

    branch_id: int
    day: date
    reader_id: int
    outcome: str
    reason: str | None
    books: int
    recorded_at: datetime | None
    window_start: datetime | None
    window_end: datetime | None

    @property
    def served(self) -> bool:
        return self.outcome in (StopOutcome.DELIVERED.value, StopOutcome.COLLECTED.value)

    @property
    def on_time(self) -> bool:
        """Recorded inside the window (a door without a window or a time is not on time: it cannot be shown to be)."""
        if self.recorded_at is None or self.window_start is None or self.window_end is None:
            return False
        return self.window_start <= self.recorded_at <= self.window_end


@dataclass(frozen=True)
class RouteFact:
    """A route of a current plan version: whether it was completed, and its planned distance."""

    branch_id: int
    day: date
    completed: bool
    distance_m: int


@dataclass(frozen=True)
class ClaimFact:
    """A Yandex claim of a route of a current plan version."""

    branch_id: int
    day: date
    status: str
    estimate_kzt: str | None
    final_price_kzt: str | None

    @property
    def cost_kzt(self) -> Decimal:
        """The final price where Yandex gave one, else the estimate once delivered, else nothing."""
        if self.final_price_kzt:
            return _money(self.final_price_kzt)
        if self.status in DELIVERED_CLAIM_STATUSES:
            return _money(self.estimate_kzt)
        return Decimal(0)


@dataclass(frozen=True)
class Figures:
    """The figures of one branch (or the city) over one month (or one day)."""

    readers_served: int
    deliveries: int
    pickups: int
    books: int
    failed: int
    failed_by_reason: tuple[tuple[str, int], ...]
    served_on_time: int
    on_time_share: float | None
    km: float
    yandex_cost_kzt: Decimal

    @property
    def doors(self) -> int:
        """Doors served."""
        return self.deliveries + self.pickups


def figures(doors: list[DoorFact], routes: list[RouteFact], claims: list[ClaimFact]) -> Figures:
    """The figures of the facts given (the caller picks the branch and the days)."""
    served = [d for d in doors if d.served]
    failed = [d for d in doors if d.outcome == StopOutcome.FAILED.value]
    reasons = Counter(d.reason if d.reason in REASONS else FailureReason.OTHER.value for d in failed)
    on_time = sum(1 for d in served if d.on_time)
    return Figures(
        readers_served=len({d.reader_id for d in served}),
        deliveries=sum(1 for d in served if d.outcome == StopOutcome.DELIVERED.value),
        pickups=sum(1 for d in served if d.outcome == StopOutcome.COLLECTED.value),
        books=sum(d.books for d in served),
        failed=len(failed),
        failed_by_reason=tuple((reason, reasons[reason]) for reason in REASONS),
        served_on_time=on_time,
        on_time_share=round(on_time / len(served), 4) if served else None,
        km=round(sum(r.distance_m for r in routes if r.completed) / 1000, 1),
        yandex_cost_kzt=sum((c.cost_kzt for c in claims), Decimal(0)),
    )


def _money(text: str | None) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        return Decimal(0)
