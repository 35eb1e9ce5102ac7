"""Templates word codes through the labels catalogue in the page's language: ``{{ code|label(kind) }}`` and friends."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import render_template_string

from dispatch.jobs.context import use_context
from web import create_app

pytestmark = pytest.mark.integration


@pytest.fixture
def app(ctx):
    ctx.settings = replace(ctx.settings, secret_key="template-words-tests")
    try:
        yield create_app(ctx=ctx)
    finally:
        use_context(None)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "Назначен день|Айгуль Сейткали (курьер)|Яндекс, машина 2|3 книги|Курьер библиотеки"),
        ("kk", "Күні белгіленді|Айгуль Сейткали (курьер)|Яндекс, 2-көлік|3 кітап|Кітапхана курьері"),
    ],
)
def test_filters_follow_the_page_language(app, lang, expected) -> None:
    source = (
        '{{ "scheduled"|label("request_status") }}|{{ "courier:B01-C1"|vehicle(names) }}|{{ "yandex:2"|vehicle }}|'
        "{{ 3|counted(forms) }}|{{ label_choices('carrier')[0][1] }}"
    )
    forms = {"ru": {"one": "книга", "few": "книги", "many": "книг"}, "kk": {"one": "кітап", "other": "кітап"}}
    with app.test_request_context(f"/?lang={lang}"):
        rendered = render_template_string(source, names={"B01-C1": "Айгуль Сейткали"}, forms=forms)
    assert rendered == expected


def test_an_unassigned_reason_reads_as_why_and_what_to_do(app) -> None:
    with app.test_request_context("/?lang=ru"):
        rendered = render_template_string('{{ "no_room"|unassigned_reason }}')
    assert rendered.startswith("У всех подходящих курьеров уже нет места или времени. Добавьте курьера")
