"""Every code a person can see has words in Russian, Kazakh and English, and unknown codes never break a page."""

from __future__ import annotations

from dispatch import labels


def test_every_enum_value_has_words_in_every_language() -> None:
    assert labels.missing() == []


def test_words_follow_the_language_and_fall_back_to_russian() -> None:
    assert labels.label("request_status", "scheduled", "ru") == "Назначен день"
    assert labels.label("request_status", "scheduled", "kk") == "Күні белгіленді"
    assert labels.label("failure_reason", "not_at_home", "en") == "Reader not at home"
    assert labels.label("carrier", "in_house", "de") == "Курьер библиотеки"


def test_no_code_is_empty_and_an_unknown_code_is_given_back() -> None:
    assert labels.label("route_status", None) == ""
    assert labels.label("route_status", "teleported") == "teleported"
    assert labels.choices("stop_outcome", "kk")[0] == ("delivered", "Жеткізілді")
