"""Error pages people see (400 with the expired form, 403, 404, 405, 429, 500): what happened and what to do, in ru/kk."""

from __future__ import annotations

import logging
import typing as t
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import make_response
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape

if t.TYPE_CHECKING:
    from flask import Response
    from flask_babel import LazyString
    from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorText:
    """The words of one error page: its heading, what happened, what to do."""

    title: LazyString
    what: LazyString
    todo: LazyString


TEXTS: dict[str, ErrorText] = {
    "400": ErrorText(
        _l("The request could not be understood"),
        _l("Something in what the browser sent was incomplete or damaged."),
        _l("Go back, check what you entered and send it again."),
    ),
    "csrf": ErrorText(
        _l("The form has expired"),
        _l("The page was open for a long time, or it was sent from another window, so for your safety it was not accepted."),
        _l("Go back, reload the page and send the form again. Nothing was saved."),
    ),
    "403": ErrorText(
        _l("This page is not open to you"),
        _l("Your account has no access to this page."),
        _l("Sign in with another account, or go to the start page. If you think this is a mistake, ask the administrator."),
    ),
    "404": ErrorText(
        _l("Page not found"),
        _l("There is no page at this address: the address may be mistyped, or the page was removed."),
        _l("Check the address, or go to the start page."),
    ),
    "405": ErrorText(
        _l("This page cannot be opened this way"),
        _l("This usually happens after reloading or bookmarking a step of a form."),
        _l("Go to the start page and begin the step again."),
    ),
    "429": ErrorText(
        _l("Too many attempts"),
        _l("There were too many attempts in a short time, so we paused them to protect your account."),
        _l("Please wait a minute and try again."),
    ),
    "500": ErrorText(
        _l("Something went wrong on our side"),
        _l("The page could not be shown because of an error in the system. It is not your fault."),
        _l("Please try again in a few minutes. If it happens again, call the library."),
    ),
}
"""Words per status; another status reads as the nearest one (4xx as 400, 5xx as 500)."""


def text_key(error: HTTPException) -> str:
    """Which :data:`TEXTS` entry describes ``error``."""
    if isinstance(error, CSRFError):
        return "csrf"
    status = error.code or 500
    if str(status) in TEXTS:
        return str(status)
    return "500" if status >= 500 else "400"


def back_link() -> str | None:
    """The page the person came from, when it is on this site and is not this very address (a link, not JavaScript).

    A form posted to its own address leads back to it: the link opens the form afresh with GET.
    """
    referrer = request.referrer
    if not referrer:
        return None
    came, here = urlsplit(referrer), urlsplit(request.url)
    if came.netloc != here.netloc or (came.path == here.path and request.method == "GET"):
        return None
    return referrer


def render_error_page(error: HTTPException, detail: str | None = None) -> Response:
    """The error as a page of the site in the person's language, with the error's status and headers.

    ``detail`` is a domain error's own message (already in the person's language), shown under what happened.
    """
    status = error.code or 500
    key = text_key(error)
    words = TEXTS[key]
    try:
        body = render_template("errors/error.html", status=status, key=key, words=words, back=back_link(), detail=detail)
    except Exception:  # the page itself failed (e.g. the database is down): say it plainly, never crash twice
        log.exception("the error page for %s could not be rendered", status)
        body = f"<!doctype html><title>{escape(words.title)}</title><h1>{escape(words.title)}</h1><p>{escape(words.todo)}</p>"
    response = make_response(body, status)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value  # Allow on a 405, Retry-After on a 429
    return response
