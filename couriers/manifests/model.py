"""A courier's manifest as plain data: the JSON, the PDF and the mobile page are all drawn from it."""

from __future__ import annotations

import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field


@dataclass(frozen=True)
class ManifestItem:
    """One copy to hand over or collect, as the courier sees it on the shelf and on the label."""

    barcode: str
    title: str
    author: str = ""


@dataclass(frozen=True)
class LoadGroup:
    """The books of one stop, loaded together at the branch (``stop_number`` matches a stop's ``number``)."""

    stop_number: int
    reader_name: str
    items: tuple[ManifestItem, ...]


@dataclass(frozen=True)
class ManifestStop:
    """One reader's door, in route order, with everything the courier needs there.

    Times are local clock times (``HH:MM``). ``kind`` is ``delivery`` (hand over ``items``) or
    ``return_pickup`` (collect ``items``). ``branch_visit`` stops (the courier comes back to the branch
    to reload or unload mid-route) carry no reader and list what to load in ``items``.
    """

    number: int
    kind: str
    request_id: str
    eta: str
    window: str
    reader_name: str
    phone: str | None
    address: str
    entrance: str | None
    floor: str | None
    flat: str | None
    door_code: str | None
    access_notes: tuple[str, ...]
    items: tuple[ManifestItem, ...]
    lat: float
    lon: float
    navigation: dict[str, str] = field(default_factory=dict)
    """Links that open the stop in navigation apps, by app name (``2gis``, ``yandex_maps``)."""
    status: str = ""
    request_number: int | None = None
    """The request's number as the reader's SMS gives it ("заявка №10234"), to quote on the phone."""


@dataclass(frozen=True)
class Manifest:
    """One route: who drives it, where it starts, what to load, and its stops in order."""

    route_id: int
    plan_version: int
    service_date: str
    branch_code: str
    branch_name: str
    branch_address: str
    branch_phone: str | None
    courier: str
    carrier: str
    start: str
    end: str
    distance_km: float
    load: tuple[LoadGroup, ...]
    stops: tuple[ManifestStop, ...]
    language: str = "ru"

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)
