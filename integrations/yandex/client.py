"""HTTP client for Yandex Delivery cargo-claims v2, with the retry policy the API's idempotency rules allow.

What may be sent twice decides the retries:

* Reads (``claims/info``, ``bulk_info``, ``journal``, ``cancel-info``, ``check-price``, tracking) and
  ``claims/create`` are retried on 5xx, timeouts, broken connections and 429. A create is retried with
  the **same** ``request_id``, which makes Yandex answer with the claim it may already have made
  instead of a second claim (a second courier at the branch).
* ``claims/accept`` and ``claims/cancel`` carry no ``request_id``; the claim ``version`` guards them.
  Before any retry they re-read ``claims/info``: if the claim has already moved on (accepted by the
  first attempt, cancelled, failed…) that state is returned and nothing is sent again; if it still
  waits, the retry uses the version just read. A cancel is never turned into a dearer one: when the
  free cancel has become paid, the 409 is raised for a person (or the caller) to decide.
* 429 waits ``Retry-After`` when Yandex sends it, else backs off exponentially; a ``Retry-After``
  longer than ``max_backoff_s`` is raised at once (:class:`YandexRateLimitedError` carries it) so a
  worker is not held asleep: the job can be rescheduled instead.
* Other 4xx are raised at once.

``sleep`` is injectable so tests run the policy without waiting, and so is the ``httpx.Client``.
"""

from __future__ import annotations

import email.utils
import logging
import time
import typing as t
from datetime import UTC
from datetime import datetime

import httpx
from tenacity import RetryCallState
from tenacity import Retrying
from tenacity import retry_if_exception
from tenacity import stop_after_attempt

from integrations.yandex.errors import ClaimErrorMessagesError
from integrations.yandex.errors import YandexAuthError
from integrations.yandex.errors import YandexBadResponseError
from integrations.yandex.errors import YandexClientError
from integrations.yandex.errors import YandexConflictError
from integrations.yandex.errors import YandexConnectionError
from integrations.yandex.errors import YandexError
from integrations.yandex.errors import YandexNotFoundError
from integrations.yandex.errors import YandexRateLimitedError
from integrations.yandex.errors import YandexServerError
from integrations.yandex.errors import YandexTimeoutError
from integrations.yandex.errors import YandexTransientError
from integrations.yandex.models import BEFORE_ACCEPT
from integrations.yandex.models import CLOSED_STATUSES
from integrations.yandex.models import CancelInfo
from integrations.yandex.models import Claim
from integrations.yandex.models import ClaimState
from integrations.yandex.models import ClaimStatus
from integrations.yandex.models import JournalEvent
from integrations.yandex.models import PerformerPosition
from integrations.yandex.models import PriceEstimate
from integrations.yandex.models import TrackingLink

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Mapping
    from collections.abc import Sequence

PRODUCTION_URL = "https://b2b.taxi.yandex.net"
API_PREFIX = "/b2b/cargo/integration/v2/"
LANGUAGES = ("ru", "en")
_MAX_REQUEST_ID = 128

logger = logging.getLogger(__name__)


class YandexDeliveryClient:
    """Calls the express cargo-claims API (``{base_url}/b2b/cargo/integration/v2/…``).

    Parameters
    ----------
    base_url
        Scheme and host, ``https://b2b.taxi.yandex.net`` in production, the simulator's
        ``http://127.0.0.1:PORT`` in tests. The API prefix is added here (a ``base_url`` that
        already ends in it is accepted too).
    token
        The cabinet's OAuth token, sent as ``Authorization: Bearer``.
    language
        ``Accept-Language``, ``ru`` or ``en``: the language of Yandex's error ``message`` texts.
    timeout_s
        Per-request timeout in seconds (connect, read, write and pool alike).
    max_retries
        Retries after the first attempt, for every method that retries (so ``max_retries + 1``
        attempts at most).
    backoff_s, max_backoff_s
        Exponential backoff: ``backoff_s``, twice that, … capped at ``max_backoff_s``; also the
        longest ``Retry-After`` the client waits out itself.
    sleep
        How the client waits between attempts (``time.sleep``; tests pass a recorder).
    http_client
        An ``httpx.Client`` to send through (the client then does not close it).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        language: str = "ru",
        timeout_s: float = 20.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        http_client: httpx.Client | None = None,
    ) -> None:
        if not token:
            msg = "a Yandex Delivery token is required"
            raise ValueError(msg)
        if language not in LANGUAGES:
            msg = f"language must be one of {LANGUAGES}, not {language!r}"
            raise ValueError(msg)
        if timeout_s <= 0:
            msg = f"timeout_s must be positive, not {timeout_s}"
            raise ValueError(msg)
        if max_retries < 0 or backoff_s < 0 or max_backoff_s < backoff_s:
            msg = "max_retries and backoff_s must not be negative, and max_backoff_s not below backoff_s"
            raise ValueError(msg)
        base = base_url.rstrip("/")
        if base.endswith(API_PREFIX.rstrip("/")):
            base = base[: -len(API_PREFIX.rstrip("/"))]
        self.base_url = base
        self.language = language
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._token = token
        self._sleep = sleep
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout_s)

    def close(self) -> None:
        """Close the connection pool (unless it was passed in)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> YandexDeliveryClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- estimating and creating -------------------------------------------------------------------

    def check_price(self, body: Mapping[str, t.Any]) -> PriceEstimate:
        """``POST check-price``: price, distance and ETA for ``{items, route_points, requirements}``, without a claim."""
        return PriceEstimate.from_json(self._retried("POST", "check-price", json=body))

    def create_claim(self, request_id: str, body: Mapping[str, t.Any], *, raise_on_error_messages: bool = True) -> Claim:
        """``POST claims/create?request_id=…``: make a claim (it does not dispatch anyone until :meth:`accept`).

        Retried on 5xx, timeouts and 429 with the same ``request_id``, so at most one claim comes of
        it. Give every new claim a fresh ``request_id`` and keep it (store it before calling) so a
        crashed job that runs again also reuses it.

        Raises
        ------
        ClaimErrorMessagesError
            When the 200 carries ``error_messages`` and ``raise_on_error_messages`` is true; the
            claim (which exists) is on the exception.
        """
        if not 1 <= len(request_id) <= _MAX_REQUEST_ID:
            msg = f"request_id must be 1 to {_MAX_REQUEST_ID} characters, got {len(request_id)}"
            raise ValueError(msg)
        claim = Claim.from_json(self._retried("POST", "claims/create", params={"request_id": request_id}, json=body))
        if raise_on_error_messages and claim.error_messages:
            raise ClaimErrorMessagesError(claim, claim.error_messages, method="POST", url=self._url("claims/create"))
        return claim

    # --- reading -------------------------------------------------------------------------------------

    def claim_info(self, claim_id: str) -> Claim:
        """``POST claims/info?claim_id=…``: the whole claim (status, version, points, pricing, performer).

        ``error_messages`` are left on the claim, not raised: an ``estimating_failed`` claim is a
        state to record. Call :func:`raise_for_error_messages` to treat them as an error.
        """
        return Claim.from_json(self._retried("POST", "claims/info", params={"claim_id": claim_id}, json={}))

    def bulk_info(self, claim_ids: Sequence[str]) -> list[Claim]:
        """``POST claims/bulk_info``: several claims in one call (Yandex leaves out ids it does not know)."""
        if not claim_ids:
            return []
        data = self._retried("POST", "claims/bulk_info", json={"claim_ids": list(claim_ids)})
        return [Claim.from_json(c) for c in _list(data, "claims")]

    def cancel_info(self, claim_id: str) -> CancelInfo:
        """``POST claims/cancel-info?claim_id=…``: whether cancelling now is ``free``, ``paid`` or ``unavailable``."""
        return CancelInfo.from_json(self._retried("POST", "claims/cancel-info", params={"claim_id": claim_id}, json={}))

    def journal(self, cursor: str | None = None, *, limit: int | None = None) -> tuple[list[JournalEvent], str | None]:
        """``POST claims/journal``: changes of every claim of the account after ``cursor``, oldest first.

        Returns the events and the cursor to pass next time (the same one when nothing is new).
        Store the cursor durably only after the events are handled.
        """
        params = {"limit": str(limit)} if limit is not None else None
        data = self._retried("POST", "claims/journal", params=params, json={"cursor": cursor} if cursor else {})
        events = [JournalEvent.from_json(e) for e in _list(data, "events")]
        next_cursor = data.get("cursor")
        return events, str(next_cursor) if next_cursor else cursor

    def tracking_links(self, claim_id: str) -> list[TrackingLink]:
        """``GET claims/tracking-links?claim_id=…``: a sharing link per point (empty when Yandex does not share them)."""
        data = self._retried("GET", "claims/tracking-links", params={"claim_id": claim_id})
        return [TrackingLink.from_json(p) for p in _list(data, "route_points")]

    def performer_position(self, claim_id: str) -> PerformerPosition:
        """``GET claims/performer-position?claim_id=…``: the courier's last position, while one is assigned."""
        return PerformerPosition.from_json(self._retried("GET", "claims/performer-position", params={"claim_id": claim_id}))

    # --- guarded writes ------------------------------------------------------------------------------

    def accept(self, claim_id: str, version: int) -> ClaimState:
        """``POST claims/accept?claim_id=…`` with ``{"version"}``: start the courier search.

        On a 5xx, timeout, 429 or 409 the claim is re-read first. Already accepted (or moved on in any
        other way: cancelled, failed, searching…) returns that state without sending again; still
        ``ready_for_approval`` retries with the version just read; still estimating re-raises.
        """

        def decide(claim: Claim) -> ClaimState | int | None:
            if claim.status == ClaimStatus.READY_FOR_APPROVAL:
                return claim.version
            if claim.status in BEFORE_ACCEPT:
                return None
            return claim.state

        return self._guarded(claim_id, version, "claims/accept", lambda v: {"version": v}, decide)

    def cancel(self, claim_id: str, version: int, cancel_state: str) -> ClaimState:
        """``POST claims/cancel?claim_id=…`` with ``{"version", "cancel_state"}``: ``free`` or ``paid``, as cancel-info says.

        On a 5xx, timeout, 429 or 409 the claim is re-read first. A closed claim (cancelled by the
        first attempt, delivered, failed…) returns that state; one whose ``available_cancel_state``
        still equals ``cancel_state`` retries with the version just read; otherwise (a free cancel
        became paid, or none is possible any more) the error is raised rather than paying.
        """
        if cancel_state not in ("free", "paid"):
            msg = f"cancel_state must be 'free' or 'paid', not {cancel_state!r}"
            raise ValueError(msg)

        def decide(claim: Claim) -> ClaimState | int | None:
            if claim.status in CLOSED_STATUSES:
                return claim.state
            if claim.available_cancel_state == cancel_state:
                return claim.version
            return None

        return self._guarded(claim_id, version, "claims/cancel", lambda v: {"version": v, "cancel_state": cancel_state}, decide)

    def _guarded(
        self,
        claim_id: str,
        version: int,
        endpoint: str,
        body: Callable[[int], dict[str, t.Any]],
        decide: Callable[[Claim], ClaimState | int | None],
    ) -> ClaimState:
        """Send a version-guarded write; before each retry, re-read the claim and let ``decide`` say what to do.

        ``decide`` returns a state (the claim moved on: return it, send nothing), a version (send again
        with it) or ``None`` (give up: raise the last error).
        """
        current = version
        last: YandexError | None = None

        def attempt() -> ClaimState:
            nonlocal current, last
            if last is not None:
                try:
                    claim = self.claim_info(claim_id)  # retried on its own; if even that fails, stop here
                except YandexError as e:
                    raise _GiveUp(e) from e
                verdict = decide(claim)
                if isinstance(verdict, ClaimState):
                    logger.info(
                        "%s %s: claim already %s (version %s), not sent again", endpoint, claim_id, claim.status, claim.version
                    )
                    return verdict
                repeat_of_refusal = isinstance(last, YandexConflictError) and last.code != "old_version" and verdict == current
                if verdict is None or repeat_of_refusal:
                    raise _GiveUp(last)
                current = verdict
            try:
                return ClaimState.from_json(self._once("POST", endpoint, params={"claim_id": claim_id}, json=body(current)))
            except YandexError as e:
                last = e
                raise

        try:
            return self._retrying(_worth_retrying_guarded)(attempt)
        except _GiveUp as stop:
            raise stop.error from None

    # --- sending -------------------------------------------------------------------------------------

    def _retried(
        self, method: str, endpoint: str, *, params: Mapping[str, str] | None = None, json: t.Any = None
    ) -> dict[str, t.Any]:
        """Send a request that may be repeated as is (a read, or a create with its request_id)."""
        return self._retrying(self._worth_retrying)(self._once, method, endpoint, params=params, json=json)

    def _retrying(self, worth: Callable[[BaseException], bool]) -> Retrying:
        def is_worth(error: BaseException) -> bool:
            return worth(error) and not self._too_long_to_wait(error)

        return Retrying(
            retry=retry_if_exception(is_worth),
            stop=stop_after_attempt(self.max_retries + 1),
            wait=self._wait_s,
            sleep=self._sleep,
            before_sleep=_log_retry,
            reraise=True,
        )

    @staticmethod
    def _worth_retrying(error: BaseException) -> bool:
        return isinstance(error, YandexTransientError)

    def _too_long_to_wait(self, error: BaseException) -> bool:
        return (
            isinstance(error, YandexRateLimitedError)
            and error.retry_after_s is not None
            and error.retry_after_s > self.max_backoff_s
        )

    def _wait_s(self, state: RetryCallState) -> float:
        """``Retry-After`` when a 429 carried one, nothing after a 409 (re-read at once), else ``backoff_s`` doubled per attempt, capped."""
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, YandexRateLimitedError) and error.retry_after_s is not None:
            return error.retry_after_s
        if isinstance(error, YandexConflictError):
            return 0.0
        return float(min(self.max_backoff_s, self.backoff_s * 2 ** (state.attempt_number - 1)))

    def _url(self, endpoint: str) -> str:
        return f"{self.base_url}{API_PREFIX}{endpoint}"

    def _once(
        self, method: str, endpoint: str, *, params: Mapping[str, str] | None = None, json: t.Any = None
    ) -> dict[str, t.Any]:
        """One HTTP exchange: the decoded JSON object of a 2xx, or the matching :class:`YandexError`."""
        url = self._url(endpoint)
        headers = {"Authorization": f"Bearer {self._token}", "Accept-Language": self.language, "Accept": "application/json"}
        try:
            response = self._http.request(method, url, params=params, json=json, headers=headers, timeout=self.timeout_s)
        except httpx.TimeoutException as e:
            msg = f"no answer within {self.timeout_s} s"
            raise YandexTimeoutError(msg, code="timeout", method=method, url=url) from e
        except httpx.TransportError as e:
            raise YandexConnectionError(str(e) or type(e).__name__, code="connection_error", method=method, url=url) from e
        if response.is_success:
            try:
                data = response.json()
            except ValueError as e:
                msg = "the answer is not JSON"
                raise YandexBadResponseError(
                    msg, status=response.status_code, code="bad_response", method=method, url=url, body=response.text
                ) from e
            if not isinstance(data, dict):
                msg = "the answer is not a JSON object"
                raise YandexBadResponseError(
                    msg, status=response.status_code, code="bad_response", method=method, url=url, body=data
                )
            return data
        raise _error_for(response, method, url)


class _GiveUp(Exception):
    """Carries the error to raise when a re-read says retrying a guarded write is pointless."""

    def __init__(self, error: YandexError) -> None:
        super().__init__(str(error))
        self.error = error


def _worth_retrying_guarded(error: BaseException) -> bool:
    return isinstance(error, YandexTransientError | YandexConflictError)


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    wait_s = state.next_action.sleep if state.next_action is not None else 0.0
    logger.warning("Yandex request failed (%s), attempt %d; retrying in %.1f s", error, state.attempt_number, wait_s)


def raise_for_error_messages(claim: Claim) -> Claim:
    """Return ``claim``, or raise :class:`ClaimErrorMessagesError` when it carries ``error_messages``."""
    if claim.error_messages:
        raise ClaimErrorMessagesError(claim, claim.error_messages)
    return claim


def _error_for(response: httpx.Response, method: str, url: str) -> YandexError:
    """The exception for a non-2xx answer, from its ``{"code", "message"}`` body when it has one."""
    status = response.status_code
    try:
        body: t.Any = response.json()
    except ValueError:
        body = response.text
    code = message = None
    if isinstance(body, dict):
        code = body.get("code")
        message = body.get("message")
    text = str(message) if message else (response.reason_phrase or f"HTTP {status}")
    kwargs: dict[str, t.Any] = {
        "status": status,
        "code": str(code) if code is not None else None,
        "method": method,
        "url": url,
        "body": body,
    }
    if status == 429:
        return YandexRateLimitedError(text, retry_after_s=_retry_after_s(response.headers.get("Retry-After")), **kwargs)
    if status >= 500:
        return YandexServerError(text, **kwargs)
    if status == 409:
        return YandexConflictError(text, **kwargs)
    if status in (401, 403):
        return YandexAuthError(text, **kwargs)
    if status == 404:
        return YandexNotFoundError(text, **kwargs)
    if 400 <= status < 500:
        return YandexClientError(text, **kwargs)
    return YandexError(text, **kwargs)


def _retry_after_s(value: str | None) -> float | None:
    """``Retry-After`` as seconds: either delay-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return max(0.0, float(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _list(data: Mapping[str, t.Any], key: str) -> list[dict[str, t.Any]]:
    items = data.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
