"""The cargo-claims v2 endpoints: each takes the query and body already read and gives an answer (status, JSON, headers)."""

from __future__ import annotations

import typing as t

from integrations.yandex.models import CLOSED_STATUSES
from integrations.yandex.models import ClaimStatus as S
from integrations.yandex.standin.geo import coordinates
from integrations.yandex.standin.geo import in_zone
from integrations.yandex.standin.geo import route_m
from integrations.yandex.standin.pricing import VAT
from integrations.yandex.standin.pricing import cancel_fee
from integrations.yandex.standin.pricing import currency_rules
from integrations.yandex.standin.pricing import eta_min
from integrations.yandex.standin.pricing import money
from integrations.yandex.standin.pricing import price
from integrations.yandex.standin.statuses import cancel_state
from integrations.yandex.standin.validation import outside_zone
from integrations.yandex.standin.validation import validate_create
from integrations.yandex.standin.views import claim_json
from integrations.yandex.standin.views import courier_lon_lat
from integrations.yandex.standin.views import state_json
from integrations.yandex.standin.wire import error
from integrations.yandex.standin.wire import not_found

if t.TYPE_CHECKING:
    from integrations.yandex.standin.book import ClaimBook
    from integrations.yandex.standin.faults import Faults
    from integrations.yandex.standin.lifecycle import Lifecycle
    from integrations.yandex.standin.settings import Settings
    from integrations.yandex.standin.wire import Answer
    from integrations.yandex.standin.wire import Json


class ClaimsApi:
    """What Yandex answers on each path, from the claims in the book (auth, language and method are checked before)."""

    def __init__(self, settings: Settings, book: ClaimBook, lifecycle: Lifecycle, faults: Faults) -> None:
        self._settings = settings
        self._book = book
        self._lifecycle = lifecycle
        self._faults = faults

    def check_price(self, body: Json) -> Answer:
        """``POST check-price``: price, distance and ETA for ``route_points`` (only coordinates are needed)."""
        points = body.get("route_points") if isinstance(body, dict) else None
        if not isinstance(points, list) or len(points) < 2:
            return error(400, "validation_error", "route_points: at least 2 points required")
        coords = []
        for n, point in enumerate(points):
            lon_lat = coordinates(point.get("coordinates") if isinstance(point, dict) else None)
            if lon_lat is None:
                return error(400, "validation_error", f"route_points[{n}].coordinates: [lon, lat] expected")
            if not in_zone(self._settings.zone, lon_lat):
                return outside_zone()
            coords.append(lon_lat)
        distance_m = route_m(coords)
        requirements = body.get("requirements") or {"taxi_class": "courier"}
        return (
            200,
            {
                "price": money(price(distance_m, len(coords) - 1)),
                "currency_rules": currency_rules(),
                "distance_meters": round(distance_m, 1),
                "eta": eta_min(distance_m),
                "zone_id": "almaty",
                "requirements": requirements,
            },
            {},
        )

    def create(self, request_id: str | None, body: Json) -> Answer:
        """``POST claims/create?request_id=…``: the claim already made under ``request_id``, or a new one."""
        if not request_id or len(request_id) > 128:
            return error(400, "validation_error", "request_id: 1 to 128 characters required")
        with self._book.lock:
            existing = self._book.made_under(request_id)
            if existing is not None:
                return 200, claim_json(existing), {}
            problem = validate_create(body, self._settings.zone, self._settings.clock)
            if problem is not None:
                return problem
            claim = self._book.add(request_id, body)
            error_messages = self._faults.take_create_errors()
            if error_messages is not None:
                claim.error_messages = error_messages
                self._book.set_status(claim, S.ESTIMATING_FAILED)
            return 200, claim_json(claim), {}

    def info(self, claim_id: str | None) -> Answer:
        """``POST claims/info?claim_id=…``."""
        with self._book.lock:
            claim = self._book.find(claim_id)
            if claim is None:
                return not_found()
            return 200, claim_json(claim), {}

    def bulk_info(self, body: Json) -> Answer:
        """``POST claims/bulk_info`` with ``{"claim_ids": […]}``; unknown ids are left out."""
        ids = body.get("claim_ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not ids or len(ids) > 1000:
            return error(400, "validation_error", "claim_ids: 1 to 1000 ids required")
        with self._book.lock:
            return 200, {"claims": [claim_json(c) for c in self._book.among(ids)]}, {}

    def accept(self, claim_id: str | None, body: Json) -> Answer:
        """``POST claims/accept?claim_id=…`` with ``{"version"}``; a late accept fails the claim (409 ``offer_expired``)."""
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, int) or isinstance(version, bool):
            return error(400, "validation_error", "version: integer required")
        with self._book.lock:
            claim = self._book.find(claim_id)
            if claim is None:
                return not_found()
            if version != claim.version:
                return error(409, "old_version", f"Версия заявки устарела: текущая {claim.version}")
            if claim.status != S.READY_FOR_APPROVAL:
                return error(409, "inappropriate_status", f"Заявку в статусе {claim.status} нельзя подтвердить")
            ready_since, window_s = claim.ready_since, self._settings.accept_window_s
            if ready_since is not None and (self._settings.clock() - ready_since).total_seconds() > window_s:
                self._book.set_status(claim, S.FAILED)
                return error(409, "offer_expired", "Предложение истекло, создайте новую заявку")
            self._lifecycle.accept(claim)
            return 200, state_json(claim), {}

    def cancel_info(self, claim_id: str | None) -> Answer:
        """``POST claims/cancel-info?claim_id=…``: free until the courier reaches the branch, paid until pickup, then unavailable."""
        with self._book.lock:
            claim = self._book.find(claim_id)
            if claim is None:
                return not_found()
            state = cancel_state(claim.status)
            answer: dict[str, Json] = {"cancel_state": state}
            if state != "unavailable":
                fee = cancel_fee(claim)
                answer.update(price=money(fee), price_with_vat=money(fee * VAT), currency="KZT")
            return 200, answer, {}

    def cancel(self, claim_id: str | None, body: Json) -> Answer:
        """``POST claims/cancel?claim_id=…`` with ``{"version", "cancel_state"}``; the state must be the current one."""
        version = body.get("version") if isinstance(body, dict) else None
        wanted = body.get("cancel_state") if isinstance(body, dict) else None
        if not isinstance(version, int) or isinstance(version, bool) or wanted not in ("free", "paid"):
            return error(400, "validation_error", "version (integer) and cancel_state (free|paid) required")
        with self._book.lock:
            claim = self._book.find(claim_id)
            if claim is None:
                return not_found()
            state = cancel_state(claim.status)
            if state == "unavailable":
                return error(409, "inappropriate_status", f"Заявку в статусе {claim.status} нельзя отменить")
            if version != claim.version:
                return error(409, "old_version", f"Версия заявки устарела: текущая {claim.version}")
            if wanted != state:
                code = "free_cancel_is_unavailable" if wanted == "free" else "state_mismatch"
                return error(409, code, f"Сейчас доступна только отмена {state}")
            if state == "paid":
                claim.final_price = cancel_fee(claim)
            claim.current_point_id = None
            self._book.set_status(claim, S.CANCELLED if state == "free" else S.CANCELLED_WITH_PAYMENT)
            return 200, state_json(claim), {}

    def journal(self, cursor: str | None, limit: int) -> Answer:
        """``POST claims/journal``: events after ``cursor`` (all when ``None``), at most ``limit``, and the next cursor."""
        with self._book.lock:
            return self._book.journal.read(cursor, limit)

    def tracking_links(self, claim_id: str | None) -> Answer:
        """``GET claims/tracking-links?claim_id=…``: a link per source and destination (none with ``skip_client_notify``)."""
        with self._book.lock:
            claim = self._book.find(claim_id)
            if claim is None:
                return not_found()
            if claim.body.get("skip_client_notify") is True:
                return 200, {"route_points": []}, {}
            url = self._settings.url
            links = [
                {"id": p.id, "type": p.type, "visit_order": p.visit_order, "sharing_link": f"{url}/route/{claim.id}/{p.id}"}
                for p in claim.points
                if p.type in ("source", "destination")
            ]
            return 200, {"route_points": links}, {}

    def performer_position(self, claim_id: str | None) -> Answer:
        """``GET claims/performer-position?claim_id=…``: where the courier is, while one is assigned (else 404)."""
        with self._book.lock:
            claim = self._book.find(claim_id)
            if claim is None:
                return not_found()
            if claim.performer is None or claim.status in CLOSED_STATUSES:
                return error(404, "not_found", "Исполнитель не назначен")
            lon, lat = courier_lon_lat(claim)
            stamp = self._settings.clock().timestamp()
            return (
                200,
                {"position": {"lat": lat, "lon": lon, "timestamp": int(stamp), "speed": 6.5, "direction": 90, "accuracy": 15}},
                {},
            )
