"""The socket side: reads a request, applies its fault's stall or error before or after the work, and writes the JSON."""

from __future__ import annotations

import json
import math
import typing as t
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

from integrations.local_server import JsonHandler
from integrations.yandex.standin.control import CONTROL_PREFIX
from integrations.yandex.standin.routes import API_PREFIX
from integrations.yandex.standin.wire import error

if t.TYPE_CHECKING:
    import threading

    from integrations.yandex.standin.faults import Fault
    from integrations.yandex.standin.routes import Routes
    from integrations.yandex.standin.wire import Json


def bind(routes: Routes, released: threading.Event) -> type[BaseHTTPRequestHandler]:
    """A handler class that answers through ``routes`` and cuts every stall short once ``released`` is set."""
    return type("_BoundHandler", (_Handler,), {"routes": routes, "released": released})


class _Handler(JsonHandler):
    routes: t.ClassVar[Routes]
    released: t.ClassVar[threading.Event]

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k in ("Authorization", "Accept-Language", "Content-Type")}
        try:
            body: Json = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
            parse_failed = True
        else:
            parse_failed = False
        path = parts.path
        endpoint = path.removeprefix(API_PREFIX) if path.startswith(API_PREFIX) else path
        fault = self.routes.receive(method, endpoint, params, headers, body)
        if fault is not None and not fault.after_processing and self._apply(fault):
            return
        if not path.startswith((API_PREFIX, CONTROL_PREFIX)):
            self._send(*error(404, "not_found", f"Нет такого пути: {path}"))
            return
        if parse_failed:
            self._send(*error(400, "bad_request", "Parse error"))
            return
        answer = self.routes.answer(method, endpoint, params, headers, body)
        if fault is not None and fault.after_processing and self._apply(fault):
            return
        self._send(*answer)

    def _apply(self, fault: Fault) -> bool:
        """Stall as the fault says, then send its error if it has one: whether that answered the request."""
        if fault.stall_s:
            self.released.wait(fault.stall_s)
        if fault.status < 400:
            return False
        extra = {"Retry-After": str(math.ceil(fault.retry_after_s))} if fault.retry_after_s is not None else {}
        self._send(fault.status, {"code": fault.code, "message": fault.message}, extra)
        return True
