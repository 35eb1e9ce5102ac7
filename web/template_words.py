"""The labels catalogue in templates: ``{{ code|label("request_status") }}`` and friends, in the page's language."""

from __future__ import annotations

import typing as t

from jinja2 import pass_context

from dispatch import labels
from notifications import plurals
from web.i18n import DEFAULT
from web.i18n import SWITCH_FIELD
from web.i18n import page_language
from web.language_switch import language_post_url
from web.language_switch import switch_keeps_form

if t.TYPE_CHECKING:
    from flask import Flask
    from jinja2.runtime import Context

# Every filter takes the template context (unused): Jinja then never folds a filter on a constant
# ("delivery"|label(…)) at compile time, which would fix the first page's language for all later ones.


@pass_context
def _label(_context: Context, code: str | None, kind: str) -> str:
    """``{{ code|label("request_status") }}``: the code's words in the page's language."""
    return labels.label(kind, code, page_language())


@pass_context
def _vehicle(_context: Context, vehicle_id: str | None, names: t.Mapping[str, str] | None = None) -> str:
    """``{{ vehicle_id|vehicle(names) }}``: "Айгуль Сейткали (курьер)", "Яндекс, машина 2"."""
    return labels.vehicle(vehicle_id, page_language(), names)


@pass_context
def _reason(_context: Context, code: str | None) -> str:
    """``{{ code|unassigned_reason }}``: why a request was left out of a plan, and what to do."""
    return labels.reason_with_advice(code or "", page_language()) if code else ""


@pass_context
def _counted(_context: Context, count: int, forms: t.Mapping[str, t.Mapping[str, str]]) -> str:
    """``{{ n|counted(FORMS) }}`` with ``{"ru": {"one": …, "few": …, "many": …}, "kk": {…}}``: "3 книги"."""
    lang = page_language()
    return plurals.counted(count, lang, forms.get(lang) or forms[DEFAULT])


@pass_context
def _choices(_context: Context, kind: str) -> list[tuple[str, str]]:
    """``label_choices("failure_reason")``: ``(code, words)`` pairs for a select, in the page's language."""
    return labels.choices(kind, page_language())


def init_templates(app: Flask) -> None:
    """Register the filters ``label``, ``vehicle``, ``unassigned_reason``, ``counted``, ``label_choices()`` and the language switch's globals."""
    app.add_template_filter(_label, "label")
    app.add_template_filter(_vehicle, "vehicle")
    app.add_template_filter(_reason, "unassigned_reason")
    app.add_template_filter(_counted, "counted")
    app.add_template_global(_choices, "label_choices")
    app.add_template_global(language_post_url, "language_post_url")
    app.add_template_global(switch_keeps_form, "switch_keeps_form")
    app.jinja_env.globals["language_switch_field"] = SWITCH_FIELD
