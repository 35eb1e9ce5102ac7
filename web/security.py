"""Who is signed in (staff with passwords, readers with one-time codes), CSRF on every form, rate limits.

One login manager serves both kinds of user: a session's user id is ``staff:ID`` or ``reader:ID``.
Staff roles (admin, dispatcher, operator, courier) decide what each page shows; a reader only ever
sees their own requests.
"""

from __future__ import annotations

import functools
import typing as t
from dataclasses import dataclass

from flask import abort
from flask import redirect
from flask import request
from flask import url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_login import current_user
from flask_wtf import CSRFProtect

from dispatch.staff import accounts as staff
from web.extension import context

if t.TYPE_CHECKING:
    from collections.abc import Callable

csrf = CSRFProtect()
login = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

P = t.ParamSpec("P")
R = t.TypeVar("R")


@dataclass(frozen=True)
class WebUser:
    """A signed-in person: a staff member (``role`` admin, dispatcher, operator or courier) or a reader (``role`` reader)."""

    kind: str
    id: int
    name: str
    role: str
    branch_code: str | None = None
    username: str | None = None

    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        """Flask-Login's id: ``staff:ID`` or ``reader:ID``."""
        return f"{self.kind}:{self.id}"


def staff_user(view: staff.StaffView) -> WebUser:
    """A staff account as the signed-in user."""
    return WebUser("staff", view.id, view.full_name, view.role, view.branch_code, view.username)


@login.user_loader
def load_user(user_id: str) -> WebUser | None:
    """The user of a session: a staff account still active, or a reader."""
    kind, _, raw = user_id.partition(":")
    if not raw.isdigit():
        return None
    if kind == "staff":
        view = staff.staff_by_id(context(), int(raw))
        return staff_user(view) if view is not None else None
    if kind == "reader":
        from dispatch.readers.access import reader_by_id  # the reader pages' service

        found = reader_by_id(context(), int(raw))
        return WebUser("reader", found.id, found.name, "reader") if found is not None else None
    return None


def roles_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let the view run for a signed-in staff member with one of ``roles``; others are sent to sign in, or get 403."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated or current_user.kind != "staff":
                return t.cast("R", redirect(url_for("staff.sign_in", next=request.full_path)))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def reader_required(view: Callable[P, R]) -> Callable[P, R]:
    """Let the view run for a signed-in reader; others are sent to the reader's sign-in."""

    @functools.wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_authenticated or current_user.kind != "reader":
            return t.cast("R", redirect(url_for("reader.sign_in")))
        return view(*args, **kwargs)

    return guarded
