"""Geocoding for the domain: the ``geocode_cache`` table as the cache, the configured geocoder, batch look-ups."""

from __future__ import annotations

import typing as t
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from dispatch.models import GeocodeCacheEntry
from dispatch.models import utcnow
from routing.geocoding import AddressGeocoder
from routing.geocoding import CachedAnswer
from routing.geocoding import GeocodeOutcome
from routing.geocoding import Place
from routing.geocoding import Precision
from routing.geocoding import Reason
from routing.geocoding import Unplaced
from routing.geocoding import build_geocoder

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Iterable
    from collections.abc import Mapping
    from datetime import datetime

    from sqlalchemy.orm import Session
    from sqlalchemy.orm import sessionmaker

    from dispatch.config import GeocodingSettings
    from dispatch.domain.service_area import ServiceArea

NOT_FOUND_KEPT_FOR = timedelta(days=30)


class DbGeocodeCache:
    """The ``geocode_cache`` table behind :class:`routing.geocoding.GeocodeCache`, for one provider.

    Each call is its own short transaction, so no lock is held while the geocoder is asked. A
    not-found answer is kept for ``not_found_kept_for`` and then asked again (the map gets better);
    places are kept until replaced.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        provider: str,
        not_found_kept_for: timedelta = NOT_FOUND_KEPT_FOR,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self.provider = provider
        self._not_found_kept_for = not_found_kept_for
        self._clock = clock

    def get(self, query: str) -> CachedAnswer | None:
        """The stored answer for ``query``, or ``None`` (never stored, or a not-found answer gone stale)."""
        with self._sessions() as session:
            entry = session.execute(
                select(GeocodeCacheEntry).where(GeocodeCacheEntry.provider == self.provider, GeocodeCacheEntry.query == query)
            ).scalar_one_or_none()
        if entry is None:
            return None
        if not entry.found:
            if entry.updated_at + self._not_found_kept_for <= self._clock():
                return None
            return CachedAnswer(None)
        if entry.lat is None or entry.lon is None:
            return None
        return CachedAnswer(
            Place(
                lat=entry.lat,
                lon=entry.lon,
                address=entry.address or "",
                provider=self.provider,
                kind=entry.kind,
                precision=Precision(entry.precision) if entry.precision in {p.value for p in Precision} else None,
            )
        )

    def put(self, query: str, answer: CachedAnswer) -> None:
        """Store or replace the answer for ``query`` (concurrent writers of one query do not collide)."""
        place = answer.place
        now = self._clock()
        values: dict[str, t.Any] = {
            "found": place is not None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "address": place.address[:500] if place else None,
            "kind": place.kind[:64] if place and place.kind else None,
            "precision": place.precision.value if place and place.precision else None,
            "updated_at": now,
        }
        with self._sessions() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = insert(GeocodeCacheEntry).values(provider=self.provider, query=query, created_at=now, **values)
            statement = statement.on_conflict_do_update(index_elements=["provider", "query"], set_=values)
            session.execute(statement)
            session.commit()


def make_geocoder(
    settings: GeocodingSettings,
    area: ServiceArea,
    sessions: sessionmaker[Session],
    *,
    proxies: Mapping[str, str] | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> AddressGeocoder | None:
    """The configured geocoder with the database cache and the service area; ``None`` when geocoding is off.

    ``clock`` and ``sleep`` replace the real ones (tests pass virtual time); ``proxies`` as in
    :func:`routing.geocoding.build_geocoder`.
    """
    if not settings.enabled:
        return None
    client = build_geocoder(
        settings.provider,
        domain=settings.domain,
        scheme=settings.scheme,
        api_key=settings.api_key,
        user_agent=settings.user_agent,
        timeout_s=settings.timeout_s,
        proxies=proxies,
    )
    timing: dict[str, t.Any] = {}
    if clock is not None:
        timing["clock"] = clock
    if sleep is not None:
        timing["sleep"] = sleep
    return AddressGeocoder(
        client,
        provider=settings.provider,
        inside=area.contains,
        cache=DbGeocodeCache(sessions, provider=settings.provider),
        min_delay_s=settings.min_delay_s,
        **timing,
    )


def geocode_addresses(geocoder: AddressGeocoder, addresses: Iterable[str]) -> dict[str, GeocodeOutcome]:
    """Each distinct address's outcome, keyed by the address as given.

    Once the service fails (after its retries), the remaining addresses are only looked up in the
    cache: a geocoder that is down is not asked again for every row of a large file.
    """
    outcomes: dict[str, GeocodeOutcome] = {}
    service_down = False
    for address in addresses:
        if address in outcomes or not address.strip():
            continue
        outcome = geocoder.geocode(address, cache_only=service_down)
        if isinstance(outcome, Unplaced) and outcome.reason is Reason.SERVICE_ERROR:
            service_down = True
        outcomes[address] = outcome
    return outcomes
