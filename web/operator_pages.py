"""The operator's desk: find a reader, see their record and eligibility, take a request by phone, place an address."""

from __future__ import annotations

import typing as t
import uuid

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from dispatch.domain.statuses import Channel
from dispatch.errors import DispatchError
from dispatch.errors import UnknownReader
from dispatch.readers import desk as reader_desk
from dispatch.readers.location import place_reader
from dispatch.readers.standing import standing
from dispatch.requests.intake import submit_request
from web.extension import context
from web.security import roles_required

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response

bp = Blueprint("operator", __name__, url_prefix="/operator")

ROLES = ("admin", "dispatcher", "operator")
WINDOWS = ("10:00-14:00", "14:00-18:00", "10:00-18:00")


def _lang() -> str:
    return str(get_locale() or "ru")


def _actor() -> str:
    return f"staff:{current_user.username or current_user.id}"


@bp.get("/")
@roles_required(*ROLES)
def find() -> str:
    """Find a reader by card, name or phone."""
    query = request.args.get("q", "").strip()
    found = reader_desk.find_readers(context(), query) if query else []
    return render_template("operator/find.html", query=query, found=found)


@bp.get("/readers/<card>")
@roles_required(*ROLES)
def reader(card: str) -> str:
    """The reader's record, standing (with every reason) and the forms to take a request and place the door."""
    try:
        record = reader_desk.reader_record(context(), card)
    except UnknownReader as e:
        flash(e.message(_lang()), "error")
        return render_template("operator/find.html", query=card, found=[])
    ctx = context()
    return render_template(
        "operator/reader.html",
        record=record,
        standing=standing(ctx, card).as_dict(_lang()),
        request_key=str(uuid.uuid4()),
        windows=WINDOWS,
        centre=ctx.area.bounds(),
    )


@bp.post("/readers/<card>/requests")
@roles_required(*ROLES)
def take_request(card: str) -> Response:
    """Take a request on the reader's behalf (channel ``phone``); the form's UUID makes a double submit harmless."""
    form = request.form
    try:
        taken = submit_request(
            context(),
            card_number=card,
            barcodes=[b for b in form.get("barcodes", "").replace(",", " ").split() if b],
            wished_date=form.get("date") or None,
            window=form.get("window") or None,
            kind=form.get("kind", "delivery"),
            channel=Channel.PHONE.value,
            idempotency_key=form.get("idempotency_key") or None,
            actor=_actor(),
        )
    except DispatchError as e:
        flash(e.message(_lang()), "error")
        return redirect(url_for(".reader", card=card))
    flash(
        _("Request %(id)s taken: %(status)s, %(date)s.", id=taken.public_id, status=taken.status, date=taken.service_date or "—"),
        "notice",
    )
    for reason in taken.reasons:
        flash(str(reason.get(f"message_{_lang()}") or reason.get("code")), "error")
    return redirect(url_for(".reader", card=card))


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
        flash(e.message(_lang()), "error")
    else:
        flash(_("The door is placed at %(lat)s, %(lon)s.", lat=placed.lat, lon=placed.lon), "notice")
    return redirect(url_for(".reader", card=card))
