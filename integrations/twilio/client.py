"""The Twilio REST client, one SMS send, what a Twilio error means for us, and the order of message statuses."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.base.exceptions import TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from notifications.segments import count_segments

if t.TYPE_CHECKING:
    from twilio.http.response import Response

#: ``twilio.rest.Client``, for annotations outside this module (twilio ships no type information).
TwilioClient: t.TypeAlias = Client

#: Seconds one REST call may take; ``TwilioHttpClient`` would otherwise wait for ever.
DEFAULT_TIMEOUT_S = 10.0
#: Longest ``Body`` Twilio takes (error 21617 beyond it).
MAX_BODY_CHARS = 1600

OPTED_OUT = "opted_out"
BAD_NUMBER = "bad_number"
TEMPORARY = "temporary"
PERMANENT = "permanent"

#: Twilio error codes by what to do about them (see the Twilio brief, section 3).
OPTED_OUT_CODES = frozenset({21610})
BAD_NUMBER_CODES = frozenset({21211, 21614, 30005, 30006})
TEMPORARY_CODES = frozenset({30003, 30008, 20429})


class LocalTwilioHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Sends every Twilio REST call to ``base_url`` (a local stand-in), keeping path and query."""

    def __init__(self, base_url: str, *, timeout: float | None = DEFAULT_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        base = urlsplit(base_url)
        if base.scheme not in ("http", "https") or not base.netloc:
            msg = f"api_base_url must be like http://127.0.0.1:8099, got {base_url!r}"
            raise ValueError(msg)
        self._scheme, self._netloc = base.scheme, base.netloc

    def request(self, method: str, url: str, *args: t.Any, **kwargs: t.Any) -> Response:
        """The same request, to the stand-in's scheme and host."""
        p = urlsplit(url)
        local = urlunsplit((self._scheme, self._netloc, p.path, p.query, p.fragment))
        return super().request(method, local, *args, **kwargs)


def make_client(
    account_sid: str, auth_token: str, api_base_url: str | None = None, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> Client:
    """A ``twilio.rest.Client``; with ``api_base_url`` (``"http://127.0.0.1:PORT"``) every call goes there instead.

    That one argument is the only difference between production and tests or the demo. Environment
    variables are not read: credentials come in as arguments.

    Parameters
    ----------
    account_sid, auth_token
        Basic-auth credentials (``AC…`` and the auth token).
    api_base_url
        Scheme and host of a stand-in (:mod:`integrations.twilio.standin`); path and query are kept.
    timeout_s
        Seconds one REST call may take before ``requests`` raises a timeout (classified temporary).
    """
    if timeout_s <= 0:
        msg = f"timeout_s must be positive, got {timeout_s}"
        raise ValueError(msg)
    http_client = (
        TwilioHttpClient(timeout=timeout_s) if api_base_url is None else LocalTwilioHttpClient(api_base_url, timeout=timeout_s)
    )
    return Client(account_sid, auth_token, http_client=http_client, environment={})


@dataclass(frozen=True)
class SentMessage:
    """What Twilio said when it took a message: its ``sid`` (``SM…``), ``status`` and billed ``segments``."""

    sid: str
    status: str
    segments: int


def send_sms(
    client: Client,
    *,
    to: str,
    body: str,
    status_callback: str | None,
    messaging_service_sid: str | None = None,
    sender_id: str | None = None,
    validity_period_s: int | None = None,
) -> SentMessage:
    """Hand one SMS to Twilio.

    Parameters
    ----------
    to
        E.164 number (``+77011234567``).
    body
        The text, 1 to 1600 characters (render it with :func:`notifications.templates.render`).
    status_callback
        Public URL Twilio posts status changes to (e.g. ``https://lib.example.kz/twilio/sms-status?d=42``).
    messaging_service_sid, sender_id
        At least one: a Messaging Service (``MG…``; Twilio answers ``accepted``) and/or the sender
        (``From``: the registered alphanumeric ID such as ``LIBRARY``, or a Twilio number).
    validity_period_s
        Seconds the message may wait in Twilio's queue (1 to 36000; Twilio's default 36000).

    Raises
    ------
    ValueError
        No sender, an empty or too long body, or a validity period out of range (nothing is sent).
    TwilioRestException
        Twilio refused the message; :func:`classify_error` tells what to do.
    requests.RequestException
        No answer (connection refused, timeout); :func:`classify_error` says temporary.
    """
    if not messaging_service_sid and not sender_id:
        msg = "give messaging_service_sid or sender_id (or both)"
        raise ValueError(msg)
    if not body or len(body) > MAX_BODY_CHARS:
        msg = f"body must be 1 to {MAX_BODY_CHARS} characters, got {len(body)}"
        raise ValueError(msg)
    if validity_period_s is not None and not 1 <= validity_period_s <= 36000:
        msg = f"validity_period_s must be 1 to 36000, got {validity_period_s}"
        raise ValueError(msg)
    kwargs: dict[str, t.Any] = {"to": to, "body": body}
    if status_callback:
        kwargs["status_callback"] = status_callback
    if messaging_service_sid:
        kwargs["messaging_service_sid"] = messaging_service_sid
    if sender_id:
        kwargs["from_"] = sender_id
    if validity_period_s is not None:
        kwargs["validity_period"] = validity_period_s
    message = client.messages.create(**kwargs)
    try:
        segments = int(message.num_segments)
    except (TypeError, ValueError):
        segments = count_segments(body).segments
    return SentMessage(sid=str(message.sid), status=str(message.status), segments=segments)


def classify_code(code: int | str | None, http_status: int | None = None) -> str:
    """``"opted_out"``, ``"bad_number"``, ``"temporary"`` or ``"permanent"`` for a Twilio error code.

    Works for ``TwilioRestException.code`` and for a status callback's ``ErrorCode`` (a string).
    ``http_status`` 429 or 5xx makes any unlisted code temporary.
    """
    try:
        number = int(code) if code is not None and code != "" else None
    except (TypeError, ValueError):
        number = None
    if number in OPTED_OUT_CODES:
        return OPTED_OUT
    if number in BAD_NUMBER_CODES:
        return BAD_NUMBER
    if number in TEMPORARY_CODES:
        return TEMPORARY
    if http_status is not None and (http_status == 429 or http_status >= 500):
        return TEMPORARY
    return PERMANENT


def classify_error(error: BaseException) -> str:
    """What to do after a failed send: ``"opted_out"`` (21610: stop SMS to the reader), ``"bad_number"``
    (21211, 21614, 30005, 30006: flag the number), ``"temporary"`` (429, 5xx, 30003, 30008, no
    answer or a timeout: retry later) or ``"permanent"`` (anything else: record it, do not retry).
    """
    if isinstance(error, TwilioRestException | TwilioServiceException):
        status = error.status if isinstance(error.status, int) else None
        return classify_code(error.code, status)
    if isinstance(error, requests.ConnectionError | requests.Timeout | ConnectionError | TimeoutError):
        return TEMPORARY
    return PERMANENT


class MessageStatus(StrEnum):
    """Twilio's statuses of an outbound message."""

    QUEUED = "queued"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    CANCELED = "canceled"
    PARTIALLY_DELIVERED = "partially_delivered"
    READ = "read"


#: Rank of each outbound status: a message only ever moves to a higher rank.
STATUS_ORDER: dict[str, int] = {
    MessageStatus.QUEUED: 0,
    MessageStatus.ACCEPTED: 0,
    MessageStatus.SCHEDULED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
    MessageStatus.CANCELED: 3,
    MessageStatus.PARTIALLY_DELIVERED: 3,
    MessageStatus.READ: 4,
}
#: No status follows these, except ``read`` after ``delivered``.
FINAL_STATUSES = frozenset(s for s, rank in STATUS_ORDER.items() if rank >= 3)


def is_forward(old: str | None, new: str) -> bool:
    """Whether a message at status ``old`` (``None``: none stored yet) may be moved to ``new``.

    Callbacks arrive out of order, so a status never moves back (``delivered`` then a late
    ``sent`` keeps ``delivered``), a final status is never replaced by another final one, the same
    status again is no move, and ``read`` comes only after ``delivered`` or a non-final status. An
    unknown ``new`` status is no move; an unknown ``old`` one may be replaced by any known status.
    """
    new_rank = STATUS_ORDER.get(new)
    if new_rank is None:
        return False
    old_rank = STATUS_ORDER.get(old) if old is not None else None
    if old_rank is None:
        return True
    if new == MessageStatus.READ:
        return old in (MessageStatus.DELIVERED,) or old_rank < 3
    return new_rank > old_rank
