"""Yandex-style callbacks: each status change nudges the claim's ``callback_url`` from a thread of its own, retried."""

from __future__ import annotations

import queue
import typing as t
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote

if t.TYPE_CHECKING:
    import threading
    from datetime import datetime

    from integrations.yandex.standin.settings import Settings


@dataclass(frozen=True)
class CallbackCall:
    """One attempt to push a change to a claim's ``callback_url``: the HTTP status, or the error when none came."""

    url: str
    status: int | None
    error: str | None


class Callbacks:
    """The nudges queued by status changes and every attempt made to deliver them."""

    def __init__(self, settings: Settings, lock: threading.RLock, released: threading.Event) -> None:
        self._settings = settings
        self._lock = lock
        self._released = released
        #: Every attempt so far, oldest first; appended and read under the stand-in's lock.
        self.calls: list[CallbackCall] = []
        self._outbox: queue.Queue[str | None] = queue.Queue()

    def nudge(self, callback_url: str, claim_id: str, at: datetime) -> None:
        """Queue the POST Yandex makes: ``updated_ts=…&claim_id=…`` appended to the URL as is."""
        self._outbox.put(f"{callback_url}updated_ts={quote(at.isoformat(), safe='')}&claim_id={claim_id}")

    def wait(self) -> None:
        """Block until everything queued has been sent (each attempt is bounded by ``callback_timeout_s``)."""
        self._outbox.join()

    def close(self) -> None:
        """Let :meth:`push` finish what is queued, then end."""
        self._outbox.put(None)

    def push(self) -> None:
        """Send queued callbacks one by one (Yandex pushes asynchronously; a slow receiver never slows the API)."""
        while True:
            url = self._outbox.get()
            try:
                if url is None:
                    return
                for _ in range(max(1, self._settings.callback_attempts)):
                    status, error = _post(url, self._settings.callback_timeout_s)
                    with self._lock:
                        self.calls.append(CallbackCall(url=url, status=status, error=error))
                    if status == 200 or self._released.is_set():
                        break
            finally:
                self._outbox.task_done()


def _post(url: str, timeout_s: float) -> tuple[int | None, str | None]:
    """POST an empty body to ``url``: the HTTP status, or the error when there was none."""
    request = urllib.request.Request(url, data=b"", method="POST", headers={"User-Agent": "yandex-delivery-simulator"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return int(response.status), None
    except urllib.error.HTTPError as e:
        return e.code, None
    except (urllib.error.URLError, OSError, ValueError) as e:
        return None, str(e)
