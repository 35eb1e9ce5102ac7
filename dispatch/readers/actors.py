"""Who made a recorded change, by name: audit rows keep ``staff:<username>``, people read the staff member's name."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.models import StaffUser

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

STAFF_PREFIX = "staff:"


def actor_names(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """``{actor: full name}`` for the staff among ``actors``; other actors (readers, the system) are left out."""
    usernames = {actor.removeprefix(STAFF_PREFIX) for actor in actors if actor.startswith(STAFF_PREFIX)}
    if not usernames:
        return {}
    rows = session.execute(select(StaffUser.username, StaffUser.full_name).where(StaffUser.username.in_(usernames)))
    return {f"{STAFF_PREFIX}{username}": name for username, name in rows}
