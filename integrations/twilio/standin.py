"""A local stand-in for Twilio's Messages REST API (2010-04-01): same paths, auth, JSON shapes, errors and signed status callbacks.

The real ``twilio.rest.Client`` is pointed at it by configuration only
(:func:`integrations.twilio.client.make_client` with ``api_base_url="http://127.0.0.1:PORT"``).
It answers ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (201 and the Message resource,
``queued``, or ``accepted`` through a Messaging Service), ``GET …/Messages/{Sid}.json`` and the list
``GET …/Messages.json`` (one page, newest first, ``To`` and ``PageSize`` honoured), checks
Basic auth (401, Twilio's 20003), validates the form as Twilio does (21604 no ``To``, 21603 no
sender, 21602 no ``Body``, 21617 over 1600 characters, 21211 a ``To`` that is not E.164, 21609 a bad
``StatusCallback``) and records every request and message. Faults can be queued for the next
requests or set per number: a Twilio error code (21610, 21211, 21614… answered 400 with
``{"code","message","more_info","status"}``), an HTTP status (429, 500, 503 with Twilio's 20xxx
codes), or a stall past the client's timeout.

Nothing is delivered by itself: :meth:`TwilioFake.deliver` moves a message to a status and POSTs
the status callback the way Twilio does (form fields, ``X-Twilio-Signature`` from
``RequestValidator(auth_token)``), synchronously, and returns what happened. ``callback_base_url``
plays a proxy: the signature covers the public ``StatusCallback`` URL while the POST goes to the
same path and query on the local base. For a demo, ``auto_deliver_s`` walks every new message to
``sent`` and ``delivered`` after that many seconds, and control paths under ``/_fake/`` do the same
over HTTP. Run it with ``python -m integrations.twilio.standin --port 8099``.

Where Twilio's behaviour is open the fake says so: the callback fields beyond ``MessageStatus`` and
``ErrorCode`` follow common practice (Twilio: "subject to change"); ``price`` stays ``null``; a
failed or undelivered message without a given code gets 30008 (unknown error).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import dataclasses
import re
import threading
import time
import typing as t
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from twilio.request_validator import RequestValidator

from integrations.local_server import JsonHandler
from integrations.local_server import LocalServer
from integrations.local_server import serve_until_interrupted
from notifications.segments import count_segments

if t.TYPE_CHECKING:
    from collections.abc import Callable

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "AC" + "0" * 31 + "1"
DEFAULT_AUTH_TOKEN = "fake-auth-token"
#: What a Messaging Service's sender pool sends from (the registered alphanumeric sender ID).
DEFAULT_SERVICE_SENDER = "LIBRARY"
CONTROL_PREFIX = "/_fake/"
MAX_BODY_CHARS = 1600

_ACCOUNT_PATH = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages(?:/(?P<sid>[^/]+))?\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_SERVICE_SID = re.compile(r"^MG[0-9a-f]{32}$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9.-]+$")

#: Statuses a callback can carry; Twilio sends none for the initial queued / accepted / scheduled.
CALLBACK_STATUSES = frozenset(
    {"sending", "sent", "delivered", "undelivered", "failed", "read", "canceled", "partially_delivered"}
)
_FAILED = frozenset({"undelivered", "failed"})

#: HTTP status and message of the Twilio error codes the fake knows; others answer 400 "Error".
ERRORS: dict[int, tuple[int, str]] = {
    20003: (401, "Authenticate"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "An internal server error has occurred"),
    20503: (503, "Service is unavailable. Please try again"),
    21211: (400, "Invalid 'To' Phone Number"),
    21408: (400, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
    21602: (400, "Message body is required."),
    21603: (400, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."),
    21604: (400, "A 'To' phone number is required."),
    21609: (400, "Invalid StatusCallback url"),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit."),
    21701: (400, "The Messaging Service Sid is invalid."),
}
#: Messages of the asynchronous (delivery) error codes, sent as ``ErrorMessage`` where known.
DELIVERY_ERRORS: dict[int, str] = {
    30003: "Unreachable destination handset",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30008: "Unknown error",
}

Json = t.Any


@dataclass(frozen=True)
class FakeRequest:
    """One request as received: method, path, form fields (the last of a repeated name), whether auth passed, when."""

    method: str
    path: str
    form: dict[str, str]
    authorized: bool
    at: datetime


@dataclass(frozen=True)
class FakeMessage:
    """One message as the fake holds it (a copy); ``statuses`` is its history, oldest first."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    body: str
    messaging_service_sid: str | None
    status_callback: str | None
    status: str
    num_segments: int
    encoding: str
    error_code: int | None
    created: datetime
    updated: datetime
    statuses: tuple[str, ...]
    form: dict[str, str]


@dataclass(frozen=True)
class CallbackCall:
    """One status callback: the URL signed (public) and the URL posted to, the fields, the signature, and the outcome."""

    signed_url: str
    posted_url: str
    params: dict[str, str]
    signature: str
    status: int | None
    error: str | None


@dataclass
class _Fault:
    code: int
    http_status: int
    message: str
    stall_s: float = 0.0


@dataclass
class _State:
    lock: threading.RLock = field(default_factory=threading.RLock)
    requests: list[FakeRequest] = field(default_factory=list)
    messages: dict[str, FakeMessage] = field(default_factory=dict)
    callbacks: list[CallbackCall] = field(default_factory=list)
    next_faults: list[_Fault] = field(default_factory=list)
    number_faults: dict[str, _Fault] = field(default_factory=dict)


def _fault(error: int, message: str | None, stall_s: float = 0.0) -> _Fault:
    """``error`` below 1000 is an HTTP status (Twilio code 20000 + status); otherwise a Twilio error code."""
    if error < 1000:
        code, http_status = 20000 + error, error
        default = ERRORS.get(code, (error, "Error"))[1]
    else:
        code = error
        http_status, default = ERRORS.get(code, (400, DELIVERY_ERRORS.get(code, "Error")))
    return _Fault(code, http_status, message or default, stall_s)


def error_body(code: int, http_status: int, message: str) -> dict[str, Json]:
    """Twilio's legacy error JSON, the shape ``twilio-python`` turns into ``TwilioRestException``."""
    return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": http_status}


class TwilioFake(LocalServer):
    """Serves Twilio's Messages API on 127.0.0.1 in a thread, from messages held in memory.

    Parameters
    ----------
    account_sid, auth_token
        The credentials requests must carry (Basic auth) and the token callbacks are signed with.
    callback_base_url
        When set, callbacks are POSTed to this scheme and host (path and query of the message's
        ``StatusCallback`` kept), while the signature still covers the ``StatusCallback`` as given:
        what a proxy or TLS terminator in front of the app does.
    service_sender
        The ``From`` a message sent through a Messaging Service gets once it is sent.
    auto_deliver_s
        For demos: walk every new message to ``sent`` then ``delivered`` (callbacks included) after
        this many seconds (``None``: only :meth:`deliver` moves messages).
    clock
        The time (aware) for ``date_created`` / ``date_updated``.
    callback_timeout_s
        How long one callback POST may take.
    """

    def __init__(
        self,
        *,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        callback_base_url: str | None = None,
        service_sender: str = DEFAULT_SERVICE_SENDER,
        auto_deliver_s: float | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        callback_timeout_s: float = 5.0,
    ) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.callback_base_url = callback_base_url
        self.service_sender = service_sender
        self.auto_deliver_s = auto_deliver_s
        self.clock = clock
        self.callback_timeout_s = callback_timeout_s
        self._state = _State()
        self._auto: list[tuple[float, str]] = []
        self._auto_wakeup = threading.Condition()

    # --- running -----------------------------------------------------------------------------------

    thread_name = "twilio-fake"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("_BoundHandler", (_Handler,), {"fake": self})

    def _background(self) -> list[threading.Thread]:
        if self.auto_deliver_s is None:
            return []
        return [threading.Thread(target=self._auto_deliver, name="twilio-fake-deliver", daemon=True)]

    def _wake(self) -> None:
        with self._auto_wakeup:
            self._auto_wakeup.notify_all()

    # --- looking ------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[FakeRequest]:
        """Every request received so far (control requests included), oldest first."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def messages(self) -> list[FakeMessage]:
        """Every message accepted so far, oldest first."""
        with self._state.lock:
            return list(self._state.messages.values())

    def message(self, sid: str) -> FakeMessage:
        """One message by its ``SM…`` sid (``KeyError`` if unknown)."""
        with self._state.lock:
            return self._state.messages[sid]

    @property
    def callbacks(self) -> list[CallbackCall]:
        """Every status callback made so far, oldest first."""
        with self._state.lock:
            return list(self._state.callbacks)

    # --- faults -------------------------------------------------------------------------------------

    def fail_next(self, error: int, *, times: int = 1, message: str | None = None) -> None:
        """Answer the next ``times`` API requests with an error.

        ``error`` is a Twilio code (21610, 21211, 21614… answered 400; 20429 → 429) or, below 1000,
        an HTTP status (500, 503, 429, sent with Twilio's code 20000 + status).
        """
        with self._state.lock:
            self._state.next_faults.extend(_fault(error, message) for _ in range(times))

    def fail_number(self, to: str, error: int, *, message: str | None = None) -> None:
        """Answer every send to ``to`` with ``error`` (as :meth:`fail_next`) until :meth:`clear_faults`."""
        with self._state.lock:
            self._state.number_faults[to] = _fault(error, message)

    def stall_next(self, *, seconds: float = 5.0, times: int = 1) -> None:
        """Hold the next ``times`` API requests ``seconds`` before answering normally, to make the client time out.

        A stalled request is released at once by :meth:`stop`.
        """
        with self._state.lock:
            self._state.next_faults.extend(_Fault(0, 200, "", stall_s=seconds) for _ in range(times))

    def clear_faults(self) -> None:
        """Forget queued and per-number faults."""
        with self._state.lock:
            self._state.next_faults.clear()
            self._state.number_faults.clear()

    # --- delivering ---------------------------------------------------------------------------------

    def deliver(self, sid: str, status: str = "delivered", error_code: int | None = None) -> CallbackCall | None:
        """Move message ``sid`` to ``status`` and POST its status callback now; ``None`` when it has none.

        Any order is allowed (callbacks do arrive out of order), and the message resource takes the
        status given. ``undelivered`` and ``failed`` carry ``ErrorCode`` (30008 unless given).
        """
        if status not in CALLBACK_STATUSES:
            msg = f"status must be one of {sorted(CALLBACK_STATUSES)}, got {status!r}"
            raise ValueError(msg)
        if error_code is None and status in _FAILED:
            error_code = 30008
        now = self.clock()
        with self._state.lock:
            if sid not in self._state.messages:
                msg = f"no message {sid!r}"
                raise KeyError(msg)
            old = self._state.messages[sid]
            sender = old.from_ or (self.service_sender if old.messaging_service_sid else None)
            new = dataclasses.replace(
                old,
                status=status,
                from_=sender if status != "canceled" else old.from_,
                error_code=error_code if status in _FAILED else None,
                updated=now,
                statuses=(*old.statuses, status),
            )
            self._state.messages[sid] = new
        if not new.status_callback:
            return None
        params = {
            "MessageSid": new.sid,
            "SmsSid": new.sid,
            "AccountSid": new.account_sid,
            "From": new.from_ or "",
            "To": new.to,
            "MessageStatus": status,
            "SmsStatus": status,
            "ApiVersion": API_VERSION,
        }
        if new.messaging_service_sid:
            params["MessagingServiceSid"] = new.messaging_service_sid
        if error_code is not None and status in _FAILED:
            params["ErrorCode"] = str(error_code)
            if error_code in DELIVERY_ERRORS:
                params["ErrorMessage"] = DELIVERY_ERRORS[error_code]
        if status in ("delivered", "undelivered"):
            params["RawDlrDoneDate"] = now.astimezone(UTC).strftime("%y%m%d%H%M")
        call = self._post_callback(new.status_callback, params)
        with self._state.lock:
            self._state.callbacks.append(call)
        return call

    def _post_callback(self, signed_url: str, params: dict[str, str]) -> CallbackCall:
        signature = RequestValidator(self.auth_token).compute_signature(signed_url, params)
        posted_url = signed_url
        if self.callback_base_url:
            base, parts = urlsplit(self.callback_base_url), urlsplit(signed_url)
            posted_url = urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
        request = urllib.request.Request(
            posted_url,
            data=urlencode(params).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "X-Twilio-Signature": signature,
                "User-Agent": "TwilioProxy/1.1",
                "Accept": "*/*",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.callback_timeout_s) as response:
                status: int | None = response.status
                error = None
        except urllib.error.HTTPError as e:
            status, error = e.code, None
        except (urllib.error.URLError, OSError, ValueError) as e:
            status, error = None, str(e)
        return CallbackCall(signed_url, posted_url, params, signature, status, error)

    def _auto_deliver(self) -> None:
        """Demo mode: walk each new message to ``sent`` then ``delivered`` once its time comes."""
        while not self._released.is_set():
            with self._auto_wakeup:
                due = [sid for at, sid in self._auto if at <= time.monotonic()]
                self._auto = [(at, sid) for at, sid in self._auto if sid not in due]
                if not due:
                    wait = min((at for at, _ in self._auto), default=time.monotonic() + 1.0) - time.monotonic()
                    self._auto_wakeup.wait(max(wait, 0.01))
                    continue
            for sid in due:
                self.deliver(sid, "sent")
                self.deliver(sid, "delivered")

    # --- answering ---------------------------------------------------------------------------------

    def _receive(self, request: FakeRequest, api: bool) -> _Fault | None:
        with self._state.lock:
            self._state.requests.append(request)
            if api and request.authorized and self._state.next_faults:
                return self._state.next_faults.pop(0)
            return None

    def _wait(self, seconds: float) -> None:
        self._released.wait(seconds)

    def _authorized(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:], validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return user == self.account_sid and password == self.auth_token

    def answer(self, method: str, path: str, form: dict[str, str]) -> tuple[int, Json]:
        """Status and JSON body of one authorized API request."""
        m = _ACCOUNT_PATH.match(path)
        if m is None or m["account"] != self.account_sid:
            return 404, error_body(20404, 404, f"The requested resource {path} was not found")
        if m["sid"] is not None:
            if method != "GET":
                return 405, error_body(20004, 405, "Method not allowed")
            with self._state.lock:
                message = self._state.messages.get(m["sid"])
            if message is None:
                return 404, error_body(20404, 404, f"The requested resource {path} was not found")
            return 200, message_json(message)
        if method == "GET":
            return 200, self._list(form)
        if method != "POST":
            return 405, error_body(20004, 405, "Method not allowed")
        return self._create(form)

    def _list(self, query: dict[str, str]) -> dict[str, Json]:
        """The first page of the account's messages, newest first, as Twilio lists them (``To`` filters, ``PageSize`` limits)."""
        try:
            size = min(max(int(query.get("PageSize", "50")), 1), 1000)
        except ValueError:
            size = 50
        to = query.get("To")
        found = [m for m in reversed(self.messages) if to is None or m.to == to][:size]
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json?PageSize={size}&Page=0"
        return {
            "messages": [message_json(m) for m in found],
            "end": max(len(found) - 1, 0),
            "first_page_uri": uri,
            "next_page_uri": None,
            "page": 0,
            "page_size": size,
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }

    def _create(self, form: dict[str, str]) -> tuple[int, Json]:
        to = form.get("To", "").strip()
        sender = form.get("From", "").strip() or None
        service = form.get("MessagingServiceSid", "").strip() or None
        body = form.get("Body", "")
        callback = form.get("StatusCallback", "").strip() or None
        if not to:
            return _error(21604)
        if sender is None and service is None:
            return _error(21603)
        if service is not None and not _SERVICE_SID.match(service):
            return _error(21701, f"The Messaging Service Sid {service} is invalid.")
        if not body:
            return _error(21602)
        if len(body) > MAX_BODY_CHARS:
            return _error(21617)
        if callback is not None and not _valid_callback(callback):
            return _error(21609, f"Invalid StatusCallback url: {callback}")
        with self._state.lock:
            fault = self._state.number_faults.get(to)
        if fault is not None:
            return _error(fault.code, fault.message, fault.http_status)
        if not _E164.match(to):
            return _error(21211, f"Invalid 'To' Phone Number: {to}")
        segments = count_segments(body)
        now = self.clock()
        status = "accepted" if service is not None else "queued"
        message = FakeMessage(
            sid="SM" + uuid.uuid4().hex,
            account_sid=self.account_sid,
            to=to,
            from_=sender,
            body=body,
            messaging_service_sid=service,
            status_callback=callback,
            status=status,
            num_segments=segments.segments,
            encoding=segments.encoding,
            error_code=None,
            created=now,
            updated=now,
            statuses=(status,),
            form=dict(form),
        )
        with self._state.lock:
            self._state.messages[message.sid] = message
        if self.auto_deliver_s is not None:
            with self._auto_wakeup:
                self._auto.append((time.monotonic() + self.auto_deliver_s, message.sid))
                self._auto_wakeup.notify_all()
        return 201, message_json(message)

    def control(self, method: str, path: str, form: dict[str, str]) -> tuple[int, Json]:
        """The ``/_fake/`` paths, for driving a fake run as its own process.

        ``GET /_fake/messages`` lists messages; ``POST /_fake/messages/{sid}/deliver`` with
        ``status`` and ``error_code`` calls :meth:`deliver`; ``POST /_fake/faults`` with ``error``,
        optional ``to`` and ``times`` calls :meth:`fail_number` or :meth:`fail_next`;
        ``POST /_fake/reset`` calls :meth:`clear_faults`.
        """
        rest = path.removeprefix(CONTROL_PREFIX).strip("/")
        try:
            if method == "GET" and rest == "messages":
                return 200, {"messages": [message_json(m) for m in self.messages]}
            if method == "POST" and rest.startswith("messages/") and rest.endswith("/deliver"):
                sid = rest.removeprefix("messages/").removesuffix("/deliver")
                code = int(form["error_code"]) if form.get("error_code") else None
                call = self.deliver(sid, form.get("status", "delivered"), code)
                return 200, {"callback": dataclasses.asdict(call) if call else None}
            if method == "POST" and rest == "faults":
                error = int(form["error"])
                if form.get("to"):
                    self.fail_number(form["to"], error)
                else:
                    self.fail_next(error, times=int(form.get("times", "1")))
                return 200, {"ok": True}
            if method == "POST" and rest == "reset":
                self.clear_faults()
                return 200, {"ok": True}
        except KeyError as e:
            return 404, {"message": f"unknown: {e}"}
        except ValueError as e:
            return 400, {"message": str(e)}
        return 404, {"message": f"no such control path: {path}"}


def _error(code: int, message: str | None = None, http_status: int | None = None) -> tuple[int, Json]:
    default_status, default_message = ERRORS.get(code, (400, "Error"))
    status = http_status or default_status
    return status, error_body(code, status, message or default_message)


def _valid_callback(url: str) -> bool:
    """Twilio wants an absolute http(s) URL with a valid hostname, no underscores in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and bool(host) and _HOSTNAME.match(host) is not None


def _rfc2822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC))


def message_json(message: FakeMessage) -> dict[str, Json]:
    """The Message resource as Twilio's API answers it (numbers as strings, dates in RFC 2822)."""
    uri = f"/{API_VERSION}/Accounts/{message.account_sid}/Messages/{message.sid}.json"
    sent = message.status not in ("queued", "accepted", "scheduled", "canceled")
    return {
        "account_sid": message.account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": _rfc2822(message.created),
        "date_sent": _rfc2822(message.updated) if sent else None,
        "date_updated": _rfc2822(message.updated),
        "direction": "outbound-api",
        "error_code": message.error_code,
        "error_message": DELIVERY_ERRORS.get(message.error_code) if message.error_code else None,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": "0",
        "num_segments": str(message.num_segments),
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": uri.removesuffix(".json") + "/Media.json"},
        "to": message.to,
        "uri": uri,
    }


class _Handler(JsonHandler):
    fake: t.ClassVar[TwilioFake]

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        if method == "GET":
            form = dict(parse_qsl(parts.query)) | form  # a list's PageSize and To come in the query
        control = parts.path.startswith(CONTROL_PREFIX)
        authorized = self.fake._authorized(self.headers.get("Authorization"))
        fault = self.fake._receive(FakeRequest(method, parts.path, form, authorized, self.fake.clock()), api=not control)
        if control:
            self._send(*self.fake.control(method, parts.path, form))
            return
        if not authorized:
            self._send(*_error(20003, "Authenticate"), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return
        if fault is not None:
            if fault.stall_s:
                self.fake._wait(fault.stall_s)
            else:
                self._send(*_error(fault.code, fault.message, fault.http_status))
                return
        self._send(*self.fake.answer(method, parts.path, form))


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m integrations.twilio.standin", description="A local stand-in for Twilio's Messages REST API."
    )
    parser.add_argument("--port", type=int, default=0, help="Port on 127.0.0.1 (default: a free one).")
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID, help="Account SID requests must carry.")
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN, help="Auth token requests must carry; signs callbacks.")
    parser.add_argument("--callback-base-url", default=None, help="Post callbacks here (signed for the public StatusCallback).")
    parser.add_argument("--auto-deliver-s", type=float, default=None, help="Deliver every new message after this many seconds.")
    args = parser.parse_args(argv)
    fake = TwilioFake(
        account_sid=args.account_sid,
        auth_token=args.auth_token,
        callback_base_url=args.callback_base_url,
        auto_deliver_s=args.auto_deliver_s,
    ).start(args.port)
    serve_until_interrupted(
        fake, f"Twilio stand-in on {fake.url}/{API_VERSION}/Accounts/{fake.account_sid}/Messages.json; Ctrl-C stops it"
    )


if __name__ == "__main__":
    main()
