"""What requests and answers look like inside the stand-in: a recorded request, an answer triple and Yandex's error body."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

if t.TYPE_CHECKING:
    from datetime import datetime

Json = t.Any
#: HTTP status, JSON body and extra headers: what every handler returns and the socket side writes.
Answer = tuple[int, Json, dict[str, str]]


@dataclass(frozen=True)
class SimRequest:
    """One request as received: ``endpoint`` is the path after the API prefix (``claims/create``)."""

    method: str
    endpoint: str
    params: dict[str, str]
    headers: dict[str, str]
    body: Json
    at: datetime


def error(status: int, code: str, message: str) -> Answer:
    """An error the way Yandex shapes it: ``{"code", "message"}``."""
    return status, {"code": code, "message": message}, {}


def not_found() -> Answer:
    """The 404 for a ``claim_id`` nobody made."""
    return error(404, "not_found", "Заявка не найдена")
