"""A local stand-in for Yandex Delivery's cargo-claims v2 API: same paths, shapes, statuses, errors and idempotency.

The client is pointed at it by configuration only (``base_url="http://127.0.0.1:PORT"``). It keeps
claims in memory and moves them only when told: :meth:`YandexSimulator.advance` takes one step,
:meth:`YandexSimulator.play` runs a claim to its end (or to a status, or into a failure), and
``--step-s`` makes a demo server tick every claim by itself. Every step bumps the claim ``version``,
is written to ``claims/journal`` and, when the claim has a ``callback_url``, is pushed to it the way
Yandex does (a POST to the URL with ``updated_ts=…&claim_id=…`` appended as is). Faults can be
queued: an error status (500, 429 with ``Retry-After``…), before or after the work is done; a stall
past the client's timeout; ``error_messages`` inside a 200 on create; and the failure statuses
``estimating_failed``, ``performer_not_found``, ``cancelled_by_taxi`` and ``failed``. Every request
is recorded.

Where the brief leaves Yandex's behaviour open the simulator takes the strict reading and says so:
one ``source`` per claim; a late accept answers 409 ``offer_expired`` and fails the claim; no
tracking links for a claim created with ``skip_client_notify``; performer position 404 without a
courier. The claim-level statuses between readers of a multi-point claim are a guess the brief
cannot settle: ``delivered`` after each reader served, ``pickuped`` again after a reader skipped while
others remain, and ``returned`` before ``returned_finish``. Run it by hand with ``python -m integrations.yandex.standin --port 8765 --step-s 5``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import itertools
import json
import math
import queue
import re
import sys
import threading
import typing as t
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl
from urllib.parse import quote
from urllib.parse import urlsplit

from integrations.local_server import LocalServer
from integrations.yandex.models import CLOSED_STATUSES
from integrations.yandex.models import ClaimStatus as S
from integrations.yandex.models import VisitStatus

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Collection
    from collections.abc import Iterable

API_PREFIX = "/b2b/cargo/integration/v2/"
CONTROL_PREFIX = "/_simulator/"
DEFAULT_TOKEN = "simulator-token"
#: Roughly Almaty (lon 76.7-77.2, lat 43.1-43.4) with a margin: outside it Yandex answers ``unknown_zone``.
ALMATY_ZONE = (76.6, 43.0, 77.35, 43.5)
TAXI_CLASSES = frozenset({"courier", "express", "cargo", "sdd_multislot"})
#: Largest parcel sides (m) and total weight (kg) per class; beyond them the claim gets a ``not_fit_in_car`` warning.
CLASS_LIMITS = {"courier": ((0.80, 0.50, 0.50), 10.0), "express": ((1.00, 0.60, 0.50), 20.0)}
VAT = Decimal("1.12")
BASE_PRICE = Decimal("700")
PRICE_PER_KM = Decimal("120")
PRICE_PER_EXTRA_POINT = Decimal("150")

_PHONE_CHARS = re.compile(r"^[0-9 ()\-+]+$")
_COST = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

#: Where each failure may strike, and the status :meth:`YandexSimulator.play` waits for before striking.
_FAILURES: dict[str, tuple[frozenset[str], str | None]] = {
    S.ESTIMATING_FAILED: (frozenset({S.NEW, S.ESTIMATING}), S.ESTIMATING),
    S.PERFORMER_NOT_FOUND: (frozenset({S.ACCEPTED, S.PERFORMER_LOOKUP, S.PERFORMER_DRAFT}), S.PERFORMER_DRAFT),
    S.CANCELLED_BY_TAXI: (
        frozenset(
            {
                S.ACCEPTED,
                S.PERFORMER_LOOKUP,
                S.PERFORMER_DRAFT,
                S.PERFORMER_FOUND,
                S.PICKUP_ARRIVED,
                S.READY_FOR_PICKUP_CONFIRMATION,
            }
        ),
        S.PERFORMER_FOUND,
    ),
    S.FAILED: (frozenset(), None),  # from any open status
}
_FREE_CANCEL = frozenset(
    {
        S.NEW,
        S.ESTIMATING,
        S.ESTIMATING_FAILED,
        S.READY_FOR_APPROVAL,
        S.ACCEPTED,
        S.PERFORMER_LOOKUP,
        S.PERFORMER_DRAFT,
        S.PERFORMER_FOUND,
    }
)
_PAID_CANCEL = frozenset({S.PICKUP_ARRIVED, S.READY_FOR_PICKUP_CONFIRMATION})
_AT_DOOR = frozenset({S.DELIVERY_ARRIVED, S.READY_FOR_DELIVERY_CONFIRMATION})
_SUCCESS = frozenset({S.DELIVERED_FINISH})

Json = t.Any
Answer = tuple[int, Json, dict[str, str]]


class SimulatorError(RuntimeError):
    """A test or demo asked the simulator for a move the claim cannot make (advance a closed claim…)."""


@dataclass(frozen=True)
class SimRequest:
    """One request as received: ``endpoint`` is the path after the API prefix (``claims/create``)."""

    method: str
    endpoint: str
    params: dict[str, str]
    headers: dict[str, str]
    body: Json
    at: datetime


@dataclass(frozen=True)
class CallbackCall:
    """One attempt to push a change to a claim's ``callback_url``: the HTTP status, or the error when none came."""

    url: str
    status: int | None
    error: str | None


@dataclass
class _Fault:
    endpoint: str | None
    status: int = 200
    code: str | None = None
    message: str | None = None
    retry_after_s: float | None = None
    stall_s: float = 0.0
    after_processing: bool = False


@dataclass
class _Point:
    id: int
    type: str
    visit_order: int
    contact: dict[str, Json]
    address: dict[str, Json]
    skip_confirmation: bool
    external_order_id: str | None
    extra: dict[str, Json]
    visit_status: str = VisitStatus.PENDING.value
    expected: datetime | None = None
    actual: datetime | None = None
    return_reasons: list[str] = field(default_factory=list)

    @property
    def lon_lat(self) -> tuple[float, float]:
        lon, lat = self.address["coordinates"]
        return float(lon), float(lat)


@dataclass
class _Claim:
    id: str
    request_id: str
    body: dict[str, Json]
    points: list[_Point]
    created: datetime
    status: str = S.NEW.value
    version: int = 1
    updated: datetime | None = None
    last_status_change: datetime | None = None
    current_point_id: int | None = None
    price: Decimal | None = None
    final_price: Decimal | None = None
    performer: dict[str, Json] | None = None
    error_messages: list[dict[str, Json]] = field(default_factory=list)
    warnings: list[dict[str, Json]] = field(default_factory=list)
    ready_since: datetime | None = None

    @property
    def source(self) -> _Point:
        return next(p for p in self.points if p.type == "source")

    @property
    def destinations(self) -> list[_Point]:
        return [p for p in self.points if p.type == "destination"]

    @property
    def return_point(self) -> _Point:
        return next(p for p in self.points if p.type == "return")

    @property
    def current(self) -> _Point | None:
        return next((p for p in self.points if p.id == self.current_point_id), None)

    @property
    def callback_url(self) -> str | None:
        props = self.body.get("callback_properties")
        url = props.get("callback_url") if isinstance(props, dict) else None
        return url if isinstance(url, str) and url else None

    def next_pending(self) -> _Point | None:
        return next((p for p in self.destinations if p.visit_status == VisitStatus.PENDING), None)


class YandexSimulator(LocalServer):
    """Serves the cargo-claims v2 paths on 127.0.0.1 in a thread, from claims held in memory.

    Parameters
    ----------
    token
        The OAuth token requests must carry (``Authorization: Bearer …``); ``None`` takes any.
    zone
        ``(min_lon, min_lat, max_lon, max_lat)`` served; points outside get 400 ``unknown_zone``,
        which is also what a swapped ``[lat, lon]`` gets.
    accept_window_s
        How long a ``ready_for_approval`` claim may wait for accept (Yandex: about 10 minutes).
    clock
        The time (aware) for timestamps, ``due`` checks and the accept window.
    callback_timeout_s, callback_attempts
        How long one callback POST may take and how many times a failed one is tried again.
    """

    def __init__(
        self,
        *,
        token: str | None = DEFAULT_TOKEN,
        zone: tuple[float, float, float, float] = ALMATY_ZONE,
        accept_window_s: float = 600.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        callback_timeout_s: float = 2.0,
        callback_attempts: int = 3,
    ) -> None:
        super().__init__()
        self.token = token
        self.zone = zone
        self.accept_window_s = accept_window_s
        self.clock = clock
        self.callback_timeout_s = callback_timeout_s
        self.callback_attempts = callback_attempts
        self._lock = threading.RLock()
        self._claims: dict[str, _Claim] = {}
        self._by_request_id: dict[str, str] = {}
        self._journal: list[dict[str, Json]] = []
        self._requests: list[SimRequest] = []
        self._callbacks: list[CallbackCall] = []
        self._faults: list[_Fault] = []
        self._next_create_errors: list[list[dict[str, Json]]] = []
        self._point_ids = iter(range(100001, sys.maxsize))
        self._outbox: queue.Queue[str | None] = queue.Queue()

    # --- running -----------------------------------------------------------------------------------

    thread_name = "yandex-sim"

    def start(self, port: int = 0, *, step_s: float | None = None) -> YandexSimulator:
        """Listen on 127.0.0.1 (a free port unless ``port`` is given); with ``step_s``, advance every claim that often."""
        self._step_s = step_s
        return super().start(port)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("_BoundHandler", (_Handler,), {"sim": self})

    def _background(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._push_callbacks, name="yandex-sim-callbacks", daemon=True)]
        if self._step_s is not None:
            threads.append(threading.Thread(target=self._tick_every, args=(self._step_s,), name="yandex-sim-clock", daemon=True))
        return threads

    def _wake(self) -> None:
        self._outbox.put(None)  # the callback thread finishes what is queued, then ends

    # --- looking ------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[SimRequest]:
        """Every request received so far, oldest first (control requests included)."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, endpoint: str) -> list[SimRequest]:
        """The requests to one endpoint (``claims/create``…), oldest first."""
        return [r for r in self.requests if r.endpoint == endpoint]

    @property
    def callbacks(self) -> list[CallbackCall]:
        """Every callback attempt made so far, oldest first; call :meth:`wait_for_callbacks` first."""
        with self._lock:
            return list(self._callbacks)

    def wait_for_callbacks(self) -> None:
        """Block until every change so far has been pushed (each attempt is bounded by ``callback_timeout_s``)."""
        self._outbox.join()

    @property
    def claim_ids(self) -> list[str]:
        """Ids of the claims made so far, oldest first."""
        with self._lock:
            return list(self._claims)

    def claim(self, claim_id: str) -> dict[str, Json]:
        """The claim as ``claims/info`` answers it."""
        with self._lock:
            return _claim_json(self._get(claim_id))

    def status(self, claim_id: str) -> str:
        """The claim's status now."""
        with self._lock:
            return self._get(claim_id).status

    # --- faults -------------------------------------------------------------------------------------

    def fail_next(
        self,
        endpoint: str | None = None,
        *,
        status: int = 500,
        times: int = 1,
        code: str | None = None,
        message: str | None = None,
        retry_after_s: float | None = None,
        after_processing: bool = False,
    ) -> None:
        """Answer the next ``times`` requests to ``endpoint`` (any when ``None``) with ``status``.

        ``after_processing`` does the work first and then answers with the error, like a Yandex
        that created the claim but failed to say so: the case ``request_id`` exists for.
        ``retry_after_s`` sends ``Retry-After`` (whole seconds) with a 429.
        """
        default_code = {429: "too_many_requests", 401: "unauthorized", 404: "not_found", 409: "inappropriate_status"}
        if status >= 500:
            default_code[status] = "internal_error"
        with self._lock:
            self._faults.extend(
                _Fault(
                    endpoint,
                    status=status,
                    code=code or default_code.get(status, "bad_request"),
                    message=message
                    or ("Too many requests" if status == 429 else "Internal server error" if status >= 500 else "Error"),
                    retry_after_s=retry_after_s,
                    after_processing=after_processing,
                )
                for _ in range(times)
            )

    def stall_next(
        self, endpoint: str | None = None, *, seconds: float = 5.0, times: int = 1, after_processing: bool = False
    ) -> None:
        """Hold the next ``times`` requests to ``endpoint`` ``seconds`` before answering, to make clients time out.

        A stalled request is released at once by :meth:`stop`. With ``after_processing`` the work is
        done before the stall (a create that happened although the client gave up).
        """
        with self._lock:
            self._faults.extend(_Fault(endpoint, stall_s=seconds, after_processing=after_processing) for _ in range(times))

    def error_messages_on_next_create(
        self, code: str = "estimating.cant_construct_route", message: str = "Не удалось построить маршрут"
    ) -> None:
        """Make the next new claim come back from ``claims/create`` with ``error_messages`` in a 200 and status ``estimating_failed``."""
        with self._lock:
            self._next_create_errors.append([{"code": code, "message": message}])

    def reset(self) -> None:
        """Forget recorded requests, callback attempts and pending faults (claims stay)."""
        with self._lock:
            self._requests.clear()
            self._callbacks.clear()
            self._faults.clear()
            self._next_create_errors.clear()

    # --- moving claims ------------------------------------------------------------------------------

    def advance(self, claim_id: str, *, skip_point: bool = False, fail_with: str | None = None) -> str:
        """Take one step and return the new status.

        ``skip_point`` at a reader's door (``delivery_arrived``/``ready_for_delivery_confirmation``)
        marks that point ``skipped`` instead of ``visited``; the items then come back at the end
        (``returning`` … ``returned_finish``). ``fail_with`` moves straight to a failure status
        (``estimating_failed``, ``performer_not_found``, ``cancelled_by_taxi``, ``failed``) when the
        claim is where that can happen. A claim waiting for accept, or closed, raises
        :class:`SimulatorError`.
        """
        with self._lock:
            claim = self._get(claim_id)
            if fail_with is not None:
                self._fail(claim, fail_with)
            else:
                self._step(claim, skip_point=skip_point)
            return claim.status

    def play(
        self,
        claim_id: str,
        *,
        accept: bool = True,
        skip: Collection[str] = (),
        fail_with: str | None = None,
        until: str | None = None,
    ) -> list[str]:
        """Advance a claim until it closes (or reaches ``until``), returning every status it passed through.

        ``accept`` accepts at ``ready_for_approval`` as a client would (otherwise playing stops
        there). ``skip`` holds the ``external_order_id`` of readers who are not at home.
        ``fail_with`` strikes where that failure typically happens: ``estimating_failed`` while
        estimating, ``performer_not_found`` after ``performer_draft``, ``cancelled_by_taxi`` once a
        courier was found, ``failed`` at once.
        """
        if fail_with is not None and fail_with not in _FAILURES:
            msg = f"cannot fail with {fail_with!r}; one of {sorted(_FAILURES)}"
            raise SimulatorError(msg)
        passed: list[str] = []
        with self._lock:
            claim = self._get(claim_id)
            while claim.status not in CLOSED_STATUSES and claim.status != until:
                if fail_with is not None and _FAILURES[fail_with][1] in (None, claim.status):
                    self._fail(claim, fail_with)
                elif claim.status == S.READY_FOR_APPROVAL:
                    if not accept:
                        break
                    self._accept(claim)
                elif claim.status == S.ESTIMATING_FAILED:
                    break
                else:
                    here = claim.current
                    at_door = claim.status in _AT_DOOR and here is not None and here.external_order_id in skip
                    self._step(claim, skip_point=at_door)
                passed.append(claim.status)
        return passed

    def tick(self) -> None:
        """Advance every claim that can move by itself one step (the ``--step-s`` clock)."""
        with self._lock:
            for claim in self._claims.values():
                if claim.status not in CLOSED_STATUSES and claim.status not in (S.READY_FOR_APPROVAL, S.ESTIMATING_FAILED):
                    self._step(claim, skip_point=False)

    def change_price(self, claim_id: str, price: Decimal | str) -> None:
        """Re-estimate a claim at ``price`` KZT (as after ``claims/edit``): a new version, a ``price_changed`` event."""
        with self._lock:
            claim = self._get(claim_id)
            claim.price = Decimal(price)
            self._touch(claim)
            self._record_price(claim)

    # --- the API ------------------------------------------------------------------------------------

    def check_price(self, body: Json) -> Answer:
        """``POST check-price``: price, distance and ETA for ``route_points`` (only coordinates are needed)."""
        points = body.get("route_points") if isinstance(body, dict) else None
        if not isinstance(points, list) or len(points) < 2:
            return _error(400, "validation_error", "route_points: at least 2 points required")
        coords = []
        for n, point in enumerate(points):
            lon_lat = _coordinates(point.get("coordinates") if isinstance(point, dict) else None)
            if lon_lat is None:
                return _error(400, "validation_error", f"route_points[{n}].coordinates: [lon, lat] expected")
            if not self._in_zone(lon_lat):
                return _error(400, "unknown_zone", "Точка вне зоны обслуживания (проверьте порядок [lon, lat])")
            coords.append(lon_lat)
        distance_m = _route_m(coords)
        price = _price(distance_m, len(coords) - 1)
        requirements = body.get("requirements") or {"taxi_class": "courier"}
        return (
            200,
            {
                "price": _money(price),
                "currency_rules": _currency_rules(),
                "distance_meters": round(distance_m, 1),
                "eta": _eta_min(distance_m),
                "zone_id": "almaty",
                "requirements": requirements,
            },
            {},
        )

    def create(self, request_id: str | None, body: Json) -> Answer:
        """``POST claims/create?request_id=…``: the claim already made under ``request_id``, or a new one."""
        if not request_id or len(request_id) > 128:
            return _error(400, "validation_error", "request_id: 1 to 128 characters required")
        with self._lock:
            existing = self._by_request_id.get(request_id)
            if existing is not None:
                return 200, _claim_json(self._claims[existing]), {}
            problem = self._validate(body)
            if problem is not None:
                return problem
            claim = self._new_claim(request_id, body)
            return 200, _claim_json(claim), {}

    def info(self, claim_id: str | None) -> Answer:
        """``POST claims/info?claim_id=…``."""
        with self._lock:
            claim = self._claims.get(claim_id or "")
            if claim is None:
                return _not_found()
            return 200, _claim_json(claim), {}

    def bulk_info(self, body: Json) -> Answer:
        """``POST claims/bulk_info`` with ``{"claim_ids": […]}``; unknown ids are left out."""
        ids = body.get("claim_ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not ids or len(ids) > 1000:
            return _error(400, "validation_error", "claim_ids: 1 to 1000 ids required")
        with self._lock:
            return 200, {"claims": [_claim_json(self._claims[i]) for i in ids if i in self._claims]}, {}

    def accept(self, claim_id: str | None, body: Json) -> Answer:
        """``POST claims/accept?claim_id=…`` with ``{"version"}``."""
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, int) or isinstance(version, bool):
            return _error(400, "validation_error", "version: integer required")
        with self._lock:
            claim = self._claims.get(claim_id or "")
            if claim is None:
                return _not_found()
            if version != claim.version:
                return _error(409, "old_version", f"Версия заявки устарела: текущая {claim.version}")
            if claim.status != S.READY_FOR_APPROVAL:
                return _error(409, "inappropriate_status", f"Заявку в статусе {claim.status} нельзя подтвердить")
            if claim.ready_since is not None and (self.clock() - claim.ready_since).total_seconds() > self.accept_window_s:
                self._set_status(claim, S.FAILED)
                return _error(409, "offer_expired", "Предложение истекло, создайте новую заявку")
            self._accept(claim)
            return 200, _state_json(claim), {}

    def cancel_info(self, claim_id: str | None) -> Answer:
        """``POST claims/cancel-info?claim_id=…``: free until the courier reaches the branch, paid until pickup, then unavailable."""
        with self._lock:
            claim = self._claims.get(claim_id or "")
            if claim is None:
                return _not_found()
            state = _cancel_state(claim.status)
            answer: dict[str, Json] = {"cancel_state": state}
            if state != "unavailable":
                fee = _cancel_fee(claim)
                answer.update(price=_money(fee), price_with_vat=_money(fee * VAT), currency="KZT")
            return 200, answer, {}

    def cancel(self, claim_id: str | None, body: Json) -> Answer:
        """``POST claims/cancel?claim_id=…`` with ``{"version", "cancel_state"}``; the state must be the current one."""
        version = body.get("version") if isinstance(body, dict) else None
        wanted = body.get("cancel_state") if isinstance(body, dict) else None
        if not isinstance(version, int) or isinstance(version, bool) or wanted not in ("free", "paid"):
            return _error(400, "validation_error", "version (integer) and cancel_state (free|paid) required")
        with self._lock:
            claim = self._claims.get(claim_id or "")
            if claim is None:
                return _not_found()
            state = _cancel_state(claim.status)
            if state == "unavailable":
                return _error(409, "inappropriate_status", f"Заявку в статусе {claim.status} нельзя отменить")
            if version != claim.version:
                return _error(409, "old_version", f"Версия заявки устарела: текущая {claim.version}")
            if wanted != state:
                code = "free_cancel_is_unavailable" if wanted == "free" else "state_mismatch"
                return _error(409, code, f"Сейчас доступна только отмена {state}")
            if state == "paid":
                claim.final_price = _cancel_fee(claim)
            claim.current_point_id = None
            self._set_status(claim, S.CANCELLED if state == "free" else S.CANCELLED_WITH_PAYMENT)
            return 200, _state_json(claim), {}

    def journal(self, cursor: str | None, limit: int) -> Answer:
        """``POST claims/journal``: events after ``cursor`` (all when ``None``), at most ``limit``, and the next cursor."""
        start = 0
        if cursor:
            start_or_none = _read_cursor(cursor)
            if start_or_none is None:
                return _error(400, "bad_request", "cursor: not a cursor of this journal")
            start = start_or_none
        with self._lock:
            events = self._journal[start : start + limit]
            end = start + len(events)
        return 200, {"cursor": _make_cursor(end), "events": events}, {}

    def tracking_links(self, claim_id: str | None) -> Answer:
        """``GET claims/tracking-links?claim_id=…``: a link per source and destination (none with ``skip_client_notify``)."""
        with self._lock:
            claim = self._claims.get(claim_id or "")
            if claim is None:
                return _not_found()
            if claim.body.get("skip_client_notify") is True:
                return 200, {"route_points": []}, {}
            links = [
                {"id": p.id, "type": p.type, "visit_order": p.visit_order, "sharing_link": f"{self.url}/route/{claim.id}/{p.id}"}
                for p in claim.points
                if p.type in ("source", "destination")
            ]
            return 200, {"route_points": links}, {}

    def performer_position(self, claim_id: str | None) -> Answer:
        """``GET claims/performer-position?claim_id=…``: where the courier is, while one is assigned."""
        with self._lock:
            claim = self._claims.get(claim_id or "")
            if claim is None:
                return _not_found()
            if claim.performer is None or claim.status in CLOSED_STATUSES:
                return _error(404, "not_found", "Исполнитель не назначен")
            lon, lat = _courier_lon_lat(claim)
            stamp = self.clock().timestamp()
            return (
                200,
                {"position": {"lat": lat, "lon": lon, "timestamp": int(stamp), "speed": 6.5, "direction": 90, "accuracy": 15}},
                {},
            )

    # --- inside ----------------------------------------------------------------------------------------

    def _get(self, claim_id: str) -> _Claim:
        claim = self._claims.get(claim_id)
        if claim is None:
            msg = f"no claim {claim_id!r}"
            raise SimulatorError(msg)
        return claim

    def _in_zone(self, lon_lat: tuple[float, float]) -> bool:
        lon, lat = lon_lat
        min_lon, min_lat, max_lon, max_lat = self.zone
        return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat

    def _validate(self, body: Json) -> Answer | None:
        """The 400 Yandex would answer for this create body, or ``None``."""
        if not isinstance(body, dict):
            return _error(400, "bad_request", "Parse error: a JSON object expected")
        items, points = body.get("items"), body.get("route_points")
        if not isinstance(items, list) or not items:
            return _error(400, "validation_error", "items: at least one item required")
        if not isinstance(points, list) or not 2 <= len(points) <= 300:
            return _error(400, "unsupported_points_count", "route_points: 2 to 300 points required")
        kinds: dict[int, str] = {}
        orders: list[int] = []
        for n, point in enumerate(points):
            problem = self._validate_point(n, point)
            if problem is not None:
                return problem
            if point["point_id"] in kinds:
                return _error(400, "validation_error", f"route_points[{n}].point_id: {point['point_id']} is used twice")
            kinds[point["point_id"]] = point["type"]
            orders.append(point["visit_order"])
        if sorted(orders) != list(range(1, len(points) + 1)):
            return _error(400, "validation_error", "route_points.visit_order: 1..N, each once")
        sources = [pid for pid, kind in kinds.items() if kind == "source"]
        if len(sources) != 1 or not any(kind == "destination" for kind in kinds.values()):
            return _error(400, "validation_error", "route_points: one source and at least one destination required")
        currencies: set[str] = set()
        served: set[int] = set()
        for n, item in enumerate(items):
            problem = _validate_item(n, item, kinds)
            if problem is not None:
                return problem
            currencies.add(item["cost_currency"])
            served.add(item.get("dropoff_point", item.get("droppof_point")))
        if len(currencies) > 1:
            return _error(400, "different_cost_currencies", "Все товары должны быть в одной валюте")
        if any(kind == "destination" and pid not in served for pid, kind in kinds.items()):
            return _error(400, "invalid_destination_point", "В точку назначения не доставляется ни один товар")
        return self._validate_terms(body)

    def _validate_point(self, n: int, point: Json) -> Answer | None:
        if not isinstance(point, dict):
            return _error(400, "validation_error", f"route_points[{n}]: an object expected")
        for key in ("point_id", "visit_order"):
            if not isinstance(point.get(key), int) or isinstance(point.get(key), bool):
                return _error(400, "validation_error", f"route_points[{n}].{key}: integer required")
        if point.get("type") not in ("source", "destination", "return"):
            return _error(400, "validation_error", f"route_points[{n}].type: source, destination or return")
        contact = point.get("contact")
        if not isinstance(contact, dict) or not contact.get("name") or not isinstance(contact.get("phone"), str):
            return _error(400, "validation_error", f"route_points[{n}].contact: name and phone required")
        phone = contact["phone"]
        if not phone.startswith("+"):
            return _error(400, "invalid_phone_must_start_plus_symbol", f"Телефон {phone} должен начинаться с +")
        if not _PHONE_CHARS.match(phone):
            return _error(400, "invalid_phone_incorrect_symbol", f"Недопустимые символы в телефоне {phone}")
        if len(phone) > 30 or len(re.sub(r"\D", "", phone)) < 10:
            return _error(400, "invalid_phone_size_incorrect", f"Неверная длина телефона {phone}")
        address = point.get("address")
        if not isinstance(address, dict) or not address.get("fullname"):
            return _error(400, "validation_error", f"route_points[{n}].address.fullname required")
        lon_lat = _coordinates(address.get("coordinates"))
        if lon_lat is None:
            return _error(400, "validation_error", f"route_points[{n}].address.coordinates: [lon, lat] required")
        if not self._in_zone(lon_lat):
            return _error(400, "unknown_zone", "Точка вне зоны обслуживания (проверьте порядок [lon, lat])")
        return None

    def _validate_terms(self, body: dict[str, Json]) -> Answer | None:
        """Class, same-day, due, callback and comment rules."""
        same_day = body.get("same_day_data")
        requirements = body.get("client_requirements")
        if same_day is not None:
            if requirements is not None:
                return _error(
                    400, "sdd_client_requirements_forbidden", "Для доставки в течение дня не указывайте client_requirements"
                )
            if any("size" not in item or "weight" not in item for item in body["items"]):
                return _error(400, "sdd_items_without_parameters_forbidden", "Для доставки в течение дня нужны габариты и вес")
        elif not isinstance(requirements, dict) or requirements.get("taxi_class") not in TAXI_CLASSES:
            return _error(400, "validation_error", f"client_requirements.taxi_class: one of {sorted(TAXI_CLASSES)}")
        if "due" in body:
            due = _parse_ts(body["due"])
            if due is None:
                return _error(400, "validation_error", "due: ISO 8601 with a time zone required")
            now = self.clock()
            if due < now - timedelta(minutes=1):
                return _error(400, "due_in_past", "Время подачи в прошлом")
            if due > now + timedelta(days=3):
                return _error(400, "delay_too_long", "Время подачи не позже чем через 3 дня")
        url = (
            body.get("callback_properties", {}).get("callback_url") if isinstance(body.get("callback_properties"), dict) else None
        )
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
            return _error(400, "validation_error", "callback_properties.callback_url: http or https URL required")
        if len(str(body.get("comment", ""))) > 7000:
            return _error(400, "validation_error", "comment: at most 7000 characters")
        return None

    def _new_claim(self, request_id: str, body: dict[str, Json]) -> _Claim:
        now = self.clock()
        points = []
        for raw in sorted(body["route_points"], key=lambda p: p["visit_order"]):
            extra = {
                k: v
                for k, v in raw.items()
                if k not in ("point_id", "visit_order", "type", "contact", "address", "skip_confirmation")
            }
            points.append(
                _Point(
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
                _Point(
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
        claim = _Claim(id=uuid.uuid4().hex, request_id=request_id, body=body, points=points, created=now)
        claim.warnings = _fit_warnings(body)
        self._claims[claim.id] = claim
        self._by_request_id[request_id] = claim.id
        self._set_status(claim, S.NEW, first=True)
        if self._next_create_errors:
            claim.error_messages = self._next_create_errors.pop(0)
            self._set_status(claim, S.ESTIMATING_FAILED)
        return claim

    def _touch(self, claim: _Claim) -> None:
        claim.version += 1
        claim.updated = self.clock()

    def _set_status(self, claim: _Claim, status: str, *, first: bool = False) -> None:
        """The one place a status changes: version, timestamps, journal and callback."""
        now = self.clock()
        if not first:
            claim.version += 1
        claim.status = str(status)
        claim.updated = claim.last_status_change = now
        event: dict[str, Json] = {
            "operation_id": len(self._journal) + 1,
            "claim_id": claim.id,
            "change_type": "status_changed",
            "updated_ts": now.isoformat(),
            "new_status": claim.status,
            "revision": claim.version,
            "client_id": "simulator",
            "current_point_id": claim.current_point_id,
        }
        if claim.status in CLOSED_STATUSES:
            event["resolution"] = "success" if claim.status in _SUCCESS else "failed"
        self._journal.append(event)
        url = claim.callback_url
        if url is not None:
            self._outbox.put(f"{url}updated_ts={quote(now.isoformat(), safe='')}&claim_id={claim.id}")

    def _record_price(self, claim: _Claim) -> None:
        self._journal.append(
            {
                "operation_id": len(self._journal) + 1,
                "claim_id": claim.id,
                "change_type": "price_changed",
                "updated_ts": self.clock().isoformat(),
                "new_price": _money(claim.price or Decimal(0)),
                "new_currency": "KZT",
                "revision": claim.version,
                "client_id": "simulator",
            }
        )

    def _accept(self, claim: _Claim) -> None:
        self._set_status(claim, S.ACCEPTED)

    def _fail(self, claim: _Claim, status: str) -> None:
        if status not in _FAILURES:
            msg = f"cannot fail with {status!r}; one of {sorted(_FAILURES)}"
            raise SimulatorError(msg)
        allowed = _FAILURES[status][0]
        if claim.status in CLOSED_STATUSES or (allowed and claim.status not in allowed):
            msg = f"claim {claim.id} in {claim.status} cannot become {status}"
            raise SimulatorError(msg)
        if status == S.ESTIMATING_FAILED:
            claim.error_messages = [{"code": "estimating.cant_construct_route", "message": "Не удалось построить маршрут"}]
        claim.current_point_id = None
        self._set_status(claim, status)

    def _step(self, claim: _Claim, *, skip_point: bool) -> None:
        """Move one status on along the happy path (or the return path once a point was skipped)."""
        now = self.clock()
        status = claim.status
        if status == S.NEW:
            self._set_status(claim, S.ESTIMATING)
        elif status == S.ESTIMATING:
            coords = [p.lon_lat for p in claim.points if p.type != "return"]
            claim.price = _price(_route_m(coords), len(claim.destinations))
            claim.ready_since = now
            self._set_status(claim, S.READY_FOR_APPROVAL)
            self._record_price(claim)
        elif status == S.READY_FOR_APPROVAL:
            msg = f"claim {claim.id} waits for claims/accept"
            raise SimulatorError(msg)
        elif status == S.ACCEPTED:
            self._set_status(claim, S.PERFORMER_LOOKUP)
        elif status == S.PERFORMER_LOOKUP:
            self._set_status(claim, S.PERFORMER_DRAFT)
        elif status == S.PERFORMER_DRAFT:
            claim.performer = dict(_PERFORMER)
            for n, point in enumerate(claim.points):
                point.expected = now + timedelta(minutes=15 + 12 * n)
            claim.current_point_id = claim.source.id
            self._set_status(claim, S.PERFORMER_FOUND)
        elif status == S.PERFORMER_FOUND:
            self._arrive(claim.source, now)
            self._set_status(claim, S.PICKUP_ARRIVED)
        elif status == S.PICKUP_ARRIVED and not claim.source.skip_confirmation:
            self._set_status(claim, S.READY_FOR_PICKUP_CONFIRMATION)
        elif status in (S.PICKUP_ARRIVED, S.READY_FOR_PICKUP_CONFIRMATION):
            self._visit(claim.source, now, VisitStatus.VISITED)
            first = claim.next_pending()
            claim.current_point_id = first.id if first is not None else None
            self._set_status(claim, S.PICKUPED)
        elif status in (S.PICKUPED, S.DELIVERED):
            upcoming = claim.next_pending()
            if upcoming is not None:
                claim.current_point_id = upcoming.id
                self._arrive(upcoming, now)
                self._set_status(claim, S.DELIVERY_ARRIVED)
            else:
                self._finish_route(claim)
        elif status in _AT_DOOR:
            self._at_door(claim, now, skip_point=skip_point)
        elif status == S.RETURNING:
            self._arrive(claim.return_point, now)
            self._set_status(claim, S.RETURN_ARRIVED)
        elif status == S.RETURN_ARRIVED and not claim.return_point.skip_confirmation:
            self._set_status(claim, S.READY_FOR_RETURN_CONFIRMATION)
        elif status in (S.RETURN_ARRIVED, S.READY_FOR_RETURN_CONFIRMATION):
            self._visit(claim.return_point, now, VisitStatus.VISITED)
            self._set_status(claim, S.RETURNED)
        elif status == S.RETURNED:
            claim.final_price = claim.price
            claim.current_point_id = None
            self._set_status(claim, S.RETURNED_FINISH)
        else:
            msg = f"claim {claim.id} in {status} does not move by itself"
            raise SimulatorError(msg)

    def _at_door(self, claim: _Claim, now: datetime, *, skip_point: bool) -> None:
        point = claim.current
        if point is None:  # pragma: no cover - a claim at a door always has a current point
            msg = f"claim {claim.id} is at a door without a current point"
            raise SimulatorError(msg)
        if skip_point:
            self._visit(point, now, VisitStatus.SKIPPED)
            point.return_reasons = ["recipient_not_available"]
            next_point = claim.next_pending()
            if next_point is None:
                self._finish_route(claim)
            else:
                claim.current_point_id = next_point.id
                self._set_status(claim, S.PICKUPED)
        elif claim.status == S.DELIVERY_ARRIVED and not point.skip_confirmation:
            self._set_status(claim, S.READY_FOR_DELIVERY_CONFIRMATION)
        else:
            self._visit(point, now, VisitStatus.VISITED)
            self._set_status(claim, S.DELIVERED)

    def _finish_route(self, claim: _Claim) -> None:
        if any(p.visit_status == VisitStatus.SKIPPED for p in claim.destinations):
            claim.current_point_id = claim.return_point.id
            self._set_status(claim, S.RETURNING)
        else:
            claim.final_price = claim.price
            claim.current_point_id = None
            self._set_status(claim, S.DELIVERED_FINISH)

    @staticmethod
    def _arrive(point: _Point, now: datetime) -> None:
        point.visit_status = VisitStatus.ARRIVED.value
        point.actual = now

    @staticmethod
    def _visit(point: _Point, now: datetime, how: VisitStatus) -> None:
        point.visit_status = how.value
        point.actual = point.actual or now

    def _push_callbacks(self) -> None:
        """Send queued callbacks one by one (Yandex pushes asynchronously; a slow receiver never slows the API)."""
        while True:
            url = self._outbox.get()
            try:
                if url is None:
                    return
                for _ in range(max(1, self.callback_attempts)):
                    status, error = _post(url, self.callback_timeout_s)
                    with self._lock:
                        self._callbacks.append(CallbackCall(url=url, status=status, error=error))
                    if status == 200 or self._released.is_set():
                        break
            finally:
                self._outbox.task_done()

    def _tick_every(self, step_s: float) -> None:
        while not self._released.wait(step_s):
            self.tick()

    # --- the HTTP side ----------------------------------------------------------------------------

    def _receive(self, request: SimRequest) -> _Fault | None:
        with self._lock:
            self._requests.append(request)
            if request.endpoint.startswith(CONTROL_PREFIX):
                return None
            for n, fault in enumerate(self._faults):
                if fault.endpoint in (None, request.endpoint):
                    return self._faults.pop(n)
            return None

    def _authorised(self, headers: dict[str, str]) -> bool:
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            return False
        return self.token is None or token == self.token

    def _route(self, method: str, endpoint: str, params: dict[str, str], body: Json) -> Answer:
        """Answer one API request (auth and language already checked)."""
        gets = {"claims/tracking-links": self.tracking_links, "claims/performer-position": self.performer_position}
        if endpoint in gets:
            if method != "GET":
                return _error(405, "method_not_allowed", f"{endpoint} takes GET")
            return gets[endpoint](params.get("claim_id"))
        handlers: dict[str, Callable[[], Answer]] = {
            "check-price": lambda: self.check_price(body),
            "claims/create": lambda: self.create(params.get("request_id"), body),
            "claims/info": lambda: self.info(params.get("claim_id")),
            "claims/bulk_info": lambda: self.bulk_info(body),
            "claims/accept": lambda: self.accept(params.get("claim_id"), body),
            "claims/cancel-info": lambda: self.cancel_info(params.get("claim_id")),
            "claims/cancel": lambda: self.cancel(params.get("claim_id"), body),
            "claims/journal": lambda: self._journal_request(params, body),
        }
        handler = handlers.get(endpoint)
        if handler is None:
            return _error(404, "not_found", f"Нет такого метода: {endpoint}")
        if method != "POST":
            return _error(405, "method_not_allowed", f"{endpoint} takes POST")
        return handler()

    def _journal_request(self, params: dict[str, str], body: Json) -> Answer:
        try:
            limit = int(params.get("limit", "1000"))
        except ValueError:
            return _error(400, "validation_error", "limit: integer required")
        cursor = body.get("cursor") if isinstance(body, dict) else None
        return self.journal(cursor if isinstance(cursor, str) else None, max(1, min(limit, 1000)))

    def _control(self, endpoint: str, params: dict[str, str]) -> Answer:
        """Test hooks over HTTP, for a demo driving a simulator in another process (not a Yandex API)."""
        name = endpoint.removeprefix(CONTROL_PREFIX)
        try:
            if name == "claims":
                with self._lock:
                    listed = [
                        {"id": c.id, "request_id": c.request_id, "status": c.status, "version": c.version}
                        for c in self._claims.values()
                    ]
                return 200, {"claims": listed}, {}
            claim_id = params.get("claim_id", "")
            if name == "advance":
                status = self.advance(
                    claim_id, skip_point=params.get("skip_point") == "1", fail_with=params.get("fail_with") or None
                )
                return 200, {"status": status}, {}
            if name == "play":
                skip = [s for s in params.get("skip", "").split(",") if s]
                passed = self.play(
                    claim_id,
                    accept=params.get("accept", "1") == "1",
                    skip=skip,
                    fail_with=params.get("fail_with") or None,
                    until=params.get("until") or None,
                )
                return 200, {"statuses": passed}, {}
        except SimulatorError as e:
            return _error(409, "simulator", str(e))
        return _error(404, "not_found", f"no simulator hook {name!r}")

    def _answer(self, method: str, endpoint: str, params: dict[str, str], headers: dict[str, str], body: Json) -> Answer:
        if endpoint.startswith(CONTROL_PREFIX):
            return self._control(endpoint, params)
        if not self._authorised(headers):
            return _error(401, "unauthorized", "Not authorized request")
        if not headers.get("Accept-Language"):
            return _error(400, "bad_request", "Accept-Language header required")
        return self._route(method, endpoint, params, body)

    def _wait(self, seconds: float) -> None:
        self._released.wait(seconds)


_PERFORMER = {
    "courier_name": "Ерлан Н.",
    "legal_name": "ИП Нурланов",
    "car_model": "Hyundai Accent",
    "car_number": "123ABC02",
    "car_color": "белый",
    "transport_type": "car",
}


def _validate_item(n: int, item: Json, kinds: dict[int, str]) -> Answer | None:
    if not isinstance(item, dict) or not item.get("title"):
        return _error(400, "validation_error", f"items[{n}].title required")
    if not isinstance(item.get("cost_value"), str) or not _COST.match(item["cost_value"]):
        return _error(400, "validation_error", f'items[{n}].cost_value: a decimal string such as "1500.00" required')
    if not isinstance(item.get("cost_currency"), str) or not _CURRENCY.match(item["cost_currency"]):
        return _error(400, "validation_error", f"items[{n}].cost_currency: ISO 4217 code required")
    quantity = item.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        return _error(400, "validation_error", f"items[{n}].quantity: at least 1")
    if kinds.get(item.get("pickup_point")) != "source":  # type: ignore[arg-type]
        return _error(400, "item_source_point_not_found", f"items[{n}].pickup_point: no such source point")
    dropoff = item.get("dropoff_point", item.get("droppof_point"))
    if dropoff not in kinds:
        return _error(400, "item_destination_point_not_found", f"items[{n}].dropoff_point: no such point")
    if kinds[dropoff] != "destination":
        return _error(400, "invalid_item_destination_point", f"items[{n}].dropoff_point: not a destination")
    size = item.get("size")
    if size is not None:
        sides = [size.get(k) for k in ("length", "width", "height")] if isinstance(size, dict) else []
        if len(sides) != 3 or not all(isinstance(s, int | float) and 0 <= s <= 500 for s in sides):
            return _error(400, "validation_error", f"items[{n}].size: length, width, height in 0..500 m")
    weight = item.get("weight")
    if weight is not None and not (isinstance(weight, int | float) and weight >= 0):
        return _error(400, "validation_error", f"items[{n}].weight: kilograms, not negative")
    return None


def _fit_warnings(body: dict[str, Json]) -> list[dict[str, Json]]:
    """``not_fit_in_car`` when a parcel or the load exceeds the class's limits (a warning: the claim goes on)."""
    requirements = body.get("client_requirements")
    taxi_class = requirements.get("taxi_class") if isinstance(requirements, dict) else None
    limits = CLASS_LIMITS.get(str(taxi_class))
    if limits is None:
        return []
    max_sides, max_kg = limits
    total_kg = 0.0
    too_big = False
    for item in body["items"]:
        total_kg += float(item.get("weight") or 0) * item["quantity"]
        size = item.get("size")
        if isinstance(size, dict):
            sides = sorted((float(size["length"]), float(size["width"]), float(size["height"])), reverse=True)
            too_big = too_big or any(s > m for s, m in zip(sides, sorted(max_sides, reverse=True), strict=True))
    if too_big or total_kg > max_kg:
        return [
            {"source": "client_requirements", "code": "not_fit_in_car", "message": "Груз может не поместиться в выбранный тариф"}
        ]
    return []


def _claim_json(claim: _Claim) -> dict[str, Json]:
    """The claim as ``claims/info`` shows it."""
    body = claim.body
    pricing: dict[str, Json] = {}
    if claim.price is not None:
        valid_until = (claim.ready_since or claim.created) + timedelta(minutes=10)
        pricing = {
            "offer": {
                "offer_id": f"offer-{claim.id[:12]}",
                "price": _money(claim.price),
                "price_with_vat": _money(claim.price * VAT),
                "valid_until": valid_until.isoformat(),
            },
            "currency": "KZT",
            "currency_rules": _currency_rules(),
        }
        if claim.final_price is not None:
            pricing["final_price"] = _money(claim.final_price)
    out: dict[str, Json] = {
        "id": claim.id,
        "corp_client_id": "simulator",
        "status": claim.status,
        "version": claim.version,
        "user_request_revision": str(claim.version),
        "items": body["items"],
        "route_points": [_point_json(p) for p in claim.points],
        "current_point_id": claim.current_point_id,
        "available_cancel_state": _cancel_state(claim.status),
        "pricing": pricing,
        "error_messages": claim.error_messages,
        "warnings": claim.warnings,
        "optional_return": bool(body.get("optional_return", False)),
        "created_ts": claim.created.isoformat(),
        "updated_ts": (claim.updated or claim.created).isoformat(),
        "last_status_change_ts": (claim.last_status_change or claim.created).isoformat(),
        "revision": claim.version,
    }
    if claim.price is not None:
        coords = [p.lon_lat for p in claim.points if p.type != "return"]
        out["eta"] = _eta_min(_route_m(coords))
    if claim.performer is not None:
        out["performer_info"] = claim.performer
    for key in (
        "client_requirements",
        "same_day_data",
        "emergency_contact",
        "callback_properties",
        "comment",
        "due",
        "skip_client_notify",
    ):
        if key in body:
            out[key] = body[key]
    return out


def _point_json(point: _Point) -> dict[str, Json]:
    visited: dict[str, Json] = {}
    if point.expected is not None:
        visited["expected"] = point.expected.isoformat()
        visited["expected_waiting_time_sec"] = 600
    if point.actual is not None:
        visited["actual"] = point.actual.isoformat()
    out: dict[str, Json] = {
        "id": point.id,
        "type": point.type,
        "visit_order": point.visit_order,
        "visit_status": point.visit_status,
        "contact": point.contact,
        "address": point.address,
        "skip_confirmation": point.skip_confirmation,
        "visited_at": visited,
        "return_reasons": point.return_reasons,
    }
    if point.external_order_id is not None:
        out["external_order_id"] = point.external_order_id
    return out


def _state_json(claim: _Claim) -> dict[str, Json]:
    return {
        "id": claim.id,
        "status": claim.status,
        "version": claim.version,
        "user_request_revision": str(claim.version),
        "skip_client_notify": bool(claim.body.get("skip_client_notify", False)),
    }


def _cancel_state(status: str) -> str:
    if status in _FREE_CANCEL:
        return "free"
    if status in _PAID_CANCEL:
        return "paid"
    return "unavailable"


def _cancel_fee(claim: _Claim) -> Decimal:
    """Free cancels cost nothing; a paid one (the courier came to the branch) costs the call-out, here the offer price."""
    if _cancel_state(claim.status) != "paid":
        return Decimal(0)
    return claim.price or BASE_PRICE


def _courier_lon_lat(claim: _Claim) -> tuple[float, float]:
    """At the current point when standing there, half-way to it when driving."""
    target = claim.current or claim.source
    lon, lat = target.lon_lat
    if claim.status in (
        S.PICKUP_ARRIVED,
        S.READY_FOR_PICKUP_CONFIRMATION,
        S.RETURN_ARRIVED,
        S.READY_FOR_RETURN_CONFIRMATION,
        *_AT_DOOR,
    ):
        return lon, lat
    done = [p for p in claim.points if p.visit_status in (VisitStatus.VISITED, VisitStatus.SKIPPED)]
    start_lon, start_lat = done[-1].lon_lat if done else (lon + 0.02, lat + 0.01)
    return (start_lon + lon) / 2, (start_lat + lat) / 2


def _coordinates(value: Json) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        return None
    return float(value[0]), float(value[1])


def _route_m(lon_lats: Iterable[tuple[float, float]]) -> float:
    """Length of the polyline through the points in metres, times 1.3 for streets not being straight."""
    points = list(lon_lats)
    return 1.3 * sum(_haversine_m(a, b) for a, b in itertools.pairwise(points))


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def _price(distance_m: float, destinations: int) -> Decimal:
    km = Decimal(str(round(distance_m / 1000, 3)))
    return BASE_PRICE + PRICE_PER_KM * km + PRICE_PER_EXTRA_POINT * max(0, destinations - 1)


def _eta_min(distance_m: float) -> int:
    return 10 + round(distance_m / 1000 * 3)  # 20 km/h in town, plus the way to the branch


def _money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _currency_rules() -> dict[str, str]:
    return {"code": "KZT", "sign": "₸", "template": "$VALUE$ $SIGN$$CURRENCY$", "text": "тг."}


def _parse_ts(value: Json) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _make_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"journal:{position}".encode()).decode()


def _read_cursor(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = text.partition(":")
    return int(number) if prefix == "journal" and number.isdigit() else None


def _error(status: int, code: str, message: str) -> Answer:
    return status, {"code": code, "message": message}, {}


def _not_found() -> Answer:
    return _error(404, "not_found", "Заявка не найдена")


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


class _Handler(BaseHTTPRequestHandler):
    sim: t.ClassVar[YandexSimulator]

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

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
        fault = self.sim._receive(SimRequest(method, endpoint, params, headers, body, self.sim.clock()))
        if fault is not None and not fault.after_processing:
            if fault.stall_s:
                self.sim._wait(fault.stall_s)
            if fault.status >= 400:
                self._send_fault(fault)
                return
        if not path.startswith((API_PREFIX, CONTROL_PREFIX)):
            self._send(*_error(404, "not_found", f"Нет такого пути: {path}"))
            return
        if parse_failed:
            self._send(*_error(400, "bad_request", "Parse error"))
            return
        answer = self.sim._answer(method, endpoint, params, headers, body)
        if fault is not None and fault.after_processing:
            if fault.stall_s:
                self.sim._wait(fault.stall_s)
            if fault.status >= 400:
                self._send_fault(fault)
                return
        self._send(*answer)

    def _send_fault(self, fault: _Fault) -> None:
        extra = {"Retry-After": str(math.ceil(fault.retry_after_s))} if fault.retry_after_s is not None else {}
        self._send(fault.status, {"code": fault.code, "message": fault.message}, extra)

    def _send(self, status: int, body: Json, headers: dict[str, str]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up waiting

    def log_message(self, format: str, *args: t.Any) -> None:
        """Quiet: requests are recorded in :attr:`YandexSimulator.requests` instead."""


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m integrations.yandex.standin", description="A local stand-in for Yandex Delivery's cargo-claims v2 API."
    )
    parser.add_argument("--port", type=int, default=0, help="Port on 127.0.0.1 (default: a free one).")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help=f"Bearer token requests must carry (default {DEFAULT_TOKEN!r}).")
    parser.add_argument("--any-token", action="store_true", help="Accept any Bearer token.")
    parser.add_argument("--step-s", type=float, default=None, help="Advance every claim one status this often (seconds).")
    args = parser.parse_args(argv)
    sim = YandexSimulator(token=None if args.any_token else args.token).start(args.port, step_s=args.step_s)
    print(f"Yandex Delivery stand-in on {sim.url}{API_PREFIX} (hooks under {CONTROL_PREFIX}); Ctrl-C stops it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        sim.stop()


if __name__ == "__main__":
    main()
