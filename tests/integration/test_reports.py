"""The monthly report on a hand-made November: every figure counted by hand, the downloads inert and readable, the page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dispatch.reports import export
from dispatch.reports.monthly import UnknownBranch
from dispatch.reports.monthly import month_report
from dispatch.staff.accounts import add_staff
from tests.integration.courier_day import PASSWORD
from tests.integration.report_month import EXPECTED_B01
from tests.integration.report_month import EXPECTED_CITY
from tests.integration.report_month import INJECTION
from tests.integration.report_month import NOVEMBER
from tests.integration.report_month import TENTH
from tests.integration.report_month import make_month
from tests.integration.test_web_security import _signed_in
from tests.integration.test_web_security import app as app  # the app on the test context, a fixture

pytestmark = pytest.mark.integration


def _check(figures, expected: dict) -> None:
    reasons = dict(figures.failed_by_reason)
    for name, value in expected.items():
        found = reasons[name] if name in reasons else getattr(figures, name)
        assert found == value, name


def test_the_city_and_each_branch_count_only_current_plans_of_the_month(ctx) -> None:
    make_month(ctx)
    report = month_report(ctx, NOVEMBER)
    assert report.branch_code is None
    _check(report.total, EXPECTED_CITY)
    b01, b02 = report.lines
    assert (b01.code, b02.code, b02.name) == ("B01", "B02", INJECTION)
    _check(b01.figures, EXPECTED_B01)
    assert (b02.figures.readers_served, b02.figures.deliveries, b02.figures.km) == (1, 1, 3.0)
    assert b02.figures.yandex_cost_kzt == Decimal(0)
    assert [reason for reason, _ in b01.figures.failed_by_reason][:2] == ["not_at_home", "wrong_address"]
    tenth = report.days[TENTH.day - 1]
    assert (tenth.day, tenth.deliveries, tenth.pickups, tenth.failed) == (TENTH, 3, 1, 2)
    assert len(report.days) == 30
    assert sum(d.deliveries for d in report.days) == EXPECTED_CITY["deliveries"]


def test_one_branch_and_an_unknown_branch(ctx) -> None:
    make_month(ctx)
    report = month_report(ctx, NOVEMBER, "B01")
    assert (report.branch_code, report.branch_name) == ("B01", "Центральная библиотека")
    _check(report.total, EXPECTED_B01)
    assert [line.code for line in report.lines] == ["B01"]
    with pytest.raises(UnknownBranch):
        month_report(ctx, NOVEMBER, "B99")


def test_an_empty_month_has_zeros_and_no_share(ctx) -> None:
    make_month(ctx)
    report = month_report(ctx, NOVEMBER.replace(month=2))
    assert (report.total.deliveries, report.total.km, report.total.on_time_share) == (0, 0.0, None)
    assert len(report.days) == 28


def test_the_csv_opens_in_excel_with_the_formula_made_inert(ctx) -> None:
    make_month(ctx)
    data = export.to_csv(month_report(ctx, NOVEMBER), "ru")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Филиал", "Читателей обслужено", "Доставки"]
    assert "Неудачно: Читателя нет дома" in rows[0]
    names = [row[0] for row in rows[1:]]
    assert names == ["Центральная библиотека", "'" + INJECTION, "Весь город"]
    city = dict(zip(rows[0], rows[-1], strict=True))
    assert city["Вовремя, %"] == "80,0"
    assert city["Км"] == "23,3"
    assert city["Яндекс, тенге"] == "4800,50"
    assert city["Книг"] == "8"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_xlsx_keeps_the_formula_as_text_and_numbers_as_numbers(ctx) -> None:
    make_month(ctx)
    data = export.to_xlsx(month_report(ctx, NOVEMBER), "kk")
    book = load_workbook(io.BytesIO(data))
    sheet = book["Филиалдар"]
    assert sheet["A1"].value == "Филиал"
    cell = sheet["A3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (INJECTION, "s", True)
    assert sheet["A4"].value == "Бүкіл қала"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    totals = {sheet.cell(row=1, column=n).value: sheet.cell(row=4, column=n).value for n in range(1, sheet.max_column + 1)}
    assert totals["Жеткізулер"] == 4
    assert totals["Км"] == pytest.approx(23.3)
    assert totals["Яндекс, теңге"] == pytest.approx(4800.5)
    assert totals["Уақытында, %"] == pytest.approx(80.0)
    days = book["Күндер бойынша"]
    assert days.max_row == 31
    assert days["A11"].value.date() == TENTH
    assert (days["B11"].value, days["C11"].value, days["D11"].value) == (3, 1, 2)


def test_the_page_and_downloads_for_dispatchers_and_admins_only(app, ctx) -> None:
    make_month(ctx)
    add_staff(ctx, "disp", "Диспетчер Дана", "dispatcher", PASSWORD, "B01")
    add_staff(ctx, "oper", "Оператор Олжас", "operator", PASSWORD, "B01")
    assert app.test_client().get("/reports/").status_code == 302
    assert _signed_in(app, "oper").get("/reports/").status_code == 403
    client = _signed_in(app, "disp")
    page = client.get("/reports/?month=2026-11&lang=ru").get_data(as_text=True)
    assert "Отчёт за месяц" in page
    assert "ноябрь 2026" in page
    assert "Читателя нет дома" in page
    assert "80%" in page
    assert "4\xa0800" in page
    assert "=HYPERLINK(&#34;" in page or "=HYPERLINK(&quot;" in page
    answer = client.get("/reports/month.csv?month=2026-11&branch=B01")
    assert answer.mimetype == "text/csv"
    assert 'filename="report-2026-11-B01.csv"' in answer.headers["Content-Disposition"]
    assert answer.data.decode("utf-8-sig").splitlines()[-1].startswith("Центральная библиотека;2;3;1;7;2;")
    answer = client.get("/reports/month.xlsx?month=2026-11")
    assert answer.mimetype == export.XLSX_TYPE
    assert load_workbook(io.BytesIO(answer.data)).sheetnames == ["Филиалы", "По дням"]


def test_a_bad_month_or_branch_is_said_in_words_and_downloads_nothing(app, ctx) -> None:
    make_month(ctx)
    add_staff(ctx, "admin", "Админ Айгуль", "admin", PASSWORD)
    client = _signed_in(app, "admin")
    page = client.get("/reports/?month=2026-13&lang=kk").get_data(as_text=True)
    assert "Ай танылмады; ағымдағы ай көрсетілді." in page
    page = client.get("/reports/?month=2026-11&branch=B99&lang=ru").get_data(as_text=True)
    assert "Такого филиала нет; показан весь город." in page
    answer = client.get("/reports/month.csv?month=oops")
    assert answer.status_code == 302
    assert "/reports/" in answer.headers["Location"]
