"""The demo's staff accounts, so a newcomer can sign in to every part of the web app on the demo day.

Passwords are fixed and printed: this is a local demo on SQLite, never a deployment.
"""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.errors import DispatchError
from dispatch.models import Courier
from dispatch.staff import accounts as staff

if t.TYPE_CHECKING:
    from collections.abc import Callable

    from dispatch.context import Context

DEMO_PASSWORD = "demo-password"


def demo_accounts(ctx: Context, echo: Callable[[str], None]) -> list[tuple[str, str]]:
    """An admin, a dispatcher, an operator and a courier account for each active courier; existing ones are kept."""
    with ctx.uow() as uow:
        couriers = [
            (c.code, c.full_name, c.branch.code) for c in uow.session.scalars(select(Courier).where(Courier.active.is_(True)))
        ]
    wanted = [
        ("admin", "Администратор", "admin", None),
        ("dispatcher", "Диспетчер", "dispatcher", None),
        ("operator", "Оператор", "operator", None),
        *[(code, name, "courier", branch) for code, name, branch in couriers],
    ]
    made: list[tuple[str, str]] = []
    for username, name, role, branch in wanted:
        try:
            staff.add_staff(ctx, username, name, role, DEMO_PASSWORD, branch)
        except DispatchError as error:
            if error.code != "staff_exists":
                raise
        made.append((username, role))
    couriers_text = ", ".join(u for u, r in made if r == "courier")[:120]
    echo(f"Web accounts (password {DEMO_PASSWORD}): admin, dispatcher, operator; couriers: {couriers_text} …")
    return made
