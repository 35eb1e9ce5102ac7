"""Typed views of Yandex's JSON answers: claims, journal events, prices, tracking, with the raw dict kept.

Parsing is lenient on purpose: Yandex adds fields and statuses over time (the Yango docs warn that
the status enum may grow), and a missing optional field must not lose a whole journal page. So a
status is kept as the string Yandex sent (compare it with :class:`ClaimStatus`, a ``StrEnum``),
absent fields become ``None``, and every object keeps ``raw`` for whatever is not modelled here.
Money stays a :class:`~decimal.Decimal` (Yandex sends decimal strings); points are given as
``lat``/``lon`` although Yandex's arrays are ``[lon, lat]``.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from enum import StrEnum

if t.TYPE_CHECKING:
    from collections.abc import Mapping

Json = t.Any


class ClaimStatus(StrEnum):
    """Claim statuses of cargo-claims v2 (the OpenAPI ``ClaimStatus`` enum plus ``pay_waiting``)."""

    NEW = "new"
    ESTIMATING = "estimating"
    ESTIMATING_FAILED = "estimating_failed"
    READY_FOR_APPROVAL = "ready_for_approval"
    ACCEPTED = "accepted"
    PERFORMER_LOOKUP = "performer_lookup"
    PERFORMER_DRAFT = "performer_draft"
    PERFORMER_FOUND = "performer_found"
    PERFORMER_NOT_FOUND = "performer_not_found"
    PICKUP_ARRIVED = "pickup_arrived"
    READY_FOR_PICKUP_CONFIRMATION = "ready_for_pickup_confirmation"
    PICKUPED = "pickuped"
    DELIVERY_ARRIVED = "delivery_arrived"
    READY_FOR_DELIVERY_CONFIRMATION = "ready_for_delivery_confirmation"
    PAY_WAITING = "pay_waiting"
    DELIVERED = "delivered"
    DELIVERED_FINISH = "delivered_finish"
    RETURNING = "returning"
    RETURN_ARRIVED = "return_arrived"
    READY_FOR_RETURN_CONFIRMATION = "ready_for_return_confirmation"
    RETURNED = "returned"
    RETURNED_FINISH = "returned_finish"
    FAILED = "failed"
    CANCELLED = "cancelled"
    CANCELLED_WITH_PAYMENT = "cancelled_with_payment"
    CANCELLED_BY_TAXI = "cancelled_by_taxi"
    CANCELLED_WITH_ITEMS_ON_HANDS = "cancelled_with_items_on_hands"


#: Statuses after which the claim never moves again (the brief's "treat the claim as closed" list).
CLOSED_STATUSES: frozenset[str] = frozenset(
    {
        ClaimStatus.DELIVERED_FINISH,
        ClaimStatus.RETURNED_FINISH,
        ClaimStatus.FAILED,
        ClaimStatus.CANCELLED,
        ClaimStatus.CANCELLED_WITH_PAYMENT,
        ClaimStatus.CANCELLED_BY_TAXI,
        ClaimStatus.CANCELLED_WITH_ITEMS_ON_HANDS,
        ClaimStatus.PERFORMER_NOT_FOUND,
    }
)

#: Statuses in which ``claims/accept`` may still be (or become) possible.
BEFORE_ACCEPT: frozenset[str] = frozenset({ClaimStatus.NEW, ClaimStatus.ESTIMATING, ClaimStatus.READY_FOR_APPROVAL})


class VisitStatus(StrEnum):
    """A route point's ``visit_status``."""

    PENDING = "pending"
    ARRIVED = "arrived"
    VISITED = "visited"
    PARTIAL_DELIVERY = "partial_delivery"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ClaimMessage:
    """One entry of ``error_messages`` or ``warnings`` (``source`` is set on some warnings only)."""

    code: str
    message: str
    source: str | None = None

    @classmethod
    def from_json(cls, data: Json) -> ClaimMessage:
        """Read ``{"code", "message"[, "source"]}``; a bare string becomes the code."""
        if isinstance(data, str):
            return cls(code=data, message="")
        if not isinstance(data, dict):
            return cls(code=str(data), message="")
        return cls(code=str(data.get("code", "")), message=str(data.get("message", "")), source=_str(data.get("source")))


@dataclass(frozen=True)
class RoutePoint:
    """One point of a claim as Yandex reports it.

    ``id`` is Yandex's own point id (not the ``point_id`` we sent); match our stops by
    ``external_order_id`` or ``visit_order``. ``visited_at_expected``/``visited_at_actual`` come from
    ``visited_at``.
    """

    id: int | None
    type: str
    visit_order: int | None
    visit_status: str
    external_order_id: str | None
    fullname: str | None
    lat: float | None
    lon: float | None
    contact_name: str | None
    contact_phone: str | None
    visited_at_expected: datetime | None
    visited_at_actual: datetime | None
    return_reasons: tuple[str, ...]
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> RoutePoint:
        """Read one element of ``route_points``."""
        address = _dict(data.get("address"))
        contact = _dict(data.get("contact"))
        visited = _dict(data.get("visited_at"))
        lon, lat = _lon_lat(address.get("coordinates"))
        reasons = data.get("return_reasons") or []
        return cls(
            id=_int(data.get("id")),
            type=str(data.get("type", "")),
            visit_order=_int(data.get("visit_order")),
            visit_status=str(data.get("visit_status", VisitStatus.PENDING.value)),
            external_order_id=_str(data.get("external_order_id")),
            fullname=_str(address.get("fullname")),
            lat=lat,
            lon=lon,
            contact_name=_str(contact.get("name")),
            contact_phone=_str(contact.get("phone")),
            visited_at_expected=_ts(visited.get("expected")),
            visited_at_actual=_ts(visited.get("actual")),
            return_reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
            raw=data,
        )


@dataclass(frozen=True)
class Pricing:
    """``pricing``: the offer while estimating/approving (``price`` is null until estimated), ``final_price`` once finished."""

    offer_id: str | None
    price: Decimal | None
    price_with_vat: Decimal | None
    valid_until: datetime | None
    final_price: Decimal | None
    currency: str | None
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> Pricing:
        """Read ``pricing``."""
        offer = _dict(data.get("offer"))
        rules = _dict(data.get("currency_rules"))
        return cls(
            offer_id=_str(offer.get("offer_id")),
            price=_money(offer.get("price")),
            price_with_vat=_money(offer.get("price_with_vat")),
            valid_until=_ts(offer.get("valid_until")),
            final_price=_money(data.get("final_price")),
            currency=_str(data.get("currency")) or _str(rules.get("code")),
            raw=data,
        )


@dataclass(frozen=True)
class Performer:
    """``performer_info``: who is driving, available from ``performer_found`` on."""

    courier_name: str | None
    legal_name: str | None
    car_model: str | None
    car_number: str | None
    car_color: str | None
    transport_type: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> Performer:
        """Read ``performer_info``."""
        return cls(
            *(
                _str(data.get(name))
                for name in ("courier_name", "legal_name", "car_model", "car_number", "car_color", "transport_type")
            )
        )


@dataclass(frozen=True)
class ClaimState:
    """The short answer of ``claims/accept`` and ``claims/cancel`` (or the same read off a full claim)."""

    id: str
    status: str
    version: int
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> ClaimState:
        """Read ``{id, status, version, …}``."""
        return cls(
            id=str(data.get("id", "")), status=str(data.get("status", "")), version=_int(data.get("version")) or 0, raw=data
        )


@dataclass(frozen=True)
class Claim:
    """A claim as ``claims/create``, ``claims/info`` and ``claims/bulk_info`` return it.

    ``error_messages`` and ``warnings`` arrive inside a 200: an ``estimating_failed`` claim says why
    in ``error_messages``; ``warnings`` (``not_fit_in_car``, ``address_too_far``…) do not stop it.
    ``eta_min`` is Yandex's ``eta`` in minutes.
    """

    id: str
    status: str
    version: int
    route_points: tuple[RoutePoint, ...]
    current_point_id: int | None
    pricing: Pricing | None
    available_cancel_state: str | None
    performer: Performer | None
    eta_min: int | None
    error_messages: tuple[ClaimMessage, ...]
    warnings: tuple[ClaimMessage, ...]
    created_ts: datetime | None
    updated_ts: datetime | None
    last_status_change_ts: datetime | None
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> Claim:
        """Read a claim object."""
        points = [RoutePoint.from_json(p) for p in data.get("route_points") or [] if isinstance(p, dict)]
        pricing = data.get("pricing")
        performer = data.get("performer_info")
        return cls(
            id=str(data.get("id", "")),
            status=str(data.get("status", "")),
            version=_int(data.get("version")) or 0,
            route_points=tuple(points),
            current_point_id=_int(data.get("current_point_id")),
            pricing=Pricing.from_json(pricing) if isinstance(pricing, dict) else None,
            available_cancel_state=_str(data.get("available_cancel_state")),
            performer=Performer.from_json(performer) if isinstance(performer, dict) and performer else None,
            eta_min=_int(data.get("eta")),
            error_messages=tuple(ClaimMessage.from_json(m) for m in data.get("error_messages") or []),
            warnings=tuple(ClaimMessage.from_json(m) for m in data.get("warnings") or []),
            created_ts=_ts(data.get("created_ts")),
            updated_ts=_ts(data.get("updated_ts")),
            last_status_change_ts=_ts(data.get("last_status_change_ts")),
            raw=data,
        )

    @property
    def state(self) -> ClaimState:
        """Id, status and version, as accept and cancel answer them."""
        return ClaimState(id=self.id, status=self.status, version=self.version, raw=self.raw)

    @property
    def is_closed(self) -> bool:
        """Whether the claim has reached a status it never leaves (success, return, cancel, failure)."""
        return self.status in CLOSED_STATUSES

    @property
    def current_point(self) -> RoutePoint | None:
        """The point the courier is heading to or standing at, when Yandex says."""
        return next((p for p in self.route_points if p.id is not None and p.id == self.current_point_id), None)

    def point_for(self, external_order_id: str) -> RoutePoint | None:
        """The destination carrying our ``external_order_id`` (a reader's stop), if any."""
        return next((p for p in self.route_points if p.external_order_id == external_order_id), None)


@dataclass(frozen=True)
class JournalEvent:
    """One change from ``claims/journal``; ``resolution`` (``success``/``failed``) is set for final statuses only."""

    operation_id: int | None
    claim_id: str
    change_type: str
    updated_ts: datetime | None
    new_status: str | None
    new_price: Decimal | None
    new_currency: str | None
    resolution: str | None
    revision: int | None
    current_point_id: int | None
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> JournalEvent:
        """Read one element of ``events``."""
        return cls(
            operation_id=_int(data.get("operation_id")),
            claim_id=str(data.get("claim_id", "")),
            change_type=str(data.get("change_type", "")),
            updated_ts=_ts(data.get("updated_ts")),
            new_status=_str(data.get("new_status")),
            new_price=_money(data.get("new_price")),
            new_currency=_str(data.get("new_currency")),
            resolution=_str(data.get("resolution")),
            revision=_int(data.get("revision")),
            current_point_id=_int(data.get("current_point_id")),
            raw=data,
        )


@dataclass(frozen=True)
class PriceEstimate:
    """``check-price``: an estimate without a claim; ``eta_min`` is Yandex's ``eta`` in minutes."""

    price: Decimal | None
    currency: str | None
    distance_m: float | None
    eta_min: int | None
    zone_id: str | None
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> PriceEstimate:
        """Read the ``check-price`` answer."""
        rules = _dict(data.get("currency_rules"))
        return cls(
            price=_money(data.get("price")),
            currency=_str(rules.get("code")),
            distance_m=_float(data.get("distance_meters")),
            eta_min=_int(data.get("eta")),
            zone_id=_str(data.get("zone_id")),
            raw=data,
        )


@dataclass(frozen=True)
class CancelInfo:
    """``claims/cancel-info``: ``cancel_state`` is ``free``, ``paid`` or ``unavailable``."""

    cancel_state: str
    price: Decimal | None
    price_with_vat: Decimal | None
    currency: str | None
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> CancelInfo:
        """Read the ``claims/cancel-info`` answer."""
        return cls(
            cancel_state=str(data.get("cancel_state", "")),
            price=_money(data.get("price")),
            price_with_vat=_money(data.get("price_with_vat")),
            currency=_str(data.get("currency")),
            raw=data,
        )


@dataclass(frozen=True)
class TrackingLink:
    """One point of ``claims/tracking-links``; give a ``destination``'s ``sharing_link`` to its reader."""

    point_id: int | None
    type: str
    visit_order: int | None
    sharing_link: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> TrackingLink:
        """Read one element of ``route_points``."""
        return cls(
            point_id=_int(data.get("id")),
            type=str(data.get("type", "")),
            visit_order=_int(data.get("visit_order")),
            sharing_link=_str(data.get("sharing_link")),
        )


@dataclass(frozen=True)
class PerformerPosition:
    """``claims/performer-position``: where the courier is (degrees), at ``timestamp``, moving at ``speed_mps``."""

    lat: float
    lon: float
    timestamp: datetime | None
    speed_mps: float | None
    direction_deg: float | None
    accuracy_m: float | None
    raw: Mapping[str, Json] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> PerformerPosition:
        """Read ``{"position": {lat, lon, timestamp, speed, direction, accuracy}}``."""
        position = _dict(data.get("position"))
        stamp = position.get("timestamp")
        return cls(
            lat=_float(position.get("lat")) or 0.0,
            lon=_float(position.get("lon")) or 0.0,
            timestamp=datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int | float) else _ts(stamp),
            speed_mps=_float(position.get("speed")),
            direction_deg=_float(position.get("direction")),
            accuracy_m=_float(position.get("accuracy")),
            raw=data,
        )


# --- lenient readers ------------------------------------------------------------------------------


def _dict(value: Json) -> dict[str, Json]:
    return value if isinstance(value, dict) else {}


def _str(value: Json) -> str | None:
    return None if value is None else str(value)


def _int(value: Json) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _float(value: Json) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _money(value: Json) -> Decimal | None:
    """A decimal string such as ``"1500.00"`` (numbers are accepted too, through ``str`` so no float error creeps in)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _ts(value: Json) -> datetime | None:
    """An ISO 8601 timestamp; one without an offset is taken as UTC (Yandex writes offsets, this is only a safeguard)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _lon_lat(value: Json) -> tuple[float | None, float | None]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return _float(value[0]), _float(value[1])
    return None, None
