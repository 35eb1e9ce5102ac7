"""The monthly report in Chromium: from the menu to a month and a branch, the chart and its table, a download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dispatch.staff.accounts import add_staff
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.browser.test_console import PASSWORD
from tests.integration.browser.test_console import sign_in
from tests.integration.report_month import make_month

pytestmark = pytest.mark.integration


@pytest.fixture
def month(ctx):
    make_month(ctx, second_branch_name="Библиотека им. Жамбыла")
    add_staff(ctx, "disp", "Диспетчер Дана", "dispatcher", PASSWORD, "B01")


def test_a_dispatcher_reads_the_month_and_downloads_it(page, month) -> None:
    sign_in(page)
    page.get_by_role("link", name="Отчёты").click()
    page.wait_for_load_state()
    heading = page.locator("h1").inner_text()
    assert heading == "Отчёт за месяц: ноябрь 2026, Весь город"  # the clock is at 23 November 2026

    table = page.locator("#report-table")
    assert table.locator("tbody tr").count() == 2
    city = table.locator("tfoot tr").inner_text().split("\t")
    assert city[:6] == ["Весь город", "3", "4", "1", "8", "2"]
    assert city[6].replace("\xa0", " ") == "80%"
    assert page.locator("svg.chart rect").count() == 4  # the 10th: three parts; the 11th: one
    assert page.locator("table.reasons").inner_text().count("Читателя нет дома") == 1
    page.locator("details summary", has_text="Адреса по дням").click()
    assert page.locator("table.days tbody tr").count() == 2
    assert_no_raw_codes(page.inner_text("body"), where="the monthly report")
    assert axe_violations(page) == []
    shot = screenshot(page, "reports-month")
    assert shot.stat().st_size > 0

    page.select_option("#branch", "B01")
    page.select_option("#month", "2026-11")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Отчёт за месяц: ноябрь 2026, Центральная библиотека"
    assert page.locator("#report-table tfoot tr").inner_text().split("\t")[:6] == [
        "Центральная библиотека", "2", "3", "1", "7", "2"
    ]  # fmt: skip
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Таблица CSV").click()
    download = waiting.value
    assert download.suggested_filename == "report-2026-11-B01.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[-1][:6] == ["Центральная библиотека", "2", "3", "1", "7", "2"]

    page.get_by_role("link", name="октябрь 2026", exact=False).click()
    page.wait_for_load_state()
    assert "октябрь 2026" in page.locator("h1").inner_text()
    assert page.get_by_text("В этом месяце не было ни одного выезда к читателям.").first.is_visible()


def test_the_report_in_kazakh(page, month) -> None:
    sign_in(page)
    page.goto(page.base + "/reports/?month=2026-11&lang=kk")
    assert page.locator("h1").inner_text() == "Айлық есеп: Қараша 2026, Бүкіл қала"
    assert page.locator("table.reasons").inner_text().count("Оқырман үйде жоқ") == 1
    assert_no_raw_codes(page.inner_text("body"), where="the monthly report in Kazakh")
    assert axe_violations(page) == []
    screenshot(page, "reports-month-kk")
