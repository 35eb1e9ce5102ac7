"""The admin pages' forms: what each asks, how it is checked, and the error words in the staff's language."""

from __future__ import annotations

import typing as t

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import DateField
from wtforms import Field
from wtforms import IntegerField
from wtforms import PasswordField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TimeField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import Regexp
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from dispatch.staff.accounts import MIN_PASSWORD_LENGTH

F = t.TypeVar("F", bound=Field)
PASSWORD_RULE = Length(
    min=MIN_PASSWORD_LENGTH, message=_l("The password needs at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)
)


def _worded(field_class: type[F], words: str) -> type[F]:
    """``field_class`` whose unreadable input gets ``words`` (in the page's language) instead of WTForms' English."""

    class Worded(field_class):  # type: ignore[valid-type,misc]
        def process_formdata(self, valuelist: list[t.Any]) -> None:
            try:
                super().process_formdata(valuelist)
            except ValueError:
                raise ValueError(str(_l(words))) from None

    Worded.__name__ = f"Worded{field_class.__name__}"
    return t.cast("type[F]", Worded)


DayField = _worded(DateField, "Enter a date.")
ClockField = _worded(TimeField, "Enter a time as HH:MM.")
WholeField = _worded(IntegerField, "Enter a whole number.")


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (working days, skills)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UploadForm(FlaskForm):
    """Which export and the file itself."""

    kind = SelectField(_l("Which file"), validators=[DataRequired(message=_l("Choose which file is being uploaded."))])
    file = FileField(_l("The export file (CSV)"), validators=[FileRequired(message=_l("Choose the file to upload."))])


class NewStaffForm(FlaskForm):
    """A new staff account."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=200)])
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(message=_l("Enter a username.")),
            Length(max=64, message=_l("The username can be at most %(max)d characters long.", max=64)),
            Regexp(r"^\S+$", message=_l("The username cannot contain spaces.")),
        ],
    )
    role = SelectField(_l("Role"))
    branch_code = SelectField(_l("Branch"), validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter a password.")), PASSWORD_RULE])


class PasswordForm(FlaskForm):
    """A new password for an account."""

    password = PasswordField(_l("New password"), validators=[DataRequired(message=_l("Enter a password.")), PASSWORD_RULE])


class RoleForm(FlaskForm):
    """Another role for an account."""

    role = SelectField(_l("Role"))


class CourierForm(FlaskForm):
    """A courier's record: who, where, when and what they can carry."""

    code = StringField(
        _l("Courier code"),
        validators=[
            DataRequired(message=_l("Enter the courier's code.")),
            Length(max=32, message=_l("The code can be at most %(max)d characters long.", max=32)),
            Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Use Latin letters, digits, - and _ only.")),
        ],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    kind = SelectField(_l("Works as"))
    branch_code = SelectField(_l("Branch"), validators=[DataRequired(message=_l("Choose the branch."))])
    shift_start = ClockField(_l("Shift starts"), validators=[InputRequired(message=_l("Enter a time as HH:MM."))])
    shift_end = ClockField(_l("Shift ends"), validators=[InputRequired(message=_l("Enter a time as HH:MM."))])
    working_days = CheckboxesField(_l("Working days"))
    capacity_books = WholeField(
        _l("Books per trip"),
        validators=[
            InputRequired(message=_l("Enter a whole number.")),
            NumberRange(min=1, max=500, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )
    capacity_kg = WholeField(
        _l("Load, kg"),
        validators=[
            InputRequired(message=_l("Enter a whole number.")),
            NumberRange(min=1, max=500, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )
    skills = CheckboxesField(_l("Can also"))
    active = BooleanField(_l("On the roster (takes routes)"))


class LeaveForm(FlaskForm):
    """A leave period."""

    starts_on = DayField(_l("First day away"), validators=[InputRequired(message=_l("Enter a date."))])
    ends_on = DayField(_l("Last day away"), validators=[InputRequired(message=_l("Enter a date."))])
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=200)])


class BranchForm(FlaskForm):
    """A branch's contacts and whether it is open round the clock."""

    name = StringField(_l("Branch name"), validators=[DataRequired(message=_l("Enter the branch's name.")), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    email = StringField(
        _l("E-mail"),
        validators=[Optional(), Length(max=200), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address."))],
    )
    open_24_7 = BooleanField(_l("Open round the clock (24/7)"))
