"""Injectable faults: error statuses and stalls queued against endpoints, and ``error_messages`` for the next create."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

if t.TYPE_CHECKING:
    from integrations.yandex.standin.wire import Json

_DEFAULT_CODES = {429: "too_many_requests", 401: "unauthorized", 404: "not_found", 409: "inappropriate_status"}


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one request: an error status, a stall, or both; before or after the work is done."""

    endpoint: str | None
    status: int = 200
    code: str | None = None
    message: str | None = None
    retry_after_s: float | None = None
    stall_s: float = 0.0
    after_processing: bool = False


def error_fault(
    endpoint: str | None,
    status: int,
    *,
    code: str | None,
    message: str | None,
    retry_after_s: float | None,
    after_processing: bool,
) -> Fault:
    """An error answer, with the code and message Yandex gives for ``status`` unless others are given."""
    default_code = {**_DEFAULT_CODES, status: "internal_error"} if status >= 500 else _DEFAULT_CODES
    return Fault(
        endpoint,
        status=status,
        code=code or default_code.get(status, "bad_request"),
        message=message or ("Too many requests" if status == 429 else "Internal server error" if status >= 500 else "Error"),
        retry_after_s=retry_after_s,
        after_processing=after_processing,
    )


class Faults:
    """Faults waiting for their requests, taken first come first served; the caller holds the stand-in's lock."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []
        self._create_errors: list[list[dict[str, Json]]] = []

    def queue(self, fault: Fault, times: int) -> None:
        """Hold ``fault`` for the next ``times`` requests to its endpoint."""
        self._pending.extend(fault for _ in range(times))

    def take(self, endpoint: str) -> Fault | None:
        """The oldest fault for ``endpoint`` (or for any), now used up; ``None`` when none waits."""
        for n, fault in enumerate(self._pending):
            if fault.endpoint in (None, endpoint):
                return self._pending.pop(n)
        return None

    def queue_create_errors(self, code: str, message: str) -> None:
        """Give the next new claim ``error_messages`` and status ``estimating_failed``."""
        self._create_errors.append([{"code": code, "message": message}])

    def take_create_errors(self) -> list[dict[str, Json]] | None:
        """The ``error_messages`` for the claim being made now, if any were queued."""
        return self._create_errors.pop(0) if self._create_errors else None

    def clear(self) -> None:
        """Forget every pending fault."""
        self._pending.clear()
        self._create_errors.clear()
