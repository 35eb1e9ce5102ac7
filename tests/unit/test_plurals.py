"""Numbers of things read right in Russian and Kazakh: "1 книга, 2 книги, 5 книг", "2 незавершённые заявки"."""

from __future__ import annotations

import pytest

from dispatch.messages import render
from notifications.plurals import Count
from notifications.plurals import category
from notifications.plurals import counted

BOOKS = {"one": "книга", "few": "книги", "many": "книг"}


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 книга"),
        (2, "2 книги"),
        (4, "4 книги"),
        (5, "5 книг"),
        (11, "11 книг"),
        (14, "14 книг"),
        (21, "21 книга"),
        (0, "0 книг"),
    ],
)
def test_russian_follows_cldr(count, words):
    assert counted(count, "ru", BOOKS) == words


def test_kazakh_keeps_the_noun_and_an_unknown_language_counts_as_russian():
    assert [category(n, "kk") for n in (1, 2, 5)] == ["one", "other", "other"]
    assert counted(5, "kk", {"one": "кітап", "other": "кітап"}) == "5 кітап"
    assert category(3, "xx-not-a-language") == "few"


def test_a_count_words_itself_in_a_format_spec_and_stays_a_number():
    spec = "{n:plural:заявка,заявки,заявок}"
    assert [spec.format(n=Count(n, "ru")) for n in (1, 3, 7)] == ["1 заявка", "3 заявки", "7 заявок"]
    assert "{n:plural:day,days}".format(n=Count(1, "en")) == "1 day"
    assert f"{Count(7, 'ru'):03d}" == "007"
    assert Count(7, "ru") + 1 == 8


@pytest.mark.parametrize(
    ("open_requests", "words"),
    [(1, "1 незавершённая заявка"), (2, "2 незавершённые заявки"), (5, "5 незавершённых заявок")],
)
def test_messages_agree_with_their_numbers(open_requests, words):
    assert words in render("too_many_open_requests", "ru", {"open": open_requests, "limit": 3})
    assert "не больше 5 книг, в заявке 2 книги." in render("too_many_items", "ru", {"limit": 5, "count": 2})
    assert "на 1 день вперёд" in render("date_too_far", "ru", {"days": 1, "last": "2026-12-01"})
    assert "at most 1 day ahead" in render("date_too_far", "en", {"days": 1, "last": "2026-12-01"})


def test_a_count_given_as_text_still_gives_the_message():
    assert render("too_many_items", "ru", {"limit": "5", "count": "7"}) == "В одной доставке можно не больше 5, в заявке 7."
