"""The operator's desk for a reader's phone call: find the reader, read their record, pick books into a basket, take the request.

The basket is the list of chosen barcodes carried in the page's forms (``basket`` fields), so it needs
no JavaScript and survives every catalogue search. Mistakes in a form come back on the same page with
everything typed kept; nothing is stored and nobody is texted.
"""

from __future__ import annotations

import typing as t
import uuid
from datetime import date

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import RequestStatus
from dispatch.errors import DispatchError
from dispatch.errors import InvalidRequest
from dispatch.errors import UnknownReader
from dispatch.labels import label
from dispatch.messages import render
from dispatch.readers import desk as reader_desk
from dispatch.readers.address import FIELDS as ADDRESS_FIELDS
from dispatch.readers.address import AddressInvalid
from dispatch.readers.address import edit_address
from dispatch.readers.location import place_reader
from dispatch.requests.call_sheet import call_sheet
from dispatch.requests.changes import cancel_request
from dispatch.requests.changes import move_request
from dispatch.requests.intake import submit_request
from web.extension import context
from web.i18n import page_language as language
from web.security import roles_required

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response

bp = Blueprint("operator", __name__, url_prefix="/operator")

ROLES = ("admin", "dispatcher", "operator")
WINDOWS = ("10:00-18:00", "10:00-14:00", "14:00-18:00")
LIFT = {"yes": True, "no": False, "": None}


def _actor() -> str:
    return f"staff:{current_user.username or current_user.id}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _basket(values: list[str], add: str = "", remove: str = "") -> list[str]:
    """The chosen barcodes, once each, with ``add`` appended and ``remove`` taken out."""
    chosen = [code.strip() for code in values if code.strip()]
    if add.strip():
        chosen.append(add.strip())
    return [code for code in dict.fromkeys(chosen) if code != remove.strip()]


def _typed(text: str) -> list[str]:
    return [code for code in text.replace(",", " ").split() if code]


@bp.get("/")
@roles_required(*ROLES)
def find() -> str:
    """Find a reader by card, name (any letter case) or phone (any common form)."""
    query = request.args.get("q", "").strip()
    found = reader_desk.find_readers(context(), query) if query else []
    return render_template("operator/find.html", query=query, found=found)


@bp.get("/readers/<card>")
@roles_required(*ROLES)
def reader(card: str) -> tuple[str, int]:
    """The reader's call sheet: record, standing, catalogue search and the basket being filled."""
    args = request.args
    basket = _basket(args.getlist("basket"), args.get("add", ""), args.get("remove", ""))
    return _call_page(card, basket=basket, book_query=args.get("book", "").strip())


def _call_page(
    card: str,
    *,
    basket: list[str],
    book_query: str = "",
    status: int = 200,
    take: dict[str, t.Any] | None = None,
    take_errors: list[str] | None = None,
    address: dict[str, t.Any] | None = None,
    address_errors: dict[str, str] | None = None,
) -> tuple[str, int]:
    try:
        sheet = call_sheet(context(), card, lang=language(), book_query=book_query, basket=basket)
    except UnknownReader as e:
        flash(e.message(language()), "error")
        return render_template("operator/find.html", query=card, found=[]), 404
    record = sheet.record
    typed = take or {}
    page = render_template(
        "operator/reader.html",
        sheet=sheet,
        record=record,
        standing=sheet.standing,
        basket=[line.barcode for line in sheet.basket],
        book_query=book_query,
        request_key=typed.get("idempotency_key") or str(uuid.uuid4()),
        take=typed,
        take_kind=typed.get("kind") or ("return_pickup" if sheet.basket_only_loans else "delivery"),
        take_errors=take_errors or [],
        address=address or {f: getattr(record, f) for f in ADDRESS_FIELDS},
        address_errors=address_errors or {},
        windows=WINDOWS,
        earliest=format_date(sheet.earliest, "EEEE, d MMMM"),
        centre=context().area.bounds(),
    )
    return page, status


@bp.post("/readers/<card>/requests")
@roles_required(*ROLES)
def take_request(card: str) -> Response | tuple[str, int]:
    """Take the request the caller asks for; a mistake comes back on the form, and nothing is stored or sent."""
    form = request.form
    basket = _basket(form.getlist("basket"))
    typed = form.get("barcodes", "")
    lang = language()
    try:
        taken = submit_request(
            context(),
            card_number=card,
            barcodes=[*basket, *_typed(typed)],
            wished_date=form.get("date") or None,
            window=form.get("window") or None,
            kind=form.get("kind", "delivery"),
            channel=Channel.OPERATOR.value,
            idempotency_key=form.get("idempotency_key") or None,
            actor=_actor(),
            notes=form.get("notes", "").strip() or None,
        )
    except DispatchError as e:
        problems = (
            [render(code, lang, params) for code, params in e.problems] if isinstance(e, InvalidRequest) else [e.message(lang)]
        )
        return _call_page(
            card,
            basket=basket,
            status=422,
            take={key: form.get(key, "") for key in ("barcodes", "date", "window", "kind", "notes", "idempotency_key")},
            take_errors=[_sentence(p) for p in problems],
        )
    words = {
        "number": taken.id,
        "status": label("request_status", taken.status, lang),
        "date": format_date(date.fromisoformat(taken.service_date), "EEEE, d MMMM") if taken.service_date else "—",
        "window": taken.window.replace("-", "–"),
    }
    if taken.status == RequestStatus.REJECTED.value:
        flash(_("Request no. %(number)s is stored as refused; the reader is told why by SMS.", **words), "error")
        for reason in taken.reasons:
            flash(str(reason.get(f"message_{lang}") or reason.get("message_ru")), "error")
    else:
        flash(_("Request no. %(number)s accepted: %(status)s, %(date)s, %(window)s.", **words), "notice")
    return redirect(url_for(".reader", card=card, _anchor="open-h"))


@bp.post("/readers/<card>/address")
@roles_required(*ROLES)
def address(card: str) -> Response | tuple[str, int]:
    """Save the door's details (entrance, floor, flat, door code, lift, notes); each change is audited."""
    form = request.form
    values: dict[str, t.Any] = {f: form.get(f, "") for f in ADDRESS_FIELDS if f != "has_lift"}
    values["has_lift"] = LIFT.get(form.get("has_lift", ""))
    lang = language()
    try:
        edited = edit_address(context(), card, values, actor=_actor())
    except AddressInvalid as e:
        errors = {f: render(e.code, lang, {"limit": limit}) for f, limit in e.problems.items()}
        return _call_page(card, basket=_basket(form.getlist("basket")), status=422, address=values, address_errors=errors)
    except DispatchError as e:
        flash(e.message(lang), "error")
    else:
        flash(_("The door's details are saved.") if edited.changes else _("Nothing was changed."), "notice")
    return redirect(url_for(".reader", card=card, basket=_basket(form.getlist("basket")), _anchor="door-h"))


@bp.post("/readers/<card>/requests/<int:number>/cancel")
@roles_required(*ROLES)
def cancel(card: str, number: int) -> Response:
    """Cancel one of the reader's requests, with the reason the reader gave."""
    try:
        cancel_request(context(), card, number, request.form.get("reason", ""), actor=_actor())
    except DispatchError as e:
        flash(e.message(language()), "error")
    else:
        flash(_("Request no. %(number)s is cancelled.", number=number), "notice")
    return redirect(url_for(".reader", card=card, _anchor="open-h"))


@bp.post("/readers/<card>/requests/<int:number>/move")
@roles_required(*ROLES)
def move(card: str, number: int) -> Response:
    """Move one of the reader's requests to another service day, with the reason."""
    form = request.form
    try:
        moved = move_request(context(), card, number, form.get("date", ""), form.get("reason", ""), actor=_actor())
    except DispatchError as e:
        flash(e.message(language()), "error")
    else:
        day = format_date(moved.service_date, "EEEE, d MMMM") if moved.service_date else "—"
        flash(_("Request no. %(number)s is moved to %(date)s.", number=number, date=day), "notice")
    return redirect(url_for(".reader", card=card, _anchor="open-h"))


@bp.post("/readers/<card>/location")
@roles_required(*ROLES)
def locate(card: str) -> Response:
    """Place the reader's door at the point picked on the map (or typed in)."""
    try:
        lat, lon = float(request.form.get("lat", "")), float(request.form.get("lon", ""))
        placed = place_reader(context(), card, lat, lon, actor=_actor())
    except ValueError:
        flash(_("Enter the latitude and longitude as numbers."), "error")
    except DispatchError as e:
        flash(e.message(language()), "error")
    else:
        flash(_("The door is placed at %(lat)s, %(lon)s.", lat=placed.lat, lon=placed.lon), "notice")
    return redirect(url_for(".reader", card=card, _anchor="place-h"))
