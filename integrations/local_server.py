"""What every local stand-in (geocoder, Yandex, Twilio) shares: an HTTP server on 127.0.0.1 in daemon threads.

A subclass says how its server is built (:meth:`LocalServer._make_server`), which background threads
run beside it (:meth:`LocalServer._background`) and what to wake before stopping
(:meth:`LocalServer._wake`); starting, stopping, the context manager and the address are here.
"""

from __future__ import annotations

import threading
import typing as t

if t.TYPE_CHECKING:
    from http.server import ThreadingHTTPServer

Self = t.TypeVar("Self", bound="LocalServer")


class LocalServer:
    """A stand-in server's lifecycle; ``_released`` is set on stop, so stalled requests end at once."""

    thread_name = "stand-in"

    def __init__(self) -> None:
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    def _make_server(self, port: int) -> ThreadingHTTPServer:
        """The server bound to 127.0.0.1:``port`` with this stand-in's handler."""
        raise NotImplementedError

    def _background(self) -> list[threading.Thread]:
        """Threads to run beside the server (callbacks, a clock); none by default."""
        return []

    def _wake(self) -> None:
        """Wake the background threads so that they see ``_released`` and end."""

    def start(self: Self, port: int = 0) -> Self:
        """Listen on 127.0.0.1 (a free port unless ``port`` is given) and serve in daemon threads."""
        self._server = self._make_server(port)
        self._released.clear()
        serve = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True
        )
        self._threads = [serve, *self._background()]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Release stalled requests, let background work finish, stop serving and close the socket."""
        self._released.set()
        self._wake()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for thread in self._threads:
            thread.join()
        self._threads = []

    def __enter__(self: Self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        """The host and port served."""
        if self._server is None:
            msg = f"{self.thread_name} is not running"
            raise RuntimeError(msg)
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self.address
        return f"http://{host}:{port}"
