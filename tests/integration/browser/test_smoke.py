"""The browser tests' own check: Chromium opens the app, the language switch works, axe-core runs."""

from __future__ import annotations

from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot


def test_the_start_page_opens_in_chromium_in_both_languages_and_passes_axe(page) -> None:
    page.goto(page.base + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.get_by_role("link", name="Қазақша").click()
    assert page.locator("html").get_attribute("lang") == "kk"
    screenshot(page, "start-kk")
    assert axe_violations(page) == []
