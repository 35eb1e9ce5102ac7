"""Words the admin pages show for codes of their own: export files, audited actions and fields, weekdays."""

from __future__ import annotations

import typing as t
from datetime import date

from babel.dates import format_date
from babel.dates import get_day_names
from flask_babel import lazy_gettext as _l

from dispatch.domain.scheduling import WEEKDAYS
from dispatch.labels import label

if t.TYPE_CHECKING:
    from flask_babel import LazyString

FILE_KINDS: dict[str, LazyString] = {
    "branches": _l("Branches"),
    "readers": _l("Readers"),
    "items": _l("Copies of books"),
    "loans": _l("Loans"),
    "holds": _l("Holds"),
    "couriers": _l("Couriers"),
}
"""The library system's exports, in the order they must be loaded (each refers to the ones before)."""

ACTIONS: dict[str, LazyString] = {
    "created": _l("creation"),
    "edited": _l("change"),
    "password_reset": _l("new password"),
    "disabled": _l("disabling"),
    "enabled": _l("enabling again"),
    "role_changed": _l("change of role"),
    "leave_added": _l("leave entered"),
    "leave_cancelled": _l("leave taken back"),
    "imported": _l("file import"),
}
"""Audited actions as nouns, so they read right after any record ("Учётная запись: смена роли")."""

ENTITIES: dict[str, LazyString] = {
    "staff_user": _l("Staff account"),
    "courier": _l("Courier"),
    "courier_leave": _l("Courier's leave"),
    "import_run": _l("Import"),
    "branch": _l("Branch"),
}

FIELDS: dict[str, LazyString] = {
    "username": _l("Username"),
    "full_name": _l("Full name"),
    "role": _l("Role"),
    "active": _l("Active"),
    "phone": _l("Phone"),
    "kind": _l("Works as"),
    "branch": _l("Branch"),
    "shift_start": _l("Shift starts"),
    "shift_end": _l("Shift ends"),
    "working_days": _l("Working days"),
    "capacity_books": _l("Books per trip"),
    "capacity_g": _l("Load, g"),
    "skills": _l("Can also"),
    "starts_on": _l("First day away"),
    "ends_on": _l("Last day away"),
    "reason": _l("Reason"),
    "name": _l("Name"),
    "address": _l("Address"),
    "email": _l("E-mail"),
    "open_24_7": _l("Open round the clock (24/7)"),
    "rows": _l("Rows read"),
    "created": _l("Added"),
    "updated": _l("Updated"),
    "rejected": _l("Rejected"),
}

DATE_FIELDS = frozenset({"starts_on", "ends_on"})
TIME_FIELDS = frozenset({"shift_start", "shift_end"})
VALUE_KINDS = {"role": "staff_role", "kind": "courier_kind"}
"""Audited fields whose values are codes of the labels catalogue."""


def weekdays(lang: str) -> list[tuple[str, str]]:
    """``(code, name)`` of the days of the week, Monday first, in ``lang``."""
    names = get_day_names("wide", locale=lang)
    return [(code, names[number]) for number, code in enumerate(WEEKDAYS)]


def value_words(field: str, value: t.Any, lang: str) -> str:
    """An audited value as a person reads it: codes as words, yes/no, lists joined, nothing as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if field in VALUE_KINDS:
        return label(VALUE_KINDS[field], str(value), lang)
    if field == "skills" and isinstance(value, list):
        return ", ".join(label("courier_skill", str(skill), lang) for skill in value)
    if field == "working_days" and isinstance(value, str):
        names = dict(weekdays(lang))
        return ", ".join(names.get(day, day) for day in value.split(","))
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if field in DATE_FIELDS and isinstance(value, str):
        return format_date(date.fromisoformat(value), "d MMMM yyyy", locale=lang)
    if field in TIME_FIELDS and isinstance(value, str):
        return value[:5]
    return str(value)


def actor_words(actor: str) -> str:
    """Who made a change: a staff member's username, or the command line."""
    kind, _, name = actor.partition(":")
    if kind == "staff" and name:
        return name
    return str(_l("command line")) if actor == "cli" else actor
