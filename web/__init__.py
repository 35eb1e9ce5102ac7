"""The Flask app: reader pages, operator form, dispatcher console, courier manifests and the JSON API."""

from __future__ import annotations

import secrets
import typing as t

from flask import Flask
from flask import request
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale

from dispatch.domain.phones import to_e164
from dispatch.jobs.context import use_context
from dispatch.jobs.handover import start
from web import admin_pages
from web import api
from web import console_pages
from web import courier_pages
from web import demo_pages
from web import errors
from web import hooks
from web import operator_pages
from web import reader_pages
from web import report_pages
from web import staff_pages
from web import twilio_hooks
from web.extension import EXTENSION
from web.extension import context
from web.i18n import babel
from web.i18n import compiled_directories
from web.i18n import compiled_root
from web.i18n import select_locale
from web.language_switch import language_url
from web.security import csrf
from web.security import limiter
from web.security import login
from web.template_words import init_templates

if t.TYPE_CHECKING:
    from flask import Response

    from dispatch.config import Settings
    from dispatch.context import Context

PAGES = (
    reader_pages.bp,
    staff_pages.bp,
    operator_pages.bp,
    console_pages.bp,
    courier_pages.bp,
    demo_pages.bp,
    report_pages.bp,
    admin_pages.bp,
)
"""The blueprints of pages people use in a browser (forms with CSRF, sessions)."""

DEFAULTS: dict[str, t.Any] = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # No time pressure: a form stays valid for half a day (readers may take long over a page).
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
}


def create_app(settings: Settings | None = None, ctx: Context | None = None) -> Flask:
    """Build the app on ``ctx``, or on a context bootstrapped from ``settings`` (default: ``DISPATCH_*``).

    The schema is not migrated here (the Procfile's ``release`` step does that). Jobs run inline by
    this process (``DISPATCH_JOBS=inline``) use the same context. It refuses to start, before
    touching the database, when the translation catalogues were not compiled (``make translations``).
    """
    translations = compiled_directories(compiled_root())
    if ctx is None:
        ctx = start(settings, migrate=False)
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config["SECRET_KEY"] = ctx.settings.secret_key or secrets.token_hex(32)
    app.config["RATELIMIT_STORAGE_URI"] = ctx.settings.ratelimit_storage
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translations)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.ensure_ascii = False  # Russian and Kazakh stay readable
    app.extensions[EXTENSION] = ctx
    use_context(ctx)
    babel.init_app(app, locale_selector=select_locale)
    init_templates(app)
    csrf.init_app(app)
    login.init_app(app)
    limiter.init_app(app)
    errors.init_app(app)
    app.after_request(_security_headers)
    app.context_processor(_page_globals)
    for blueprint in (api.bp, hooks.bp, twilio_hooks.bp):
        csrf.exempt(blueprint)  # token-authenticated or signed by the caller: no browser session to forge
        app.register_blueprint(blueprint)
    for blueprint in PAGES:
        app.register_blueprint(blueprint)
    return app


def _page_globals() -> dict[str, t.Any]:
    """What every page template needs: its language, the language switch, the library's phone."""
    phone = context().settings.sms.library_phone
    return {
        "page_language": str(get_locale() or "ru"),
        "language_url": language_url,
        "library_phone": phone,
        "library_phone_tel": to_e164(phone) or phone,
    }


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.path.startswith(errors.API_PREFIX):
        response.headers["Cache-Control"] = "no-store"  # manifests carry readers' addresses and phones
    return response
