"""Wires settings, database, service area and calendar together, once, for every entry point."""

from __future__ import annotations

import typing as t

from dispatch import db
from dispatch.config import Settings
from dispatch.context import Context
from dispatch.domain.scheduling import WorkCalendar
from dispatch.domain.service_area import ServiceArea
from dispatch.geocoding import make_geocoder


def bootstrap(settings: Settings | None = None, *, migrate: bool = True, **engine_options: t.Any) -> Context:
    """Build a :class:`Context` (no job hand-over: see :func:`dispatch.jobs.handover.start`); ``migrate`` upgrades the schema first."""
    settings = settings or Settings.from_env()
    if migrate:
        db.upgrade(settings.database_url)
    engine = db.make_engine(settings.database_url, **engine_options)
    sessions = db.session_factory(engine)
    area = ServiceArea.from_geojson(settings.service_area_path)
    return Context(
        settings=settings,
        engine=engine,
        sessions=sessions,
        area=area,
        calendar=WorkCalendar(settings.schedule),
        geocoder=make_geocoder(settings.geocoding, area, sessions),
    )
