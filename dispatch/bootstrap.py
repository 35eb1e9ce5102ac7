"""Wires settings, database, service area and calendar together, once, for every entry point."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

from dispatch import db
from dispatch.config import Settings
from dispatch.domain.scheduling import WorkCalendar
from dispatch.domain.service_area import ServiceArea
from dispatch.geocoding import make_geocoder
from dispatch.models import utcnow
from dispatch.uow import UnitOfWork

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.orm import sessionmaker

    from routing.geocoding import AddressGeocoder


@dataclass
class Context:
    """What services need besides their arguments: rules, the database, a clock and the geocoder (if on)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    area: ServiceArea
    calendar: WorkCalendar
    clock: Callable[[], datetime] = field(default=utcnow)
    geocoder: AddressGeocoder | None = None

    def uow(self) -> UnitOfWork:
        """A fresh unit of work on this context's database; jobs it records are handed over on commit."""
        return UnitOfWork(self.sessions, after_commit=self._hand_over)

    def _hand_over(self, keys: list[str]) -> None:
        from dispatch.jobs.tasks import hand_over  # jobs import the services, which import this module

        hand_over(self, keys)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, migrate: bool = True, **engine_options: t.Any) -> Context:
    """Build a :class:`Context`; with ``migrate`` the schema is created or upgraded first."""
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
