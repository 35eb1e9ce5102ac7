"""Error pages in the person's language (400 expired form, 403, 404, 405, 429, 500), JSON kept for the API, and the language switch keeping a form."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import func
from sqlalchemy import select

from dispatch.errors import NotFound
from dispatch.jobs.context import use_context
from dispatch.models import SmsMessage
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.browser.raw_codes import visible_text
from tests.integration.courier_day import PASSWORD
from tests.integration.courier_day import add_courier
from web import create_app

pytestmark = pytest.mark.integration

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WERKZEUG = ("Not Found", "Method Not Allowed", "Bad Request", "Forbidden", "Internal Server Error", "Too Many Requests")


@pytest.fixture
def app(ctx):
    ctx.settings = replace(ctx.settings, secret_key="error-page-tests")
    built = create_app(ctx=ctx)
    built.config["SESSION_COOKIE_SECURE"] = False

    @built.get("/broken-for-tests")
    def broken() -> str:
        raise RuntimeError("a bug")

    try:
        yield built
    finally:
        use_context(None)


def _token(html: str) -> str:
    found = CSRF.search(html)
    assert found, html
    return found.group(1)


def _is_site_page(html: str, status: int, title: str, lang: str = "ru") -> None:
    assert f'<html lang="{lang}">' in html
    assert 'href="/static/site.css' in html  # styled like every page
    assert f"<h1>{title}</h1>" in html
    assert str(status) in html
    for english in WERKZEUG:
        assert english not in html
    assert_no_raw_codes(visible_text(html), where=f"the {status} page")


@pytest.mark.parametrize(
    ("lang", "title", "todo"),
    [
        ("ru", "Страница не найдена", "Проверьте адрес или перейдите на главную страницу."),
        ("kk", "Бет табылмады", "Мекенжайды тексеріңіз немесе басты бетке өтіңіз."),
    ],
)
def test_an_unknown_address_gets_a_translated_page_with_the_way_on(app, lang, title, todo) -> None:
    response = app.test_client().get(f"/no-such-page?lang={lang}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    _is_site_page(html, 404, title, lang)
    assert todo in html
    assert 'href="/"' in html  # to the start page
    other = "kk" if lang == "ru" else "ru"
    assert f'href="/no-such-page?lang={other}"' in html  # the switch keeps the address


def test_a_form_step_opened_by_address_says_how_to_begin_again(app) -> None:
    response = app.test_client().get("/books/delivery/when")
    assert response.status_code == 405
    assert response.headers["Allow"]
    _is_site_page(response.get_data(as_text=True), 405, "Эту страницу нельзя открыть таким способом")


def test_an_expired_form_is_explained_and_nothing_happens(app, ctx) -> None:
    client = app.test_client()
    response = client.post("/sign-in", data={"card": "0300001"}, headers={"Referer": "http://localhost/sign-in"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    _is_site_page(html, 400, "Срок действия формы истёк")
    assert "Ничего не сохранено." in html


def test_a_page_of_another_role_is_refused_in_words(app, ctx) -> None:
    add_courier(ctx, "C09")
    client = app.test_client()
    token = _token(client.get("/staff/sign-in").get_data(as_text=True))
    signed = client.post("/staff/sign-in", data={"csrf_token": token, "username": "C09", "password": PASSWORD})
    assert signed.status_code == 302
    response = client.get("/console/?lang=kk")
    assert response.status_code == 403
    _is_site_page(response.get_data(as_text=True), 403, "Бұл бет Сізге қолжетімсіз", "kk")


def test_too_many_sign_in_attempts_ask_to_wait(app) -> None:
    client = app.test_client()
    statuses = []
    for _ in range(12):
        token = _token(client.get("/sign-in").get_data(as_text=True))
        statuses.append(client.post("/sign-in", data={"csrf_token": token, "card": "9999999"}))
    refused = statuses[-1]
    assert refused.status_code == 429
    _is_site_page(refused.get_data(as_text=True), 429, "Слишком много попыток")
    assert "Подождите минуту" in refused.get_data(as_text=True)


def test_a_bug_shows_our_apology_and_the_library_phone(app, ctx) -> None:
    response = app.test_client().get("/broken-for-tests?lang=kk")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    _is_site_page(html, 500, "Біздің тарапта бірдеңе дұрыс болмады", "kk")
    assert ctx.settings.sms.library_phone in html


def test_the_api_and_the_webhooks_keep_their_own_errors(app) -> None:
    client = app.test_client()
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.is_json
    assert api.get_json()["error"]["code"] == "page_not_found"
    hook = client.get("/hooks/twilio/sms-status")
    assert hook.status_code == 405
    assert "<h1>Method Not Allowed</h1>" in hook.get_data(as_text=True)  # a machine reads the status


def test_switching_language_mid_form_keeps_what_was_typed_and_sends_nothing(app, ctx) -> None:
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'form="card-form"' in page
    assert 'name="_lang" value="kk"' in page
    switched = client.post("/sign-in", data={"csrf_token": _token(page), "card": "0300001", "_lang": "kk"})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200  # the same form again, not the code step
    assert '<html lang="kk">' in html
    assert 'value="0300001"' in html
    assert 'class="error' not in html  # nothing was checked yet
    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SmsMessage)) == 0
    # the choice is remembered for the next pages
    assert '<html lang="kk">' in client.get("/").get_data(as_text=True)


def test_a_domain_error_escaping_a_page_is_a_page_with_its_own_words(ctx) -> None:
    ctx.settings = replace(ctx.settings, secret_key="error-page-tests")
    built = create_app(ctx=ctx)

    @built.get("/missing-route-for-tests")
    def missing() -> str:
        raise NotFound(what="route", id=7)

    try:
        response = built.test_client().get("/missing-route-for-tests?lang=kk")
    finally:
        use_context(None)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert not response.is_json
    _is_site_page(html, 404, "Бет табылмады", "kk")
