"""The test hooks under ``/_simulator/`` (not a Yandex API): list the claims, advance or play one from another process."""

from __future__ import annotations

import typing as t

from integrations.yandex.standin.book import SimulatorError
from integrations.yandex.standin.wire import error

if t.TYPE_CHECKING:
    from integrations.yandex.standin.book import ClaimBook
    from integrations.yandex.standin.lifecycle import Lifecycle
    from integrations.yandex.standin.wire import Answer

CONTROL_PREFIX = "/_simulator/"


class Hooks:
    """:meth:`~.server.YandexSimulator.advance` and ``play`` over HTTP, for a demo driving a stand-in in another process."""

    def __init__(self, book: ClaimBook, lifecycle: Lifecycle) -> None:
        self._book = book
        self._lifecycle = lifecycle

    def answer(self, endpoint: str, params: dict[str, str]) -> Answer:
        """Run the hook named by the path; a move the claim cannot make is a 409."""
        name = endpoint.removeprefix(CONTROL_PREFIX)
        try:
            if name == "claims":
                with self._book.lock:
                    listed = [
                        {"id": c.id, "request_id": c.request_id, "status": c.status, "version": c.version}
                        for c in self._book.claims
                    ]
                return 200, {"claims": listed}, {}
            claim_id = params.get("claim_id", "")
            if name == "advance":
                status = self._lifecycle.advance(
                    claim_id, skip_point=params.get("skip_point") == "1", fail_with=params.get("fail_with") or None
                )
                return 200, {"status": status}, {}
            if name == "play":
                skip = [s for s in params.get("skip", "").split(",") if s]
                passed = self._lifecycle.play(
                    claim_id,
                    accept=params.get("accept", "1") == "1",
                    skip=skip,
                    fail_with=params.get("fail_with") or None,
                    until=params.get("until") or None,
                )
                return 200, {"statuses": passed}, {}
        except SimulatorError as e:
            return error(409, "simulator", str(e))
        return error(404, "not_found", f"no simulator hook {name!r}")
