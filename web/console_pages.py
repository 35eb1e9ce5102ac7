"""The dispatcher console: the city's day by branch, planning in the background with live progress, routes, pins, Yandex."""

from __future__ import annotations

import typing as t
from datetime import date
from pathlib import Path

from flask import Blueprint
from flask import abort
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import send_from_directory
from flask import url_for
from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import NoResultFound

from couriers.outcomes import dispatch_route
from couriers.yandex import booking
from dispatch import labels
from dispatch.config import REPO_ROOT
from dispatch.errors import DispatchError
from dispatch.jobs import runs
from dispatch.jobs.runner import TransientError
from dispatch.planning import board as day_board
from dispatch.planning import overview
from dispatch.planning import pinning
from dispatch.planning import pins
from dispatch.planning.export import day_document
from web import console_words as words
from web.console_jobs import book_in_background
from web.console_jobs import plan_in_background
from web.extension import context
from web.security import roles_required

if t.TYPE_CHECKING:
    from flask import Response
    from flask.blueprints import BlueprintSetupState
    from werkzeug.wrappers import Response as BaseResponse

bp = Blueprint("console", __name__, url_prefix="/console")

LEAFLET_DIST = REPO_ROOT / "node_modules" / "leaflet" / "dist"
PICTURES = REPO_ROOT / "var" / "console-maps"
STAFF_ROLES = ("admin", "dispatcher")


def leaflet_asset(name: str) -> Response:
    """A file of Leaflet's ``dist`` folder (installed by ``npm install``); nothing outside it."""
    parts = Path(name).parts
    if not parts or name.startswith(("/", "\\")) or any(p in ("..", "") or p.startswith(".") for p in parts):
        abort(404)
    return send_from_directory(LEAFLET_DIST, name, max_age=86400)


@bp.record_once
def _vendor_route(state: BlueprintSetupState) -> None:
    state.app.add_url_rule("/vendor/leaflet/<path:name>", "leaflet_asset", leaflet_asset)


def _lang() -> str:
    return str(get_locale() or "ru")


def _actor() -> str:
    return f"staff:{current_user.username or current_user.id}"


def _day() -> date:
    """The day asked for (query or form), else the next service day."""
    try:
        return date.fromisoformat(request.values.get("date", ""))
    except ValueError:
        return overview.next_service_day(context())


def _branch() -> str:
    return request.values.get("branch", "").strip()


def _jobs(keys: t.Iterable[str]) -> list[dict[str, t.Any]]:
    found = []
    names: dict[str, str] | None = None
    for key in keys:
        try:
            job = words.job_words(runs.get(context(), key), _lang())
        except NoResultFound:
            continue
        if job["branch"]:
            names = names if names is not None else dict(day_board.branches(context()))
            job["branch"] = names.get(job["branch"], job["branch"])
        found.append({**job, "url": url_for(".job", key=key)})
    return found


def _refused(day: date, branch: str, message: str) -> BaseResponse:
    """A request the console cannot carry out: the reason as JSON for the page's script, else on the page."""
    if request.accept_mimetypes.best == "application/json":
        answer = jsonify({"notice": message, "jobs": []})
        answer.status_code = 422
        return answer
    flash(message, "error")
    return _back(day, branch)


def _started(day: date, branch: str, keys: list[str], notice: str) -> BaseResponse:
    """The answer to a submitted job: JSON for the page's script, else back to the page that follows it."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"notice": notice, "jobs": _jobs(keys)})
    flash(notice, "notice")
    return _back(day, branch, keys)


def _back(day: date, branch: str, jobs: t.Sequence[str] = ()) -> BaseResponse:
    if branch:
        return redirect(url_for(".branch", code=branch, date=day.isoformat(), job=list(jobs)))
    return redirect(url_for(".day", date=day.isoformat(), job=list(jobs)))


@bp.get("/")
@roles_required(*STAFF_ROLES)
def day() -> str | BaseResponse:
    """The city's day: every branch's figures and alerts, the routes of all branches on one map, planning for all."""
    chosen = _day()
    if _branch():  # the console's old address of a branch's day
        return redirect(url_for(".branch", code=_branch(), date=chosen.isoformat(), job=request.args.getlist("job")))
    rows = overview.city_day(context(), chosen)
    alerts = {row.code: [words.alert_words(a, _lang()) for a in row.alerts] for row in rows}
    return render_template(
        "console/overview.html",
        day=chosen.isoformat(),
        day_words=format_date(chosen, "full"),
        rows=rows,
        alerts=alerts,
        totals=overview.totals(rows),
        share=words.share,
        jobs=_jobs(request.args.getlist("job")),
    )


@bp.get("/branch/<code>")
@roles_required(*STAFF_ROLES)
def branch(code: str) -> str:
    """One branch's day: routes with readers and books, who is left out and why, pins, roster, Yandex."""
    chosen = _day()
    try:
        board = day_board.board(context(), chosen, code)
    except DispatchError:
        abort(404)
    return render_template(
        "console/day.html",
        board=board,
        day_words=format_date(chosen, "full"),
        jobs=_jobs(request.args.getlist("job")),
        stop_state=words.stop_state,
        lang=_lang(),
        share=words.share,
        branches=day_board.branches(context()),
    )


@bp.get("/jobs/<path:key>")
@roles_required(*STAFF_ROLES)
def job(key: str) -> Response:
    """A job's progress in words (polled by ``console.js``)."""
    found = _jobs([key])
    if not found:
        abort(404)
    return jsonify(found[0])


@bp.get("/live.json")
@roles_required(*STAFF_ROLES)
def live() -> Response:
    """The values the open page refreshes by itself: the city's rows, or a branch's routes, doors and claims."""
    chosen, code = _day(), _branch()
    if code:
        try:
            board = day_board.board(context(), chosen, code)
        except DispatchError:
            abort(404)
        return jsonify(words.branch_live(board, _lang()))
    return jsonify(words.overview_live(overview.city_day(context(), chosen), _lang()))


@bp.post("/plan")
@roles_required(*STAFF_ROLES)
def plan() -> BaseResponse:
    """Plan one branch's day, or every branch with work, as background jobs; the page follows their progress."""
    chosen, code = _day(), _branch()
    keys = plan_in_background(context(), chosen, branch=code or None, actor=_actor())
    if not keys:
        return _started(chosen, code, keys, _("There is nothing to plan on this day."))
    return _started(chosen, code, keys, _("Planning started."))


@bp.get("/plan.json")
@roles_required(*STAFF_ROLES)
def plan_json() -> Response:
    """The current plans (one branch, or the whole city) with street geometry and names in words, for the map."""
    chosen, code = _day(), _branch()
    document = day_document(context(), chosen, branch_code=code or None, geometry=True)
    lang, names = _lang(), day_board.courier_names(context(), code or None)
    for plan_doc in document["plans"]:
        for route in plan_doc["routes"]:
            route["label"] = labels.vehicle(route["vehicle"], lang, names)
    return jsonify(document)


@bp.get("/map.png")
@roles_required(*STAFF_ROLES)
def map_png() -> Response:
    """The branch plan's routes drawn on the streets: the map without JavaScript or tiles."""
    chosen, code = _day(), _branch()
    document = day_document(context(), chosen, branch_code=code, geometry=True)
    picture = day_board.route_picture(context(), document["plans"][0], PICTURES, _lang()) if document["plans"] else None
    if picture is None:
        abort(404)
    return send_file(picture, mimetype="image/png", max_age=0)


def _request_id() -> int:
    try:
        return int(request.form.get("request_id", ""))
    except ValueError:
        abort(400)


@bp.post("/stops/pin")
@roles_required(*STAFF_ROLES)
def pin() -> BaseResponse:
    """Keep a request on the chosen vehicle, or say why it cannot be; then plan the branch's day again."""
    chosen, code = _day(), _branch()
    vehicle = request.form.get("vehicle", "")
    name = labels.vehicle(vehicle, _lang(), day_board.courier_names(context(), code))
    try:
        pinning.pin(context(), _request_id(), vehicle, actor=_actor())
    except DispatchError as e:
        return _refused(chosen, code, _("Not pinned to %(vehicle)s: %(reason)s.", vehicle=name, reason=e.message(_lang())))
    keys = plan_in_background(context(), chosen, branch=code, actor=_actor())
    return _started(chosen, code, keys, _("Pinned to %(vehicle)s; the day is being planned again.", vehicle=name))


@bp.post("/stops/unpin")
@roles_required(*STAFF_ROLES)
def unpin() -> BaseResponse:
    """Let the planner place the request freely again, and plan the branch's day again."""
    chosen, code = _day(), _branch()
    pins.unpin_request(context(), _request_id())
    keys = plan_in_background(context(), chosen, branch=code, actor=_actor())
    return _started(chosen, code, keys, _("The pin is removed; the day is being planned again."))


@bp.post("/routes/<int:route_id>/dispatch")
@roles_required(*STAFF_ROLES)
def hand_to_courier(route_id: int) -> BaseResponse:
    """Hand a draft route to its in-house courier."""
    chosen, code = _day(), _branch()
    try:
        dispatch_route(context(), route_id, actor=_actor())
        flash(_("The route is handed to the courier."), "notice")
    except DispatchError as e:
        flash(e.message(_lang()), "error")
    return _back(chosen, code)


@bp.post("/routes/<int:route_id>/quote")
@roles_required(*STAFF_ROLES)
def quote(route_id: int) -> str | BaseResponse:
    """Ask Yandex what the route would cost, and show the booking form."""
    chosen, code = _day(), _branch()
    try:
        found = booking.quote_route(context(), route_id)
    except (DispatchError, TransientError) as e:
        flash(e.message(_lang()) if isinstance(e, DispatchError) else _("Yandex cannot be reached now."), "error")
        return _back(chosen, code)
    return render_template("console/quote.html", quote=found.as_dict(), date=chosen.isoformat(), branch=code)


@bp.post("/routes/<int:route_id>/book")
@roles_required(*STAFF_ROLES)
def book(route_id: int) -> BaseResponse:
    """Book the route with Yandex in the background (``confirm`` when the estimate is above the limit)."""
    chosen, code = _day(), _branch()
    keys = book_in_background(
        context(), chosen, code, route_id=route_id, confirm=request.form.get("confirm") == "yes", actor=_actor()
    )
    return _started(chosen, code, keys, _("Booking with Yandex has started."))
