"""The courier's phone pages: a day picker, the route in order, tap to call, navigation links, marking and undoing a door.

Every page and form works without JavaScript; each form carries a CSRF token. A courier only ever
reaches their own routes and stops (their username is their courier code): another's is a 404.
The rules (doors only once the route is under way and on its day, undo within minutes) live in
:mod:`couriers.outcomes`; this page shows them in words before the courier taps.
"""

from __future__ import annotations

import typing as t
from datetime import date

from flask import Blueprint
from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_date
from flask_babel import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from couriers import day as courier_day
from couriers.manifests.build import manifest_for
from couriers.manifests.pdf import render_pdf
from dispatch.domain.phones import to_e164
from dispatch.errors import DispatchError
from dispatch.labels import choices
from dispatch.staff import accounts as staff
from web.errors import status_for
from web.extension import context
from web.security import roles_required

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

bp = Blueprint("courier", __name__, url_prefix="/courier")

OUTCOMES = ("delivered", "collected", "failed")
VIEWS = ("cards", "list")
"""Cards show everything about each door; the list is one line per door, for long routes."""


class ActionForm(FlaskForm):
    """A button with its CSRF token: leaving the branch, or a delivered or collected door."""


class FailedForm(FlaskForm):
    """A failed door, with the reason picked from a list."""

    reason = SelectField(_l("Why it failed"), validators=[DataRequired(message=_l("Choose why the stop failed"))])

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", _l("Choose a reason")), *choices("failure_reason", _lang())]


def _code() -> str:
    return t.cast("str", current_user.username)


def _lang() -> str:
    return str(get_locale() or "ru")


def _day() -> date:
    raw = request.args.get("day", "")
    try:
        return date.fromisoformat(raw) if raw else courier_day.today(context())
    except ValueError:
        abort(404)


def _view() -> str:
    raw = request.args.get("view", "")
    return raw if raw in VIEWS else "cards"


def _back(anchor: str) -> BaseResponse:
    """Back to the page the courier was on (same day, same view), at the route or stop they acted on."""
    day, view = request.args.get("day"), request.args.get("view")
    return redirect(url_for("courier.today", day=day, view=view if view in VIEWS else None) + anchor)


def _failed(error: DispatchError) -> None:
    """A refused action: a missing or foreign route or stop stops the request; anything else is flashed."""
    status = status_for(error)
    if status in (403, 404):
        abort(status)
    flash(error.message(_lang()), "error")


@bp.get("/")
@roles_required("courier")
def today() -> str:
    """The courier's routes on the day (``?day=YYYY-MM-DD``, default today), as cards or a list (``?view=list``)."""
    day = _day()
    lang = _lang()
    return render_template(
        "courier/today.html",
        day=day,
        view=_view(),
        days=courier_day.days_of(context(), _code()),
        routes=courier_day.routes_of(context(), _code(), day, language=lang),
        tel=to_e164,
        action_form=ActionForm,
        failed_form=FailedForm,
        weekday=lambda d: format_date(d, "EEE, dd.MM"),
        number=lambda x: format_decimal(x, "0.0"),
        undo_minutes=context().settings.undo_outcome_minutes,
    )


@bp.post("/routes/<int:route_id>/leave")
@roles_required("courier")
def leave(route_id: int) -> BaseResponse:
    """The courier leaves the branch with the bag."""
    if not ActionForm(prefix=f"leave{route_id}-").validate_on_submit():
        abort(400)
    try:
        courier_day.leave(context(), _code(), route_id)
        flash(_("Have a good route! Readers are told you are on your way."), "notice")
    except DispatchError as e:
        _failed(e)
    return _back(f"#route-{route_id}")


@bp.post("/routes/<int:route_id>/undo")
@roles_required("courier")
def undo(route_id: int) -> BaseResponse:
    """Undo the last door recorded on the route, within the minutes the settings allow."""
    if not ActionForm(prefix=f"undo{route_id}-").validate_on_submit():
        abort(400)
    try:
        done = courier_day.undo(context(), _code(), route_id)
    except DispatchError as e:
        _failed(e)
        return _back(f"#route-{route_id}")
    flash(_("The mark is undone: the stop is open again."), "notice")
    if done.sms_already_sent:
        flash(
            ngettext(
                "%(num)d SMS had already reached the reader and cannot be called back: phone them if it matters.",
                "%(num)d SMS had already reached the reader and cannot be called back: phone them if it matters.",
                done.sms_already_sent,
            ),
            "error",
        )
    return _back(f"#stop-{done.stop_id}")


@bp.post("/stops/<int:stop_id>/<outcome>")
@roles_required("courier")
def record(stop_id: int, outcome: str) -> BaseResponse:
    """Record a door: ``delivered``, ``collected``, or ``failed`` with a reason."""
    if outcome not in OUTCOMES:
        abort(404)
    form = FailedForm(prefix=f"failed{stop_id}-") if outcome == "failed" else ActionForm(prefix=f"{outcome}{stop_id}-")
    if not form.validate_on_submit():
        return _invalid(form, stop_id)
    reason = form.reason.data if isinstance(form, FailedForm) else None
    try:
        courier_day.record(context(), _code(), stop_id, outcome, reason=reason)
        minutes = context().settings.undo_outcome_minutes
        if minutes > 0:
            flash(
                ngettext(
                    "Saved. A mistake? Undo it within %(num)d minute.",
                    "Saved. A mistake? Undo it within %(num)d minutes.",
                    minutes,
                ),
                "notice",
            )
        else:
            flash(_("Saved."), "notice")
    except DispatchError as e:
        _failed(e)
    return _back(f"#stop-{stop_id}")


def _invalid(form: FlaskForm, stop_id: int) -> BaseResponse:
    if "csrf_token" in form.errors:
        abort(400)
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")
    return _back(f"#stop-{stop_id}")


@bp.get("/routes/<int:route_id>/manifest.pdf")
@roles_required("courier")
def manifest_pdf(route_id: int) -> Response:
    """The route's printable manifest, for the courier signed in (no API token needed)."""
    user = staff.StaffView(current_user.id, _code(), current_user.name, current_user.role, current_user.branch_code, True)
    lang = _lang()
    if route_id > courier_day.MAX_ID:
        abort(404)
    try:
        found = manifest_for(context(), user, route_id, language=lang if lang in ("ru", "kk") else "ru")
    except DispatchError as e:
        abort(status_for(e))
    return Response(
        render_pdf(found),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="route-{route_id}.pdf"'},
    )
