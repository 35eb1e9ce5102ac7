"""The Flask app: reader pages, operator form, dispatcher console, courier manifests and the JSON API."""

from __future__ import annotations

import typing as t

from flask import Flask
from flask import request
from flask.json.provider import DefaultJSONProvider

from dispatch.bootstrap import bootstrap
from dispatch.jobs.context import use_context
from web import api
from web import errors
from web import hooks
from web import twilio_hooks
from web.extension import EXTENSION

if t.TYPE_CHECKING:
    from flask import Response

    from dispatch.bootstrap import Context
    from dispatch.config import Settings

DEFAULTS: dict[str, t.Any] = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
}


def create_app(settings: Settings | None = None, ctx: Context | None = None) -> Flask:
    """Build the app on ``ctx``, or on a context bootstrapped from ``settings`` (default: ``DISPATCH_*``).

    The schema is not migrated here (the Procfile's ``release`` step does that). Jobs run inline by
    this process (``DISPATCH_JOBS=inline``) use the same context.
    """
    if ctx is None:
        ctx = bootstrap(settings, migrate=False)
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.ensure_ascii = False  # Russian and Kazakh stay readable
    app.extensions[EXTENSION] = ctx
    use_context(ctx)
    errors.init_app(app)
    app.after_request(_security_headers)
    app.register_blueprint(api.bp)
    app.register_blueprint(hooks.bp)
    app.register_blueprint(twilio_hooks.bp)
    return app


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.path.startswith(errors.API_PREFIX):
        response.headers["Cache-Control"] = "no-store"  # manifests carry readers' addresses and phones
    return response
