"""Where a call is and what it remembers, written into the next URL's query string so the server keeps nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from enum import StrEnum

from notifications.voice.choices import Choice
from notifications.voice.keypad import is_card_number
from notifications.voice.port import BARCODE_PATTERN
from notifications.voice.port import MAX_BARCODES


class Step(StrEnum):
    """The questions of the menu; each is the last segment of a webhook path.

    ``start`` (welcome, the card number ending with #), ``confirm_card`` (the number read back, 1 right, 2 again),
    ``menu`` (1 repeat the last order, 2 order the reserved books, 3 a return pickup, only those that apply;
    9 repeats), ``confirm_order`` (count and up to three titles, 1 confirm, 2 back), ``done`` (submits through the
    port, says the request number, day and window or the refusal, hangs up), ``operator`` (dials the operator) and
    ``operator_done`` (``Dial action=``: hangs up after a conversation, otherwise says nobody answered and offers
    to try again).
    """

    START = "start"
    CONFIRM_CARD = "confirm_card"
    MENU = "menu"
    CONFIRM_ORDER = "confirm_order"
    DONE = "done"
    OPERATOR = "operator"
    OPERATOR_DONE = "operator_done"


def _count(value: str | None) -> int:
    """A small counter from the query; anything else (missing, negative, absurdly long) reads as 0."""
    if value is None or not value.isdigit() or len(value) > 3:
        return 0
    return int(value)


@dataclass(frozen=True)
class CallState:
    """What the menu remembers between webhooks; it travels in the query string of the next URL.

    It is written into ``Gather action=``, ``Redirect`` and ``Dial action=``; nothing is kept on the server. The
    values never need percent-escapes (digits, letters, ``-``, ``_`` and ``.``), so the URL Twilio signs is byte for
    byte the one the web layer reads back when it checks ``X-Twilio-Signature``.

    Parameters
    ----------
    card
        The card number typed by the caller (digits only), ``""`` before it is known.
    choice
        What the caller picked in the menu, ``None`` before.
    barcodes
        The books read out at ``confirm_order``, which ``done`` submits.
    tries
        How many times in a row the current question got no answer; after
        :attr:`MenuSettings.max_silent_repeats` repeats the call goes to the operator.
    wrong
        How many wrong answers the current question got (unknown card numbers, keys not offered); at
        :attr:`MenuSettings.max_wrong` the call goes to the operator.
    """

    card: str = ""
    choice: Choice | None = None
    barcodes: tuple[str, ...] = field(default=())
    tries: int = 0
    wrong: int = 0

    def to_query(self) -> dict[str, str]:
        """The state as query parameters, leaving out empty and zero fields (``{"card": "0123", "tries": "1"}``)."""
        query: dict[str, str] = {}
        if self.card:
            query["card"] = self.card
        if self.choice is not None:
            query["choice"] = self.choice.value
        if self.barcodes:
            query["books"] = ".".join(self.barcodes)
        if self.tries:
            query["tries"] = str(self.tries)
        if self.wrong:
            query["wrong"] = str(self.wrong)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> CallState:
        """Read the state back from query parameters; a missing or malformed value counts as empty.

        Other keys (Twilio's form fields, if the web layer passes ``request.values``) are ignored.
        """
        card = query.get("card") or ""
        if not is_card_number(card):
            card = ""
        choice_value = query.get("choice") or ""
        choice = Choice(choice_value) if choice_value in Choice.__members__.values() else None
        barcodes = tuple(code for code in (query.get("books") or "").split(".") if BARCODE_PATTERN.match(code))
        return cls(
            card=card,
            choice=choice,
            barcodes=barcodes[:MAX_BARCODES],
            tries=_count(query.get("tries")),
            wrong=_count(query.get("wrong")),
        )


def step_url(base_path: str, step: Step, state: CallState) -> str:
    """The URL of ``step`` carrying ``state``: ``/voice/confirm_card?card=01234567&tries=1``.

    ``base_path`` is the menu's root path (or absolute URL), with or without a trailing slash.
    """
    query = state.to_query()
    url = f"{base_path.rstrip('/')}/{step.value}"
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url
