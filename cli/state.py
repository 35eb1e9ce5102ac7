"""What every command shares: the settings read once, the message language, and a context opened on demand."""

from __future__ import annotations

import typing as t

import click

from dispatch.config import Settings
from dispatch.jobs.context import use_context
from dispatch.jobs.handover import start

if t.TYPE_CHECKING:
    from dispatch.context import Context

DAY = click.DateTime(["%Y-%m-%d"])
"""A service day on the command line: YYYY-MM-DD."""


class State:
    """Settings read once, and a context opened only when a command needs the database."""

    def __init__(self, lang: str | None) -> None:
        self.settings = Settings.from_env()
        self.lang = lang or self.settings.language
        self._ctx: Context | None = None

    def ctx(self) -> Context:
        """The context (schema upgraded, jobs handed over on commit), opened at the first call."""
        if self._ctx is None:
            self._ctx = start(self.settings)
            use_context(self._ctx)  # jobs run inline by this command share its context
        return self._ctx

    def close(self) -> None:
        """Release the database connections, if a command opened them."""
        if self._ctx is not None:
            use_context(None)
            self._ctx.close()


pass_state = click.make_pass_decorator(State)
