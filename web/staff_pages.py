"""Staff sign-in and sign-out (admin, dispatcher, operator, courier), rate-limited, with a CSRF-protected form."""

from __future__ import annotations

from flask import Blueprint
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from flask_login import logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired

from dispatch.staff import accounts as staff
from web.extension import context
from web.security import limiter
from web.security import staff_user

bp = Blueprint("staff", __name__, url_prefix="/staff")

HOME_BY_ROLE = {"admin": "console.day", "dispatcher": "console.day", "operator": "operator.find", "courier": "courier.today"}


class SignInForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter your username"))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password"))])


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def sign_in() -> str | Response:
    """The staff sign-in form; a wrong name or password gets one message for both."""
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        view = staff.sign_in(context(), form.username.data or "", form.password.data or "")
        if view is not None:
            login_user(staff_user(view))
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//"):
                target = url_for(HOME_BY_ROLE.get(view.role, "console.day"))
            return redirect(target)
        error = _l("The username or password is wrong.")
    return render_template("staff/sign_in.html", form=form, error=error)


@bp.post("/sign-out")
def sign_out() -> Response:
    """End the staff session."""
    logout_user()
    return redirect(url_for("staff.sign_in"))
