"""What every local stand-in (geocoder, Yandex, Twilio) shares: an HTTP server on 127.0.0.1 in daemon threads.

A subclass gives its request handler (:meth:`LocalServer._handler`, a :class:`JsonHandler`), which
background threads run beside it (:meth:`LocalServer._background`) and what to wake before stopping
(:meth:`LocalServer._wake`); starting, stopping, the context manager, the address, writing a JSON
answer and serving from the command line are here.
"""

from __future__ import annotations

import abc
import json
import sys
import threading
import typing as t
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

Self = t.TypeVar("Self", bound="LocalServer")


class StandInHTTPServer(ThreadingHTTPServer):
    """Threads per request, so a stalled answer never holds up the next one."""

    daemon_threads = True

    def handle_error(self, request: t.Any, client_address: t.Any) -> None:
        """A client that hung up (after its timeout) is expected here; anything else is reported as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class LocalServer(abc.ABC):
    """A stand-in server's lifecycle; ``_released`` is set on stop, so stalled requests end at once."""

    thread_name = "stand-in"

    def __init__(self) -> None:
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    @abc.abstractmethod
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class, bound to this stand-in."""

    def _background(self) -> list[threading.Thread]:
        """Threads to run beside the server (callbacks, a clock); none by default."""
        return []

    def _wake(self) -> None:
        """Wake the background threads so that they see ``_released`` and end (none to wake by default)."""
        return

    def start(self: Self, port: int = 0) -> Self:
        """Listen on 127.0.0.1 (a free port unless ``port`` is given) and serve in daemon threads."""
        self._server = StandInHTTPServer(("127.0.0.1", port), self._handler())
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


class JsonHandler(BaseHTTPRequestHandler):
    """A stand-in's request handler: GET and POST go to :meth:`_handle`, answers are JSON, nothing is logged.

    The stand-ins record every request themselves, for the tests to read.
    """

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        """Answer one request (``method`` is ``GET`` or ``POST``)."""
        self._send(405, {"message": f"{method} is not served here"})

    def _send(self, status: int, body: t.Any, headers: dict[str, str] | None = None) -> None:
        """Write ``body`` as UTF-8 JSON with ``status`` and extra ``headers``; a client that gave up is no error."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up waiting

    def log_message(self, format: str, *args: t.Any) -> None:
        """Quiet: each stand-in keeps its own record of requests."""


def serve_until_interrupted(server: LocalServer, banner: str) -> None:
    """Print ``banner`` (where the started ``server`` listens) and serve until Ctrl-C, then stop cleanly."""
    print(banner, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()
