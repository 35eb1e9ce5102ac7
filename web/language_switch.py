"""The language switch that keeps a person where they are: a link on plain pages, a re-post of the form on form pages.

Switching by a link loses what was typed and cannot reach a page a POST produced ("Method Not
Allowed"). So on a page whose form is named in the template (``{% set language_form = "id" %}``)
the switch is a submit button of that form, posting it with ``_lang`` to the page's own address
(or ``language_action``); the view, marked :func:`keeps_form_on_language_switch`, sees
:func:`switching_language` and shows the same page again with what was typed, acting on nothing.
No JavaScript is needed.
"""

from __future__ import annotations

import typing as t
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from flask import current_app
from flask import request
from flask import url_for

from web.i18n import LANGUAGES
from web.i18n import SWITCH_FIELD

P = t.ParamSpec("P")
R = t.TypeVar("R")

KEEPS_FORM: set[str] = set()
"""Views (``module.qualname``) whose POST handler re-renders the page, acting on nothing, when :func:`switching_language` says so."""


def switching_language() -> bool:
    """The POST is a language switch: the view shows its page again with what was typed, acting on nothing."""
    return request.method == "POST" and request.form.get(SWITCH_FIELD) in LANGUAGES


def keeps_form_on_language_switch(view: t.Callable[P, R]) -> t.Callable[P, R]:
    """Mark a view whose POST handler honours :func:`switching_language`, so its pages switch language by re-posting."""
    KEEPS_FORM.add(f"{view.__module__}.{view.__qualname__}")
    return view


def switch_keeps_form() -> bool:
    """The current page's language switch may re-post its form to the current URL (the view is marked)."""
    view = request.url_rule and current_app.view_functions.get(request.url_rule.endpoint)
    return bool(view) and f"{getattr(view, '__module__', '')}.{getattr(view, '__qualname__', '')}" in KEEPS_FORM


def language_url(lang: str) -> str:
    """This page in ``lang`` by a link: the same address when it answers GET, else the page the form came from."""
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        values: dict[str, t.Any] = {**(request.view_args or {}), **request.args, "lang": lang}
        return url_for(rule.endpoint, **values)
    if rule is None and request.method == "GET":
        return f"{request.path}?{urlencode({'lang': lang})}"
    came = request.referrer
    if came and urlsplit(came).netloc == urlsplit(request.url).netloc:
        parts = urlsplit(came)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"] + [("lang", lang)]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return url_for("reader.home", lang=lang)


def language_post_url() -> str:
    """Where a language switch re-posts a form: the current address, without a ``lang`` of its own."""
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode(query)}" if query else request.path
