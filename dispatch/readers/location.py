"""Place a reader's door on the map: the operator picks the point, it must lie inside the service area."""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass

from dispatch.errors import DispatchError
from dispatch.models import AuditEvent
from dispatch.readers.lookup import get_reader

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from dispatch.models import Reader

ENTITY = "reader"


@dataclass(frozen=True)
class Placed:
    """Where the reader's door is now, and where it was."""

    card_number: str
    lat: float
    lon: float
    previous: tuple[float, float] | None


def place_reader(ctx: Context, card_number: str, lat: float, lon: float, *, actor: str) -> Placed:
    """Set the reader's door to (``lat``, ``lon``) in degrees, and record who moved it from where.

    Raises
    ------
    DispatchError
        ``location_invalid`` when the point is not a (lat, lon) in degrees; ``address_outside_area``
        when it lies outside ``ctx.area``. Nothing is changed then.
    UnknownReader
        No reader has the card.
    """
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise DispatchError("location_invalid", lat=lat, lon=lon)
    if not ctx.area.contains(lat, lon):
        raise DispatchError("address_outside_area", area=ctx.area.name)
    with ctx.uow() as uow:
        session = uow.session
        reader = get_reader(session, card_number, lock=True)
        previous = (reader.lat, reader.lon) if reader.lat is not None and reader.lon is not None else None
        reader.lat, reader.lon = round(lat, 7), round(lon, 7)
        details = {"lat": reader.lat, "lon": reader.lon, "previous": list(previous) if previous else None}
        audit_reader(session, reader, "located", "door placed on the map", details, actor=actor)
        placed = Placed(reader.card_number, reader.lat, reader.lon, previous)
        uow.commit()
        return placed


def audit_reader(session: Session, reader: Reader, what: str, reason: str, details: dict[str, t.Any], *, actor: str) -> None:
    """Record a change to where or how the reader's door is reached: the map point, or the door's details."""
    session.add(
        AuditEvent(
            actor=actor,
            entity=ENTITY,
            entity_id=reader.id,
            from_status=None,
            to_status=what,
            reason=reason,
            details=details,
        )
    )
