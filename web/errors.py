"""Errors: JSON under ``/api/`` (domain errors become 4xx, HTTP errors keep their status); pages get a translated page.

A person never sees Werkzeug's English: pages get ``errors/error.html`` in their language, saying
what happened and what to do. Machine callers under ``/hooks/`` keep the bare status.
"""

from __future__ import annotations

import typing as t

from flask import jsonify
from flask import request
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import default_exceptions

from dispatch.errors import DispatchError
from dispatch.errors import IdempotencyConflict
from dispatch.errors import NotFound
from dispatch.messages import render
from web.error_pages import render_error_page
from web.extension import language
from web.i18n import page_language

if t.TYPE_CHECKING:
    from flask import Flask
    from flask import Response

API_PREFIX = "/api/"
MACHINE_PREFIX = "/hooks/"
"""Webhooks of Yandex and Twilio: machines, who get the status without a page."""
STATUS_BY_CODE: dict[str, int] = {
    "unauthorized": 401,
    "forbidden": 403,
    "staff_exists": 409,
    "token_name_taken": 409,
}
CODE_BY_STATUS: dict[int, str] = {404: "page_not_found", 405: "method_not_allowed", 500: "internal_error"}
BEARER_CHALLENGE = 'Bearer realm="dispatch"'


class Unauthorized(DispatchError):
    """No API token, or one that is unknown, revoked or belongs to a switched-off account."""

    code = "unauthorized"


def status_for(error: DispatchError) -> int:
    """The HTTP status of a domain error: 404 for a missing record, 409 for a conflict, else 400 unless listed."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, IdempotencyConflict):
        return 409
    return STATUS_BY_CODE.get(error.code, 400)


def _body(code: str, message: str, status: int) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def _dispatch_error(error: DispatchError) -> Response:
    status = status_for(error)
    if not request.path.startswith(API_PREFIX):  # a page let a domain error through: a page, with its words
        return render_error_page(default_exceptions.get(status, default_exceptions[400])(), detail=error.message(page_language()))
    response = _body(error.code, error.message(language()), status)
    if status == 401:
        response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
    return response


def _http_error(error: HTTPException) -> HTTPException | Response:
    if request.path.startswith(MACHINE_PREFIX):
        return error  # a webhook's caller reads the status, not a page
    if not request.path.startswith(API_PREFIX):
        return render_error_page(error)
    status = error.code or 500
    code = CODE_BY_STATUS.get(status, "http_error")
    response = _body(code, render(code, language(), {"method": request.method, "status": status}), status)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value  # e.g. Allow on a 405
    return response


def init_app(app: Flask) -> None:
    """Register the JSON error handlers (an unexpected exception reaches the 500 one after Flask logs it)."""
    app.register_error_handler(DispatchError, _dispatch_error)
    app.register_error_handler(HTTPException, _http_error)
