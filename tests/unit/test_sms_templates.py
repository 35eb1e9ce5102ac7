"""SMS templates: both languages, every variant within two segments at its longest, parameters checked."""

from __future__ import annotations

import itertools
import re
import string
from datetime import date
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from notifications.segments import UCS2
from notifications.segments import count_segments
from notifications.templates import EVENTS
from notifications.templates import LANGUAGES
from notifications.templates import MAX_UNITS
from notifications.templates import PARAMS
from notifications.templates import TEMPLATES
from notifications.templates import format_date
from notifications.templates import format_time
from notifications.templates import format_window
from notifications.templates import language_of
from notifications.templates import render

VARIANTS = [(event, names) for event, template in TEMPLATES.items() for names in template.variants]

REALISTIC: dict[str, str | int] = {
    "number": "10234",
    "date": "24.11",
    "window": "10:00–14:00",
    "reason": "адрес вне зоны доставки",
    "phone": "+7 727 272 72 72",
    "eta": "13:45",
    "link": "https://dostavka.yandex.kz/r/Ab3dE",
    "books": 3,
    "due": "22.12",
    "code": "042917",
}


def _ids(variant: tuple[str, frozenset[str]]) -> str:
    event, names = variant
    return f"{event}[{','.join(sorted(names)) or '-'}]"


def test_the_event_codes_are_stable():
    assert EVENTS == (
        "request_accepted",
        "request_rejected",
        "delivery_planned",
        "courier_on_the_way",
        "delivered",
        "attempt_failed",
        "return_scheduled",
        "return_tomorrow",
        "opted_out",
        "sign_in_code",
    )


@pytest.mark.parametrize("variant", VARIANTS, ids=[_ids(v) for v in VARIANTS])
def test_every_variant_has_both_languages_and_only_its_own_placeholders(variant):
    event, names = variant
    texts = TEMPLATES[event].variants[names]
    assert set(texts) == set(LANGUAGES)
    for text in texts.values():
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        allowed = set(names) | {f"{n}_start" for n in names} | {f"{n}_end" for n in names} | {f"{n}_word" for n in names}
        assert used <= allowed, text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("variant", VARIANTS, ids=[_ids(v) for v in VARIANTS])
def test_every_template_at_its_longest_fits_two_segments(variant, language):
    event, names = variant
    ordered = sorted(names)
    longest = 0
    for values in itertools.product(*(PARAMS[name].longest for name in ordered)):
        for name, value in zip(ordered, values, strict=True):
            if isinstance(value, str):
                assert len(value) == PARAMS[name].max_len, f"{name}: its longest sample is not at max_len"
        text = render(event, language, **dict(zip(ordered, values, strict=True)))
        measured = count_segments(text)
        assert measured.encoding == UCS2
        assert measured.units <= MAX_UNITS, text
        assert measured.segments <= 2, text
        longest = max(longest, measured.units)
    assert longest > 0


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("variant", VARIANTS, ids=[_ids(v) for v in VARIANTS])
def test_every_template_at_realistic_values(variant, language):
    event, names = variant
    text = render(event, language, **{name: REALISTIC[name] for name in names})
    assert count_segments(text).segments <= 2
    assert "{" not in text and "}" not in text
    for name in names:
        if name == "window":
            assert ("с 10:00 до 14:00" if language == "ru" else "10:00–14:00") in text
        else:
            assert str(REALISTIC[name]).rstrip(".") in text


def test_realistic_texts_read_as_intended():
    assert render("request_accepted", "ru", number="10234", date="24.11", window="10:00–14:00") == (
        "Ваша заявка №10234 принята. Книги привезём 24.11 с 10:00 до 14:00. Спасибо!"
    )
    assert render("request_accepted", "kk", number="10234", date="24.11", window="10:00–14:00") == (
        "Сіздің №10234 өтініміңіз қабылданды. Кітаптарды 24.11 күні сағат 10:00–14:00 аралығында әкелеміз. Рақмет!"
    )
    assert render("courier_on_the_way", "ru", eta="13:45") == "Курьер с Вашими книгами уже в пути и приедет примерно в 13:45."
    assert render("courier_on_the_way", "ru", eta="13:45", link="https://ya.cc/t/Ab3dE").endswith(
        "Где он сейчас: https://ya.cc/t/Ab3dE"
    )
    assert render("request_rejected", "ru", reason="адрес вне зоны доставки.", phone="+7 727 272 72 72") == (
        "К сожалению, не можем выполнить Вашу заявку: адрес вне зоны доставки. Справки по телефону +7 727 272 72 72."
    )
    assert "позвоним" in render("attempt_failed", "ru")
    assert "25.11" in render("attempt_failed", "ru", date="25.11", window="14:00–18:00")
    assert "қоңырау шаламыз" in render("attempt_failed", "kk")
    assert render("sign_in_code", "ru", code="042917").startswith("Код для входа на страницу читателя: 042917.")
    assert "042917" in render("sign_in_code", "kk", code="042917")


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", "", 123456])
def test_a_sign_in_code_is_exactly_six_digits(code):
    with pytest.raises(ValueError, match="code"):
        render("sign_in_code", "ru", code=code)


@pytest.mark.parametrize(
    ("books", "word"),
    [
        (1, "книгу"),
        (2, "книги"),
        (4, "книги"),
        (5, "книг"),
        (11, "книг"),
        (12, "книг"),
        (14, "книг"),
        (21, "книгу"),
        (22, "книги"),
        (99, "книг"),
    ],
)
def test_russian_agrees_the_number_of_books(books, word):
    assert f"привезли Вам {books} {word}." in render("delivered", "ru", books=books, due="22.12")
    assert f"Сізге {books} кітап" in render("delivered", "kk", books=books, due="22.12")


@pytest.mark.parametrize("variant", VARIANTS, ids=[_ids(v) for v in VARIANTS])
def test_readers_are_addressed_politely(variant):
    event, names = variant
    texts = TEMPLATES[event].variants[names]
    assert not re.search(r"\b(вы|вас|вам|ваш\w*|тебе|твой|ты)\b", texts["ru"]), texts["ru"]
    assert not re.search(r"\b(сен|сені|саған|сенің)\b", texts["kk"], re.IGNORECASE), texts["kk"]


@pytest.mark.parametrize(
    ("given", "language"),
    [
        ("kk", "kk"),
        ("KK", "kk"),
        (" kk-KZ", "kk"),
        ("kk_KZ", "kk"),
        ("ru", "ru"),
        ("en", "ru"),
        ("kz", "ru"),
        ("", "ru"),
        (None, "ru"),
    ],
)
def test_language_falls_back_to_russian(given, language):
    assert language_of(given) == language
    expected = render("delivery_planned", language, date="24.11", window="10:00–14:00")
    assert render("delivery_planned", given, date="24.11", window="10:00–14:00") == expected


def test_a_window_with_a_hyphen_is_written_with_an_en_dash():
    assert "10:00–14:00" in render("return_tomorrow", "kk", date="24.11", window="10:00-14:00")
    assert "с 10:00 до 14:00" in render("return_tomorrow", "ru", date="24.11", window="10:00 - 14:00")


@pytest.mark.parametrize(
    ("event", "params", "complaint"),
    [
        ("no_such_event", {}, "unknown SMS event"),
        ("request_accepted", {"number": "1", "date": "24.11"}, "expected"),
        ("request_accepted", {"number": "1", "date": "24.11", "window": "10:00–14:00", "eta": "13:45"}, "unknown parameters"),
        ("courier_on_the_way", {"link": "https://ya.cc/x"}, "expected"),
        ("attempt_failed", {"date": "24.11"}, "expected"),
        ("request_rejected", {"reason": "ж" * 51, "phone": "+7 727 272 72 72"}, "at most 50"),
        ("request_rejected", {"reason": "😀" * 26, "phone": "+7 727 272 72 72"}, "at most 50"),
        ("request_rejected", {"reason": "   ", "phone": "+7 727 272 72 72"}, "empty"),
        ("request_rejected", {"reason": "...", "phone": "+7 727 272 72 72"}, "empty"),
        ("request_rejected", {"reason": "две\nстроки", "phone": "+7 727 272 72 72"}, "control character"),
        ("request_rejected", {"reason": "нет", "phone": "+7 (727) 272-72-72 доб. 5"}, "at most 16"),
        ("opted_out", {"phone": "позвоните нам"}, "is not a"),
        ("courier_on_the_way", {"eta": "13:45", "link": "https://" + "x" * 33}, "at most 40"),
        ("courier_on_the_way", {"eta": "13:45", "link": "ya.cc/x"}, "is not a"),
        ("courier_on_the_way", {"eta": "25:00"}, "is not a"),
        ("delivery_planned", {"date": "2026-11-24", "window": "10:00–14:00"}, "at most 5"),
        ("delivery_planned", {"date": "32.11", "window": "10:00–14:00"}, "is not a"),
        ("delivery_planned", {"date": "24.11", "window": "до обеда"}, "is not a"),
        ("delivery_planned", {"date": "24.11", "window": "14:00–10:00"}, "ends before it starts"),
        ("delivery_planned", {"date": date(2026, 11, 24), "window": "10:00–14:00"}, "must be a str"),
        ("request_accepted", {"number": "10 234", "date": "24.11", "window": "10:00–14:00"}, "is not a"),
        ("request_accepted", {"number": "12345678901", "date": "24.11", "window": "10:00–14:00"}, "at most 10"),
        ("delivered", {"books": 0, "due": "22.12"}, "from 1 to 99"),
        ("delivered", {"books": 100, "due": "22.12"}, "from 1 to 99"),
        ("delivered", {"books": "3", "due": "22.12"}, "from 1 to 99"),
        ("delivered", {"books": True, "due": "22.12"}, "from 1 to 99"),
    ],
)
def test_bad_parameters_are_refused(event, params, complaint):
    with pytest.raises(ValueError, match=re.escape(complaint)):
        render(event, "ru", **params)


def test_formatters_give_the_parameter_formats():
    almaty = ZoneInfo("Asia/Almaty")
    assert format_date(date(2026, 11, 4)) == "04.11"
    assert format_time(time(9, 5)) == "09:05"
    assert format_time(datetime(2026, 11, 24, 13, 45, tzinfo=almaty)) == "13:45"
    assert format_window(time(10), time(14)) == "10:00–14:00"
    assert render("return_scheduled", "ru", date=format_date(date(2026, 11, 4)), window=format_window(time(10), time(14)))
