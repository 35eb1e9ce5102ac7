"""The raw-code check used by the page tests catches codes, vehicle ids and public ids, and lets words through."""

from __future__ import annotations

import secrets

import pytest

from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.browser.raw_codes import raw_codes
from tests.integration.browser.raw_codes import visible_text


def test_codes_vehicle_ids_and_public_ids_are_caught() -> None:
    text = "Статус: scheduled · маршрут courier:B01-C1, yandex:2 · перевозчик in_house · заявка OaIEuevOJNbJvy-UaSXmwA"
    assert raw_codes(text) == ["courier:B01-C1", "yandex:2", "scheduled", "in_house", "OaIEuevOJNbJvy-UaSXmwA"]
    with pytest.raises(AssertionError, match="the console shows raw codes"):
        assert_no_raw_codes("no_vehicle_with_skills — no courier has…", where="the console")


def test_every_random_public_id_is_caught() -> None:
    assert all(raw_codes(secrets.token_urlsafe(16)) for _ in range(2000))


def test_words_times_phones_barcodes_and_brands_pass() -> None:
    text = (
        "Назначен день · 10:00–14:00 · +7 727 123 45 67 · штрихкод 0100200300401 · Айгуль Сейткали (курьер) · "
        "Яндекс, машина 2 · © OpenStreetMap contributors · SMS · B01"
    )
    assert raw_codes(text) == []
    assert raw_codes("draft", allow=["draft"]) == []


def test_only_what_a_person_reads_is_checked() -> None:
    html = '<p title="x">Готово</p><input type="hidden" name="status" value="scheduled"><script>var s = "in_house";</script>'
    assert visible_text(html).split() == ["Готово"]
