"""The context services run in: settings, database, rules and a clock, with a hook for the jobs a commit records."""

from __future__ import annotations

import functools
import typing as t
from dataclasses import dataclass
from dataclasses import field

from dispatch.models import utcnow
from dispatch.uow import UnitOfWork

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.orm import sessionmaker

    from dispatch.config import Settings
    from dispatch.domain.scheduling import WorkCalendar
    from dispatch.domain.service_area import ServiceArea
    from routing.geocoding import AddressGeocoder


@dataclass
class Context:
    """What services need besides their arguments: rules, the database, a clock and the geocoder (if on).

    ``after_commit`` is set by :func:`dispatch.jobs.handover.connect`: the jobs package hands the jobs
    a commit recorded to RQ, so this module never imports the jobs (which import every service).
    """

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    area: ServiceArea
    calendar: WorkCalendar
    clock: Callable[[], datetime] = field(default=utcnow)
    geocoder: AddressGeocoder | None = None
    after_commit: Callable[[Context, list[str]], object] | None = None

    def uow(self) -> UnitOfWork:
        """A fresh unit of work on this context's database; jobs it records are handed over on commit."""
        hook = functools.partial(self.after_commit, self) if self.after_commit else None
        return UnitOfWork(self.sessions, after_commit=hook)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
