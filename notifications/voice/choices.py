"""What a caller can pick in the menu and which picks apply to a reader, so the menu asks the port one way."""

from __future__ import annotations

from enum import StrEnum

from notifications.voice.port import OrderInfo
from notifications.voice.port import RequestKind
from notifications.voice.port import VoicePort


class Choice(StrEnum):
    """What the caller picked in the menu, with the key that picks it."""

    LAST_ORDER = "last"
    RESERVED = "reserved"
    RETURN = "return"

    @property
    def key(self) -> str:
        """The keypad digit that picks this choice in the menu."""
        return _CHOICE_KEYS[self]

    @property
    def kind(self) -> RequestKind:
        """The kind of request the choice submits."""
        return "return_pickup" if self is Choice.RETURN else "delivery"

    @classmethod
    def for_key(cls, key: str) -> Choice | None:
        """The choice ``key`` picks, ``None`` for a key that picks none (the menu then counts a wrong answer)."""
        return _KEY_CHOICES.get(key)


_CHOICE_KEYS = {Choice.LAST_ORDER: "1", Choice.RESERVED: "2", Choice.RETURN: "3"}
_KEY_CHOICES = {key: choice for choice, key in _CHOICE_KEYS.items()}


def order_for(port: VoicePort, card: str, choice: Choice) -> OrderInfo | None:
    """The books ``choice`` would order or return for the reader, asked afresh so the caller hears what is current."""
    if choice is Choice.LAST_ORDER:
        return port.last_order(card)
    if choice is Choice.RESERVED:
        return port.reserved_books(card)
    return port.loans_to_return(card)


def offers(port: VoicePort, card: str) -> list[tuple[Choice, OrderInfo]]:
    """The choices that apply to the reader, in key order: a choice without books is not offered."""
    found = [(choice, order_for(port, card, choice)) for choice in Choice]
    return [(choice, order) for choice, order in found if order is not None and order.count]
