"""Inbound SMS keywords: opt-out, opt-in and help in English, Russian and Kazakh, tolerant of how people type."""

from __future__ import annotations

import pytest

from notifications.keywords import HELP
from notifications.keywords import OPT_IN
from notifications.keywords import OPT_OUT
from notifications.keywords import classify
from notifications.keywords import normalize


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "СТОП",
        "ОТПИСАТЬСЯ",
        "ОТПИСКА",
        "ХВАТИТ",
        "ТОҚТАТУ",
        "ТОҚТА",
        "ЖАЗЫЛУДАН БАС ТАРТУ",
    ],
)
def test_opt_out_keywords(body):
    assert classify(body) == OPT_OUT
    assert classify(body.lower()) == OPT_OUT
    assert classify(body.capitalize()) == OPT_OUT


@pytest.mark.parametrize("body", ["START", "YES", "UNSTOP", "СТАРТ", "БАСТАУ", "start", "Старт", "бастау"])
def test_opt_in_keywords(body):
    assert classify(body) == OPT_IN


@pytest.mark.parametrize("body", ["HELP", "info", "Помощь", "СПРАВКА", "көмек"])
def test_help_keywords(body):
    assert classify(body) == HELP


@pytest.mark.parametrize(
    "body",
    [
        " stop ",
        "Stop!",
        "STOP.",
        "«Стоп»",
        '"стоп"',
        "\tСТОП\n",
        "стоп!!!",
        "...хватит...",
        "Жазылудан  бас,  тарту!",
        "ОТПИСАТЬСЯ 🙏",
    ],
)
def test_spaces_and_punctuation_around_the_word_do_not_matter(body):
    assert classify(body) == OPT_OUT


@pytest.mark.parametrize(
    "body",
    [
        "SТОР",  # Latin S, Cyrillic Т О Р
        "ЅТОР",  # Cyrillic dze for S
        "STOР",  # Cyrillic Р for P
        "sтop",
        "CTOП",  # Latin C T O, Cyrillic П
        "сTOп",
        "ST0P",  # a zero for the O
        "СТ0П",
    ],
)
def test_latin_and_cyrillic_look_alikes_are_tolerated_for_stop(body):
    assert classify(body) == OPT_OUT


@pytest.mark.parametrize("body", ["ТОКТАТУ", "токта", "ЖАЗЫЛУДАН БАС ТАРТУ", "жазылудан бас тарту"])
def test_kazakh_typed_on_a_russian_keyboard(body):
    assert classify(body) == OPT_OUT


@pytest.mark.parametrize(
    "body",
    [
        None,
        "",
        "   ",
        "!!!",
        "Спасибо!",
        "stop sending the books tomorrow",  # a message for a person, as Twilio reads it too
        "не надо стоп",
        "стопка книг",
        "STOPS",
        "СТОР",  # Cyrillic «стор» is neither STOP nor СТОП
        "да",
        "ОТМЕНА",  # «cancel» in Russian more likely means the delivery, not the SMS
    ],
)
def test_ordinary_messages_are_not_keywords(body):
    assert classify(body) is None


def test_normalize():
    assert normalize("  «Жазылудан —  бас тарту»!! ") == "жазылудан бас тарту"
