"""Russian and Kazakh pages: the language chosen per visitor, and the translation catalogues compiled at start.

The texts live in ``web/translations/<area>/<lang>/LC_MESSAGES/messages.po`` (one area per part of
the app, so that each can be edited alone); they are compiled to ``.mo`` files when the app starts,
so no build step is needed and a ``.po`` edit shows on the next start.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import request
from flask import session
from flask_babel import Babel

LANGUAGES: tuple[str, ...] = ("ru", "kk")
DEFAULT = "ru"
SOURCES = Path(__file__).resolve().parent / "translations"

babel = Babel()


def select_locale() -> str:
    """``?lang=`` (remembered in the session), else the session's, else the browser's choice, else Russian."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return t.cast("str", remembered)
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT) or DEFAULT


def compile_catalogues(target: Path) -> list[str]:
    """Compile every ``.po`` under :data:`SOURCES` into ``target`` (one directory per area); returns the directories."""
    directories: list[str] = []
    for area in sorted(p for p in SOURCES.iterdir() if p.is_dir()) if SOURCES.is_dir() else []:
        out = target / area.name
        for po in area.glob("*/LC_MESSAGES/*.po"):
            mo = out / po.relative_to(area).with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parts[-3])
            with mo.open("wb") as sink:
                write_mo(sink, catalogue)
        directories.append(str(out))
    return directories
