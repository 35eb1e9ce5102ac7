"""The dispatcher console: a day's batch, planning with live progress, routes on a map, moving stops, handing routes over."""

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import NoResultFound

from couriers.outcomes import dispatch_route
from couriers.yandex import booking
from dispatch.config import REPO_ROOT
from dispatch.domain.scheduling import local_now
from dispatch.errors import DispatchError
from dispatch.jobs import runs
from dispatch.jobs.runner import TransientError
from dispatch.jobs.tasks import submit_plans
from dispatch.planning import board as day_board
from dispatch.planning import pins
from dispatch.planning.export import day_document
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


def _chosen() -> tuple[date, str]:
    """The day and branch asked for (query or form), else today and the first branch."""
    ctx = context()
    values = request.values
    try:
        day = date.fromisoformat(values.get("date", ""))
    except ValueError:
        day = local_now(ctx.clock(), ctx.settings.schedule).date()
    branch = values.get("branch") or current_user.branch_code or next(iter(day_board.branches(ctx)), ("", ""))[0]
    return day, branch


def _back(day: date, branch: str, jobs: t.Sequence[str] = ()) -> BaseResponse:
    return redirect(url_for(".day", date=day.isoformat(), branch=branch, job=list(jobs)))


@bp.get("/")
@roles_required(*STAFF_ROLES)
def day() -> str:
    """The day's work for a branch: requests, jobs under way, routes, map, figures."""
    chosen, branch = _chosen()
    board = day_board.board(context(), chosen, branch)
    jobs = [_job(key) for key in request.args.getlist("job")]
    return render_template("console/day.html", board=board, jobs=[j for j in jobs if j], lang=_lang())


def _job(key: str) -> dict[str, t.Any] | None:
    try:
        return runs.get(context(), key).as_dict()
    except NoResultFound:
        return None


@bp.get("/jobs/<path:key>")
@roles_required(*STAFF_ROLES)
def job(key: str) -> Response:
    """A planning job's progress as JSON (polled by ``console.js``)."""
    found = _job(key)
    if found is None:
        abort(404)
    return jsonify(found)


@bp.post("/plan")
@roles_required(*STAFF_ROLES)
def plan() -> BaseResponse:
    """Submit the planning job of the branch's day; the page then follows its progress."""
    chosen, branch = _chosen()
    submitted = submit_plans(context(), chosen, branch=branch, actor=_actor())
    flash(_("Planning started."), "notice")
    return _back(chosen, branch, [s.key for s in submitted])


@bp.get("/plan.json")
@roles_required(*STAFF_ROLES)
def plan_json() -> Response:
    """The branch's current plan with street geometry (for the map)."""
    chosen, branch = _chosen()
    return jsonify(day_document(context(), chosen, branch_code=branch, geometry=True))


@bp.get("/map.png")
@roles_required(*STAFF_ROLES)
def map_png() -> Response:
    """The current plan's routes drawn on the streets: the map without JavaScript or tiles."""
    chosen, branch = _chosen()
    document = day_document(context(), chosen, branch_code=branch, geometry=True)
    picture = day_board.route_picture(context(), document["plans"][0], PICTURES) if document["plans"] else None
    if picture is None:
        abort(404)
    return send_file(picture, mimetype="image/png", max_age=0)


@bp.post("/stops/pin")
@roles_required(*STAFF_ROLES)
def pin() -> BaseResponse:
    """Keep a request on the chosen vehicle, then plan the day again."""
    chosen, branch = _chosen()
    try:
        pins.pin_request(context(), int(request.form.get("request_id", "0")), request.form.get("vehicle", ""), actor=_actor())
    except (DispatchError, ValueError) as e:
        flash(e.message(_lang()) if isinstance(e, DispatchError) else str(e), "error")
        return _back(chosen, branch)
    submitted = submit_plans(context(), chosen, branch=branch, actor=_actor())
    flash(_("The stop is pinned; the day is being planned again."), "notice")
    return _back(chosen, branch, [s.key for s in submitted])


@bp.post("/stops/unpin")
@roles_required(*STAFF_ROLES)
def unpin() -> BaseResponse:
    """Let the planner place the request freely again (takes effect at the next planning)."""
    chosen, branch = _chosen()
    pins.unpin_request(context(), int(request.form.get("request_id", "0") or 0))
    flash(_("The pin is removed; plan again to apply it."), "notice")
    return _back(chosen, branch)


@bp.post("/routes/<int:route_id>/dispatch")
@roles_required(*STAFF_ROLES)
def hand_to_courier(route_id: int) -> BaseResponse:
    """Hand a draft route to its in-house courier."""
    chosen, branch = _chosen()
    try:
        dispatch_route(context(), route_id, actor=_actor())
        flash(_("The route is handed to the courier."), "notice")
    except DispatchError as e:
        flash(e.message(_lang()), "error")
    return _back(chosen, branch)


@bp.post("/routes/<int:route_id>/quote")
@roles_required(*STAFF_ROLES)
def quote(route_id: int) -> str | BaseResponse:
    """Ask Yandex what the route would cost, and show the booking form."""
    chosen, branch = _chosen()
    try:
        found = booking.quote_route(context(), route_id)
    except (DispatchError, TransientError) as e:
        flash(e.message(_lang()) if isinstance(e, DispatchError) else _("Yandex cannot be reached now."), "error")
        return _back(chosen, branch)
    return render_template("console/quote.html", quote=found.as_dict(), date=chosen.isoformat(), branch=branch)


@bp.post("/routes/<int:route_id>/book")
@roles_required(*STAFF_ROLES)
def book(route_id: int) -> BaseResponse:
    """Book the route with Yandex (``confirm`` when the estimate is above the limit)."""
    chosen, branch = _chosen()
    try:
        booking.book_route(context(), route_id, actor=_actor(), confirm=request.form.get("confirm") == "yes")
        flash(_("The route is booked with Yandex."), "notice")
    except (DispatchError, TransientError) as e:
        flash(e.message(_lang()) if isinstance(e, DispatchError) else _("Yandex cannot be reached now."), "error")
    return _back(chosen, branch)
