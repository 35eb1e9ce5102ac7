"""``YandexSimulator``: the parts wired into one server that tests and the demo start, drive, break and inspect."""

from __future__ import annotations

import functools
import threading
import typing as t

from integrations.local_server import LocalServer
from integrations.yandex.standin.api import ClaimsApi
from integrations.yandex.standin.book import ClaimBook
from integrations.yandex.standin.callbacks import Callbacks
from integrations.yandex.standin.clock import system_now
from integrations.yandex.standin.clock import tick_every
from integrations.yandex.standin.control import Hooks
from integrations.yandex.standin.faults import Fault
from integrations.yandex.standin.faults import Faults
from integrations.yandex.standin.faults import error_fault
from integrations.yandex.standin.geo import ALMATY_ZONE
from integrations.yandex.standin.handler import bind
from integrations.yandex.standin.lifecycle import Lifecycle
from integrations.yandex.standin.routes import Routes
from integrations.yandex.standin.settings import DEFAULT_TOKEN
from integrations.yandex.standin.views import claim_json

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Collection
    from decimal import Decimal
    from http.server import BaseHTTPRequestHandler

    from integrations.yandex.standin.callbacks import CallbackCall
    from integrations.yandex.standin.clock import Clock
    from integrations.yandex.standin.geo import Zone
    from integrations.yandex.standin.wire import Answer
    from integrations.yandex.standin.wire import Json
    from integrations.yandex.standin.wire import SimRequest

P = t.ParamSpec("P")


def _endpoint(method: Callable[t.Concatenate[ClaimsApi, P], Answer]) -> Callable[t.Concatenate[YandexSimulator, P], Answer]:
    """An endpoint of :class:`~.api.ClaimsApi` as a method of the server, for a test that calls it without HTTP."""

    @functools.wraps(method)
    def call(self: YandexSimulator, /, *args: P.args, **kwargs: P.kwargs) -> Answer:
        return method(self._api, *args, **kwargs)

    return call


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

    The parts read these attributes on every use, so a test may change them while the server runs.
    """

    thread_name = "yandex-sim"

    def __init__(
        self,
        *,
        token: str | None = DEFAULT_TOKEN,
        zone: Zone = ALMATY_ZONE,
        accept_window_s: float = 600.0,
        clock: Clock = system_now,
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
        self._callbacks = Callbacks(self, self._lock, self._released)
        self._book = ClaimBook(self, self._lock, self._callbacks)
        self._lifecycle = Lifecycle(self._book)
        self._faults = Faults()
        self._api = ClaimsApi(self, self._book, self._lifecycle, self._faults)
        self._routes = Routes(self, self._lock, self._api, Hooks(self._book, self._lifecycle), self._faults)

    # --- running -----------------------------------------------------------------------------------

    def start(self, port: int = 0, *, step_s: float | None = None) -> YandexSimulator:
        """Listen on 127.0.0.1 (a free port unless ``port`` is given); with ``step_s``, advance every claim that often."""
        self._step_s = step_s
        return super().start(port)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return bind(self._routes, self._released)

    def _background(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._callbacks.push, name="yandex-sim-callbacks", daemon=True)]
        if self._step_s is not None:
            threads.append(
                threading.Thread(
                    target=tick_every, args=(self._step_s, self._released, self.tick), name="yandex-sim-clock", daemon=True
                )
            )
        return threads

    def _wake(self) -> None:
        self._callbacks.close()  # the callback thread finishes what is queued, then ends

    # --- looking ------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[SimRequest]:
        """Every request received so far, oldest first (control requests included)."""
        with self._lock:
            return list(self._routes.log)

    def requests_to(self, endpoint: str) -> list[SimRequest]:
        """The requests to one endpoint (``claims/create``…), oldest first."""
        return [r for r in self.requests if r.endpoint == endpoint]

    @property
    def callbacks(self) -> list[CallbackCall]:
        """Every callback attempt made so far, oldest first; call :meth:`wait_for_callbacks` first."""
        with self._lock:
            return list(self._callbacks.calls)

    def wait_for_callbacks(self) -> None:
        """Block until every change so far has been pushed (each attempt is bounded by ``callback_timeout_s``)."""
        self._callbacks.wait()

    @property
    def claim_ids(self) -> list[str]:
        """Ids of the claims made so far, oldest first."""
        with self._lock:
            return [c.id for c in self._book.claims]

    def claim(self, claim_id: str) -> dict[str, Json]:
        """The claim as ``claims/info`` answers it."""
        with self._lock:
            return claim_json(self._book.get(claim_id))

    def status(self, claim_id: str) -> str:
        """The claim's status now."""
        with self._lock:
            return self._book.get(claim_id).status

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
        fault = error_fault(
            endpoint, status, code=code, message=message, retry_after_s=retry_after_s, after_processing=after_processing
        )
        with self._lock:
            self._faults.queue(fault, times)

    def stall_next(
        self, endpoint: str | None = None, *, seconds: float = 5.0, times: int = 1, after_processing: bool = False
    ) -> None:
        """Hold the next ``times`` requests to ``endpoint`` ``seconds`` before answering, to make clients time out.

        A stalled request is released at once by :meth:`stop`. With ``after_processing`` the work is
        done before the stall (a create that happened although the client gave up).
        """
        with self._lock:
            self._faults.queue(Fault(endpoint, stall_s=seconds, after_processing=after_processing), times)

    def error_messages_on_next_create(
        self, code: str = "estimating.cant_construct_route", message: str = "Не удалось построить маршрут"
    ) -> None:
        """Make the next new claim come back from ``claims/create`` with ``error_messages`` in a 200 and status ``estimating_failed``."""
        with self._lock:
            self._faults.queue_create_errors(code, message)

    def reset(self) -> None:
        """Forget recorded requests, callback attempts and pending faults (claims stay)."""
        with self._lock:
            self._routes.log.clear()
            self._callbacks.calls.clear()
            self._faults.clear()

    # --- moving claims ------------------------------------------------------------------------------

    def advance(self, claim_id: str, *, skip_point: bool = False, fail_with: str | None = None) -> str:
        """Take one step and return the new status.

        ``skip_point`` at a reader's door (``delivery_arrived``/``ready_for_delivery_confirmation``)
        marks that point ``skipped`` instead of ``visited``; the items then come back at the end
        (``returning`` … ``returned_finish``). ``fail_with`` moves straight to a failure status
        (``estimating_failed``, ``performer_not_found``, ``cancelled_by_taxi``, ``failed``) when the
        claim is where that can happen. A claim waiting for accept, or closed, raises
        :class:`~.book.SimulatorError`.
        """
        return self._lifecycle.advance(claim_id, skip_point=skip_point, fail_with=fail_with)

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
        return self._lifecycle.play(claim_id, accept=accept, skip=skip, fail_with=fail_with, until=until)

    def tick(self) -> None:
        """Advance every claim that can move by itself one step (the ``--step-s`` clock)."""
        self._lifecycle.tick()

    def change_price(self, claim_id: str, price: Decimal | str) -> None:
        """Re-estimate a claim at ``price`` KZT (as after ``claims/edit``): a new version, a ``price_changed`` event."""
        self._lifecycle.change_price(claim_id, price)

    # --- the API without HTTP: the answers the paths give (see :class:`~.api.ClaimsApi`) ---------------

    check_price = _endpoint(ClaimsApi.check_price)
    create = _endpoint(ClaimsApi.create)
    info = _endpoint(ClaimsApi.info)
    bulk_info = _endpoint(ClaimsApi.bulk_info)
    accept = _endpoint(ClaimsApi.accept)
    cancel_info = _endpoint(ClaimsApi.cancel_info)
    cancel = _endpoint(ClaimsApi.cancel)
    journal = _endpoint(ClaimsApi.journal)
    tracking_links = _endpoint(ClaimsApi.tracking_links)
    performer_position = _endpoint(ClaimsApi.performer_position)
