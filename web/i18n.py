"""Russian and Kazakh pages: the language chosen per visitor, and a check that the catalogues were compiled.

The texts live in ``web/translations/<area>/<lang>/LC_MESSAGES/messages.po`` (one area per part of
the app, so that each can be edited alone). ``make translations`` compiles them with ``pybabel
compile`` to ``.mo`` files under ``var/translations`` (or ``DISPATCH_TRANSLATIONS_DIR``): a build
step, so the app's workers never race to write the same files at start.
"""

from __future__ import annotations

import os
import typing as t
from pathlib import Path

from flask import request
from flask import session
from flask_babel import Babel
from flask_babel import get_locale

from dispatch.config import REPO_ROOT

LANGUAGES: tuple[str, ...] = ("ru", "kk")
DEFAULT = "ru"
SOURCES = Path(__file__).resolve().parent / "translations"
COMPILED = REPO_ROOT / "var" / "translations"
"""Where ``make translations`` puts the ``.mo`` files unless ``DISPATCH_TRANSLATIONS_DIR`` says otherwise."""
BUILD_COMMAND = "make translations"

SWITCH_FIELD = "_lang"
"""The field a language switch posts, with the form it keeps (see :mod:`web.language_switch`)."""

babel = Babel()


class CataloguesNotCompiled(RuntimeError):
    """A compiled catalogue is missing or older than its ``.po``: the app would show untranslated pages."""


def select_locale() -> str:
    """``?lang=`` or a switch's posted ``_lang`` (remembered in the session), else the session's, else the browser's, else Russian."""
    chosen = request.args.get("lang")
    if chosen is None and request.method == "POST":
        chosen = request.form.get(SWITCH_FIELD)
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return t.cast("str", remembered)
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT) or DEFAULT


def page_language() -> str:
    """The language of the page being rendered (``ru`` outside a request)."""
    return str(get_locale() or DEFAULT)


def compiled_root(environ: t.Mapping[str, str] | None = None) -> Path:
    """``DISPATCH_TRANSLATIONS_DIR`` (relative to the repository, as for ``make``), else :data:`COMPILED`."""
    configured = (os.environ if environ is None else environ).get("DISPATCH_TRANSLATIONS_DIR", "").strip()
    return REPO_ROOT / configured if configured else COMPILED


def compiled_directories(root: Path, sources: Path = SOURCES) -> list[str]:
    """The directories for ``BABEL_TRANSLATION_DIRECTORIES``, one per area, once every ``.po`` has its fresh ``.mo``.

    Checked rather than compiled here: compiling belongs to the build (``make translations``), and
    without the check a missing catalogue would only show as English source texts on the pages.
    """
    directories: list[str] = []
    for area in sorted(p for p in sources.iterdir() if p.is_dir()) if sources.is_dir() else []:
        out = root / area.name
        for po in sorted(area.glob("*/LC_MESSAGES/*.po")):
            mo = out / po.relative_to(area).with_suffix(".mo")
            if not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime:
                raise CataloguesNotCompiled(
                    f"translations are not compiled: run {BUILD_COMMAND} ({mo} is missing or older than {po.name})"
                )
        directories.append(str(out))
    return directories
