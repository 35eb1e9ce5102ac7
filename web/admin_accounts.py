"""The admin pages of staff accounts: create, set a new password, change the role, disable or enable; each change audited."""

from __future__ import annotations

import typing as t

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from dispatch.domain.statuses import StaffRole
from dispatch.errors import DispatchError
from dispatch.labels import choices
from dispatch.labels import label
from dispatch.staff import accounts
from web.admin_common import ROLE
from web.admin_common import actor as _actor
from web.admin_common import bp
from web.admin_common import branch_choices
from web.admin_common import history as _history
from web.admin_common import refusal_on_form as _refusal_on_form
from web.admin_forms import NewStaffForm
from web.admin_forms import PasswordForm
from web.admin_forms import RoleForm
from web.extension import context
from web.i18n import page_language as language
from web.security import roles_required

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response


# --- staff accounts -------------------------------------------------------------------------------


def _role_choices() -> list[tuple[str, str]]:
    return choices("staff_role", language())


@bp.route("/staff", methods=["GET", "POST"])
@roles_required(ROLE)
def staff() -> Response | tuple[str, int]:
    """Every staff account, and the form for a new one."""
    form = NewStaffForm()
    form.role.choices = _role_choices()
    form.branch_code.choices = branch_choices(optional=True)
    if request.method == "GET":
        form.role.data = StaffRole.OPERATOR.value  # the most common new account, and never an admin by accident
    if form.validate_on_submit():
        try:
            made = accounts.add_staff(
                context(),
                form.username.data or "",
                form.full_name.data or "",
                form.role.data or "",
                form.password.data or "",
                form.branch_code.data or None,
                actor=_actor(),
            )
        except DispatchError as refusal:
            field = {"staff_exists": "username", "invalid_field": str(refusal.params.get("field", ""))}.get(refusal.code, "")
            refusal.params.setdefault("field", field)
            _refusal_on_form(form, refusal)
        else:
            flash(_("The account %(username)s is created. Give the person their password in person.", username=made.username))
            return redirect(url_for(".account", user_id=made.id))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/staff.html", form=form, people=accounts.list_staff(context())), status


def _account_page(user_id: int, *, password: PasswordForm | None = None, status: int = 200) -> tuple[str, int]:
    person = accounts.staff_account(context(), user_id)
    role_form = RoleForm(formdata=None, prefix="role", role=person.role)
    role_form.role.choices = _role_choices()
    page = render_template(
        "admin/account.html",
        person=person,
        role_form=role_form,
        password_form=password or PasswordForm(formdata=None, prefix="pw"),
        history=_history(accounts.STAFF_ENTITY, user_id),
        is_me=person.id == current_user.id,
    )
    return page, status


@bp.get("/staff/<int:user_id>")
@roles_required(ROLE)
def account(user_id: int) -> tuple[str, int]:
    """One account: its role, a new password, disable or enable, and its history."""
    return _account_page(user_id)


@bp.post("/staff/<int:user_id>/password")
@roles_required(ROLE)
def reset_password(user_id: int) -> Response | tuple[str, int]:
    """Give the account a new password."""
    form = PasswordForm(prefix="pw")
    if not form.validate_on_submit():
        return _account_page(user_id, password=form, status=422)
    accounts.reset_password(context(), user_id, form.password.data or "", actor=_actor())
    flash(_("The new password is set. The old one no longer works."))
    return redirect(url_for(".account", user_id=user_id))


@bp.post("/staff/<int:user_id>/role")
@roles_required(ROLE)
def change_role(user_id: int) -> Response:
    """Give the account another role."""
    form = RoleForm(prefix="role")
    form.role.choices = _role_choices()
    if form.validate_on_submit():
        try:
            made = accounts.set_staff_role(context(), user_id, form.role.data or "", actor=_actor(), by_id=current_user.id)
        except DispatchError as refusal:
            flash(refusal.message(language()), "error")
        else:
            flash(_("The role is now: %(role)s.", role=label("staff_role", made.role, language())))
    return redirect(url_for(".account", user_id=user_id))


@bp.post("/staff/<int:user_id>/active")
@roles_required(ROLE)
def set_active(user_id: int) -> Response:
    """Disable the account (it can no longer sign in or use its API tokens), or enable it again."""
    active = request.form.get("active") == "1"
    try:
        accounts.set_staff_active(context(), user_id, active=active, actor=_actor(), by_id=current_user.id)
    except DispatchError as refusal:
        flash(refusal.message(language()), "error")
    else:
        flash(_("The account is enabled again.") if active else _("The account is disabled: it can no longer sign in."))
    return redirect(url_for(".account", user_id=user_id))
