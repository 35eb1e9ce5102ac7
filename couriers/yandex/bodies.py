"""``claims/create`` and ``check-price`` bodies for a planned route, from its stops, readers and books.

A route's deliveries become one multi-point claim: the branch as source, the readers as destinations
in the planned order. Each return pickup on the route becomes a claim of its own, from the reader's
home to the branch (one source per claim: see :mod:`integrations.yandex.claims` for why).
"""

from __future__ import annotations

import typing as t

from dispatch.errors import DispatchError
from integrations.yandex.claims import Address
from integrations.yandex.claims import Contact
from integrations.yandex.claims import ItemForClaim
from integrations.yandex.claims import RouteForClaim
from integrations.yandex.claims import Size
from integrations.yandex.claims import StopForClaim
from integrations.yandex.claims import delivery_claim_body
from integrations.yandex.claims import return_claim_body

if t.TYPE_CHECKING:
    from dispatch.config import YandexSettings
    from dispatch.models import Branch
    from dispatch.models import PlanRoute
    from dispatch.models import PlanStop

BOOK_SIZE = Size(length_m=0.25, width_m=0.18, height_m=0.05)
"""A library book as Yandex sizes a parcel (Yandex assumes the tariff's maximum when no size is given)."""
BOOK_G = 500
"""Weight of a book whose record has none."""

Body = dict[str, t.Any]


def delivery_body(route: PlanRoute, settings: YandexSettings, callback_url: str | None) -> Body:
    """The claim taking the route's books from the branch to its readers, in the planned order."""
    branch = route.plan.branch
    stops = tuple(_stop(stop, settings) for stop in route.stops if stop.kind == "delivery")
    if not stops:
        raise DispatchError("yandex_route_empty", route=route.id)
    claim = RouteForClaim(
        branch_contact=_branch_contact(branch, settings),
        branch_address=_branch_address(branch),
        stops=stops,
        due=route.start_at,
        comment=f"{branch.name}: книги библиотеки, маршрут {route.id}",
    )
    return delivery_claim_body(
        claim, taxi_class=settings.taxi_class, emergency_contact=_branch_contact(branch, settings), callback_url=callback_url
    )


def return_body(route: PlanRoute, stop: PlanStop, settings: YandexSettings, callback_url: str | None) -> Body:
    """The claim bringing one reader's books back to the branch, due at the planned time at the reader's door."""
    branch = route.plan.branch
    return return_claim_body(
        _stop(stop, settings),
        branch_contact=_branch_contact(branch, settings),
        branch_address=_branch_address(branch),
        due=stop.eta,
        taxi_class=settings.taxi_class,
        emergency_contact=_branch_contact(branch, settings),
        callback_url=callback_url,
    )


def price_body(claim_body: Body) -> Body:
    """The ``check-price`` body for a ``claims/create`` body: its items, points and tariff."""
    items = [{"quantity": i["quantity"], "size": i.get("size"), "weight": i.get("weight")} for i in claim_body["items"]]
    points = [
        {"coordinates": p["address"]["coordinates"], "fullname": p["address"]["fullname"]}
        for p in sorted(claim_body["route_points"], key=lambda p: p["visit_order"])
    ]
    return {"items": items, "route_points": points, "requirements": claim_body.get("client_requirements", {})}


def _stop(stop: PlanStop, settings: YandexSettings) -> StopForClaim:
    request = stop.request
    if request is None:
        raise DispatchError("yandex_route_empty", route=stop.route_id)
    reader = request.reader
    if not reader.phone:
        raise DispatchError("phone_missing")
    items = tuple(
        ItemForClaim(
            title=f"Книга: {line.item.title}"[:250],
            cost_tiyn=settings.book_value_kzt * 100,
            weight_kg=(line.item.weight_g or BOOK_G) / 1000,
            size=BOOK_SIZE,
        )
        for line in request.lines
    )
    return StopForClaim(
        external_order_id=request.public_id,
        contact=Contact(name=reader.full_name, phone=reader.phone),
        address=Address(
            fullname=reader.address or f"Алматы, {stop.lat:.5f}, {stop.lon:.5f}",
            lat=stop.lat,
            lon=stop.lon,
            flat=reader.flat,
            entrance=reader.entrance,
            floor=reader.floor,
            door_code=reader.door_code,
            comment=reader.access_notes,
        ),
        items=items,
        due=stop.eta,
    )


def _branch_contact(branch: Branch, settings: YandexSettings) -> Contact:
    if not branch.phone:
        raise DispatchError("yandex_branch_phone_missing", branch=branch.code)
    return Contact(name=f"{settings.duty_name} ({branch.name})"[:200], phone=branch.phone, email=branch.email)


def _branch_address(branch: Branch) -> Address:
    return Address(fullname=branch.address or f"Алматы, {branch.name}", lat=branch.lat, lon=branch.lon)
