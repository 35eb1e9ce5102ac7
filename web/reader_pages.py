"""The reader's pages (public, Russian and Kazakh): sign in with card and one-time code, order, follow, SMS choice.

Everything works without JavaScript: each step is a form posted to the next one, carrying what was
chosen in hidden fields with a per-order UUID that is the request's idempotency key, so sending the
last form twice stores one request. A reader only ever sees their own records.
"""

from __future__ import annotations

import typing as t
import uuid
from datetime import date

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length

from dispatch.domain.statuses import RequestKind
from dispatch.errors import DispatchError
from dispatch.readers import portal as reader_portal
from dispatch.readers.access import request_code
from dispatch.readers.access import verify_code
from dispatch.requests.intake import submit_request
from dispatch.sms.suppression import set_preference
from web.extension import context
from web.language_switch import keeps_form_on_language_switch
from web.language_switch import switching_language
from web.security import WebUser
from web.security import limiter
from web.security import reader_required

bp = Blueprint("reader", __name__)


HALF_DAYS: dict[str, str] = {"morning": "10:00-14:00", "afternoon": "14:00-18:00"}
KINDS: dict[str, str] = {"delivery": RequestKind.DELIVERY.value, "return": RequestKind.RETURN_PICKUP.value}


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes; the service decides which values are allowed."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: t.Any) -> None:
        """Any value may come back: :func:`reader_portal.chosen_books` drops those not allowed."""


class CardForm(FlaskForm):
    """Step one of signing in: the library card number."""

    card = StringField(
        _l("Library card number"),
        validators=[DataRequired(message=_l("Enter your library card number")), Length(max=32)],
    )


class CodeForm(FlaskForm):
    """Step two of signing in: the code from the SMS."""

    code = StringField(_l("Code from the SMS"), validators=[DataRequired(message=_l("Enter the code from the SMS"))])


class BooksForm(FlaskForm):
    """The books chosen, with the order's idempotency key."""

    key = HiddenField()
    books = MultiCheckboxField(_l("Books"), validators=[InputRequired(message=_l("Choose at least one book"))])


class WhenForm(BooksForm):
    """The day and half-day."""

    day = RadioField(_l("Day"), validators=[InputRequired(message=_l("Choose a day"))])
    half = RadioField(
        _l("Time of day"),
        choices=[
            SelectChoice("morning", _l("Morning, 10:00 to 14:00")),
            SelectChoice("afternoon", _l("Afternoon, 14:00 to 18:00")),
        ],
        validators=[InputRequired(message=_l("Choose morning or afternoon"))],
    )


class SmsForm(FlaskForm):
    """SMS on or off."""

    sms = RadioField(
        _l("Text messages about my requests"),
        choices=[SelectChoice("on", _l("Send me SMS")), SelectChoice("off", _l("Do not send me SMS"))],
        validators=[InputRequired(message=_l("Choose whether to receive SMS"))],
    )


def _lang() -> str:
    return str(get_locale() or "ru")


@bp.get("/")
def home() -> str:
    """The start page: what the service is, and the way in."""
    return render_template("reader/home.html", signed_in=current_user.is_authenticated and current_user.kind == "reader")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@keeps_form_on_language_switch
def sign_in() -> str | Response:
    """Sign in, step one: the card number; a code is sent by SMS (the same answer whether the card exists or not)."""
    form = CardForm()
    if not switching_language() and form.validate_on_submit():
        card = (form.card.data or "").strip()
        request_code(context(), card)
        session["reader_card"] = card
        return redirect(url_for("reader.enter_code"))
    return render_template("reader/sign_in.html", form=form)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@keeps_form_on_language_switch
def enter_code() -> str | Response:
    """Sign in, step two: the code; a wrong code and an unknown card get the same message."""
    card = session.get("reader_card")
    if not card:
        return redirect(url_for("reader.sign_in"))
    form = CodeForm()
    if not switching_language() and form.validate_on_submit():
        found = verify_code(context(), card, form.code.data or "")
        if found is not None:
            session.pop("reader_card", None)
            login_user(WebUser("reader", found.id, found.name, "reader"))
            return redirect(url_for("reader.mine", lang=found.language if "lang" not in session else None))
        form.code.errors = [_("The card number or the code is wrong, or the code is no longer valid.")]
    return render_template("reader/code.html", form=form, card=card)


@bp.post("/sign-out")
def sign_out() -> Response:
    """End the reader's session."""
    logout_user()
    return redirect(url_for("reader.home"))


@bp.get("/my")
@reader_required
def mine() -> str:
    """The reader's page: may they order, their requests, and the ways to order or give books back."""
    found = reader_portal.overview(context(), current_user.id)
    return render_template("reader/mine.html", overview=found, lang=_lang())


@bp.route("/books/<kind>", methods=["GET", "POST"])
@reader_required
@keeps_form_on_language_switch
def choose(kind: str) -> str | Response:
    """Order step one: choose books (reserved ones and a search of the home branch), or books to give back.

    A POST is the language switch, which keeps the books already ticked; any other POST goes back to the page.
    """
    _kind(kind)
    query = request.args.get("q", "")[:100]
    if request.method == "POST" and not switching_language():
        return redirect(url_for("reader.choose", kind=kind, q=query or None))
    form = BooksForm() if switching_language() else BooksForm(formdata=None, key=str(uuid.uuid4()))
    return _choose_page(kind, form, _start_books(kind, query), query)


@bp.post("/books/<kind>/when")
@reader_required
@keeps_form_on_language_switch
def when(kind: str) -> str:
    """Order step two: the day and half-day (the chosen books ride along in hidden fields)."""
    _kind(kind)
    if switching_language():
        chosen = _when_form(kind)
        books = reader_portal.chosen_books(context(), current_user.id, KINDS[kind], chosen.books.data or [])
        return render_template("reader/when.html", form=chosen, kind=kind, books=books)
    form = BooksForm()
    books = reader_portal.chosen_books(context(), current_user.id, KINDS[kind], form.books.data or [])
    if not form.validate_on_submit() or not books:
        form.books.errors = list(form.books.errors) or [_("Choose at least one book")]
        return _choose_page(kind, form, _start_books(kind), "")
    following = WhenForm(formdata=None, key=form.key.data, books=[b.barcode for b in books])
    following.day.choices = _day_choices()
    return render_template("reader/when.html", form=following, kind=kind, books=books)


@bp.post("/books/<kind>/confirm")
@reader_required
@keeps_form_on_language_switch
def confirm(kind: str) -> str:
    """Order step three: everything once more, to confirm (stores nothing, so a language switch simply comes back here)."""
    form = _when_form(kind)
    books = reader_portal.chosen_books(context(), current_user.id, KINDS[kind], form.books.data or [])
    if not form.validate_on_submit() or not books:
        return render_template("reader/when.html", form=form, kind=kind, books=books)
    day = date.fromisoformat(form.day.data or "")
    return render_template("reader/confirm.html", form=form, kind=kind, books=books, day=day)


@bp.post("/books/<kind>/submit")
@reader_required
def submit(kind: str) -> str | Response:
    """Send the request through the intake; the same form sent twice gives the same request."""
    form = _when_form(kind)
    if not form.validate_on_submit():
        return render_template("reader/when.html", form=form, kind=kind, books=[])
    try:
        stored = submit_request(
            context(),
            card_number=current_user_card(),
            barcodes=form.books.data or [],
            wished_date=form.day.data,
            window=HALF_DAYS[form.half.data or "morning"],
            kind=KINDS[kind],
            channel="web",
            idempotency_key=f"web:{form.key.data}",
            actor=f"reader:{current_user.id}",
        )
    except DispatchError as e:
        flash(e.message(_lang()), "error")
        return redirect(url_for("reader.mine"))
    return redirect(url_for("reader.request_page", public_id=stored.public_id))


@bp.get("/requests/<public_id>")
@reader_required
def request_page(public_id: str) -> str:
    """One of the reader's requests: accepted with its day and window, or refused with the reasons."""
    found = reader_portal.request_of(context(), current_user.id, public_id)
    if found is None:
        abort(404)
    return render_template("reader/request.html", item=found, lang=_lang())


@bp.route("/sms", methods=["GET", "POST"])
@reader_required
@limiter.limit("20 per minute", methods=["POST"])
@keeps_form_on_language_switch
def sms() -> str | Response:
    """Turn SMS about requests on or off."""
    form = SmsForm()
    if not switching_language() and form.validate_on_submit():
        set_preference(context(), current_user_card(), sms=form.sms.data == "on", source="web")
        flash(_("Your choice is saved."), "info")
        return redirect(url_for("reader.sms"))
    if not form.is_submitted():
        form.sms.data = "on" if reader_portal.overview(context(), current_user.id).sms_on else "off"
    return render_template("reader/sms.html", form=form)


def current_user_card() -> str:
    """The signed-in reader's card number, looked up by their id (never taken from the form)."""
    from dispatch.readers.access import reader_by_id

    found = reader_by_id(context(), current_user.id)
    if found is None:
        abort(403)
    return found.card_number


def _kind(kind: str) -> None:
    if kind not in KINDS:
        abort(404)


def _when_form(kind: str) -> WhenForm:
    _kind(kind)
    form = WhenForm()
    form.day.choices = _day_choices()
    return form


def _day_choices() -> list[SelectChoice]:
    return [SelectChoice(d.isoformat(), format_date(d, "EEEE, d MMMM")) for d in reader_portal.service_days(context())]


def _start_books(kind: str, query: str = "") -> list[reader_portal.Book]:
    if kind == "return":
        return reader_portal.books_on_loan(context(), current_user.id)
    return reader_portal.books_to_order(context(), current_user.id, query)


def _choose_page(kind: str, form: BooksForm, books: list[reader_portal.Book], query: str) -> str:
    form.books.choices = [SelectChoice(b.barcode, b.title) for b in books]
    return render_template("reader/choose.html", form=form, kind=kind, books=books, query=query)
