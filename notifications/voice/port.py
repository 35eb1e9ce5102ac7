"""What the phone menu needs from dispatch and the plain data it gets back, so the menu never imports dispatch."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

RequestKind = t.Literal["delivery", "return_pickup"]
"""What :meth:`VoicePort.submit` asks for; the same values as ``dispatch.domain.statuses.RequestKind``."""

MAX_BARCODES = 50
BARCODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
"""Barcodes travel in URLs, so they are limited to characters that need no percent-escape."""


@dataclass(frozen=True)
class ReaderInfo:
    """A reader found by card number.

    Parameters
    ----------
    name
        How the menu greets the reader ("Айгерим Сериковна").
    language
        The reader's language code, ``"ru"``, ``"kk"`` or ``"en"``; ``"kk"`` adds the Kazakh note to the menu.
    eligible
        Whether the reader may order home delivery now.
    reason_text
        Why not, when not eligible: one or two Russian sentences, spoken as they are.
    branch_phone
        The reader's branch in E.164, said when the operator does not answer; ``None`` to say nothing.
    """

    name: str
    language: str
    eligible: bool
    reason_text: str | None = None
    branch_phone: str | None = None


@dataclass(frozen=True)
class OrderInfo:
    """Books the menu can offer: one title per barcode, in the same order.

    Barcodes must match :data:`BARCODE_PATTERN` because the confirmed list travels in the ``done`` URL, so that
    a repeated webhook submits exactly the books the caller heard.
    """

    barcodes: tuple[str, ...]
    titles: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.titles) != len(self.barcodes):
            msg = f"OrderInfo needs one title per barcode, got {len(self.titles)} titles for {len(self.barcodes)} barcodes"
            raise ValueError(msg)
        bad = [code for code in self.barcodes if not BARCODE_PATTERN.match(code)]
        if bad:
            msg = f"OrderInfo barcodes must be 1-32 letters, digits, '-' or '_' (they travel in URLs), got {bad!r}"
            raise ValueError(msg)
        if len(self.barcodes) > MAX_BARCODES:
            msg = f"OrderInfo holds at most {MAX_BARCODES} barcodes, got {len(self.barcodes)}"
            raise ValueError(msg)

    @property
    def count(self) -> int:
        """How many books."""
        return len(self.barcodes)


@dataclass(frozen=True)
class SubmitResult:
    """What :meth:`VoicePort.submit` did.

    Parameters
    ----------
    ok
        Whether a request exists now (created by this call or by an earlier call with the same ``call_sid``).
    number
        The request number as it should be spoken, when ``ok``.
    date_text
        The delivery day as it should be spoken ("во вторник, 24 ноября"), when ``ok``.
    window_text
        The time window as it should be spoken ("с 10 до 14 часов"), when ``ok``.
    reason_text
        Why the request was refused, in Russian, when not ``ok``.
    """

    ok: bool
    number: str | None = None
    date_text: str | None = None
    window_text: str | None = None
    reason_text: str | None = None


class VoicePort(t.Protocol):
    """What the phone menu needs from dispatch; dispatch implements it, tests use an in-memory fake."""

    def find_reader(self, card: str) -> ReaderInfo | None:
        """The reader with this library card number, or ``None`` if there is none."""
        ...

    def last_order(self, card: str) -> OrderInfo | None:
        """The books of the reader's last delivery that can be ordered again, or ``None``."""
        ...

    def reserved_books(self, card: str) -> OrderInfo | None:
        """Books reserved for the reader and waiting to be delivered, or ``None``."""
        ...

    def loans_to_return(self, card: str) -> OrderInfo | None:
        """Books on loan to the reader that a courier can collect, or ``None``."""
        ...

    def submit(self, card: str, kind: RequestKind, barcodes: tuple[str, ...], call_sid: str) -> SubmitResult:
        """Create the request; ``call_sid`` is the idempotency key, so a repeated webhook creates nothing new."""
        ...

    def operator_number(self, card: str | None) -> str:
        """The number in E.164 to put the caller through to: the reader's branch, or the central desk."""
        ...

    def sms_enabled(self, card: str) -> bool:
        """Whether the reader gets SMS updates now."""
        ...

    def set_sms(self, card: str, enabled: bool) -> None:
        """Turn the reader's SMS updates on or off (the opt-out that works without two-way SMS)."""
        ...
