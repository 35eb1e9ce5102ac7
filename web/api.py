"""The JSON API, version 1: health, plans, jobs, route manifests, requests (submit, follow) and readers; its OpenAPI document."""

from __future__ import annotations

import typing as t
from datetime import date
from pathlib import Path

import yaml  # type: ignore[import-untyped]
from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request
from sqlalchemy import text
from sqlalchemy.exc import NoResultFound

from couriers.manifests.build import manifest_for
from couriers.manifests.pdf import render_pdf
from dispatch.errors import DispatchError
from dispatch.errors import NotFound
from dispatch.errors import UnknownReader
from dispatch.jobs import runs
from dispatch.jobs import tasks
from dispatch.planning import export
from dispatch.requests import status as request_status
from dispatch.requests.intake import submit_request
from web.auth import current_staff
from web.auth import require
from web.extension import context
from web.extension import language

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CONSOLE = ("admin", "dispatcher")
ROUTE_VIEWERS = ("admin", "dispatcher", "courier")
STAFF_DESKS = ("admin", "dispatcher", "operator")
MAX_ID = 2**31 - 1
"""The largest id a PostgreSQL ``integer`` key holds."""
OPENAPI = Path(__file__).resolve().parent / "openapi.yaml"
MANIFEST_LANGUAGES = ("ru", "kk")


@bp.before_request
def _readable_url() -> None:
    """Refuse what PostgreSQL cannot compare: a NUL character in the path or query, an id beyond ``integer``."""
    for field, value in [*(request.view_args or {}).items(), *request.args.items(True)]:
        if isinstance(value, int) and value > MAX_ID:
            raise NotFound(what=field, id=value)
        if isinstance(value, str) and "\x00" in value:
            raise DispatchError("invalid_field", field=field, value=value.replace("\x00", "\\0"))


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DispatchError("invalid_date", value=raw) from None


def _json_object() -> dict[str, t.Any]:
    if not request.get_data():
        return {}
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise DispatchError("invalid_json")
    return body


def _optional_text(body: dict[str, t.Any], field: str) -> str | None:
    value = body.get(field)
    if value is not None and (not isinstance(value, str) or not value.strip() or "\x00" in value):
        raise DispatchError("invalid_field", field=field, value=value)
    return value.strip() if value else None


def _optional_seconds(body: dict[str, t.Any], field: str) -> float | None:
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise DispatchError("invalid_field", field=field, value=value)
    return float(value)


def _barcodes(body: dict[str, t.Any]) -> list[str]:
    value = body.get("barcodes")
    if not isinstance(value, list) or not all(isinstance(code, str) and "\x00" not in code for code in value):
        raise DispatchError("invalid_field", field="barcodes", value=value)
    return value


def _required_text(body: dict[str, t.Any], field: str) -> str:
    value = _optional_text(body, field)
    if value is None:
        raise DispatchError("invalid_field", field=field, value=body.get(field))
    return value


def _manifest_language() -> str:
    lang = language()
    return lang if lang in MANIFEST_LANGUAGES else "ru"


@bp.get("/health")
def health() -> Response:
    """Up, and the database answers (no token needed, for load balancers and ``honcho``)."""
    with context().engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})


@bp.get("/plans/<day>")
@require(*CONSOLE)
def day_plans(day: str) -> Response:
    """The current plan of every branch (or ``?branch=CODE``) on the day, with routes and stops."""
    branch = request.args.get("branch") or None
    return jsonify(export.day_document(context(), _day(day), branch_code=branch))


@bp.post("/plans/<day>")
@require(*CONSOLE)
def plan_day(day: str) -> tuple[Response, int]:
    """Start a planning run (one job per branch); follow each job at ``/api/v1/jobs/<key>``."""
    service_day = _day(day)
    body = _json_object()
    submitted = tasks.submit_plans(
        context(),
        service_day,
        branch=_optional_text(body, "branch"),
        time_limit_s=_optional_seconds(body, "time_limit_s"),
        actor=f"api:{current_staff().username}",
    )
    jobs = [{"key": s.key, "queued": s.queued, "state": s.run.state} for s in submitted]
    return jsonify({"date": service_day.isoformat(), "jobs": jobs}), 202


@bp.get("/jobs/<key>")
@require(*CONSOLE)
def job(key: str) -> Response:
    """A job run's state, stage and percent (for the console's progress bar), its result or error."""
    try:
        run = runs.get(context(), key)
    except NoResultFound:
        raise NotFound(what="job", id=key) from None
    return jsonify(run.as_dict())


@bp.get("/routes/<int:route_id>/manifest")
@require(*ROUTE_VIEWERS)
def manifest(route_id: int) -> Response:
    """A route's manifest as JSON (a courier sees only their own routes)."""
    found = manifest_for(context(), current_staff(), route_id, language=_manifest_language())
    return jsonify(found.as_dict())


@bp.get("/routes/<int:route_id>/manifest.pdf")
@require(*ROUTE_VIEWERS)
def manifest_pdf(route_id: int) -> Response:
    """A route's printable manifest (A4 PDF, in Russian or Kazakh after ``Accept-Language``)."""
    found = manifest_for(context(), current_staff(), route_id, language=_manifest_language())
    return Response(
        render_pdf(found),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="route-{route_id}.pdf"'},
    )


@bp.post("/requests")
@require(*STAFF_DESKS)
def submit() -> tuple[Response, int]:
    """Submit a delivery or return pickup for a reader: 201 with the request, 200 when the idempotency key was seen."""
    body = _json_object()
    found = submit_request(
        context(),
        card_number=_required_text(body, "card_number"),
        barcodes=_barcodes(body),
        wished_date=_optional_text(body, "date"),
        window=_optional_text(body, "window"),
        kind=_optional_text(body, "kind") or "delivery",
        channel="operator",
        idempotency_key=_optional_text(body, "idempotency_key"),
        actor=f"api:{current_staff().username}",
    )
    return jsonify(found.as_dict()), 200 if found.duplicate else 201


@bp.get("/requests/<public_id>")
@require(*STAFF_DESKS)
def follow(public_id: str) -> Response:
    """Where a request stands: status, day, window, and the ETA from the current plan once it is routed."""
    return jsonify(request_status.follow(context(), public_id))


@bp.get("/readers/<card>")
@require(*STAFF_DESKS)
def reader(card: str) -> Response:
    """A reader's standing for home delivery and their latest requests."""
    try:
        return jsonify(request_status.reader_overview(context(), card, language=language()))
    except UnknownReader:
        raise NotFound(what="reader", id=card) from None


@bp.get("/openapi.yaml")
def openapi_yaml() -> Response:
    """This API's OpenAPI 3.1 document (no token needed)."""
    return Response(OPENAPI.read_text(encoding="utf-8"), mimetype="application/yaml")


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """This API's OpenAPI 3.1 document as JSON (no token needed)."""
    return jsonify(yaml.safe_load(OPENAPI.read_text(encoding="utf-8")))
