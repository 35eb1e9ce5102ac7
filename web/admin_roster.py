"""The admin pages of couriers (shift, days, capacity, skills, leave) and branches (contacts, 24/7); each change audited."""

from __future__ import annotations

import typing as t
from datetime import time

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _

from couriers import roster
from dispatch.admin import audit
from dispatch.admin.refusals import AdminRefused
from dispatch.branches import records
from dispatch.domain.statuses import CourierKind
from dispatch.imports.importers import COURIER_SKILLS
from dispatch.labels import choices
from dispatch.labels import label
from web import admin_words as words
from web.admin_common import ROLE
from web.admin_common import actor as _actor
from web.admin_common import bp
from web.admin_common import branch_choices
from web.admin_common import history as _history
from web.admin_common import refusal_on_form as _refusal_on_form
from web.admin_forms import BranchForm
from web.admin_forms import CourierForm
from web.admin_forms import LeaveForm
from web.extension import context
from web.i18n import page_language as language
from web.security import roles_required

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response


# --- couriers -------------------------------------------------------------------------------------


@bp.get("/couriers")
@roles_required(ROLE)
def couriers() -> str:
    """Every courier by branch: shift, days, capacity, skills, and whether on the roster."""
    names = dict(roster.branches(context()))
    return render_template(
        "admin/couriers.html", couriers=roster.roster(context()), branch_names=names, weekdays=dict(words.weekdays(language()))
    )


def _courier_form(**data: t.Any) -> CourierForm:
    form = CourierForm(**data)
    form.kind.choices = choices("courier_kind", language())
    form.branch_code.choices = branch_choices(optional=False)
    form.working_days.choices = words.weekdays(language())
    form.skills.choices = [(skill, label("courier_skill", skill, language())) for skill in COURIER_SKILLS]
    return form


def _courier_edit(form: CourierForm) -> roster.CourierEdit:
    return roster.CourierEdit(
        full_name=form.full_name.data or "",
        phone=form.phone.data or "",
        kind=form.kind.data or CourierKind.STAFF.value,
        branch_code=form.branch_code.data or "",
        shift_start=t.cast("t.Any", form.shift_start.data),
        shift_end=t.cast("t.Any", form.shift_end.data),
        working_days=list(form.working_days.data or []),
        capacity_books=int(form.capacity_books.data or 0),
        capacity_kg=int(form.capacity_kg.data or 0),
        skills=list(form.skills.data or []),
        active=bool(form.active.data),
    )


@bp.route("/couriers/new", methods=["GET", "POST"])
@roles_required(ROLE)
def new_courier() -> Response | tuple[str, int]:
    """Add a courier (staff or volunteer) to a branch's roster."""
    schedule = context().settings.schedule
    defaults = {"shift_start": schedule.service_start, "shift_end": schedule.service_end, "capacity_books": 30, "capacity_kg": 15}
    days = ["mon", "tue", "wed", "thu", "fri"]
    form = _courier_form(**defaults, working_days=days, active=True) if request.method == "GET" else _courier_form()
    if form.validate_on_submit():
        try:
            made = roster.save_courier(context(), form.code.data or "", _courier_edit(form), actor=_actor(), create=True)
        except AdminRefused as refusal:
            _refusal_on_form(form, refusal)
        else:
            flash(_("The courier %(name)s is added.", name=made.full_name))
            return redirect(url_for(".courier", code=made.code))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/courier_new.html", form=form), status


def _clock(text: str) -> time | None:
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def _courier_page(
    code: str, *, form: CourierForm | None = None, leave: LeaveForm | None = None, status: int = 200
) -> tuple[str, int]:
    card = roster.courier_card(context(), code)
    shown = card.courier
    if form is None:
        start, _sep, end = shown.shift.partition("-")
        form = _courier_form(
            formdata=None,
            code=shown.code,
            full_name=shown.full_name,
            phone=shown.phone or "",
            kind=shown.kind,
            branch_code=shown.branch_code,
            shift_start=_clock(start),
            shift_end=_clock(end),
            working_days=shown.working_days.split(","),
            capacity_books=shown.capacity_books,
            capacity_kg=round(shown.capacity_kg),
            skills=shown.skills,
            active=shown.active,
        )
    history = audit.recent(context(), entities=(roster.COURIER_ENTITY, roster.LEAVE_ENTITY), entity_id=card.id, limit=30)
    page = render_template(
        "admin/courier.html", card=card, form=form, leave_form=leave or LeaveForm(formdata=None, prefix="leave"), history=history
    )
    return page, status


@bp.route("/couriers/<code>", methods=["GET", "POST"])
@roles_required(ROLE)
def courier(code: str) -> Response | tuple[str, int]:
    """A courier's record to change, their leave periods, and the history of changes."""
    if request.method == "GET":
        return _courier_page(code)
    form = _courier_form()
    form.code.data = code  # the code names the courier in the library system: it is not changed here
    if form.validate_on_submit():
        try:
            roster.save_courier(context(), code, _courier_edit(form), actor=_actor())
        except AdminRefused as refusal:
            _refusal_on_form(form, refusal)
        else:
            flash(_("The courier's record is saved."))
            return redirect(url_for(".courier", code=code))
    return _courier_page(code, form=form, status=422)


@bp.post("/couriers/<code>/leave")
@roles_required(ROLE)
def add_leave(code: str) -> Response | tuple[str, int]:
    """Record a leave period; planning leaves the courier out on those days."""
    form = LeaveForm(prefix="leave")
    if form.validate_on_submit() and form.starts_on.data and form.ends_on.data:
        try:
            roster.add_leave(context(), code, form.starts_on.data, form.ends_on.data, form.reason.data or "", actor=_actor())
        except AdminRefused as refusal:
            _refusal_on_form(form, refusal)
        else:
            flash(_("The leave is recorded: the courier gets no routes on those days."))
            return redirect(url_for(".courier", code=code, _anchor="leave-h"))
    return _courier_page(code, leave=form, status=422)


@bp.post("/couriers/<code>/leave/<int:leave_id>/cancel")
@roles_required(ROLE)
def cancel_leave(code: str, leave_id: int) -> Response:
    """Remove a leave period recorded by mistake, or end it because the courier is back."""
    roster.cancel_leave(context(), code, leave_id, actor=_actor())
    flash(_("The leave is removed."))
    return redirect(url_for(".courier", code=code, _anchor="leave-h"))


# --- branches -------------------------------------------------------------------------------------


@bp.get("/branches")
@roles_required(ROLE)
def branches() -> str:
    """Every branch with its contacts."""
    return render_template("admin/branches.html", branches=records.list_branches(context()))


@bp.route("/branches/<code>", methods=["GET", "POST"])
@roles_required(ROLE)
def branch(code: str) -> Response | tuple[str, int]:
    """A branch's contacts to change, and the history of changes."""
    shown = records.get_branch(context(), code)
    form = BranchForm(obj=shown) if request.method == "GET" else BranchForm()
    if form.validate_on_submit():
        edit = records.BranchEdit(
            name=form.name.data or "",
            address=form.address.data or "",
            phone=form.phone.data or "",
            email=form.email.data or "",
            open_24_7=bool(form.open_24_7.data),
        )
        try:
            records.edit_branch(context(), code, edit, actor=_actor())
        except AdminRefused as refusal:
            _refusal_on_form(form, refusal)
        else:
            flash(_("The branch's record is saved."))
            return redirect(url_for(".branch", code=code))
    status = 422 if request.method == "POST" else 200
    page = render_template("admin/branch.html", branch=shown, form=form, history=_history(records.BRANCH_ENTITY, shown.id))
    return page, status
