"""Staff accounts and API tokens: add a person, issue and revoke tokens, and what a token's holder may see.

A token is shown once, when issued; only its SHA-256 is stored, so a leaked database holds no usable
token. Passwords are stored in Werkzeug's ``scrypt:N:r:p$salt$hex`` format (made here with the
standard library, since the domain imports no web framework), so a sign-in page can check them with
``werkzeug.security.check_password_hash``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import typing as t
from dataclasses import asdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispatch.admin import audit
from dispatch.admin.refusals import AdminRefused
from dispatch.domain.statuses import StaffRole
from dispatch.errors import DispatchError
from dispatch.errors import NotFound
from dispatch.models import ApiToken
from dispatch.models import Branch
from dispatch.models import StaffUser

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from dispatch.context import Context

MIN_PASSWORD_LENGTH = 8
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_LENGTH = 16
_SALT_CHARS = string.ascii_letters + string.digits
ROUTE_VIEWERS = frozenset({StaffRole.ADMIN, StaffRole.DISPATCHER, StaffRole.COURIER})


class AccessDenied(DispatchError):
    """The staff member's role, or the route's courier, does not allow what was asked."""

    code = "forbidden"


@dataclass(frozen=True)
class StaffView:
    """A staff account as plain data (never its password hash)."""

    id: int
    username: str
    full_name: str
    role: str
    branch_code: str | None
    active: bool

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)


def _view(user: StaffUser, session: Session) -> StaffView:
    branch = session.get(Branch, user.branch_id) if user.branch_id is not None else None
    return StaffView(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role.value,
        branch_code=branch.code if branch else None,
        active=user.active,
    )


STAFF_ENTITY = "staff_user"
"""The audit entries' ``entity`` for staff accounts."""

DUMMY_HASH = "scrypt:32768:8:1$0000000000000000$" + "0" * 128


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` in Werkzeug's format, with Werkzeug's default cost (N=2**15, r=8, p=1)."""
    salt = "".join(secrets.choice(_SALT_CHARS) for _ in range(SALT_LENGTH))
    digest = hashlib.scrypt(
        password.encode(), salt=salt.encode(), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=2 * 128 * SCRYPT_N * SCRYPT_R, dklen=64
    )
    return f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}${salt}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (compared in constant time)."""
    try:
        method, salt, digest = stored.split("$", 2)
        _, n, r, p = method.split(":")
        computed = hashlib.scrypt(
            password.encode(), salt=salt.encode(), n=int(n), r=int(r), p=int(p), maxmem=2 * 128 * int(n) * int(r), dklen=64
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


def sign_in(ctx: Context, username: str, password: str) -> StaffView | None:
    """The active account for ``username`` and ``password``, or ``None`` (never saying which one was wrong)."""
    with ctx.uow() as uow:
        user = uow.session.scalars(select(StaffUser).where(StaffUser.username == username.strip())).one_or_none()
        if user is None or not user.active:
            check_password(password, DUMMY_HASH)  # the same work either way: no timing hint that the name exists
            return None
        if not check_password(password, user.password_hash):
            return None
        return _view(user, uow.session)


def staff_by_id(ctx: Context, user_id: int) -> StaffView | None:
    """The active account with this id (a signed-in session's user), or ``None``."""
    with ctx.uow() as uow:
        user = uow.session.get(StaffUser, user_id)
        return _view(user, uow.session) if user is not None and user.active else None


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def _text(field: str, value: str, *, max_length: int) -> str:
    cleaned = value.strip()
    if not cleaned or len(cleaned) > max_length:
        raise DispatchError("invalid_field", field=field, value=value)
    return cleaned


def add_staff(
    ctx: Context, username: str, full_name: str, role: str, password: str, branch_code: str | None = None, *, actor: str = "cli"
) -> StaffView:
    """Create a staff account; the username is unique (``staff_exists`` otherwise). Audited as ``actor``'s change."""
    username = _text("username", username, max_length=64)
    if any(ch.isspace() for ch in username):
        raise DispatchError("invalid_field", field="username", value=username)
    full_name = _text("full_name", full_name, max_length=200)
    allowed = [r.value for r in StaffRole]
    if role not in allowed:
        raise DispatchError("invalid_choice", field="role", value=role, allowed=", ".join(allowed))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DispatchError("password_too_short", min_length=MIN_PASSWORD_LENGTH)
    password_hash = hash_password(password)
    with ctx.uow() as uow:
        branch_id = None
        if branch_code:
            branch_id = uow.session.scalar(select(Branch.id).where(Branch.code == branch_code))
            if branch_id is None:
                raise NotFound(what="branch", id=branch_code)
        if uow.session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
            raise DispatchError("staff_exists", username=username)
        user = StaffUser(
            username=username, full_name=full_name, role=StaffRole(role), password_hash=password_hash, branch_id=branch_id
        )
        uow.session.add(user)
        try:
            uow.session.flush()
            changes = {"username": (None, username), "full_name": (None, full_name), "role": (None, role)}
            audit.record(uow.session, actor=actor, entity=STAFF_ENTITY, entity_id=user.id, action="created", changes=changes)
            uow.commit()
        except IntegrityError:  # added at the same moment by someone else
            raise DispatchError("staff_exists", username=username) from None
        return _view(user, uow.session)


def _staff(session: Session, username: str, *, active_only: bool) -> StaffUser:
    query = select(StaffUser).where(StaffUser.username == username)
    if active_only:
        query = query.where(StaffUser.active.is_(True))
    user = session.execute(query).scalar_one_or_none()
    if user is None:
        raise DispatchError("staff_not_found", username=username)
    return user


def _active_tokens(session: Session, user: StaffUser, name: str) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.staff_user_id == user.id, ApiToken.name == name, ApiToken.revoked.is_(False))
    return list(session.scalars(query))


def issue_token(ctx: Context, username: str, name: str) -> str:
    """A new API token for an active staff member, returned this once; ``name`` tells their tokens apart."""
    name = _text("name", name, max_length=100)
    token = secrets.token_urlsafe(32)
    with ctx.uow() as uow:
        user = _staff(uow.session, username, active_only=True)
        if _active_tokens(uow.session, user, name):
            raise DispatchError("token_name_taken", username=username, name=name)
        uow.session.add(ApiToken(staff_user_id=user.id, name=name, token_hash=token_digest(token), created_at=ctx.clock()))
        uow.commit()
    return token


def revoke_token(ctx: Context, username: str, name: str) -> int:
    """Revoke the staff member's active token(s) called ``name``; returns how many were revoked."""
    with ctx.uow() as uow:
        user = _staff(uow.session, username, active_only=False)
        tokens = _active_tokens(uow.session, user, name.strip())
        if not tokens:
            raise DispatchError("token_not_found", username=username, name=name)
        for token in tokens:
            token.revoked = True
        uow.commit()
        return len(tokens)


def user_for_token(ctx: Context, token: str) -> StaffView | None:
    """The active staff member holding this unrevoked token (noting when it was used), or ``None``."""
    if not token:
        return None
    with ctx.uow() as uow:
        found = uow.session.execute(
            select(ApiToken, StaffUser)
            .join(StaffUser, ApiToken.staff_user_id == StaffUser.id)
            .where(ApiToken.token_hash == token_digest(token), ApiToken.revoked.is_(False), StaffUser.active.is_(True))
        ).one_or_none()
        if found is None:
            return None
        api_token, user = found
        api_token.last_used_at = ctx.clock()
        uow.commit()
        return _view(user, uow.session)


def require_role(user: StaffView, roles: Iterable[str]) -> None:
    """Raise :class:`AccessDenied` unless the staff member has one of ``roles``."""
    if user.role not in set(roles):
        raise AccessDenied()


def list_staff(ctx: Context) -> list[StaffView]:
    """Every staff account, active ones first, each group by username."""
    with ctx.uow() as uow:
        users = uow.session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.username))
        return [_view(user, uow.session) for user in users]


def staff_account(ctx: Context, user_id: int) -> StaffView:
    """One account, active or not; :class:`NotFound` when there is none."""
    with ctx.uow() as uow:
        user = uow.session.get(StaffUser, user_id)
        if user is None:
            raise NotFound(what="staff_user", id=user_id)
        return _view(user, uow.session)


def _account(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id, with_for_update=True)
    if user is None:
        raise NotFound(what="staff_user", id=user_id)
    return user


def _keep_an_admin(session: Session, user: StaffUser, by_id: int) -> None:
    """Refuse to take away the acting admin's own access, or the last active admin's."""
    if user.id == by_id:
        raise AdminRefused("not_yourself")
    others = select(StaffUser.id).where(StaffUser.role == StaffRole.ADMIN, StaffUser.active.is_(True), StaffUser.id != user.id)
    if user.role is StaffRole.ADMIN and user.active and session.scalar(others.limit(1)) is None:
        raise AdminRefused("last_admin")


def reset_password(ctx: Context, user_id: int, password: str, *, actor: str) -> StaffView:
    """Give the account a new password (the old one stops working at once); audited without the password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DispatchError("password_too_short", min_length=MIN_PASSWORD_LENGTH)
    password_hash = hash_password(password)
    with ctx.uow() as uow:
        user = _account(uow.session, user_id)
        user.password_hash = password_hash
        audit.record(uow.session, actor=actor, entity=STAFF_ENTITY, entity_id=user.id, action="password_reset")
        uow.commit()
        return _view(user, uow.session)


def set_staff_active(ctx: Context, user_id: int, *, active: bool, actor: str, by_id: int) -> StaffView:
    """Disable an account (its sessions and API tokens stop working) or enable it again.

    Raises
    ------
    AdminRefused
        ``not_yourself`` for the acting admin's own account, ``last_admin`` for the last active admin.
    """
    with ctx.uow() as uow:
        user = _account(uow.session, user_id)
        if not active:
            _keep_an_admin(uow.session, user, by_id)
        changes = audit.changed(user, {"active": active})
        if changes:
            action = "enabled" if active else "disabled"
            audit.record(uow.session, actor=actor, entity=STAFF_ENTITY, entity_id=user.id, action=action, changes=changes)
        uow.commit()
        return _view(user, uow.session)


def set_staff_role(ctx: Context, user_id: int, role: str, *, actor: str, by_id: int) -> StaffView:
    """Give the account another role; an admin keeps their own role, and one active admin always remains."""
    allowed = [r.value for r in StaffRole]
    if role not in allowed:
        raise DispatchError("invalid_choice", field="role", value=role, allowed=", ".join(allowed))
    with ctx.uow() as uow:
        user = _account(uow.session, user_id)
        if role != StaffRole.ADMIN.value:
            _keep_an_admin(uow.session, user, by_id)
        changes = audit.changed(user, {"role": StaffRole(role)})
        if changes:
            changes = {"role": (changes["role"][0].value, role)}
            audit.record(uow.session, actor=actor, entity=STAFF_ENTITY, entity_id=user.id, action="role_changed", changes=changes)
        uow.commit()
        return _view(user, uow.session)
