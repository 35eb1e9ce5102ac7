"""One way to find a reader by a typed card number, so every channel finds the reader the import stored."""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from dispatch.errors import UnknownReader
from dispatch.models import Reader

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session
    from sqlalchemy.sql.base import ExecutableOption


def normalise_card(text: str) -> str:
    """The card number as the import stores it: without surrounding whitespace, the rest as written.

    Inner spaces, dashes and letter case are kept: the library's export writes cards one way and
    the import stores them so; changing them here would miss cards stored with them.
    """
    return text.strip()


def find_reader(session: Session, card: str, *, lock: bool = False, options: Sequence[ExecutableOption] = ()) -> Reader | None:
    """The reader with card ``card`` (as typed), or ``None``.

    ``lock`` holds the reader's row (``FOR UPDATE``) until the transaction ends; ``options`` are
    loader options such as ``selectinload(Reader.home_branch)``.
    """
    query = select(Reader).where(Reader.card_number == normalise_card(card)).options(*options)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def get_reader(session: Session, card: str, *, lock: bool = False, options: Sequence[ExecutableOption] = ()) -> Reader:
    """The reader with card ``card``, like :func:`find_reader`; :class:`UnknownReader` naming ``card`` as given when none."""
    reader = find_reader(session, card, lock=lock, options=options)
    if reader is None:
        raise UnknownReader(card=card)
    return reader
