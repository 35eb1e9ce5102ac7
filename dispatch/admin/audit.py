"""The audit trail of administrators' changes: who changed what, when, from which value to which."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time

from sqlalchemy import select

from dispatch.models import AuditEvent

if t.TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.orm import Session

    from dispatch.context import Context

Changes = dict[str, tuple[t.Any, t.Any]]
"""``{field: (before, after)}``."""

ADMIN_ENTITIES = ("staff_user", "courier", "courier_leave", "import_run", "branch")
"""The records the admin pages change (the ``entity`` of their audit entries)."""


@dataclass(frozen=True)
class AuditLine:
    """One change as the admin pages list it."""

    at: datetime
    actor: str
    entity: str
    entity_id: int
    action: str
    changes: dict[str, list[t.Any]]
    reason: str | None


def plain(value: t.Any) -> t.Any:
    """A value as JSON keeps it (dates and times as ISO text, sets and tuples as lists)."""
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple | list):
        return [plain(v) for v in value]
    return value


def changed(record: t.Any, wanted: Mapping[str, t.Any]) -> Changes:
    """Set each field of ``wanted`` on ``record`` where it differs; what changed, before and after."""
    changes: Changes = {}
    for field, value in wanted.items():
        before = getattr(record, field)
        if before != value:
            changes[field] = (before, value)
            setattr(record, field, value)
    return changes


def record(
    session: Session,
    *,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    changes: Changes | None = None,
    reason: str | None = None,
) -> None:
    """Add one audit entry to the session's transaction (stored with the change it describes, or not at all)."""
    details = {"changes": {field: [plain(old), plain(new)] for field, (old, new) in (changes or {}).items()}}
    session.add(
        AuditEvent(
            actor=actor, entity=entity, entity_id=entity_id, from_status=None, to_status=action, reason=reason, details=details
        )
    )


def recent(
    ctx: Context, *, limit: int = 50, entities: tuple[str, ...] = ADMIN_ENTITIES, entity_id: int | None = None
) -> list[AuditLine]:
    """The latest changes made from the admin pages, newest first (of one record when ``entity_id`` says which)."""
    query = select(AuditEvent).where(AuditEvent.entity.in_(entities))
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    with ctx.uow() as uow:
        return [
            AuditLine(
                at=event.at,
                actor=event.actor,
                entity=event.entity,
                entity_id=event.entity_id,
                action=event.to_status,
                changes=dict((event.details or {}).get("changes", {})),
                reason=event.reason,
            )
            for event in uow.session.scalars(query)
        ]
