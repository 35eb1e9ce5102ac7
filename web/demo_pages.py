"""Demo-only staff pages: the SMS outbox of the local Twilio, so a newcomer sees what readers were texted.

Off (404 for everyone) unless ``DISPATCH_DEMO`` is on: in production the texts, sign-in codes among
them, belong on the readers' phones only.
"""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import render_template

from dispatch.sms.twilio_log import twilio_log
from web.extension import context
from web.security import roles_required

bp = Blueprint("demo", __name__, url_prefix="/demo")

STAFF_ROLES = ("admin", "dispatcher", "operator", "courier")


@bp.before_request
def demo_only() -> None:
    """Every page here exists only in the demo."""
    if not context().settings.demo:
        abort(404)


@bp.get("/sms")
@roles_required(*STAFF_ROLES)
def sms_outbox() -> str:
    """What the local Twilio was given, newest first, with the reader each message went to."""
    return render_template("demo/sms_outbox.html", log=twilio_log(context()))


@bp.app_context_processor
def demo_globals() -> dict[str, bool]:
    """``demo_mode`` for every page: the navigation shows the demo's pages only when they exist."""
    return {"demo_mode": context().settings.demo}
