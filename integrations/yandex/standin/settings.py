"""What the parts read from the server on every use (token, zone, windows, clock), so a test may change any of it live."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from integrations.yandex.standin.clock import Clock
    from integrations.yandex.standin.geo import Zone

DEFAULT_TOKEN = "simulator-token"


class Settings(t.Protocol):
    """The server's knobs, as its parts see them (:class:`~.server.YandexSimulator` documents each)."""

    token: str | None
    zone: Zone
    accept_window_s: float
    clock: Clock
    callback_timeout_s: float
    callback_attempts: int

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` while serving, for links that point back at the stand-in."""
        ...
