"""Unit of work: one transaction per service call, rolled back unless the service commits."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from sqlalchemy.orm import Session
    from sqlalchemy.orm import sessionmaker


OUTBOX = "outbox_keys"
"""``session.info`` entry listing the jobs recorded in this transaction (see :func:`dispatch.jobs.runs.add_in`)."""


class UnitOfWork:
    """Opens a session on enter; ``commit()`` is always explicit, and leaving rolls back the rest.

    Jobs recorded in the transaction (the outbox) are handed to ``after_commit`` once it is committed,
    so they reach RQ (or run, inline) without waiting for the periodic sweep.
    """

    session: Session

    def __init__(self, sessions: sessionmaker[Session], after_commit: Callable[[list[str]], object] | None = None) -> None:
        self._sessions = sessions
        self._after_commit = after_commit

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.info.pop(OUTBOX, None)
        self.session.close()

    def commit(self) -> None:
        """Make everything done in this unit permanent, then hand over the jobs it recorded."""
        self.session.commit()
        keys = self.session.info.pop(OUTBOX, None)
        if keys and self._after_commit is not None:
            self._after_commit(list(keys))

    def rollback(self) -> None:
        """Forget everything not yet committed (the jobs recorded with it too)."""
        self.session.rollback()
        self.session.info.pop(OUTBOX, None)
