"""The monthly report as downloads: CSV (for any program) and XLSX (for Excel), every text cell made inert.

CSV: UTF-8 with a byte-order mark (without it Excel reads Cyrillic as mojibake), ``;`` between fields
and a decimal comma, as Excel expects them under the Russian and Kazakh regional settings used in
Kazakhstan (there the decimal separator is the comma, so the list separator is ``;``): the file opens
in columns on a double click. XLSX: typed cells (numbers as numbers, text as text with Excel's
"quote prefix", which is what typing ``'=…`` in Excel stores).
"""

from __future__ import annotations

import csv
import io
import typing as t
from datetime import date
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from dispatch import labels
from dispatch.reports.cells import Value
from dispatch.reports.cells import inert_text
from dispatch.reports.cells import risky

if t.TYPE_CHECKING:
    from dispatch.reports.figures import Figures
    from dispatch.reports.monthly import MonthReport

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

WORDS: dict[str, dict[str, str]] = {
    "branch": {"ru": "Филиал", "kk": "Филиал", "en": "Branch"},
    "city": {"ru": "Весь город", "kk": "Бүкіл қала", "en": "The whole city"},
    "readers": {"ru": "Читателей обслужено", "kk": "Қызмет көрсетілген оқырмандар", "en": "Readers served"},
    "deliveries": {"ru": "Доставки", "kk": "Жеткізулер", "en": "Deliveries"},
    "pickups": {"ru": "Возвраты (забор книг)", "kk": "Кітаптарды алып кету", "en": "Pickups"},
    "books": {"ru": "Книг", "kk": "Кітаптар", "en": "Books"},
    "failed": {"ru": "Неудачных попыток", "kk": "Сәтсіз әрекеттер", "en": "Failed attempts"},
    "failed_reason": {"ru": "Неудачно: {}", "kk": "Сәтсіз: {}", "en": "Failed: {}"},
    "on_time": {"ru": "Вовремя, %", "kk": "Уақытында, %", "en": "On time, %"},
    "km": {"ru": "Км", "kk": "Км", "en": "Km"},
    "cost": {"ru": "Яндекс, тенге", "kk": "Яндекс, теңге", "en": "Yandex, tenge"},
    "day": {"ru": "День", "kk": "Күн", "en": "Day"},
    "sheet_branches": {"ru": "Филиалы", "kk": "Филиалдар", "en": "Branches"},
    "sheet_days": {"ru": "По дням", "kk": "Күндер бойынша", "en": "By day"},
}


def word(key: str, lang: str) -> str:
    """A column heading in ``lang`` (Russian where ``lang`` is not known)."""
    return WORDS[key].get(lang) or WORDS[key]["ru"]


def filename(report: MonthReport, extension: str) -> str:
    """``report-2026-11-city.csv`` or ``report-2026-11-B01.xlsx`` (branch codes are ASCII)."""
    scope = report.branch_code or "city"
    safe = "".join(c for c in scope if c.isascii() and (c.isalnum() or c in "-_")) or "branch"
    return f"report-{report.month:%Y-%m}-{safe}.{extension}"


def headings(report: MonthReport, lang: str) -> list[str]:
    """The branch table's headings: the branch, the figures, one column per failure reason."""
    reasons = [
        word("failed_reason", lang).format(labels.label("failure_reason", code, lang))
        for code, _ in report.total.failed_by_reason
    ]
    return [
        word("branch", lang),
        word("readers", lang),
        word("deliveries", lang),
        word("pickups", lang),
        word("books", lang),
        word("failed", lang),
        *reasons,
        word("on_time", lang),
        word("km", lang),
        word("cost", lang),
    ]


def rows(report: MonthReport, lang: str) -> list[list[Value]]:
    """One row per branch, then the total (the city, or the branch itself when one branch is shown)."""
    body = [_row(line.name, line.figures) for line in report.lines] if report.branch_code is None else []
    return [*body, _row(report.branch_name or word("city", lang), report.total)]


def day_rows(report: MonthReport) -> list[list[Value]]:
    """Each day of the month: deliveries, pickups, failed attempts."""
    return [[line.day, line.deliveries, line.pickups, line.failed] for line in report.days]


def to_csv(report: MonthReport, lang: str) -> bytes:
    """The branch table as CSV: BOM, ``;``, decimal comma, every text cell inert."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([inert_text(h) for h in headings(report, lang)])
    for row in rows(report, lang):
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: MonthReport, lang: str) -> bytes:
    """The branch table and the days as an Excel workbook, numbers typed and formatted, text inert."""
    book = Workbook()
    sheet = book.active
    sheet.title = word("sheet_branches", lang)
    _fill(sheet, headings(report, lang), rows(report, lang))
    heads = headings(report, lang)
    share_column = heads.index(word("on_time", lang)) + 1
    for row in sheet.iter_rows(min_row=2, min_col=share_column, max_col=share_column + 2):
        row[0].number_format = "0.0"
        row[1].number_format = "0.0"
        row[2].number_format = "#,##0.00"
    days = book.create_sheet(word("sheet_days", lang))
    _fill(days, [word("day", lang), word("deliveries", lang), word("pickups", lang), word("failed", lang)], day_rows(report))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(name: str, figures: Figures) -> list[Value]:
    return [
        name,
        figures.readers_served,
        figures.deliveries,
        figures.pickups,
        figures.books,
        figures.failed,
        *(count for _, count in figures.failed_by_reason),
        round(figures.on_time_share * 100, 1) if figures.on_time_share is not None else None,
        figures.km,
        figures.yandex_cost_kzt.quantize(Decimal("0.01")),
    ]


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return inert_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value).replace(".", ",")


def _fill(sheet: t.Any, heads: list[str], body: list[list[Value]]) -> None:
    """Headings in bold, frozen; the body typed: numbers as numbers, text as quote-prefixed text."""
    for column, heading in enumerate(heads, start=1):
        _text_cell(sheet.cell(row=1, column=column), heading).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = max(10, min(40, len(heading) + 2))
    for number, values in enumerate(body, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                _text_cell(cell, value)
            elif isinstance(value, Decimal):
                cell.value = float(value)
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "DD.MM.YYYY"
            else:
                cell.value = value
    sheet.freeze_panes = "B2"


def _text_cell(cell: t.Any, text: str) -> t.Any:
    """A string cell whatever ``text`` starts with; a formula start gets Excel's quote prefix as well."""
    cell.value = text
    cell.data_type = "s"
    if risky(text):
        cell.quotePrefix = True
    return cell
