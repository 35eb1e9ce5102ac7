"""Unit of work: one transaction per service call, rolled back unless the service commits."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from types import TracebackType

    from sqlalchemy.orm import Session
    from sqlalchemy.orm import sessionmaker


class UnitOfWork:
    """Opens a session on enter; ``commit()`` is always explicit, and leaving rolls back the rest."""

    session: Session

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

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
        self.session.close()

    def commit(self) -> None:
        """Make everything done in this unit permanent."""
        self.session.commit()

    def rollback(self) -> None:
        """Forget everything not yet committed."""
        self.session.rollback()
