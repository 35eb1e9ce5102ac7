"""Edit how a courier reaches the reader's door (entrance, floor, flat, door code, lift, notes), with an audit trail."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from dispatch.errors import DispatchError
from dispatch.readers.location import audit_reader
from dispatch.readers.lookup import get_reader

if t.TYPE_CHECKING:
    from collections.abc import Mapping

    from dispatch.context import Context

ADDRESS_CHANGED = "address_changed"
"""The audit entry's ``to_status`` for a change of the door's details (``located`` is the map point)."""
LIMITS: dict[str, int] = {"entrance": 10, "floor": 10, "flat": 10, "door_code": 20, "access_notes": 1000}
"""The text fields the desk edits, and how long each may be (the columns' lengths)."""
FIELDS = (*LIMITS, "has_lift")


class AddressInvalid(DispatchError):
    """Some fields are too long; ``problems`` maps each field to its limit. Nothing is changed."""

    code = "address_field_too_long"

    def __init__(self, problems: dict[str, int]) -> None:
        self.problems = problems
        super().__init__(fields=", ".join(problems), limit=min(problems.values()))


@dataclass(frozen=True)
class AddressEdit:
    """What changed: ``{field: (before, after)}``, empty when the form changed nothing."""

    card_number: str
    changes: dict[str, tuple[t.Any, t.Any]]


def edit_address(ctx: Context, card_number: str, values: Mapping[str, str | bool | None], *, actor: str) -> AddressEdit:
    """Set the door's details from ``values`` (text fields stripped, empty as none; ``has_lift`` True/False/None).

    Fields not in ``values`` are left as they are. Each saved change is audited with who made it and the
    values before and after.

    Raises
    ------
    AddressInvalid
        A text is longer than its column; nothing is changed.
    UnknownReader
        No reader has the card.
    """
    wanted = _clean(values)
    with ctx.uow() as uow:
        session = uow.session
        reader = get_reader(session, card_number, lock=True)
        changes: dict[str, tuple[t.Any, t.Any]] = {}
        for field, value in wanted.items():
            before = getattr(reader, field)
            if before != value:
                changes[field] = (before, value)
                setattr(reader, field, value)
        if changes:
            details = {"changes": {field: list(pair) for field, pair in changes.items()}}
            audit_reader(session, reader, ADDRESS_CHANGED, "door details edited", details, actor=actor)
        uow.commit()
        return AddressEdit(reader.card_number, changes)


def _clean(values: Mapping[str, str | bool | None]) -> dict[str, t.Any]:
    cleaned: dict[str, t.Any] = {}
    problems: dict[str, int] = {}
    for field, limit in LIMITS.items():
        if field not in values:
            continue
        text = str(values[field] or "").strip()
        if len(text) > limit:
            problems[field] = limit
        cleaned[field] = text or None
    if problems:
        raise AddressInvalid(problems)
    if "has_lift" in values:
        lift = values["has_lift"]
        cleaned["has_lift"] = lift if isinstance(lift, bool) or lift is None else None
    return cleaned
