"""An operator places a reader's door on the map: inside the service area only, and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dispatch.errors import DispatchError
from dispatch.errors import UnknownReader
from dispatch.models import AuditEvent
from dispatch.models import Reader
from dispatch.readers.location import place_reader


def test_a_point_inside_the_area_moves_the_reader_and_is_audited(ctx, world) -> None:
    placed = place_reader(ctx, world.reader, 43.25, 76.93, actor="staff:op")
    assert (placed.lat, placed.lon) == (43.25, 76.93)
    with ctx.uow() as uow:
        reader = uow.session.scalars(select(Reader).where(Reader.card_number == world.reader)).one()
        assert (reader.lat, reader.lon) == (43.25, 76.93)
        event = uow.session.scalars(select(AuditEvent).where(AuditEvent.entity == "reader")).one()
        assert event.entity_id == reader.id and event.actor == "staff:op"
        assert event.details["lat"] == 43.25 and event.details["previous"] == list(placed.previous or [])


@pytest.mark.parametrize(("lat", "lon", "code"), [(51.13, 71.43, "address_outside_area"), (143.0, 76.9, "location_invalid")])
def test_a_point_outside_the_area_changes_nothing(ctx, world, lat, lon, code) -> None:
    with ctx.uow() as uow:
        before = uow.session.scalars(select(Reader.lat).where(Reader.card_number == world.reader)).one()
    with pytest.raises(DispatchError) as caught:
        place_reader(ctx, world.reader, lat, lon, actor="staff:op")
    assert caught.value.code == code
    with ctx.uow() as uow:
        assert uow.session.scalars(select(Reader.lat).where(Reader.card_number == world.reader)).one() == before


def test_an_unknown_card_is_refused(ctx, world) -> None:
    with pytest.raises(UnknownReader):
        place_reader(ctx, "nope", 43.25, 76.93, actor="staff:op")
