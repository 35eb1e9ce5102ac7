"""Geocoding through geopy against the local stand-in: found, not found, outside, retries, cache, pacing, Yandex."""

from __future__ import annotations

import json
import typing as t
import urllib.error
import urllib.request
from itertools import pairwise

import pytest

from integrations.geocoder.standin import GeocoderStub
from integrations.geocoder.standin import KnownPlace
from routing.geocoding import AddressGeocoder
from routing.geocoding import CachedAnswer
from routing.geocoding import GeocoderConfigError
from routing.geocoding import Located
from routing.geocoding import Precision
from routing.geocoding import Reason
from routing.geocoding import Unplaced
from routing.geocoding import build_geocoder
from routing.geocoding import cache_key
from routing.geocoding import full_query
from tests.conftest import CENTRE
from tests.conftest import TALGAR

PLACES = {
    "ул. Абая, 10": KnownPlace(CENTRE[0], CENTRE[1], "улица Абая, 10"),
    "ул. Сатпаева, 5": KnownPlace(43.2300, 76.9000, "улица Сатпаева, 5"),
    "пр. Достык, 1": KnownPlace(43.2450, 76.9550, "проспект Достык, 1"),
    "Талгар, ул. Кунаева, 1": KnownPlace(TALGAR[0], TALGAR[1], "улица Кунаева, 1", description="Талгар, Казахстан"),
    "ул. Жандосова": KnownPlace(
        43.2270,
        76.8700,
        "улица Жандосова",
        kind="street",
        precision="street",
        place_rank=26,
        category="highway",
        osm_type="secondary",
        addresstype="road",
    ),
}
CITY = KnownPlace(43.2567, 76.9286, "Алматы", description="Казахстан", kind="locality", precision="other", place_rank=16)


class VirtualTime:
    """A clock that moves only when something sleeps, and remembers every sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class DictCache:
    """The cache port in memory."""

    def __init__(self) -> None:
        self.answers: dict[str, CachedAnswer] = {}

    def get(self, query: str) -> CachedAnswer | None:
        return self.answers.get(query)

    def put(self, query: str, answer: CachedAnswer) -> None:
        self.answers[query] = answer


@pytest.fixture
def time_() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def stub(time_: VirtualTime) -> t.Iterator[GeocoderStub]:
    with GeocoderStub(PLACES, api_key="secret", fallback=CITY, clock=time_.clock) as server:
        yield server


@pytest.fixture
def make(stub: GeocoderStub, time_: VirtualTime, area):
    def build(provider: str = "nominatim", *, api_key: str | None = "secret", timeout_s: float = 2.0, **options: t.Any):
        client = build_geocoder(provider, domain=stub.domain, scheme="http", api_key=api_key, timeout_s=timeout_s, proxies={})
        options.setdefault("cache", DictCache())
        options.setdefault("min_delay_s", 0.0)
        return AddressGeocoder(client, provider=provider, inside=area.contains, clock=time_.clock, sleep=time_.sleep, **options)

    return build


@pytest.mark.parametrize(
    ("address", "query"),
    [
        ("ул. Абая,  10 ", "ул. Абая, 10, Алматы, Казахстан"),
        ("ул. Абая ,10,", "ул. Абая, 10, Алматы, Казахстан"),
        ("г. Алматы, ул. Абая 10", "г. Алматы, ул. Абая 10, Казахстан"),
        ("Алма-Ата, Абая 10, Казахстан", "Алма-Ата, Абая 10, Казахстан"),
        ("Almaty, Abay avenue 10", "Almaty, Abay avenue 10, Казахстан"),
        ("АЛМАТЫ, Абая 10, Қазақстан", "АЛМАТЫ, Абая 10, Қазақстан"),
    ],
)
def test_the_query_names_the_city_once(address, query):
    assert full_query(address) == query


def test_spacing_and_case_do_not_change_the_cache_key():
    assert cache_key(full_query("  УЛ. абая ,10")) == cache_key(full_query("ул. Абая, 10"))
    assert cache_key(full_query("ул. Абая, 10")) != cache_key(full_query("ул. Абая, 100"))
    with pytest.raises(ValueError, match="empty"):
        full_query(" , ")


def test_nominatim_places_a_house_and_sends_what_nominatim_expects(make, stub):
    outcome = make().geocode("ул. Абая, 10")
    assert isinstance(outcome, Located) and not outcome.cached
    place = outcome.place
    assert (place.lat, place.lon) == pytest.approx(CENTRE)
    assert place.address == "улица Абая, 10, Алматы, Казахстан"
    assert (place.provider, place.kind, place.precision) == ("nominatim", "building", Precision.HOUSE)
    [request] = stub.requests
    assert request.path == "/search"
    assert request.params == {
        "q": "ул. Абая, 10, Алматы, Казахстан",
        "format": "json",
        "limit": "1",
        "countrycodes": "kz",
        "accept-language": "ru",
    }
    assert request.user_agent == "almaty-library-dispatch/0.1"


def test_an_unknown_address_is_not_found_never_guessed_and_the_answer_is_cached(make, stub):
    geocoder = make()
    first = geocoder.geocode("ул. Несуществующая, 99")
    assert isinstance(first, Unplaced)
    assert (first.reason, first.candidate, first.cached) == (Reason.NOT_FOUND, None, False)
    again = geocoder.geocode("ул. Несуществующая, 99")
    assert isinstance(again, Unplaced) and again.reason is Reason.NOT_FOUND and again.cached
    assert len(stub.requests) == 1


def test_a_place_outside_the_service_area_is_reported_with_what_the_geocoder_offered(make):
    outcome = make().geocode("Талгар, ул. Кунаева, 1")
    assert isinstance(outcome, Unplaced) and outcome.reason is Reason.OUTSIDE_AREA
    assert outcome.candidate is not None
    assert (outcome.candidate.lat, outcome.candidate.lon) == pytest.approx(TALGAR)
    assert "Талгар" in outcome.candidate.address


def test_a_street_without_the_house_is_imprecise(make):
    outcome = make().geocode("ул. Жандосова")
    assert isinstance(outcome, Unplaced) and outcome.reason is Reason.IMPRECISE
    assert outcome.candidate is not None and outcome.candidate.precision is Precision.STREET


def test_a_cache_hit_sends_no_second_request(make, stub):
    cache = DictCache()
    geocoder = make(cache=cache)
    assert isinstance(geocoder.geocode("ул. Абая, 10"), Located)
    hit = make(cache=cache).geocode("  УЛ. абая ,10")  # another geocoder sharing the cache, other spacing and case
    assert isinstance(hit, Located) and hit.cached
    assert len(stub.requests) == 1
    assert list(cache.answers) == ["ул. абая, 10, алматы, казахстан"]


def test_transient_503_is_retried_after_a_wait_then_succeeds(make, stub, time_):
    stub.fail_next(2, status=503)
    outcome = make(max_retries=2, retry_wait_s=5.0).geocode("ул. Абая, 10")
    assert isinstance(outcome, Located)
    assert len(stub.requests) == 3
    times = [request.at for request in stub.requests]
    assert all(later - earlier >= 5.0 for earlier, later in pairwise(times))


def test_a_service_that_stays_down_is_a_service_error_and_is_not_cached(make, stub):
    cache = DictCache()
    geocoder = make(cache=cache, max_retries=2, retry_wait_s=1.0)
    stub.fail_next(3, status=503)
    outcome = geocoder.geocode("ул. Абая, 10")
    assert isinstance(outcome, Unplaced) and outcome.reason is Reason.SERVICE_ERROR
    assert "503" in outcome.detail
    assert (len(stub.requests), cache.answers) == (3, {})
    assert isinstance(geocoder.geocode("ул. Абая, 10"), Located)  # asked again, not answered from a cache
    assert len(stub.requests) == 4


def test_rate_limited_429_is_retried(make, stub):
    stub.fail_next(1, status=429)
    assert isinstance(make(max_retries=1, retry_wait_s=1.0).geocode("ул. Абая, 10"), Located)
    assert len(stub.requests) == 2


def test_a_timeout_is_retried(make, stub):
    stub.stall_next(1, seconds=10.0)
    outcome = make(timeout_s=0.3, max_retries=1, retry_wait_s=1.0).geocode("ул. Абая, 10")
    assert isinstance(outcome, Located)
    assert len(stub.requests) == 2


def test_the_rate_limiter_spaces_requests(make, stub, time_):
    geocoder = make(min_delay_s=1.5)
    for address in ("ул. Абая, 10", "ул. Сатпаева, 5", "пр. Достык, 1", "ул. Абая, 10"):
        geocoder.geocode(address)
    times = [request.at for request in stub.requests]
    assert len(times) == 3  # the repeated address came from the cache
    assert [later - earlier for earlier, later in pairwise(times)] == pytest.approx([1.5, 1.5])
    assert time_.sleeps  # spacing came from waiting, not from slow answers


def test_cache_only_never_asks_the_service(make, stub):
    outcome = make().geocode("ул. Абая, 10", cache_only=True)
    assert isinstance(outcome, Unplaced) and outcome.reason is Reason.SERVICE_ERROR
    assert stub.requests == []


def test_yandex_answer_is_read_with_its_kind_and_precision(make, stub):
    outcome = make("yandex").geocode("ул. Абая, 10")
    assert isinstance(outcome, Located)
    place = outcome.place
    assert (place.lat, place.lon) == pytest.approx(CENTRE)
    assert (place.provider, place.kind, place.precision) == ("yandex", "house", Precision.HOUSE)
    assert place.address == "улица Абая, 10, Алматы, Казахстан"
    [request] = stub.requests
    assert request.path == "/1.x/"
    assert request.params == {
        "geocode": "ул. Абая, 10, Алматы, Казахстан",
        "format": "json",
        "apikey": "secret",
        "lang": "ru_RU",
        "results": "1",
    }


def test_yandex_answering_with_the_whole_city_is_imprecise_not_a_place(make):
    outcome = make("yandex").geocode("ул. Несуществующая, 99")
    assert isinstance(outcome, Unplaced) and outcome.reason is Reason.IMPRECISE
    assert outcome.candidate is not None
    assert (outcome.candidate.kind, outcome.candidate.precision) == ("locality", Precision.AREA)


def test_yandex_with_a_wrong_key_is_a_service_error(make, stub):
    outcome = make("yandex", api_key="wrong", max_retries=0).geocode("ул. Абая, 10")
    assert isinstance(outcome, Unplaced) and outcome.reason is Reason.SERVICE_ERROR
    assert len(stub.requests) == 1


@pytest.mark.parametrize(
    ("provider", "options", "message"),
    [
        ("google", {}, "unknown geocoder"),
        ("yandex", {}, "API key"),
        ("nominatim", {"scheme": "ftp"}, "scheme"),
        ("nominatim", {"timeout_s": 0}, "timeout"),
    ],
)
def test_a_geocoder_that_cannot_work_is_refused_when_built(provider, options, message):
    with pytest.raises(GeocoderConfigError, match=message):
        build_geocoder(provider, **options)


def _get(url: str) -> tuple[int, t.Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        with e:
            return e.code, json.loads(e.read())


def test_the_stand_in_speaks_nominatim_jsonv2_and_refuses_what_nominatim_refuses(stub):
    status, body = _get(f"{stub.url}/search?q=%D1%83%D0%BB.+%D0%90%D0%B1%D0%B0%D1%8F%2C+10&format=jsonv2&limit=5")
    assert status == 200
    [place] = body
    assert place["category"] == "building" and "class" not in place
    assert (place["lat"], place["lon"]) == (f"{CENTRE[0]:.7f}", f"{CENTRE[1]:.7f}")
    assert place["place_rank"] == 30 and place["display_name"] == "улица Абая, 10, Алматы, Казахстан"
    assert _get(f"{stub.url}/search?format=json")[0] == 400
    assert _get(f"{stub.url}/search?q=x&format=json")[1] == []
    assert _get(f"{stub.url}/nope")[0] == 404
    assert _get(f"{stub.url}/1.x/?geocode=x&format=json")[0] == 403
