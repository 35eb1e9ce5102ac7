"""How claims look on the wire: the ``claims/info`` object, the short state after accept or cancel, the courier's place."""

from __future__ import annotations

import typing as t
from datetime import timedelta

from integrations.yandex.models import ClaimStatus as S
from integrations.yandex.models import VisitStatus
from integrations.yandex.standin.geo import route_m
from integrations.yandex.standin.pricing import VAT
from integrations.yandex.standin.pricing import currency_rules
from integrations.yandex.standin.pricing import eta_min
from integrations.yandex.standin.pricing import money
from integrations.yandex.standin.statuses import AT_DOOR
from integrations.yandex.standin.statuses import cancel_state

if t.TYPE_CHECKING:
    from integrations.yandex.standin.records import Claim
    from integrations.yandex.standin.records import Point
    from integrations.yandex.standin.wire import Json

#: Body fields a claim shows back as they were sent.
_ECHOED = (
    "client_requirements",
    "same_day_data",
    "emergency_contact",
    "callback_properties",
    "comment",
    "due",
    "skip_client_notify",
)


def claim_json(claim: Claim) -> dict[str, Json]:
    """The claim as ``claims/info`` shows it."""
    body = claim.body
    pricing: dict[str, Json] = {}
    if claim.price is not None:
        valid_until = (claim.ready_since or claim.created) + timedelta(minutes=10)
        pricing = {
            "offer": {
                "offer_id": f"offer-{claim.id[:12]}",
                "price": money(claim.price),
                "price_with_vat": money(claim.price * VAT),
                "valid_until": valid_until.isoformat(),
            },
            "currency": "KZT",
            "currency_rules": currency_rules(),
        }
        if claim.final_price is not None:
            pricing["final_price"] = money(claim.final_price)
    out: dict[str, Json] = {
        "id": claim.id,
        "corp_client_id": "simulator",
        "status": claim.status,
        "version": claim.version,
        "user_request_revision": str(claim.version),
        "items": body["items"],
        "route_points": [_point_json(p) for p in claim.points],
        "current_point_id": claim.current_point_id,
        "available_cancel_state": cancel_state(claim.status),
        "pricing": pricing,
        "error_messages": claim.error_messages,
        "warnings": claim.warnings,
        "optional_return": bool(body.get("optional_return", False)),
        "created_ts": claim.created.isoformat(),
        "updated_ts": (claim.updated or claim.created).isoformat(),
        "last_status_change_ts": (claim.last_status_change or claim.created).isoformat(),
        "revision": claim.version,
    }
    if claim.price is not None:
        out["eta"] = eta_min(route_m(claim.driven))
    if claim.performer is not None:
        out["performer_info"] = claim.performer
    for key in _ECHOED:
        if key in body:
            out[key] = body[key]
    return out


def state_json(claim: Claim) -> dict[str, Json]:
    """What ``claims/accept`` and ``claims/cancel`` answer: the claim's new status and version."""
    return {
        "id": claim.id,
        "status": claim.status,
        "version": claim.version,
        "user_request_revision": str(claim.version),
        "skip_client_notify": bool(claim.body.get("skip_client_notify", False)),
    }


def courier_lon_lat(claim: Claim) -> tuple[float, float]:
    """At the current point when standing there, half-way to it when driving."""
    target = claim.current or claim.source
    lon, lat = target.lon_lat
    if claim.status in (
        S.PICKUP_ARRIVED,
        S.READY_FOR_PICKUP_CONFIRMATION,
        S.RETURN_ARRIVED,
        S.READY_FOR_RETURN_CONFIRMATION,
        *AT_DOOR,
    ):
        return lon, lat
    done = [p for p in claim.points if p.visit_status in (VisitStatus.VISITED, VisitStatus.SKIPPED)]
    start_lon, start_lat = done[-1].lon_lat if done else (lon + 0.02, lat + 0.01)
    return (start_lon + lon) / 2, (start_lat + lat) / 2


def _point_json(point: Point) -> dict[str, Json]:
    visited: dict[str, Json] = {}
    if point.expected is not None:
        visited["expected"] = point.expected.isoformat()
        visited["expected_waiting_time_sec"] = 600
    if point.actual is not None:
        visited["actual"] = point.actual.isoformat()
    out: dict[str, Json] = {
        "id": point.id,
        "type": point.type,
        "visit_order": point.visit_order,
        "visit_status": point.visit_status,
        "contact": point.contact,
        "address": point.address,
        "skip_confirmation": point.skip_confirmation,
        "visited_at": visited,
        "return_reasons": point.return_reasons,
    }
    if point.external_order_id is not None:
        out["external_order_id"] = point.external_order_id
    return out
