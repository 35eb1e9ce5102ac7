"""Our webhook side, local, for the stand-ins' tests: records each POST and answers a chosen status."""

from __future__ import annotations

import typing as t
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from integrations.local_server import LocalServer


class WebhookReceiver(LocalServer):
    """Every POST as (path with query, headers, form fields); ``calls`` gives (method, path) pairs."""

    thread_name = "webhook-receiver"

    def __init__(self, status: int = 204) -> None:
        super().__init__()
        self.status = status
        self.posts: list[tuple[str, dict[str, str], dict[str, str]]] = []

    @property
    def calls(self) -> list[tuple[str, str]]:
        """The requests received, as (method, path with query)."""
        return [("POST", path) for path, _, _ in self.posts]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                form = dict(parse_qsl(raw, keep_blank_values=True))
                receiver.posts.append((self.path, dict(self.headers.items()), form))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: t.Any) -> None:
                """Quiet: the tests read ``posts`` instead."""

        return Handler
