"""The context a job runs in: set once per worker by its entry point, safe across RQ's fork."""

from __future__ import annotations

import contextlib
import os
import typing as t

if t.TYPE_CHECKING:
    from dispatch.context import Context

_context: Context | None = None
_pid: int | None = None


def use_context(ctx: Context | None) -> None:
    """Make jobs in this process (and the work horses it forks) use ``ctx``; ``None`` resets it."""
    global _context, _pid
    _context, _pid = ctx, os.getpid() if ctx else None


def job_context() -> Context:
    """This process's context; in a forked work horse the inherited connection pool is replaced."""
    global _context, _pid
    if _context is None:
        msg = "no job context: start workers with `python -m cli worker`, which builds one (plain `rq worker` does not)"
        raise RuntimeError(msg)
    if _pid != os.getpid():
        # Connections opened by the parent must not be shared with the child (SQLAlchemy's fork advice).
        _context.engine.dispose(close=False)
        _pid = os.getpid()
    return _context


@contextlib.contextmanager
def running_in(ctx: Context) -> t.Iterator[None]:
    """Run jobs inline on ``ctx`` (the caller's), then go back to the context that was in use."""
    global _context, _pid
    saved = (_context, _pid)
    _context, _pid = ctx, os.getpid()
    try:
        yield
    finally:
        _context, _pid = saved
