"""``claims/journal``: every change in the order it happened, read in pages behind opaque cursors."""

from __future__ import annotations

import base64
import binascii
import typing as t
from decimal import Decimal

from integrations.yandex.models import CLOSED_STATUSES
from integrations.yandex.standin.pricing import money
from integrations.yandex.standin.statuses import SUCCESS
from integrations.yandex.standin.wire import error

if t.TYPE_CHECKING:
    from datetime import datetime

    from integrations.yandex.standin.records import Claim
    from integrations.yandex.standin.wire import Answer
    from integrations.yandex.standin.wire import Json


class Journal:
    """The events of every claim, oldest first; the caller holds the stand-in's lock."""

    def __init__(self) -> None:
        self._events: list[dict[str, Json]] = []

    def status_changed(self, claim: Claim, at: datetime) -> None:
        """Write the claim's new status (with ``resolution`` once it is closed)."""
        event: dict[str, Json] = {
            "operation_id": len(self._events) + 1,
            "claim_id": claim.id,
            "change_type": "status_changed",
            "updated_ts": at.isoformat(),
            "new_status": claim.status,
            "revision": claim.version,
            "client_id": "simulator",
            "current_point_id": claim.current_point_id,
        }
        if claim.status in CLOSED_STATUSES:
            event["resolution"] = "success" if claim.status in SUCCESS else "failed"
        self._events.append(event)

    def price_changed(self, claim: Claim, at: datetime) -> None:
        """Write the claim's new price."""
        self._events.append(
            {
                "operation_id": len(self._events) + 1,
                "claim_id": claim.id,
                "change_type": "price_changed",
                "updated_ts": at.isoformat(),
                "new_price": money(claim.price or Decimal(0)),
                "new_currency": "KZT",
                "revision": claim.version,
                "client_id": "simulator",
            }
        )

    def read(self, cursor: str | None, limit: int) -> Answer:
        """Events after ``cursor`` (all when ``None``), at most ``limit``, and the cursor to read on from."""
        start = 0
        if cursor:
            start_or_none = _read_cursor(cursor)
            if start_or_none is None:
                return error(400, "bad_request", "cursor: not a cursor of this journal")
            start = start_or_none
        events = self._events[start : start + limit]
        end = start + len(events)
        return 200, {"cursor": _make_cursor(end), "events": events}, {}


def _make_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"journal:{position}".encode()).decode()


def _read_cursor(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = text.partition(":")
    return int(number) if prefix == "journal" and number.isdigit() else None
