"""Phones, configuration, the message catalogue, the service area and the CSV readers."""

from __future__ import annotations

import string
from datetime import date
from datetime import time

import pytest

from demo.osm_places import clean_street
from demo.population import patronymic
from dispatch.config import Settings
from dispatch.domain.phones import is_mobile
from dispatch.domain.phones import to_e164
from dispatch.errors import ImportFileError
from dispatch.imports.csv_source import read_rows
from dispatch.imports.fields import RowReader
from dispatch.imports.report import AttentionRow
from dispatch.imports.report import ImportReport
from dispatch.imports.report import RowProblem
from dispatch.messages import CATALOGUE
from dispatch.messages import render
from tests.conftest import CENTRE
from tests.conftest import TALGAR


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("8 701 123 45 67", "+77011234567"),
        ("+7 (777) 123-45-67", "+77771234567"),
        ("7012345678", "+77012345678"),
        ("8 727 250 12 34", "+77272501234"),
        ("12-34", None),
        ("", None),
        ("phone", None),
    ],
)
def test_phones_become_e164(raw, e164):
    assert to_e164(raw) == e164


def test_kazakh_mobiles_and_almaty_landlines():
    assert is_mobile("+77011234567")
    assert is_mobile("+77771234567")
    assert not is_mobile("+77272501234")


def test_settings_from_environment():
    env = {
        "DISPATCH_MIN_AGE_YEARS": "65",
        "DISPATCH_ELIGIBLE_DISABILITY_GROUPS": "1, 2, 3",
        "DISPATCH_CUTOFF": "12:30",
        "DISPATCH_WORKING_DAYS": "mon,tue,wed,thu,fri,sat",
        "DISPATCH_DEFAULT_WINDOW": "11:00-17:00",
        "DISPATCH_ACCEPT_TEMPORARY_CONDITION": "no",
        "DISPATCH_DATABASE_URL": "postgresql+psycopg://x@y/z",
        "DISPATCH_PLAN_SOLUTION_LIMIT": "300",
    }
    settings = Settings.from_env(env)
    assert settings.eligibility.min_age_years == 65
    assert settings.eligibility.eligible_disability_groups == {1, 2, 3}
    assert settings.eligibility.accept_temporary_condition is False
    assert settings.schedule.cutoff == time(12, 30)
    assert settings.schedule.working_weekdays == {0, 1, 2, 3, 4, 5}
    assert settings.schedule.default_window == (time(11), time(17))
    assert settings.database_url == "postgresql+psycopg://x@y/z"
    assert settings.planning.solution_limit == 300
    assert Settings.from_env({"DISPATCH_PLAN_SOLUTION_LIMIT": ""}).planning.solution_limit is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DISPATCH_MIN_AGE_YEARS", "old"),
        ("DISPATCH_CUTOFF", "2pm"),
        ("DISPATCH_WORKING_DAYS", "monday,funday"),
        ("DISPATCH_DEFAULT_WINDOW", "18:00-10:00"),
        ("DISPATCH_REQUIRE_PHONE", "maybe"),
        ("DISPATCH_PLAN_SOLUTION_LIMIT", "0"),
        ("DISPATCH_PLAN_SOLUTION_LIMIT", "many"),
    ],
)
def test_bad_settings_name_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value})


def test_every_message_has_russian_and_kazakh_with_the_same_placeholders():
    for code, texts in CATALOGUE.items():
        assert texts.get("ru") and texts.get("kk") and texts.get("en"), code
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(text) if f} for lang, text in texts.items()}
        assert fields["ru"] == fields["kk"] == fields["en"], code


def test_render_falls_back_to_russian_and_keeps_unknown_placeholders():
    assert render("card_not_found", "de", {"card": "1"}) == render("card_not_found", "ru", {"card": "1"})
    assert "{card}" in render("card_not_found", "ru", {})
    assert render("no_such_code", "ru") == "no_such_code"


def test_service_area_holds_the_city_and_not_the_suburbs(area):
    assert area.contains(*CENTRE)
    assert not area.contains(*TALGAR)
    assert area.name == "Алматы"


def test_csv_reader_handles_bom_semicolons_blank_lines_and_quoted_newlines(tmp_path):
    path = tmp_path / "readers.csv"
    path.write_text('\ufeffCard_Number ; Full_Name\n1;"Иванова\nАнна"\n\n2;Петров\n', encoding="utf-8")
    rows = list(read_rows(path, required=["card_number", "full_name"], known=["card_number", "full_name"]))
    assert rows == [(2, {"card_number": "1", "full_name": "Иванова\nАнна"}), (5, {"card_number": "2", "full_name": "Петров"})]


def test_csv_reader_names_missing_columns(tmp_path):
    path = tmp_path / "readers.csv"
    path.write_text("card,name\n1,x\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        list(read_rows(path, required=["card_number"], known=["card_number", "full_name"]))
    assert "card_number" in caught.value.message("ru")


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00b\x00a\x00d"])
def test_csv_reader_refuses_empty_or_non_utf8(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError):
        list(read_rows(path, required=["a"], known=["a"]))


def test_row_reader_collects_every_problem():
    fields = RowReader({"birth_date": "31.02.1950", "phone": "12", "disability_group": "4", "blocked": "может", "lat": "43.2"})
    assert fields.date("birth_date") is None
    assert fields.phone("phone") is None
    assert fields.integer("disability_group", low=1, high=3) is None
    assert fields.flag("blocked") is None
    assert fields.coordinates() == (None, None)
    assert fields.text("card_number", required=True) is None
    assert [p.code for p in fields.problems] == [
        "row_bad_date",
        "row_bad_phone",
        "row_bad_number",
        "row_bad_choice",
        "row_half_coordinates",
        "row_missing_value",
    ]


def test_row_reader_reads_good_values_in_both_date_styles():
    fields = RowReader({"a": "1950-02-28", "b": "28.02.1950", "f": "да", "g": "жоқ", "lat": "43,25", "lon": "76.95"})
    assert fields.date("a") == fields.date("b") == date(1950, 2, 28)
    assert fields.flag("f") is True and fields.flag("g") is False
    assert fields.coordinates() == (43.25, 76.95)
    assert fields.problems == []


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Абая прс.", "пр. Абая"),
        ("улица Толе Би", "ул. Толе Би"),
        ("мкн № 5", "мкр. 5"),
        ("Кульжинский тракт", "Кульжинский тракт"),
        ("Надземный переход", None),
        ("A1", None),
        ("ул. Джандосова;ул.Джандосова", "ул. Джандосова"),
    ],
)
def test_street_names_from_the_map_are_tidied(raw, clean):
    assert clean_street(raw) == clean


@pytest.mark.parametrize(
    ("father", "woman", "expected"),
    [
        ("Николай", True, "Николаевна"),
        ("Анатолий", False, "Анатольевич"),
        ("Болат", True, "Болатовна"),
        ("Сергей", False, "Сергеевич"),
    ],
)
def test_patronymics(father, woman, expected):
    assert patronymic(father, woman=woman) == expected


def test_geocoding_is_off_by_default_and_read_from_the_environment():
    default = Settings.from_env({}).geocoding
    assert (default.enabled, default.provider, default.domain, default.scheme, default.min_delay_s) == (
        False,
        "nominatim",
        None,
        "https",
        1.0,
    )
    env = {
        "DISPATCH_GEOCODING": "on",
        "DISPATCH_GEOCODER": "Yandex",
        "DISPATCH_GEOCODER_URL": "http://127.0.0.1:8089/",
        "DISPATCH_GEOCODER_API_KEY": "key",
        "DISPATCH_GEOCODER_MIN_DELAY_S": "0.5",
        "DISPATCH_GEOCODER_TIMEOUT_S": "3",
    }
    geocoding = Settings.from_env(env).geocoding
    assert (geocoding.enabled, geocoding.provider, geocoding.domain, geocoding.scheme) == (
        True,
        "yandex",
        "127.0.0.1:8089",
        "http",
    )
    assert (geocoding.api_key, geocoding.min_delay_s, geocoding.timeout_s) == ("key", 0.5, 3.0)
    bare = Settings.from_env({"DISPATCH_GEOCODER_URL": "nominatim.example.kz", "DISPATCH_GEOCODER_SCHEME": "http"}).geocoding
    assert (bare.domain, bare.scheme) == ("nominatim.example.kz", "http")


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"DISPATCH_GEOCODER": "google"}, "DISPATCH_GEOCODER"),
        ({"DISPATCH_GEOCODER_MIN_DELAY_S": "-1"}, "DISPATCH_GEOCODER_MIN_DELAY_S"),
        ({"DISPATCH_GEOCODER_MIN_DELAY_S": "soon"}, "DISPATCH_GEOCODER_MIN_DELAY_S"),
        ({"DISPATCH_GEOCODER_URL": "ftp://host"}, "DISPATCH_GEOCODER_URL"),
        ({"DISPATCH_GEOCODING": "on", "DISPATCH_GEOCODER": "yandex"}, "DISPATCH_GEOCODER_API_KEY"),
    ],
)
def test_bad_geocoding_settings_name_the_variable(env, name):
    with pytest.raises(ValueError, match=name):
        Settings.from_env(env)


def test_rows_needing_attention_are_listed_apart_and_do_not_fail_the_import():
    report = ImportReport(kind="readers", path="r.csv", created=2)
    report.needs_attention.append(
        AttentionRow(
            3, "0100007", (RowProblem("geocode_not_found", {"address": "ул. Нет, 1", "found": "", "lat": "", "lon": ""}),)
        )
    )
    assert report.ok and report.rows == 2
    assert report.summary("ru").endswith("отклонено 0, требуют внимания 1")
    assert "требуют" not in ImportReport(kind="readers", path="r.csv").summary("ru")
    assert report.needs_attention[0].message("kk").startswith("жол 3 (0100007): геокодер «ул. Нет, 1» мекенжайын таппады")
    [listed] = report.as_dict("en")["needs_attention"]
    assert (listed["line"], listed["problems"], listed["params"][0]["address"]) == (3, ["geocode_not_found"], "ул. Нет, 1")
    assert render("import_needs_attention", "en", {"row": "line 3"}) == "needs attention: line 3"
