"""Webhooks from outside services. Each only nudges us to re-read: its payload is never trusted.

Yandex Delivery signs nothing, so each claim's callback URL carries an unguessable token of its own;
an unknown token gets 404 and changes nothing.
"""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import abort
from flask import jsonify
from flask import request

from couriers.yandex import jobs as yandex_jobs
from web.extension import context

bp = Blueprint("hooks", __name__, url_prefix="/hooks")


@bp.post("/yandex/<token>")
def yandex_claim_changed(token: str) -> Response:
    """Yandex says a claim changed: queue a re-read of that claim and answer 200 at once."""
    if not yandex_jobs.nudge(context(), token, request.args.get("updated_ts")):
        abort(404)
    return jsonify({"ok": True})
