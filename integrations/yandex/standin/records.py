"""The claims and route points as the stand-in holds them in memory, with the look-ups every step needs."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

from integrations.yandex.models import ClaimStatus as S
from integrations.yandex.models import VisitStatus

if t.TYPE_CHECKING:
    from datetime import datetime
    from decimal import Decimal

    from integrations.yandex.standin.wire import Json


@dataclass
class Point:
    """One route point: the source (the branch), a reader's door or the return."""

    id: int
    type: str
    visit_order: int
    contact: dict[str, Json]
    address: dict[str, Json]
    skip_confirmation: bool
    external_order_id: str | None
    extra: dict[str, Json]
    visit_status: str = VisitStatus.PENDING.value
    expected: datetime | None = None
    actual: datetime | None = None
    return_reasons: list[str] = field(default_factory=list)

    @property
    def lon_lat(self) -> tuple[float, float]:
        lon, lat = self.address["coordinates"]
        return float(lon), float(lat)


@dataclass
class Claim:
    """One claim: the body it was made from, its points and everything that has happened to it."""

    id: str
    request_id: str
    body: dict[str, Json]
    points: list[Point]
    created: datetime
    status: str = S.NEW.value
    version: int = 1
    updated: datetime | None = None
    last_status_change: datetime | None = None
    current_point_id: int | None = None
    price: Decimal | None = None
    final_price: Decimal | None = None
    performer: dict[str, Json] | None = None
    error_messages: list[dict[str, Json]] = field(default_factory=list)
    warnings: list[dict[str, Json]] = field(default_factory=list)
    ready_since: datetime | None = None

    @property
    def source(self) -> Point:
        return next(p for p in self.points if p.type == "source")

    @property
    def destinations(self) -> list[Point]:
        return [p for p in self.points if p.type == "destination"]

    @property
    def return_point(self) -> Point:
        return next(p for p in self.points if p.type == "return")

    @property
    def current(self) -> Point | None:
        return next((p for p in self.points if p.id == self.current_point_id), None)

    @property
    def callback_url(self) -> str | None:
        props = self.body.get("callback_properties")
        url = props.get("callback_url") if isinstance(props, dict) else None
        return url if isinstance(url, str) and url else None

    @property
    def driven(self) -> list[tuple[float, float]]:
        """The points the courier drives to, in order (the return leg is not priced)."""
        return [p.lon_lat for p in self.points if p.type != "return"]

    def next_pending(self) -> Point | None:
        return next((p for p in self.destinations if p.visit_status == VisitStatus.PENDING), None)
