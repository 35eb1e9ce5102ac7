"""Typed failures of the Yandex Delivery API, split by what the caller should do about each.

Yandex answers every non-2xx with ``{"code": "<machine code>", "message": "<localized text>"}``; the
HTTP status says what kind of trouble it is and the ``code`` says which. The tree is shaped by the
caller's next move rather than by the status alone:

* :class:`YandexTransientError` (5xx, timeouts, broken connections, 429): try again later, with the
  same ``request_id`` for a create. An RQ job lets these propagate so that RQ retries it.
* :class:`YandexConflictError` (409): the claim is not in the state or version the request assumed;
  re-read ``claims/info`` and decide again.
* :class:`YandexClientError` (other 4xx): our data or configuration is wrong; retrying changes
  nothing, a person has to look.
* :class:`ClaimErrorMessagesError`: the HTTP call succeeded (200) but the claim carries
  ``error_messages`` (an estimation failure): the claim exists, so the error carries it.

:class:`InvalidClaimDataError` is ours, not Yandex's: :mod:`integrations.yandex.claims` raises it
before anything is sent when a route cannot become a valid claim body.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from integrations.yandex.models import Claim
    from integrations.yandex.models import ClaimMessage


class YandexError(Exception):
    """A request to Yandex Delivery failed; carries what Yandex said and where.

    Parameters
    ----------
    message
        Yandex's localized ``message`` (in the client's ``Accept-Language``), or ours when Yandex
        sent none.
    status
        HTTP status, or ``None`` when no answer arrived (timeout, connection refused).
    code
        Yandex's machine ``code`` (``old_version``, ``address_not_found``…), or ours in the same style
        (``timeout``, ``bad_response``) when Yandex sent none.
    method, url
        The request that failed.
    body
        The decoded error body (or the raw text when it was not JSON), for the logs.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        method: str | None = None,
        url: str | None = None,
        body: t.Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.method = method
        self.url = url
        self.body = body

    def __str__(self) -> str:
        where = f" ({self.method} {self.url})" if self.method and self.url else ""
        return f"{self.status or '-'} {self.code or '-'}: {self.message}{where}"


class YandexClientError(YandexError):
    """A 4xx other than 409 and 429: the request itself is wrong, so sending it again will not help."""


class YandexAuthError(YandexClientError):
    """401/403: the token is wrong or revoked (it dies when the cabinet password changes), or the cabinet lacks a feature."""


class YandexNotFoundError(YandexClientError):
    """404: no such claim, or a claim of another account."""


class YandexConflictError(YandexClientError):
    """409: wrong claim version or status (``old_version``, ``inappropriate_status``, ``state_mismatch``…); re-read and decide."""


class YandexTransientError(YandexError):
    """Worth trying again later: nothing says the request itself was wrong."""


class YandexServerError(YandexTransientError):
    """5xx: Yandex failed; the request may or may not have taken effect."""


class YandexTimeoutError(YandexTransientError):
    """No answer within the client's timeout; the request may or may not have taken effect."""


class YandexConnectionError(YandexTransientError):
    """The connection could not be made or broke before an answer arrived."""


class YandexRateLimitedError(YandexTransientError):
    """429: too many requests; ``retry_after_s`` is Yandex's ``Retry-After`` in seconds when it sent one."""

    def __init__(self, message: str, *, retry_after_s: float | None = None, **kwargs: t.Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after_s = retry_after_s


class YandexBadResponseError(YandexError):
    """A 2xx whose body is not the JSON object the method returns (a proxy page, a truncated body)."""


class ClaimErrorMessagesError(YandexError):
    """A 200 whose claim carries ``error_messages`` (typically an estimation failure).

    The claim exists on Yandex's side all the same, so :attr:`claim` is kept: store its id, then fix
    the data (``claims/edit``) or cancel it.
    """

    def __init__(
        self, claim: Claim, messages: t.Sequence[ClaimMessage], *, method: str | None = None, url: str | None = None
    ) -> None:
        text = "; ".join(f"{m.code}: {m.message}" if m.message else m.code for m in messages) or "error_messages present"
        super().__init__(text, status=200, code=messages[0].code if messages else None, method=method, url=url, body=claim.raw)
        self.claim = claim
        self.messages = tuple(messages)


class InvalidClaimDataError(ValueError):
    """A route or stop cannot become a valid claim body (a phone that is not a number, naive ``due``, a stop without items…)."""
