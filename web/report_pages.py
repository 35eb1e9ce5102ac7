"""Monthly reports for the library and the city administration: a page with a chart, and CSV and XLSX downloads."""

from __future__ import annotations

import typing as t
from datetime import date
from datetime import timedelta
from decimal import Decimal

from flask import Blueprint
from flask import Response
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_date
from flask_babel import format_decimal
from flask_babel import format_percent
from flask_babel import get_locale
from flask_babel import gettext as _

from dispatch import labels
from dispatch.planning.board import branches
from dispatch.reports import export
from dispatch.reports import monthly
from web.extension import context
from web.report_chart import chart
from web.security import roles_required

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

bp = Blueprint("reports", __name__, url_prefix="/reports")

STAFF_ROLES = ("admin", "dispatcher")
PICKER_MONTHS = 36


def _lang() -> str:
    return str(get_locale() or "ru")


def _choice() -> tuple[date, str | None, bool]:
    """The month and branch asked for; ``False`` when something asked for was not valid (a message is flashed)."""
    good = True
    month = monthly.this_month(context())
    asked = request.args.get("month", "").strip()
    if asked:
        parsed = monthly.parse_month(asked)
        if parsed is None:
            flash(_("The month was not understood; the current month is shown."), "error")
            good = False
        else:
            month = parsed
    return month, request.args.get("branch", "").strip() or None, good


def _report() -> tuple[monthly.MonthReport, bool]:
    month, branch, good = _choice()
    try:
        return monthly.month_report(context(), month, branch), good
    except monthly.UnknownBranch:
        flash(_("There is no such branch; the whole city is shown."), "error")
        return monthly.month_report(context(), month, None), False


def number(value: float | int | Decimal, digits: int = 0) -> str:
    """A number as Russian and Kazakh readers write it (spaces between thousands, a decimal comma)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern))


def share(value: float | None) -> str:
    """An on-time share as a percentage; a dash when no door was served."""
    return "—" if value is None else str(format_percent(value, format="#,##0.#%"))


@bp.get("/")
@roles_required(*STAFF_ROLES)
def month() -> str:
    """The month's figures for the city (one line per branch) or one branch, with a chart of its days."""
    report, _good = _report()
    lang = _lang()
    previous = (report.month - timedelta(days=1)).replace(day=1)
    following = monthly.month_end(report.month) + timedelta(days=1)
    return render_template(
        "reports/month.html",
        report=report,
        month_value=f"{report.month:%Y-%m}",
        month_words=format_date(report.month, "LLLL yyyy"),
        previous=f"{previous:%Y-%m}",
        previous_words=format_date(previous, "LLLL yyyy"),
        following=f"{following:%Y-%m}",
        following_words=format_date(following, "LLLL yyyy"),
        months=_months(report.month),
        branches=branches(context()),
        reasons={code: labels.label("failure_reason", code, lang) for code, _count in report.total.failed_by_reason},
        chart=chart(report.days),
        day_words={line.day: format_date(line.day, "d MMMM, EEE") for line in report.days},
        number=number,
        share=share,
    )


def _months(chosen: date) -> list[tuple[str, str]]:
    """The picker's months, newest first: the last three years up to this month, and the month shown."""
    month = monthly.this_month(context())
    found: list[date] = []
    for _step in range(PICKER_MONTHS):
        found.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    if chosen not in found:
        found = sorted([*found, chosen], reverse=True)
    return [(f"{m:%Y-%m}", format_date(m, "LLLL yyyy")) for m in found]


@bp.get("/month.csv")
@roles_required(*STAFF_ROLES)
def month_csv() -> BaseResponse:
    """The month's table as CSV for Excel in Kazakhstan (UTF-8 with BOM, ``;``, decimal comma)."""
    return _download("csv", export.CSV_TYPE, export.to_csv)


@bp.get("/month.xlsx")
@roles_required(*STAFF_ROLES)
def month_xlsx() -> BaseResponse:
    """The month as an Excel workbook: the branches, and the days."""
    return _download("xlsx", export.XLSX_TYPE, export.to_xlsx)


def _download(extension: str, mimetype: str, render: t.Callable[[monthly.MonthReport, str], bytes]) -> BaseResponse:
    report, good = _report()
    if not good:
        return redirect(url_for(".month", month=f"{report.month:%Y-%m}", branch=report.branch_code or None))
    answer = Response(render(report, _lang()), mimetype=mimetype)
    answer.headers["Content-Disposition"] = f'attachment; filename="{export.filename(report, extension)}"'
    answer.headers["Cache-Control"] = "no-store"
    return answer
