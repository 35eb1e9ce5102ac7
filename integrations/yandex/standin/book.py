"""The claims in memory: made once per ``request_id``, found by id, and every change versioned, journalled and called back."""

from __future__ import annotations

import sys
import typing as t
import uuid

from integrations.yandex.models import ClaimStatus as S
from integrations.yandex.standin.journal import Journal
from integrations.yandex.standin.records import Claim
from integrations.yandex.standin.records import Point
from integrations.yandex.standin.validation import fit_warnings

if t.TYPE_CHECKING:
    import threading
    from datetime import datetime

    from integrations.yandex.standin.callbacks import Callbacks
    from integrations.yandex.standin.settings import Settings
    from integrations.yandex.standin.wire import Json


class SimulatorError(RuntimeError):
    """A test or demo asked the simulator for a move the claim cannot make (advance a closed claim…)."""


class ClaimBook:
    """Every claim made so far and the journal of their changes; ``lock`` guards them (and the rest of the stand-in)."""

    def __init__(self, settings: Settings, lock: threading.RLock, callbacks: Callbacks) -> None:
        self.lock = lock
        self.journal = Journal()
        self._settings = settings
        self._callbacks = callbacks
        self._claims: dict[str, Claim] = {}
        self._by_request_id: dict[str, str] = {}
        self._point_ids = iter(range(100001, sys.maxsize))

    def now(self) -> datetime:
        """The server's clock, read afresh: a test may swap it."""
        return self._settings.clock()

    @property
    def claims(self) -> list[Claim]:
        """The claims, oldest first."""
        return list(self._claims.values())

    def get(self, claim_id: str) -> Claim:
        """The claim, for a test hook: an unknown id is the caller's mistake."""
        claim = self._claims.get(claim_id)
        if claim is None:
            msg = f"no claim {claim_id!r}"
            raise SimulatorError(msg)
        return claim

    def find(self, claim_id: str | None) -> Claim | None:
        """The claim, for an API request: an unknown id is answered 404."""
        return self._claims.get(claim_id or "")

    def among(self, claim_ids: list[Json]) -> list[Claim]:
        """The claims with these ids, in the order asked; unknown ids are left out."""
        return [self._claims[i] for i in claim_ids if i in self._claims]

    def made_under(self, request_id: str) -> Claim | None:
        """The claim already made under ``request_id``: what a repeated create gets back."""
        existing = self._by_request_id.get(request_id)
        return None if existing is None else self._claims[existing]

    def add(self, request_id: str, body: dict[str, Json]) -> Claim:
        """Make a claim (status ``new``) from a valid body, with a return point to the source when none was given."""
        now = self.now()
        points = []
        for raw in sorted(body["route_points"], key=lambda p: p["visit_order"]):
            extra = {
                k: v
                for k, v in raw.items()
                if k not in ("point_id", "visit_order", "type", "contact", "address", "skip_confirmation")
            }
            points.append(
                Point(
                    id=next(self._point_ids),
                    type=raw["type"],
                    visit_order=raw["visit_order"],
                    contact=dict(raw["contact"]),
                    address=dict(raw["address"]),
                    skip_confirmation=bool(raw.get("skip_confirmation", False)),
                    external_order_id=raw.get("external_order_id"),
                    extra=extra,
                )
            )
        if not any(p.type == "return" for p in points):
            source = next(p for p in points if p.type == "source")
            points.append(
                Point(
                    id=next(self._point_ids),
                    type="return",
                    visit_order=len(points) + 1,
                    contact=dict(source.contact),
                    address=dict(source.address),
                    skip_confirmation=source.skip_confirmation,
                    external_order_id=None,
                    extra={},
                )
            )
        claim = Claim(id=uuid.uuid4().hex, request_id=request_id, body=body, points=points, created=now)
        claim.warnings = fit_warnings(body)
        self._claims[claim.id] = claim
        self._by_request_id[request_id] = claim.id
        self.set_status(claim, S.NEW, first=True)
        return claim

    def set_status(self, claim: Claim, status: str, *, first: bool = False) -> None:
        """The one place a status changes: version, timestamps, journal and callback."""
        now = self.now()
        if not first:
            claim.version += 1
        claim.status = str(status)
        claim.updated = claim.last_status_change = now
        self.journal.status_changed(claim, now)
        url = claim.callback_url
        if url is not None:
            self._callbacks.nudge(url, claim.id, now)

    def touch(self, claim: Claim) -> None:
        """A change that is not a status (a new price): a new version all the same."""
        claim.version += 1
        claim.updated = self.now()

    def record_price(self, claim: Claim) -> None:
        """Journal the claim's price as it is now."""
        self.journal.price_changed(claim, self.now())
