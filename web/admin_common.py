"""The admin pages' blueprint and what its views share: the admin role, the author of a change, refusals on forms, words for templates."""

from __future__ import annotations

import typing as t
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from couriers import roster
from dispatch.admin import audit
from dispatch.admin import uploads
from dispatch.errors import DispatchError
from web import admin_words as words
from web.extension import context
from web.i18n import page_language as language

if t.TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState
    from flask_wtf import FlaskForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE = "admin"
UPLOAD_ENDPOINT = "admin.imports"
UPLOAD_HEADROOM = 64 * 1024
"""Room for the form's other fields around the file in an upload's body."""


@bp.record_once
def _allow_large_uploads(state: BlueprintSetupState) -> None:
    """Let the upload page's body be as large as an export may be (the app's limit stays for every other page).

    Registered ahead of the CSRF check, which reads the form and so enforces the limit before any view runs.
    """
    app = state.app

    def raise_limit() -> None:
        if request.endpoint == UPLOAD_ENDPOINT:
            request.max_content_length = uploads.MAX_UPLOAD_BYTES + UPLOAD_HEADROOM

    app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)


def actor() -> str:
    """The signed-in admin as the author of an audited change (``staff:<username>``)."""
    return f"staff:{current_user.username or current_user.id}"


def refusal_on_form(form: FlaskForm, refusal: DispatchError) -> None:
    """Put a service's refusal next to the field it names (else on top of the form)."""
    name = str(refusal.params.get("field", ""))
    target = form._fields.get(name)
    if target is not None:
        target.errors = [*target.errors, refusal.message(language())]
    else:
        form.form_errors.append(refusal.message(language()))


def history(entity: str, entity_id: int) -> list[audit.AuditLine]:
    """The latest audited changes of one record, newest first."""
    return audit.recent(context(), entities=(entity,), entity_id=entity_id, limit=30)


@bp.app_template_global("audit_value")
def _audit_value(field: str, value: t.Any) -> str:
    return words.value_words(field, value, language())


@bp.app_template_filter("local_time")
def _local_time(moment: datetime, pattern: str = "d MMM yyyy, HH:mm") -> str:
    """A stored UTC moment in the service's time zone (Almaty), worded in the page's language."""
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(context().settings.schedule.timezone), locale=language())


@bp.app_template_filter("actor")
def _actor_words(actor: str) -> str:
    return words.actor_words(actor)


@bp.app_template_filter("sentence")
def _sentence(text: str) -> str:
    """The first letter in capitals, the rest as it is (Jinja's ``capitalize`` would lower "Қазақстан" and "B77")."""
    return text[:1].upper() + text[1:]


@bp.context_processor
def _words() -> dict[str, t.Any]:
    return {
        "file_kinds": words.FILE_KINDS,
        "audit_actions": words.ACTIONS,
        "audit_entities": words.ENTITIES,
        "audit_fields": words.FIELDS,
    }


def branch_choices(*, optional: bool) -> list[tuple[str, str]]:
    """``(code, name)`` of every branch for a select, with "none" first when the field may stay empty."""
    found = roster.branches(context())
    return [("", _("— none —")), *found] if optional else found
