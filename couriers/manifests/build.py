"""Build a route's :class:`Manifest` from the stored plan, with the reader's door details and navigation links."""

from __future__ import annotations

import typing as t
from zoneinfo import ZoneInfo

from sqlalchemy import select

from couriers.manifests.model import LoadGroup
from couriers.manifests.model import Manifest
from couriers.manifests.model import ManifestItem
from couriers.manifests.model import ManifestStop
from dispatch.domain.statuses import StaffRole
from dispatch.errors import NotFound
from dispatch.labels import label
from dispatch.models import Item
from dispatch.models import PlanRoute
from dispatch.staff import accounts as staff

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from dispatch.models import PlanStop

READER_KINDS = ("delivery", "return_pickup")
NO_LIFT: dict[str, str] = {"ru": "без лифта, этаж {floor}", "kk": "лифт жоқ, {floor}-қабат", "en": "no lift, floor {floor}"}


def navigation_links(lat: float, lon: float) -> dict[str, str]:
    """Open the point in 2GIS or Yandex Maps with a route from where the courier stands."""
    return {
        "2gis": f"https://2gis.kz/almaty/directions/points/%7C{lon:.6f}%2C{lat:.6f}",
        "yandex_maps": f"https://yandex.kz/maps/?rtext=~{lat:.6f}%2C{lon:.6f}&rtt=auto",
    }


def build_manifest(ctx: Context, route_id: int, *, language: str = "ru") -> Manifest:
    """The manifest of one stored route."""
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    with ctx.uow() as uow:
        route = uow.session.get(PlanRoute, route_id)
        if route is None:
            raise NotFound(what="route", id=route_id)
        return _manifest(uow.session, route, zone, language)


def _items(session: Session, barcodes: list[str]) -> tuple[ManifestItem, ...]:
    found = {item.barcode: item for item in session.scalars(select(Item).where(Item.barcode.in_(barcodes)))}
    return tuple(
        ManifestItem(code, found[code].title if code in found else "", found[code].author if code in found else "")
        for code in barcodes
    )


def _manifest(session: Session, route: PlanRoute, zone: ZoneInfo, language: str) -> Manifest:
    branch = route.plan.branch
    stops: list[ManifestStop] = []
    number = 0
    numbers: dict[int, int] = {}
    for stop in route.stops:
        if stop.kind in READER_KINDS:
            number += 1
            assert stop.request_id is not None
            numbers[stop.request_id] = number
            stops.append(_reader_stop(session, stop, number, zone, language))
    load: list[LoadGroup] = []
    for stop in route.stops:
        if stop.kind == "branch" and stop.items.get("load"):
            for reader_stop in stops:
                if reader_stop.kind == "delivery" and _loaded_here(stop, reader_stop):
                    load.append(LoadGroup(reader_stop.number, reader_stop.reader_name, reader_stop.items))
            break
    courier = route.courier.full_name if route.courier else label("carrier", route.carrier.value, language)
    return Manifest(
        route_id=route.id,
        plan_version=route.plan.version,
        service_date=route.plan.service_date.isoformat(),
        branch_code=branch.code,
        branch_name=branch.name,
        branch_address=branch.address,
        branch_phone=branch.phone,
        courier=courier,
        carrier=route.carrier.value,
        start=f"{route.start_at.astimezone(zone):%H:%M}",
        end=f"{route.end_at.astimezone(zone):%H:%M}",
        distance_km=round(route.distance_m / 1000, 1),
        load=tuple(load),
        stops=tuple(_with_branch_visits(session, route, stops, zone)),
        language=language,
    )


def _loaded_here(branch_stop: PlanStop, reader_stop: ManifestStop) -> bool:
    loaded = set(branch_stop.items.get("load", []))
    return any(item.barcode in loaded for item in reader_stop.items)


def _reader_stop(session: Session, stop: PlanStop, number: int, zone: ZoneInfo, language: str) -> ManifestStop:
    request = stop.request
    assert request is not None
    reader = request.reader
    barcodes = stop.items.get("drop") or stop.items.get("collect") or []
    notes = [line.strip() for line in (reader.access_notes or "").split(";") if line.strip()]
    if reader.has_lift is False and reader.floor:
        notes.append((NO_LIFT.get(language) or NO_LIFT["ru"]).format(floor=reader.floor))
    window = ""
    if stop.window_start and stop.window_end:
        window = f"{stop.window_start.astimezone(zone):%H:%M}-{stop.window_end.astimezone(zone):%H:%M}"
    return ManifestStop(
        number=number,
        kind=stop.kind,
        request_id=request.public_id,
        eta=f"{stop.eta.astimezone(zone):%H:%M}",
        window=window,
        reader_name=reader.full_name,
        phone=reader.phone,
        address=reader.address,
        entrance=reader.entrance,
        floor=reader.floor,
        flat=reader.flat,
        door_code=reader.door_code,
        access_notes=tuple(notes),
        items=_items(session, barcodes),
        lat=stop.lat,
        lon=stop.lon,
        navigation=navigation_links(stop.lat, stop.lon),
        status=stop.outcome or request.status.value,
        request_number=request.id,
    )


def _with_branch_visits(
    session: Session, route: PlanRoute, reader_stops: list[ManifestStop], zone: ZoneInfo
) -> list[ManifestStop]:
    """Reader stops in order, with the mid-route returns to the branch (reload, unload) between them."""
    result: list[ManifestStop] = []
    readers = iter(reader_stops)
    last = len(route.stops) - 1
    for position, stop in enumerate(route.stops):
        if stop.kind in READER_KINDS:
            result.append(next(readers))
        elif stop.kind == "branch" and 0 < position < last:
            barcodes = stop.items.get("load", []) + stop.items.get("unload", [])
            result.append(
                ManifestStop(
                    number=0,
                    kind="branch_visit",
                    request_id="",
                    eta=f"{stop.eta.astimezone(zone):%H:%M}",
                    window="",
                    reader_name="",
                    phone=route.plan.branch.phone,
                    address=route.plan.branch.address,
                    entrance=None,
                    floor=None,
                    flat=None,
                    door_code=None,
                    access_notes=(),
                    items=_items(session, barcodes),
                    lat=stop.lat,
                    lon=stop.lon,
                    navigation=navigation_links(stop.lat, stop.lon),
                )
            )
    return result


def manifest_for(ctx: Context, user: staff.StaffView, route_id: int, *, language: str = "ru") -> Manifest:
    """A route's manifest, for an administrator or dispatcher, or for the courier whose code is their username."""
    staff.require_role(user, staff.ROUTE_VIEWERS)
    with ctx.uow() as uow:
        route = uow.session.get(PlanRoute, route_id)
        if route is None:
            raise NotFound(what="route", id=route_id)
        courier_code = route.courier.code if route.courier else None
    if user.role == StaffRole.COURIER and courier_code != user.username:
        raise staff.AccessDenied()
    return build_manifest(ctx, route_id, language=language)
