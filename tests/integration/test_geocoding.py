"""Geocoding on PostgreSQL: the answer cache, and the reader import placing rows that come without coordinates."""

from __future__ import annotations

import json
import typing as t
from datetime import timedelta
from itertools import pairwise

import pytest
from click.testing import CliRunner
from sqlalchemy import func
from sqlalchemy import select

from cli.app import cli
from dispatch.config import GeocodingSettings
from dispatch.db import make_engine
from dispatch.db import session_factory
from dispatch.db import upgrade
from dispatch.geocoding import DbGeocodeCache
from dispatch.geocoding import make_geocoder
from dispatch.imports.importers import SPECS
from dispatch.imports.importers import run_import
from dispatch.models import GeocodeCacheEntry
from dispatch.models import Reader
from dispatch.models import utcnow
from dispatch.requests.intake import submit_request
from integrations.geocoder.standin import GeocoderStub
from integrations.geocoder.standin import KnownPlace
from routing.geocoding import CachedAnswer
from routing.geocoding import Located
from routing.geocoding import Place
from routing.geocoding import Precision
from tests.conftest import CENTRE
from tests.conftest import TALGAR

pytestmark = pytest.mark.integration

PLACES = {
    "ул. Абая, 10": KnownPlace(CENTRE[0], CENTRE[1], "улица Абая, 10"),
    "Талгар, ул. Кунаева, 1": KnownPlace(TALGAR[0], TALGAR[1], "улица Кунаева, 1", description="Талгар, Казахстан"),
    "ул. Жандосова": KnownPlace(43.2270, 76.8700, "улица Жандосова", kind="street", precision="street", place_rank=26),
}

HEADER = "card_number;full_name;phone;address;lat;lon;home_branch;disability_group;card_expires_on\n"
READERS_CSV = HEADER + (
    "0300001;Абенова Сауле;8 701 111 22 01;ул. Абая, 10;;;B01;1;2027-12-31\n"
    "0300002;Ким Виктор;8 701 111 22 02;ул. Несуществующая, 99;;;B01;1;2027-12-31\n"
    "0300003;Жумабаев Ерлан;8 701 111 22 03;Талгар, ул. Кунаева, 1;;;B01;1;2027-12-31\n"
    "0300004;Оспанова Гульнара;8 701 111 22 04;ул. Жандосова;;;B01;1;2027-12-31\n"
    "0300005;Петрова Мария;8 701 111 22 05;ул. Сатпаева, 5;43.23;76.90;B01;1;2027-12-31\n"
    ";Без билета;8 701 111 22 06;ул. Абая, 10;;;B01;1;2027-12-31\n"
    "0300007;Плохой телефон;12-34;ул. Нигде, 7;;;B01;1;2027-12-31\n"
)


class VirtualTime:
    """A clock that moves only when something sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def time_() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def stub(time_) -> t.Iterator[GeocoderStub]:
    with GeocoderStub(PLACES, clock=time_.clock) as server:
        yield server


@pytest.fixture
def geocoding(ctx, stub, time_):
    """The context's geocoder, switched on and pointed at the stand-in, in virtual time."""
    settings = GeocodingSettings(enabled=True, domain=stub.domain, scheme="http", min_delay_s=1.0, timeout_s=2.0)
    ctx.geocoder = make_geocoder(settings, ctx.area, ctx.sessions, proxies={}, clock=time_.clock, sleep=time_.sleep)
    return ctx.geocoder


def write(tmp_path, content: str, name: str = "readers.csv"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def point(ctx, card: str) -> tuple[float | None, float | None]:
    with ctx.uow() as uow:
        return tuple(uow.session.execute(select(Reader.lat, Reader.lon).where(Reader.card_number == card)).one())


def cached_rows(ctx) -> int:
    with ctx.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(GeocodeCacheEntry))


def test_the_database_cache_keeps_places_and_not_found_answers_per_provider(ctx):
    now = utcnow()
    cache = DbGeocodeCache(ctx.sessions, provider="nominatim", clock=lambda: now)
    place = Place(43.2389, 76.9455, "улица Абая, 10, Алматы", "nominatim", kind="building", precision=Precision.HOUSE)
    assert cache.get("ул. абая, 10") is None
    cache.put("ул. абая, 10", CachedAnswer(place))
    cache.put("ул. нет, 1", CachedAnswer(None))
    assert cache.get("ул. абая, 10") == CachedAnswer(place)
    assert cache.get("ул. нет, 1") == CachedAnswer(None)
    assert DbGeocodeCache(ctx.sessions, provider="yandex").get("ул. абая, 10") is None
    cache.put("ул. нет, 1", CachedAnswer(place))  # replaced, not duplicated
    assert cache.get("ул. нет, 1") == CachedAnswer(place)
    assert cached_rows(ctx) == 2


def test_a_not_found_answer_is_asked_again_after_a_month(ctx):
    stored_at = utcnow()
    DbGeocodeCache(ctx.sessions, provider="nominatim", clock=lambda: stored_at).put("ул. нет, 1", CachedAnswer(None))
    soon = DbGeocodeCache(ctx.sessions, provider="nominatim", clock=lambda: stored_at + timedelta(days=29))
    later = DbGeocodeCache(ctx.sessions, provider="nominatim", clock=lambda: stored_at + timedelta(days=31))
    assert soon.get("ул. нет, 1") == CachedAnswer(None)
    assert later.get("ул. нет, 1") is None


def test_answers_are_shared_by_every_geocoder_on_the_database(ctx, stub, geocoding):
    assert isinstance(geocoding.geocode("ул. Абая, 10"), Located)
    settings = GeocodingSettings(enabled=True, domain=stub.domain, scheme="http", min_delay_s=0.0)
    another = make_geocoder(settings, ctx.area, ctx.sessions, proxies={})
    assert another is not None
    outcome = another.geocode("ул.  абая,10")
    assert isinstance(outcome, Located) and outcome.cached
    assert len(stub.requests) == 1


def test_geocoding_off_makes_no_geocoder(ctx):
    assert make_geocoder(GeocodingSettings(), ctx.area, ctx.sessions) is None


def test_reader_import_geocodes_rows_without_coordinates_and_lists_the_rest_for_a_person(ctx, world, stub, geocoding, tmp_path):
    report = run_import(ctx, SPECS["readers"], write(tmp_path, READERS_CSV))
    assert (report.created, [r.line for r in report.rejected]) == (5, [7, 8])  # rows needing attention are imported
    assert [(r.line, r.key, [p.code for p in r.problems]) for r in report.needs_attention] == [
        (3, "0300002", ["geocode_not_found"]),
        (4, "0300003", ["geocode_outside_area"]),
        (5, "0300004", ["geocode_imprecise"]),
    ]
    assert report.needs_attention[0].message("ru") == (
        "строка 3 (0300002): геокодер не нашёл адрес «ул. Несуществующая, 99»; читатель загружен без координат — отметьте дом на карте"
    )
    assert "Талгар" in report.needs_attention[1].message("en")
    assert report.summary("ru").endswith("отклонено 2, требуют внимания 3")
    assert point(ctx, "0300001") == pytest.approx(CENTRE)
    assert point(ctx, "0300005") == (43.23, 76.90)  # from the file, not asked
    for card in ("0300002", "0300003", "0300004"):
        assert point(ctx, card) == (None, None), card  # never a guess
    asked = [request.params["q"] for request in stub.requests]
    assert "ул. Сатпаева, 5, Алматы, Казахстан" not in asked
    assert asked.count("ул. Абая, 10, Алматы, Казахстан") == 1  # two rows, one address, one request
    assert [b.at - a.at for a, b in pairwise(stub.requests)] == [1.0] * (len(asked) - 1)  # paced by the rate limiter
    result = submit_request(ctx, card_number="0300002", barcodes=[world.books_b01[0]], channel="phone")
    assert result.status == "rejected"
    assert [reason["code"] for reason in result.reasons] == ["address_missing"]


def test_a_reimport_asks_nothing_new_and_keeps_a_point_an_operator_picked(ctx, world, stub, geocoding, tmp_path):
    path = write(tmp_path, READERS_CSV)
    run_import(ctx, SPECS["readers"], path)
    asked = len(stub.requests)
    with ctx.uow() as uow:
        fixed = uow.session.execute(select(Reader).where(Reader.card_number == "0300002")).scalar_one()
        fixed.lat, fixed.lon = 43.2401, 76.9302  # the operator placed the house on the map
        uow.commit()
    again = run_import(ctx, SPECS["readers"], path)
    assert len(stub.requests) == asked  # every answer came from the cache
    assert [(r.line, r.problems[0].code) for r in again.needs_attention] == [
        (4, "geocode_outside_area"),
        (5, "geocode_imprecise"),
    ]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert point(ctx, "0300002") == (43.2401, 76.9302)
    moved = READERS_CSV.replace(
        "0300002;Ким Виктор;8 701 111 22 02;ул. Несуществующая, 99", "0300002;Ким Виктор;8 701 111 22 02;ул. Абая, 10"
    )
    run_import(ctx, SPECS["readers"], write(tmp_path, moved, "moved.csv"))
    assert point(ctx, "0300002") == pytest.approx(CENTRE)  # a new address is placed anew


def test_a_geocoder_that_is_down_is_asked_once_and_the_readers_still_come_in(ctx, world, stub, geocoding, tmp_path):
    stub.fail_next(100, status=503)
    report = run_import(ctx, SPECS["readers"], write(tmp_path, READERS_CSV))
    assert (report.created, len(report.rejected)) == (5, 2)
    assert [r.problems[0].code for r in report.needs_attention] == ["geocode_service_error"] * 4
    assert len(stub.requests) == 3  # the first address, with its two retries; then the cache only
    assert cached_rows(ctx) == 0  # a failure is not an answer
    assert point(ctx, "0300001") == (None, None)


def test_import_command_prints_rows_needing_attention_and_exits_zero(ctx, pg_url, world, stub, tmp_path):
    path = write(
        tmp_path,
        HEADER + "0300001;Абенова Сауле;8 701 111 22 01;ул. Абая, 10;;;B01;1;\n0300002;Ким Виктор;;ул. Нет, 9;;;B01;1;\n",
    )
    env = {
        "DISPATCH_DATABASE_URL": pg_url,
        "DISPATCH_GEOCODING": "on",
        "DISPATCH_GEOCODER_URL": stub.url,
        "DISPATCH_GEOCODER_MIN_DELAY_S": "0",
        "no_proxy": "127.0.0.1",
        "NO_PROXY": "127.0.0.1",
    }
    result = CliRunner().invoke(cli, ["import", "readers", str(path)], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "требует внимания: строка 3 (0300002): геокодер не нашёл адрес «ул. Нет, 9»" in result.output
    assert "добавлено 2, обновлено 0, без изменений 0, отклонено 0, требуют внимания 1" in result.output
    as_json = json.loads(CliRunner().invoke(cli, ["import", "readers", "--json", str(path)], env=env).output)
    assert [(r["line"], r["problems"], r["params"][0]["address"]) for r in as_json["needs_attention"]] == [
        (3, ["geocode_not_found"], "ул. Нет, 9")
    ]
    assert len(stub.requests) == 2  # the second run answered from the database
    assert point(ctx, "0300001") == pytest.approx(CENTRE)


def test_the_database_cache_works_on_sqlite_too(tmp_path):
    url = f"sqlite:///{tmp_path / 'cache.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        cache = DbGeocodeCache(session_factory(engine), provider="yandex")
        place = Place(43.2389, 76.9455, "улица Абая, 10", "yandex", kind="house", precision=Precision.HOUSE)
        cache.put("ул. абая, 10", CachedAnswer(None))
        cache.put("ул. абая, 10", CachedAnswer(place))
        assert cache.get("ул. абая, 10") == CachedAnswer(place)
    finally:
        engine.dispose()
