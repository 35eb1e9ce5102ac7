"""Turn a planned route into ``claims/create`` bodies: one claim per delivery route, one claim per reader for returns.

Deliveries: the branch is the single ``source`` (visit 1) and the readers are ``destination``
points in the planned order (visits 2, 3, …), each carrying our request id as
``external_order_id`` and its own items (``pickup_point`` = the branch, ``dropoff_point`` = that
reader). Yandex adds the ``return`` point itself and by default it equals the source, so books a
reader could not take go back to the branch. ``optional_return`` is always false: when true the
courier may keep the goods of a cancelled claim, which must never happen to library books.

Returns: **one claim per reader**, the reader's home as ``source`` and the branch as
``destination``. Why not one claim collecting from every reader of a route: the API brief documents
a multi-point claim as one source plus up to N destinations (§4.4, §7), with ``type`` per point
``source|destination|return`` and the return point defaulting to *the* source; nothing in it (or in
Yandex's own API pages we could search) says a claim may have several sources, how the SMS codes and
the automatic return point would work with them, or whether our Almaty cabinet's ``courier`` class
has it. The only mention of several senders we found is a Yandex Pro help page written for couriers
(Bishkek), which does not say how the B2B API creates such orders. Until Yandex confirms it, a
multi-source claim risks a 400 at dispatch time or, worse, a courier app that handles it in a way we
did not test. One claim per reader costs a call-out per reader but always works; the automatic
return point (the reader's home) also means books the branch could not take go back to the reader
rather than stay with the courier. Revisit when the manager confirms multi-pickup claims.

Money is kept as integer tiyn and written as Yandex's decimal strings (``"1500.00"``); phones are
written in E.164 (``+77011234567``); coordinates go out as ``[lon, lat]`` although every dataclass
here names ``lat`` and ``lon`` separately, so the swap that Yandex answers with ``unknown_zone``
cannot happen by accident.
"""

from __future__ import annotations

import math
import typing as t
import uuid
from dataclasses import dataclass

import phonenumbers

from integrations.yandex.errors import InvalidClaimDataError

if t.TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

CURRENCY = "KZT"
MAX_ROUTE_POINTS = 300
#: Readers per delivery claim: 300 points less the branch and the return point Yandex adds (which may count).
MAX_STOPS = MAX_ROUTE_POINTS - 2
MAX_TEXT = 7000
MAX_EXTERNAL_ID = 512
#: Namespace of :func:`claim_request_id`; fixed so the same delivery attempt always gets the same id.
REQUEST_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "almaty-library-dispatch:yandex-claims")

Body = dict[str, t.Any]


@dataclass(frozen=True)
class Contact:
    """Who answers the phone at a point. ``phone`` in any form :mod:`phonenumbers` reads for the region (``8 701 …`` too)."""

    name: str
    phone: str
    email: str | None = None


@dataclass(frozen=True)
class Address:
    """Where a point is: ``fullname`` is city, street and house; flat, entrance, floor and door code go apart.

    ``lat``/``lon`` in degrees (WGS 84). ``comment`` is the access note for the courier (ramp, lift,
    intercom, "ring twice"), up to 7000 characters.
    """

    fullname: str
    lat: float
    lon: float
    flat: str | None = None
    entrance: str | None = None
    floor: str | None = None
    door_code: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Size:
    """Outer size of a parcel in metres (the ``courier`` class takes up to 0.80 × 0.50 × 0.50)."""

    length_m: float
    width_m: float
    height_m: float


@dataclass(frozen=True)
class ItemForClaim:
    """One parcel line: ``cost_tiyn`` is the value **per unit** in tiyn (for Yandex's insurance), ``weight_kg`` per unit.

    Leaving out ``size``/``weight_kg`` makes Yandex assume the tariff's maximum, and a courier may
    then refuse on site with the call-out still charged: give them when known.
    """

    title: str
    cost_tiyn: int
    quantity: int = 1
    weight_kg: float | None = None
    size: Size | None = None


@dataclass(frozen=True)
class StopForClaim:
    """A reader's stop: ``external_order_id`` is our request id; ``due`` (aware) is used for a return pickup's own claim."""

    external_order_id: str
    contact: Contact
    address: Address
    items: tuple[ItemForClaim, ...]
    due: datetime | None = None


@dataclass(frozen=True)
class RouteForClaim:
    """A planned route from one branch: ``stops`` in planned visiting order, ``due`` (aware) the courier's wanted arrival at the branch."""

    branch_contact: Contact
    branch_address: Address
    stops: tuple[StopForClaim, ...]
    due: datetime | None = None
    comment: str | None = None


def delivery_claim_body(
    route: RouteForClaim,
    *,
    taxi_class: str = "courier",
    emergency_contact: Contact | None = None,
    callback_url: str | None = None,
    confirm_at_door: bool = False,
    skip_client_notify: bool | None = None,
    same_day_interval: tuple[datetime, datetime] | None = None,
    region: str = "KZ",
) -> Body:
    """The ``claims/create`` body taking a route's books from the branch to its readers.

    Parameters
    ----------
    route
        The branch, then the readers in planned order (1 to :data:`MAX_STOPS`).
    taxi_class
        ``client_requirements.taxi_class``: ``courier`` (books fit it), ``express`` or ``cargo``.
    emergency_contact
        The library's duty phone for the courier; the branch contact when not given.
    callback_url
        Where Yandex pushes "claim changed"; it must end in ``?`` or ``&`` because Yandex appends
        ``updated_ts=…&claim_id=…`` by plain concatenation. Put an unguessable token in it.
    confirm_at_door
        ``False`` skips Yandex's SMS code at the readers' doors (``skip_confirmation``); ``True``
        makes each reader tell the courier a code, a proof of delivery at the cost of friction.
    skip_client_notify
        Sent only when given: ``True`` stops Yandex's own SMS to readers (and tracking links).
    same_day_interval
        Aware ``(from, to)``: order Yandex's same-day delivery (``same_day_data``) instead of a
        ``taxi_class``; every item then needs a size and a weight.
    region
        Region for reading phones written without ``+``.
    """
    if not route.stops:
        msg = "a delivery claim needs at least one stop"
        raise InvalidClaimDataError(msg)
    if len(route.stops) > MAX_STOPS:
        msg = f"a claim takes at most {MAX_STOPS} stops, this route has {len(route.stops)}: split it"
        raise InvalidClaimDataError(msg)
    _unique_ids(route.stops)
    points = [
        _point(1, "source", route.branch_contact, route.branch_address, skip_confirmation=True, region=region, where="branch")
    ]
    items: list[Body] = []
    for point_id, stop in enumerate(route.stops, start=2):
        where = f"stop {stop.external_order_id}"
        points.append(
            _point(
                point_id,
                "destination",
                stop.contact,
                stop.address,
                skip_confirmation=not confirm_at_door,
                external_order_id=stop.external_order_id,
                region=region,
                where=where,
            )
        )
        items.extend(_items(stop.items, pickup_point=1, dropoff_point=point_id, extra_id=stop.external_order_id, where=where))
    return _body(
        points,
        items,
        due=route.due,
        comment=route.comment,
        taxi_class=taxi_class,
        emergency_contact=emergency_contact or route.branch_contact,
        callback_url=callback_url,
        skip_client_notify=skip_client_notify,
        same_day_interval=same_day_interval,
        region=region,
    )


def return_claim_body(
    stop: StopForClaim,
    *,
    branch_contact: Contact,
    branch_address: Address,
    due: datetime | None = None,
    comment: str | None = None,
    taxi_class: str = "courier",
    emergency_contact: Contact | None = None,
    callback_url: str | None = None,
    confirm_at_door: bool = False,
    skip_client_notify: bool | None = None,
    same_day_interval: tuple[datetime, datetime] | None = None,
    region: str = "KZ",
) -> Body:
    """The ``claims/create`` body collecting one reader's books and bringing them to the branch.

    The reader's home is the ``source`` and the branch the ``destination`` (carrying
    ``external_order_id``, as Yandex wants it on destinations). ``due`` (the stop's own when not
    given) is the courier's wanted arrival at the reader. ``confirm_at_door`` asks the reader for a
    code at pickup. The other parameters are those of :func:`delivery_claim_body`.
    """
    where = f"return {stop.external_order_id}"
    _check_external_id(stop.external_order_id, where)
    points = [
        _point(1, "source", stop.contact, stop.address, skip_confirmation=not confirm_at_door, region=region, where=where),
        _point(
            2,
            "destination",
            branch_contact,
            branch_address,
            skip_confirmation=True,
            external_order_id=stop.external_order_id,
            region=region,
            where="branch",
        ),
    ]
    items = _items(stop.items, pickup_point=1, dropoff_point=2, extra_id=stop.external_order_id, where=where)
    return _body(
        points,
        items,
        due=due if due is not None else stop.due,
        comment=comment,
        taxi_class=taxi_class,
        emergency_contact=emergency_contact or branch_contact,
        callback_url=callback_url,
        skip_client_notify=skip_client_notify,
        same_day_interval=same_day_interval,
        region=region,
    )


def return_claim_bodies(
    route: RouteForClaim,
    *,
    taxi_class: str = "courier",
    emergency_contact: Contact | None = None,
    callback_url: str | None = None,
    confirm_at_door: bool = False,
    skip_client_notify: bool | None = None,
    region: str = "KZ",
) -> dict[str, Body]:
    """One return claim body per stop of a route of return pickups, keyed by ``external_order_id``, in planned order.

    Each stop's own ``due`` is used, else the route's. Every body needs its own ``request_id``
    (:func:`claim_request_id` with the stop's id).
    """
    _unique_ids(route.stops)
    return {
        stop.external_order_id: return_claim_body(
            stop,
            branch_contact=route.branch_contact,
            branch_address=route.branch_address,
            due=stop.due if stop.due is not None else route.due,
            comment=route.comment,
            taxi_class=taxi_class,
            emergency_contact=emergency_contact,
            callback_url=callback_url,
            confirm_at_door=confirm_at_door,
            skip_client_notify=skip_client_notify,
            region=region,
        )
        for stop in route.stops
    }


def claim_request_id(kind: str, key: str | int, attempt: int = 1) -> str:
    """A ``request_id`` that is the same for the same claim attempt and new for the next one.

    ``uuid5`` of ``"{kind}:{key}:{attempt}"``, e.g. ``claim_request_id("route", 42, 1)``. A retry
    after a 5xx or a timeout must reuse it (Yandex then answers with the claim already made); a new
    claim for the same route (after a cancel or a failure) must raise ``attempt``.
    """
    if attempt < 1:
        msg = f"attempt counts from 1, not {attempt}"
        raise ValueError(msg)
    return str(uuid.uuid5(REQUEST_ID_NAMESPACE, f"{kind}:{key}:{attempt}"))


def e164(phone: str, *, region: str = "KZ") -> str:
    """``phone`` in E.164 (``+77011234567``), as Yandex requires; :class:`InvalidClaimDataError` when it is no valid number."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException as e:
        msg = f"{phone!r} is not a phone number: {e}"
        raise InvalidClaimDataError(msg) from e
    if not phonenumbers.is_valid_number(number):
        msg = f"{phone!r} is not a valid phone number"
        raise InvalidClaimDataError(msg)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def cost_value(tiyn: int) -> str:
    """Tiyn as Yandex's decimal string: ``150000`` -> ``"1500.00"``."""
    if tiyn < 0:
        msg = f"a cost cannot be negative ({tiyn} tiyn)"
        raise InvalidClaimDataError(msg)
    return f"{tiyn // 100}.{tiyn % 100:02d}"


# --- pieces ----------------------------------------------------------------------------------------


def _body(
    points: list[Body],
    items: list[Body],
    *,
    due: datetime | None,
    comment: str | None,
    taxi_class: str,
    emergency_contact: Contact,
    callback_url: str | None,
    skip_client_notify: bool | None,
    same_day_interval: tuple[datetime, datetime] | None,
    region: str,
) -> Body:
    body: Body = {"items": items, "route_points": points}
    if same_day_interval is None:
        if not taxi_class:
            msg = "taxi_class is required unless same-day delivery is ordered"
            raise InvalidClaimDataError(msg)
        body["client_requirements"] = {"taxi_class": taxi_class}
    else:
        start, end = same_day_interval
        if not start < end:
            msg = "the same-day interval must end after it starts"
            raise InvalidClaimDataError(msg)
        if any("size" not in item or "weight" not in item for item in items):
            msg = "same-day delivery needs a size and a weight for every item"
            raise InvalidClaimDataError(msg)
        body["same_day_data"] = {"delivery_interval": {"from": _iso(start, "same-day from"), "to": _iso(end, "same-day to")}}
    body["emergency_contact"] = {
        "name": _name(emergency_contact, "emergency contact"),
        "phone": e164(emergency_contact.phone, region=region),
    }
    body["optional_return"] = False
    if due is not None:
        body["due"] = _iso(due, "due")
    if comment:
        body["comment"] = _text(comment, "claim comment")
    if callback_url is not None:
        body["callback_properties"] = {"callback_url": _callback(callback_url)}
    if skip_client_notify is not None:
        body["skip_client_notify"] = skip_client_notify
    return body


def _point(
    point_id: int,
    kind: str,
    contact: Contact,
    address: Address,
    *,
    skip_confirmation: bool,
    region: str,
    where: str,
    external_order_id: str | None = None,
) -> Body:
    point: Body = {
        "point_id": point_id,
        "visit_order": point_id,
        "type": kind,
        "skip_confirmation": skip_confirmation,
        "contact": _contact(contact, region=region, where=where),
        "address": _address(address, where=where),
    }
    if external_order_id is not None:
        point["external_order_id"] = _check_external_id(external_order_id, where)
    return point


def _contact(contact: Contact, *, region: str, where: str) -> Body:
    try:
        phone = e164(contact.phone, region=region)
    except InvalidClaimDataError as e:
        msg = f"{where}: {e}"
        raise InvalidClaimDataError(msg) from e
    out: Body = {"name": _name(contact, where), "phone": phone}
    if contact.email:
        out["email"] = contact.email
    return out


def _address(address: Address, *, where: str) -> Body:
    if not address.fullname.strip():
        msg = f"{where}: the address has no fullname"
        raise InvalidClaimDataError(msg)
    if not (
        math.isfinite(address.lat) and math.isfinite(address.lon) and -90 <= address.lat <= 90 and -180 <= address.lon <= 180
    ):
        msg = f"{where}: ({address.lat}, {address.lon}) is not a latitude and longitude"
        raise InvalidClaimDataError(msg)
    out: Body = {"fullname": address.fullname.strip(), "coordinates": [address.lon, address.lat]}
    for key, value in (
        ("sflat", address.flat),
        ("porch", address.entrance),
        ("sfloor", address.floor),
        ("door_code", address.door_code),
    ):
        if value:
            out[key] = value
    if address.comment:
        out["comment"] = _text(address.comment, f"{where} comment")
    return out


def _items(items: Sequence[ItemForClaim], *, pickup_point: int, dropoff_point: int, extra_id: str, where: str) -> list[Body]:
    if not items:
        msg = f"{where}: no items (Yandex refuses a point with nothing to hand over)"
        raise InvalidClaimDataError(msg)
    out = []
    for item in items:
        if not item.title.strip():
            msg = f"{where}: an item has no title"
            raise InvalidClaimDataError(msg)
        if item.quantity < 1:
            msg = f"{where}: quantity must be at least 1, not {item.quantity}"
            raise InvalidClaimDataError(msg)
        entry: Body = {
            "title": item.title.strip(),
            "quantity": item.quantity,
            "cost_value": cost_value(item.cost_tiyn),
            "cost_currency": CURRENCY,
            "pickup_point": pickup_point,
            "dropoff_point": dropoff_point,
            "extra_id": extra_id,
        }
        if item.weight_kg is not None:
            if not (math.isfinite(item.weight_kg) and item.weight_kg >= 0):
                msg = f"{where}: weight {item.weight_kg} kg is not a weight"
                raise InvalidClaimDataError(msg)
            entry["weight"] = item.weight_kg
        if item.size is not None:
            sides = (item.size.length_m, item.size.width_m, item.size.height_m)
            if not all(math.isfinite(side) and 0 <= side <= 500 for side in sides):
                msg = f"{where}: size {sides} m is out of 0..500 m"
                raise InvalidClaimDataError(msg)
            entry["size"] = {"length": sides[0], "width": sides[1], "height": sides[2]}
        out.append(entry)
    return out


def _name(contact: Contact, where: str) -> str:
    if not contact.name.strip():
        msg = f"{where}: the contact has no name"
        raise InvalidClaimDataError(msg)
    return contact.name.strip()


def _iso(moment: datetime, what: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"{what} must carry a time zone (Asia/Almaty), got {moment.isoformat()}"
        raise InvalidClaimDataError(msg)
    return moment.isoformat()


def _text(text: str, what: str) -> str:
    if len(text) > MAX_TEXT:
        msg = f"{what} is {len(text)} characters, Yandex takes {MAX_TEXT}"
        raise InvalidClaimDataError(msg)
    return text


def _callback(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        msg = f"callback_url must be http or https: {url!r}"
        raise InvalidClaimDataError(msg)
    if not url.endswith(("?", "&")):
        msg = f"callback_url must end in '?' or '&' (Yandex appends its parameters as they are): {url!r}"
        raise InvalidClaimDataError(msg)
    return url


def _check_external_id(value: str, where: str) -> str:
    if not value or len(value) > MAX_EXTERNAL_ID:
        msg = f"{where}: external_order_id must be 1 to {MAX_EXTERNAL_ID} characters"
        raise InvalidClaimDataError(msg)
    return value


def _unique_ids(stops: Sequence[StopForClaim]) -> None:
    seen: set[str] = set()
    for stop in stops:
        if stop.external_order_id in seen:
            msg = f"external_order_id {stop.external_order_id!r} appears twice in one route"
            raise InvalidClaimDataError(msg)
        seen.add(stop.external_order_id)
