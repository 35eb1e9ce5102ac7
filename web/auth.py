"""Token authentication (``Authorization: Bearer <token>``) and role checks for API views."""

from __future__ import annotations

import functools
import typing as t

from flask import g
from flask import request

from dispatch.staff import accounts as staff
from web.errors import Unauthorized
from web.extension import context

if t.TYPE_CHECKING:
    from collections.abc import Callable

P = t.ParamSpec("P")
R = t.TypeVar("R")


def authenticate() -> staff.StaffView:
    """The staff member whose token the request carries; :class:`Unauthorized` without a valid one."""
    credentials = request.authorization
    if credentials is None or credentials.type != "bearer" or not credentials.token:
        raise Unauthorized()
    user = staff.user_for_token(context(), credentials.token)
    if user is None:
        raise Unauthorized()
    return user


def require(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let the view run only for a token holder with one of ``roles`` (401 without a token, 403 for others)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            user = authenticate()
            staff.require_role(user, roles)
            g.staff = user
            return view(*args, **kwargs)

        return guarded

    return decorate


def current_staff() -> staff.StaffView:
    """The staff member authenticated for this request by :func:`require`."""
    return t.cast("staff.StaffView", g.staff)
