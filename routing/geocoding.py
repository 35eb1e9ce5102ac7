"""Addresses to (lat, lon) through geopy: a configured geocoder, rate-limited, cached, checked against the service area.

An address is either *located* (a house-level point inside the service area) or *unplaced* with a
stable reason for a person to act on; nothing is ever guessed. The cache is a port (any object with
``get`` and ``put``); the service area is a callable ``inside(lat, lon) -> bool``. Points are
``(lat, lon)`` in degrees, WGS 84.
"""

from __future__ import annotations

import re
import time
import typing as t
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from geopy.adapters import URLLibAdapter  # type: ignore[import-untyped,unused-ignore]
from geopy.exc import GeocoderServiceError  # type: ignore[import-untyped,unused-ignore]
from geopy.extra.rate_limiter import RateLimiter  # type: ignore[import-untyped,unused-ignore]
from geopy.geocoders import Nominatim  # type: ignore[import-untyped,unused-ignore]
from geopy.geocoders import Yandex  # type: ignore[import-untyped,unused-ignore]

from routing.errors import RoutingError

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Mapping

PROVIDERS: tuple[str, ...] = ("nominatim", "yandex")
DEFAULT_DOMAINS: dict[str, str] = {"nominatim": "nominatim.openstreetmap.org", "yandex": "geocode-maps.yandex.ru"}
USER_AGENT = "almaty-library-dispatch/0.1"

# Nominatim's place_rank: 30 a building or a house number, 26-27 a street, lower an area.
_NOMINATIM_HOUSE_RANK = 28
_NOMINATIM_STREET_RANK = 26


class GeocoderConfigError(RoutingError):
    """A geocoder that cannot be built from the settings given (unknown provider, missing API key)."""


class Precision(StrEnum):
    """How exactly the geocoder placed an address, in the same words for every provider."""

    HOUSE = "house"
    STREET = "street"
    AREA = "area"


class Reason(StrEnum):
    """Why an address was not placed; the values are stable codes."""

    NOT_FOUND = "not_found"
    IMPRECISE = "imprecise"
    OUTSIDE_AREA = "outside_area"
    SERVICE_ERROR = "service_error"


@dataclass(frozen=True)
class Place:
    """Where the geocoder put an address.

    Parameters
    ----------
    lat, lon
        The point in degrees (WGS 84).
    address
        The address as the geocoder writes it.
    provider
        ``"nominatim"`` or ``"yandex"``.
    kind
        The provider's own word for what it found (``house``, ``street``, ``building``…), if it gives one.
    precision
        The provider's precision mapped onto :class:`Precision`; ``None`` when it says nothing.
    """

    lat: float
    lon: float
    address: str
    provider: str
    kind: str | None = None
    precision: Precision | None = None


@dataclass(frozen=True)
class CachedAnswer:
    """What the geocoder answered for a query: a place, or ``None`` when it knows no such address."""

    place: Place | None


class GeocodeCache(t.Protocol):
    """Where answers are kept between calls and processes; keys are :func:`cache_key` strings."""

    def get(self, query: str) -> CachedAnswer | None:
        """The stored answer for ``query``, or ``None`` when there is none (a cache miss)."""
        ...

    def put(self, query: str, answer: CachedAnswer) -> None:
        """Store (or replace) the answer for ``query``."""
        ...


@dataclass(frozen=True)
class Located:
    """An address placed at a house inside the service area."""

    query: str
    place: Place
    cached: bool = False


@dataclass(frozen=True)
class Unplaced:
    """An address left for a person to place on the map, with the reason and what the geocoder offered."""

    query: str
    reason: Reason
    detail: str
    candidate: Place | None = None
    cached: bool = False


GeocodeOutcome = Located | Unplaced


@dataclass(frozen=True)
class Locality:
    """The city every address is in, and the spellings that show an address names it already."""

    city: str = "Алматы"
    country: str = "Казахстан"
    country_code: str = "kz"
    city_names: tuple[str, ...] = ("алматы", "алма-ата", "almaty", "alma-ata")
    country_names: tuple[str, ...] = ("казахстан", "қазақстан", "kazakhstan")


ALMATY = Locality()

_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;.])")
_COMMA_WITHOUT_SPACE = re.compile(r",(?=\S)")


def normalize_address(address: str) -> str:
    """One space between words, none before a comma and one after it, no stray commas at the ends."""
    text = unicodedata.normalize("NFC", address)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _COMMA_WITHOUT_SPACE.sub(", ", text)
    return text.strip(" ,;")


def full_query(address: str, locality: Locality = ALMATY) -> str:
    """The text sent to the geocoder: the tidied address, with the city and country when it lacks them.

    Raises
    ------
    ValueError
        The address is empty once tidied.
    """
    text = normalize_address(address)
    if not text:
        msg = "an empty address cannot be geocoded"
        raise ValueError(msg)
    folded = text.casefold()
    if not any(name in folded for name in locality.city_names):
        return f"{text}, {locality.city}, {locality.country}"
    if not any(name in folded for name in locality.country_names):
        return f"{text}, {locality.country}"
    return text


def cache_key(query: str) -> str:
    """The cache key of a query: tidied and case-folded, so spacing and case never miss the cache."""
    return normalize_address(query).casefold()


def build_geocoder(
    provider: str,
    *,
    domain: str | None = None,
    scheme: str = "https",
    api_key: str | None = None,
    user_agent: str = USER_AGENT,
    timeout_s: float = 10.0,
    proxies: Mapping[str, str] | None = None,
) -> t.Any:
    """A geopy geocoder for ``provider`` (``"nominatim"`` or ``"yandex"``).

    Parameters
    ----------
    domain
        Host (with port and path prefix if any) of the service; the provider's public one by default.
    scheme
        ``"https"`` or ``"http"``.
    api_key
        Required by Yandex; Nominatim takes none.
    user_agent
        Sent with every request (Nominatim's usage policy asks for one that names the application).
    timeout_s
        Seconds to wait for an answer before the call counts as timed out.
    proxies
        ``None`` uses the system's proxy settings; ``{}`` uses none.

    Raises
    ------
    GeocoderConfigError
        Unknown provider or scheme, a missing API key, a non-positive timeout.
    """
    if provider not in PROVIDERS:
        msg = f"unknown geocoder {provider!r}: expected one of {', '.join(PROVIDERS)}"
        raise GeocoderConfigError(msg)
    if scheme not in ("http", "https"):
        msg = f"unknown scheme {scheme!r}: expected http or https"
        raise GeocoderConfigError(msg)
    if timeout_s <= 0:
        msg = f"timeout_s must be positive, got {timeout_s}"
        raise GeocoderConfigError(msg)
    options: dict[str, t.Any] = {
        "domain": (domain or DEFAULT_DOMAINS[provider]).strip().strip("/"),
        "scheme": scheme,
        "user_agent": user_agent,
        "timeout": timeout_s,
        "proxies": None if proxies is None else dict(proxies),
        # The standard library's HTTP client, so the behaviour does not depend on what else is installed.
        "adapter_factory": URLLibAdapter,
    }
    if provider == "yandex":
        if not api_key:
            msg = "the yandex geocoder needs an API key"
            raise GeocoderConfigError(msg)
        return Yandex(api_key, **options)
    return Nominatim(**options)


class _PacedCalls(RateLimiter):  # type: ignore[misc]
    """geopy's RateLimiter reading time through the clock and sleep it is given (tests pass virtual ones)."""

    def __init__(
        self, func: Callable[..., t.Any], *, clock: Callable[[], float], sleep: Callable[[float], None], **options: t.Any
    ) -> None:
        super().__init__(func, **options)
        self._now = clock
        self._pause = sleep

    def _clock(self) -> float:
        return self._now()

    def _sleep(self, seconds: float) -> None:
        self._pause(seconds)


class AddressGeocoder:
    """Places addresses with one geopy geocoder: cache first, then the service at a limited rate.

    Parameters
    ----------
    geocoder
        A geopy geocoder, as made by :func:`build_geocoder`.
    provider
        Its name (``"nominatim"`` or ``"yandex"``): how to call it and read its answers.
    inside
        ``inside(lat, lon)`` is True for points in the service area.
    cache
        Where answers are kept; ``None`` asks the service every time.
    min_delay_s
        Least number of seconds between two requests to the service.
    max_retries
        Requests repeated after a transient error (timeout, 5xx, refused connection, rate limit).
    retry_wait_s
        Seconds to wait before repeating a request (at least ``min_delay_s``).
    locality
        The city added to addresses that do not name it.
    accept
        Precisions good enough to deliver to; an answer with no precision is taken as the provider's point.
    language
        Language of the addresses the service writes back.
    clock, sleep
        Monotonic seconds and the way to wait; the defaults are the real ones.
    """

    def __init__(
        self,
        geocoder: t.Any,
        *,
        provider: str,
        inside: Callable[[float, float], bool],
        cache: GeocodeCache | None = None,
        min_delay_s: float = 1.0,
        max_retries: int = 2,
        retry_wait_s: float = 5.0,
        locality: Locality = ALMATY,
        accept: frozenset[Precision] = frozenset({Precision.HOUSE}),
        language: str = "ru",
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if provider not in PROVIDERS:
            msg = f"unknown geocoder {provider!r}: expected one of {', '.join(PROVIDERS)}"
            raise GeocoderConfigError(msg)
        if min_delay_s < 0 or retry_wait_s < 0 or max_retries < 0:
            msg = f"min_delay_s, retry_wait_s and max_retries must not be negative ({min_delay_s}, {retry_wait_s}, {max_retries})"
            raise GeocoderConfigError(msg)
        self.provider = provider
        self.locality = locality
        self._inside = inside
        self._cache = cache
        self._accept = accept
        if provider == "yandex":
            self._call_options: dict[str, t.Any] = {"exactly_one": True, "lang": "ru_RU" if language == "ru" else None}
        else:
            self._call_options = {"exactly_one": True, "country_codes": locality.country_code, "language": language}
        self._search = _PacedCalls(
            geocoder.geocode,
            clock=clock,
            sleep=sleep,
            min_delay_seconds=min_delay_s,
            max_retries=max_retries,
            error_wait_seconds=max(retry_wait_s, min_delay_s),
            swallow_exceptions=False,
        )

    def geocode(self, address: str, *, cache_only: bool = False) -> GeocodeOutcome:
        """Place one address; with ``cache_only`` the service is not asked (a miss is a service error).

        Not-found answers are cached like places; service errors are not, so the next call asks again.

        Raises
        ------
        ValueError
            The address is empty.
        """
        query = full_query(address, self.locality)
        key = cache_key(query)
        stored = self._cache.get(key) if self._cache is not None else None
        if stored is not None:
            return self._judge(query, stored.place, cached=True)
        if cache_only:
            return Unplaced(query, Reason.SERVICE_ERROR, "not asked: the geocoder failed earlier")
        try:
            location = self._search(query, **self._call_options)
            place = None if location is None else self._read(location)
        except GeocoderServiceError as e:
            return Unplaced(query, Reason.SERVICE_ERROR, f"{type(e).__name__}: {e}"[:300])
        if self._cache is not None:
            self._cache.put(key, CachedAnswer(place))
        return self._judge(query, place, cached=False)

    def _judge(self, query: str, place: Place | None, *, cached: bool) -> GeocodeOutcome:
        if place is None:
            return Unplaced(query, Reason.NOT_FOUND, "the geocoder knows no such address", cached=cached)
        if not self._inside(place.lat, place.lon):
            return Unplaced(query, Reason.OUTSIDE_AREA, "the point is outside the service area", place, cached)
        if place.precision is not None and place.precision not in self._accept:
            detail = f"the geocoder found a {place.precision.value}, not a house"
            return Unplaced(query, Reason.IMPRECISE, detail, place, cached)
        return Located(query, place, cached)

    def _read(self, location: t.Any) -> Place:
        """A :class:`Place` from a geopy Location; a point that is missing counts as a broken answer."""
        raw = location.raw if isinstance(location.raw, dict) else {}
        if location.latitude is None or location.longitude is None:
            msg = "the answer has no coordinates"
            raise GeocoderServiceError(msg)
        kind, precision = _yandex_precision(raw) if self.provider == "yandex" else _nominatim_precision(raw)
        return Place(
            lat=float(location.latitude),
            lon=float(location.longitude),
            address=str(location.address or ""),
            provider=self.provider,
            kind=kind,
            precision=precision,
        )


_YANDEX_PRECISION = {
    "exact": Precision.HOUSE,
    "number": Precision.HOUSE,
    "near": Precision.HOUSE,
    "range": Precision.HOUSE,
    "street": Precision.STREET,
    "other": Precision.AREA,
}


def _yandex_precision(geo_object: dict[str, t.Any]) -> tuple[str | None, Precision | None]:
    """Yandex: ``GeocoderMetaData.kind`` and ``.precision`` (exact, number, near, range, street, other)."""
    meta = geo_object.get("metaDataProperty", {}).get("GeocoderMetaData", {})
    kind = meta.get("kind")
    return (str(kind) if kind else None), _YANDEX_PRECISION.get(str(meta.get("precision")))


def _nominatim_precision(place: dict[str, t.Any]) -> tuple[str | None, Precision | None]:
    """Nominatim: ``addresstype`` (or ``type``) and ``place_rank`` (30 a house, 26-27 a street)."""
    kind = place.get("addresstype") or place.get("type")
    try:
        rank = int(place["place_rank"])
    except (KeyError, TypeError, ValueError):
        return (str(kind) if kind else None), None
    if rank >= _NOMINATIM_HOUSE_RANK:
        precision = Precision.HOUSE
    elif rank >= _NOMINATIM_STREET_RANK:
        precision = Precision.STREET
    else:
        precision = Precision.AREA
    return (str(kind) if kind else None), precision
