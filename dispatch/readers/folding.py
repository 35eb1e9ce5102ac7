"""Case- and ё-insensitive text matching that works the same on SQLite and PostgreSQL, Cyrillic and Kazakh included.

SQLite's ``lower()`` folds only ASCII, and PostgreSQL's folds Cyrillic only under a UTF-8 ``LC_CTYPE``.
So the upper-case Cyrillic and Kazakh letters are mapped explicitly: by PostgreSQL's ``translate()``
(then ``lower()`` for Latin), and on SQLite by :func:`fold` registered as the SQL function ``dispatch_fold``
on the connection. The query text goes through :func:`fold` in Python, so both sides match letter for letter.
"""

from __future__ import annotations

import typing as t

from sqlalchemy import func

if t.TYPE_CHECKING:
    from sqlalchemy.orm import InstrumentedAttribute
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘҒҚҢӨҰҮҺІ"
LOWER = "абвгдеежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
"""Upper-case Cyrillic (Russian and Kazakh) and their folded forms; Ё folds to е like ё."""
SQLITE_FUNCTION = "dispatch_fold"


def fold(text: str) -> str:
    """``text`` lower-cased in every alphabet, with ё read as е: what names are compared by."""
    return text.lower().replace("ё", "е")


def _fold_or_none(text: str | None) -> str | None:
    return None if text is None else fold(text)


def folded(session: Session, column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[str]:
    """``column`` folded like :func:`fold`, in the SQL of the session's database."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        if raw is not None:
            raw.create_function(SQLITE_FUNCTION, 1, _fold_or_none, deterministic=True)
        return t.cast("ColumnElement[str]", getattr(func, SQLITE_FUNCTION)(column))
    return func.replace(func.lower(func.translate(column, UPPER, LOWER)), "ё", "е")
