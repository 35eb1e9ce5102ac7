"""Error pages in Chromium: styled like the site, in Russian and Kazakh, saying what happened and what to do."""

from __future__ import annotations

import pytest

from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.courier_day import PASSWORD
from tests.integration.courier_day import add_courier

pytestmark = pytest.mark.integration


def _check(page, name: str, heading: str) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == heading
    text = page.inner_text("body")
    for english in ("Not Found", "Method Not Allowed", "Bad Request", "Forbidden", "The CSRF"):
        assert english not in text
    assert_no_raw_codes(text, where=name)
    screenshot(page, name)
    assert axe_violations(page) == [], name


@pytest.mark.parametrize(
    ("lang", "heading", "start"),
    [("ru", "Страница не найдена", "На главную страницу"), ("kk", "Бет табылмады", "Басты бетке")],
)
def test_a_missing_page_in_both_languages(page, lang, heading, start) -> None:
    response = page.goto(f"{page.base}/no-such-page?lang={lang}")
    assert response.status == 404
    _check(page, f"errors-404-{lang}", heading)
    page.get_by_role("link", name="Қазақша" if lang == "ru" else "Русский").click()  # the switch stays here
    assert page.url.endswith("/no-such-page?lang=" + ("kk" if lang == "ru" else "ru"))
    page.get_by_role("link", name="Русский" if lang == "ru" else "Қазақша").click()
    page.get_by_role("link", name=start).click()
    assert page.url.rstrip("/") == page.base.rstrip("/") or page.url.startswith(f"{page.base}/?")


def test_a_form_step_opened_from_a_bookmark(page) -> None:
    response = page.goto(f"{page.base}/books/delivery/confirm")
    assert response.status == 405
    _check(page, "errors-405-ru", "Эту страницу нельзя открыть таким способом")


def test_an_expired_form_says_what_to_do_and_leads_back(page) -> None:
    page.goto(f"{page.base}/sign-in?lang=ru")
    page.locator("#card").fill("0300001")
    page.context.clear_cookies()  # the session, and with it the form's token, is gone
    page.get_by_role("button", name="Прислать код").click()
    _check(page, "errors-400-csrf-ru", "Срок действия формы истёк")
    assert "Ничего не сохранено." in page.inner_text("main")
    page.get_by_role("link", name="Вернуться на предыдущую страницу").click()
    assert page.url.endswith("/sign-in?lang=ru")


def test_a_courier_on_the_console_is_told_it_is_not_for_them(page, ctx) -> None:
    add_courier(ctx, "C07")
    page.goto(f"{page.base}/staff/sign-in")
    page.locator("#username").fill("C07")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    response = page.goto(f"{page.base}/console/")
    assert response.status == 403
    _check(page, "errors-403-ru", "Эта страница Вам недоступна")
