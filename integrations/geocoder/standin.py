"""A local stand-in for the geocoders: Nominatim's ``/search`` and Yandex Geocoder's ``/1.x/``, from known addresses.

It answers with the same paths, parameters, JSON shapes and status codes as the real services, so
geopy is pointed at it by configuration only (``domain="127.0.0.1:PORT"``, ``scheme="http"``). It can
be told to fail (503, 429…) or to stall past the client's timeout, and it records every request. Run
it by hand with ``python -m integrations.geocoder.standin places.json`` (a JSON object mapping an
address to ``{"lat": …, "lon": …, "name": …}`` and optionally the other :class:`KnownPlace` fields).
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
import typing as t
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

from integrations.local_server import JsonHandler
from integrations.local_server import LocalServer
from integrations.local_server import serve_until_interrupted

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Mapping

NOMINATIM_PATH = "/search"
YANDEX_PATH = "/1.x/"
LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class KnownPlace:
    """One place the stand-in knows, with what each service says about it.

    ``name`` and ``description`` make Yandex's ``name``/``description`` and Nominatim's
    ``display_name`` (``"name, description"``). ``kind`` and ``precision`` are Yandex's
    ``GeocoderMetaData`` fields; ``place_rank``, ``category``, ``osm_type`` and ``addresstype`` are
    Nominatim's (rank 30 a house, 26-27 a street, 16 a city).
    """

    lat: float
    lon: float
    name: str
    description: str = "Алматы, Казахстан"
    country_code: str = "kz"
    kind: str = "house"
    precision: str = "exact"
    place_rank: int = 30
    category: str = "building"
    osm_type: str = "yes"
    addresstype: str = "building"
    importance: float = 0.2

    @property
    def display_name(self) -> str:
        """The full address as both services write it."""
        return f"{self.name}, {self.description}" if self.description else self.name


@dataclass(frozen=True)
class StubRequest:
    """One request as received: path, query parameters, user agent, and when (by the stub's clock)."""

    path: str
    params: dict[str, str]
    user_agent: str | None
    at: float


@dataclass
class _Fault:
    status: int = 503
    stall_s: float = 0.0


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[StubRequest] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)


class GeocoderStub(LocalServer):
    """Serves Nominatim and Yandex Geocoder answers for ``places`` on 127.0.0.1, in a thread.

    Parameters
    ----------
    places
        Known addresses: a place matches a query when every word of its key is in the query (case
        and punctuation aside), so ``"ул. Абая, 10"`` matches ``"ул. Абая, 10, Алматы, Казахстан"``;
        the key with the most words wins.
    api_key
        When set, Yandex requests must carry it (``apikey``), as the real service requires; a wrong
        or missing key gets 403.
    fallback
        What Yandex answers when nothing matches (the real one answers with the city or a district
        rather than nothing); ``None`` answers with no results. Nominatim always answers ``[]``.
    clock
        Time recorded with each request (monotonic seconds by default).
    """

    def __init__(
        self,
        places: Mapping[str, KnownPlace],
        *,
        api_key: str | None = None,
        fallback: KnownPlace | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.places = dict(places)
        self.api_key = api_key
        self.fallback = fallback
        self.clock = clock
        self._keys = [(frozenset(_words(key)), key) for key in self.places]
        self._state = _State()

    # --- running -----------------------------------------------------------------------------------

    thread_name = "geocoder-stub"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("_BoundHandler", (_Handler,), {"stub": self})

    @property
    def domain(self) -> str:
        """``127.0.0.1:PORT``, what geopy takes as ``domain``."""
        host, port = self.address
        return f"{host}:{port}"

    # --- driving it from a test --------------------------------------------------------------------

    @property
    def requests(self) -> list[StubRequest]:
        """Every request received so far, oldest first."""
        with self._state.lock:
            return list(self._state.requests)

    def fail_next(self, times: int = 1, *, status: int = 503) -> None:
        """Answer the next ``times`` requests with ``status`` (503 unavailable, 429 too many…)."""
        with self._state.lock:
            self._state.faults.extend(_Fault(status=status) for _ in range(times))

    def stall_next(self, times: int = 1, *, seconds: float = 5.0) -> None:
        """Hold the next ``times`` requests ``seconds`` before answering, to make clients time out."""
        with self._state.lock:
            self._state.faults.extend(_Fault(status=200, stall_s=seconds) for _ in range(times))

    def reset(self) -> None:
        """Forget recorded requests and pending faults."""
        with self._state.lock:
            self._state.requests.clear()
            self._state.faults.clear()

    # --- answering ---------------------------------------------------------------------------------

    def _receive(self, path: str, params: dict[str, str], user_agent: str | None) -> _Fault | None:
        with self._state.lock:
            self._state.requests.append(StubRequest(path, params, user_agent, self.clock()))
            return self._state.faults.pop(0) if self._state.faults else None

    def _wait(self, seconds: float) -> None:
        self._released.wait(seconds)

    def _matches(self, query: str) -> list[tuple[int, KnownPlace]]:
        """Known places whose key words are all in ``query``, most words first, as (number, place)."""
        words = set(_words(query))
        found = [(len(key_words), n, key) for n, (key_words, key) in enumerate(self._keys) if key_words and key_words <= words]
        found.sort(key=lambda item: (-item[0], item[1]))
        return [(n + 1, self.places[key]) for _, n, key in found]

    def nominatim(self, params: Mapping[str, str]) -> tuple[int, t.Any]:
        """Status and body of ``/search`` (``format=json`` or ``jsonv2``; ``q``, ``limit``, ``countrycodes``)."""
        fmt = params.get("format", "xml")
        if fmt not in ("json", "jsonv2"):
            return 400, {"error": {"code": 400, "message": "This stand-in serves format=json and format=jsonv2 only."}}
        query = params.get("q", "").strip()
        if not query:
            return 400, {"error": {"code": 400, "message": "Nothing to search for."}}
        try:
            limit = max(1, min(40, int(params.get("limit", "10"))))
        except ValueError:
            return 400, {"error": {"code": 400, "message": "Integer number expected for parameter 'limit'"}}
        countries = {c.strip().lower() for c in params.get("countrycodes", "").split(",") if c.strip()}
        places = [(n, p) for n, p in self._matches(query) if not countries or p.country_code in countries][:limit]
        return 200, [_nominatim_place(number, place, fmt) for number, place in places]

    def yandex(self, params: Mapping[str, str]) -> tuple[int, t.Any]:
        """Status and body of ``/1.x/`` (``geocode``, ``format=json``, ``apikey``, ``results``, ``lang``)."""
        if self.api_key is not None and params.get("apikey") != self.api_key:
            return 403, {"statusCode": 403, "error": "Forbidden", "message": "Invalid api key"}
        query = params.get("geocode", "").strip()
        if not query:
            return 400, {"statusCode": 400, "error": "Bad Request", "message": 'Missing "geocode" parameter'}
        if params.get("format") != "json":
            return 400, {"statusCode": 400, "error": "Bad Request", "message": "This stand-in serves format=json only"}
        try:
            results = max(1, int(params.get("results", "10")))
        except ValueError:
            return 400, {"statusCode": 400, "error": "Bad Request", "message": 'Invalid "results" parameter'}
        places = [place for _, place in self._matches(query)]
        if not places and self.fallback is not None:
            places = [self.fallback]
        members = [{"GeoObject": _yandex_object(place)} for place in places[:results]]
        meta = {"request": query, "results": str(results), "found": str(len(places))}
        return 200, {
            "response": {
                "GeoObjectCollection": {
                    "metaDataProperty": {"GeocoderResponseMetaData": meta},
                    "featureMember": members,
                }
            }
        }


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def _nominatim_place(number: int, place: KnownPlace, fmt: str) -> dict[str, t.Any]:
    """One element of Nominatim's answer; ``jsonv2`` says ``category`` where ``json`` says ``class``."""
    return {
        "place_id": 100000 + number,
        "licence": LICENCE,
        "osm_type": "way",
        "osm_id": 200000 + number,
        "lat": f"{place.lat:.7f}",
        "lon": f"{place.lon:.7f}",
        ("class" if fmt == "json" else "category"): place.category,
        "type": place.osm_type,
        "place_rank": place.place_rank,
        "importance": place.importance,
        "addresstype": place.addresstype,
        "name": place.name,
        "display_name": place.display_name,
        "boundingbox": [
            f"{place.lat - 0.0001:.7f}",
            f"{place.lat + 0.0001:.7f}",
            f"{place.lon - 0.0001:.7f}",
            f"{place.lon + 0.0001:.7f}",
        ],
    }


def _yandex_object(place: KnownPlace) -> dict[str, t.Any]:
    return {
        "metaDataProperty": {
            "GeocoderMetaData": {
                "precision": place.precision,
                "text": place.display_name,
                "kind": place.kind,
                "Address": {"country_code": place.country_code.upper(), "formatted": place.display_name},
            }
        },
        "name": place.name,
        "description": place.description,
        "boundedBy": {
            "Envelope": {
                "lowerCorner": f"{place.lon - 0.0001:.6f} {place.lat - 0.0001:.6f}",
                "upperCorner": f"{place.lon + 0.0001:.6f} {place.lat + 0.0001:.6f}",
            }
        },
        "Point": {"pos": f"{place.lon:.6f} {place.lat:.6f}"},
    }


class _Handler(JsonHandler):
    stub: t.ClassVar[GeocoderStub]

    def _handle(self, method: str) -> None:
        if method != "GET":
            super()._handle(method)
            return
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        fault = self.stub._receive(parts.path, params, self.headers.get("User-Agent"))
        if fault is not None and fault.stall_s:
            self.stub._wait(fault.stall_s)
        if fault is not None and fault.status >= 400:
            retry = {"Retry-After": "1"} if fault.status == 429 else {}
            self._send(fault.status, {"error": {"code": fault.status, "message": "Service temporarily unavailable"}}, retry)
            return
        if parts.path == NOMINATIM_PATH:
            self._send(*self.stub.nominatim(params))
        elif parts.path == YANDEX_PATH:
            self._send(*self.stub.yandex(params))
        else:
            self._send(404, {"error": {"code": 404, "message": f"no such endpoint: {parts.path}"}})


def _load_places(path: Path) -> dict[str, KnownPlace]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {address: KnownPlace(**fields) for address, fields in data.items()}


def main(argv: list[str] | None = None) -> None:
    """Serve the places of a JSON file until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m integrations.geocoder.standin", description=__doc__)
    parser.add_argument("places", type=Path, help="JSON object: address -> {lat, lon, name, ...}")
    parser.add_argument("--port", type=int, default=0, help="Port on 127.0.0.1 (default: a free one).")
    parser.add_argument("--api-key", default=None, help="Key Yandex requests must carry.")
    args = parser.parse_args(argv)
    stub = GeocoderStub(_load_places(args.places), api_key=args.api_key).start(args.port)
    serve_until_interrupted(
        stub, f"geocoder stand-in on {stub.url} (Nominatim {NOMINATIM_PATH}, Yandex {YANDEX_PATH}); Ctrl-C stops it"
    )


if __name__ == "__main__":
    main()
