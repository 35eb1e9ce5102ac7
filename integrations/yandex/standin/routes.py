"""The HTTP surface: each request logged and matched to a queued fault, then auth and language checked and the path routed."""

from __future__ import annotations

import typing as t

from integrations.yandex.standin.control import CONTROL_PREFIX
from integrations.yandex.standin.wire import SimRequest
from integrations.yandex.standin.wire import error

if t.TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from integrations.yandex.standin.api import ClaimsApi
    from integrations.yandex.standin.control import Hooks
    from integrations.yandex.standin.faults import Fault
    from integrations.yandex.standin.faults import Faults
    from integrations.yandex.standin.settings import Settings
    from integrations.yandex.standin.wire import Answer
    from integrations.yandex.standin.wire import Json

API_PREFIX = "/b2b/cargo/integration/v2/"


class Routes:
    """Which endpoint answers which path and method, behind the checks Yandex makes first."""

    def __init__(self, settings: Settings, lock: threading.RLock, api: ClaimsApi, hooks: Hooks, faults: Faults) -> None:
        self._settings = settings
        self._lock = lock
        self._api = api
        self._hooks = hooks
        self._faults = faults
        #: Every request received so far, oldest first (control requests included); under the stand-in's lock.
        self.log: list[SimRequest] = []

    def receive(self, method: str, endpoint: str, params: dict[str, str], headers: dict[str, str], body: Json) -> Fault | None:
        """Record a request and take the fault queued for its endpoint (hooks under ``/_simulator/`` get none)."""
        request = SimRequest(method, endpoint, params, headers, body, self._settings.clock())
        with self._lock:
            self.log.append(request)
            if request.endpoint.startswith(CONTROL_PREFIX):
                return None
            return self._faults.take(request.endpoint)

    def answer(self, method: str, endpoint: str, params: dict[str, str], headers: dict[str, str], body: Json) -> Answer:
        """The answer to a request on a known path whose body parsed."""
        if endpoint.startswith(CONTROL_PREFIX):
            return self._hooks.answer(endpoint, params)
        if not self._authorised(headers):
            return error(401, "unauthorized", "Not authorized request")
        if not headers.get("Accept-Language"):
            return error(400, "bad_request", "Accept-Language header required")
        return self._route(method, endpoint, params, body)

    def _authorised(self, headers: dict[str, str]) -> bool:
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            return False
        return self._settings.token is None or token == self._settings.token

    def _route(self, method: str, endpoint: str, params: dict[str, str], body: Json) -> Answer:
        """Answer one API request (auth and language already checked)."""
        api = self._api
        gets = {"claims/tracking-links": api.tracking_links, "claims/performer-position": api.performer_position}
        if endpoint in gets:
            if method != "GET":
                return error(405, "method_not_allowed", f"{endpoint} takes GET")
            return gets[endpoint](params.get("claim_id"))
        handlers: dict[str, Callable[[], Answer]] = {
            "check-price": lambda: api.check_price(body),
            "claims/create": lambda: api.create(params.get("request_id"), body),
            "claims/info": lambda: api.info(params.get("claim_id")),
            "claims/bulk_info": lambda: api.bulk_info(body),
            "claims/accept": lambda: api.accept(params.get("claim_id"), body),
            "claims/cancel-info": lambda: api.cancel_info(params.get("claim_id")),
            "claims/cancel": lambda: api.cancel(params.get("claim_id"), body),
            "claims/journal": lambda: self._journal(params, body),
        }
        handler = handlers.get(endpoint)
        if handler is None:
            return error(404, "not_found", f"Нет такого метода: {endpoint}")
        if method != "POST":
            return error(405, "method_not_allowed", f"{endpoint} takes POST")
        return handler()

    def _journal(self, params: dict[str, str], body: Json) -> Answer:
        """``limit`` from the query (1 to 1000), ``cursor`` from the body."""
        try:
            limit = int(params.get("limit", "1000"))
        except ValueError:
            return error(400, "validation_error", "limit: integer required")
        cursor = body.get("cursor") if isinstance(body, dict) else None
        return self._api.journal(cursor if isinstance(cursor, str) else None, max(1, min(limit, 1000)))
