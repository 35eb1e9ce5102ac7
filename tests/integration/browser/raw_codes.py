"""A check that a page shows people words, not internal codes: statuses, reasons, vehicle ids, random public ids.

Call :func:`assert_no_raw_codes` with the text a person sees (``page.inner_text("body")`` in Chromium,
or :func:`visible_text` of an HTML body from the test client). The codes come from the labels
catalogue, so a new status is checked as soon as it has words.
"""

from __future__ import annotations

import html
import itertools
import re
import typing as t

from dispatch.labels import LABELS

KINDS: tuple[str, ...] = tuple(LABELS)
"""Every kind of the catalogue is checked (statuses, kinds, channels, carriers, reasons, roles, job and claim states)."""

ORDINARY_WORDS: frozenset[str] = frozenset()
"""Codes that are also words a page may show as such; none so far: pages are Russian and Kazakh, so an English word is a leak."""

CODES: frozenset[str] = frozenset(code for kind in KINDS for code in LABELS[kind]) - ORDINARY_WORDS
VEHICLE_ID = re.compile(r"(?<![\w-])(?:courier|yandex|vehicle):[\w-]+")
TOKEN = re.compile(r"(?<![\w:-])[A-Za-z_][A-Za-z0-9_]*(?![\w:])")
PUBLIC_ID = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{16,}(?![\w-])")
_HIDDEN = re.compile(r"<(script|style|template|noscript)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def visible_text(page_html: str) -> str:
    """The text of an HTML page as a person reads it: no scripts, styles, tags or attribute values."""
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page_html)))


def looks_random(token: str) -> bool:
    """A public id (``OaIEuevOJNbJvy-UaSXmwA``): long, mixed case, with digits or with case changing mid-word."""
    upper = sum(1 for c in token if c.isupper())
    lower = sum(1 for c in token if c.islower())
    digit = any(c.isdigit() for c in token)
    case_flips = sum(1 for a, b in itertools.pairwise(token) if a.islower() and b.isupper())
    return upper > 0 and lower > 0 and (digit or case_flips >= 2 or (upper >= 3 and lower >= 3))


def raw_codes(text: str, allow: t.Iterable[str] = ()) -> list[str]:
    """Every code, vehicle id and random-looking id in ``text`` (in order, once each), except those in ``allow``."""
    allowed = set(allow)
    found: list[str] = []
    found += VEHICLE_ID.findall(text)
    found += [m for m in TOKEN.findall(text) if m in CODES]
    found += [m for m in PUBLIC_ID.findall(text) if looks_random(m)]
    return [code for code in dict.fromkeys(found) if code not in allowed]


def assert_no_raw_codes(text: str, allow: t.Iterable[str] = (), where: str = "the page") -> None:
    """Fail, naming each one, when ``text`` shows a person an internal code instead of words."""
    leaked = raw_codes(text, allow)
    assert not leaked, f"{where} shows raw codes {leaked} instead of words"
