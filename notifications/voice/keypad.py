"""The keys a caller presses and the checks on what they type, so every step reads the keypad the same way."""

from __future__ import annotations

OPERATOR_KEY = "0"
REPEAT_KEY = "9"
SMS_KEY = "5"
YES_KEY = "1"
NO_KEY = "2"
FINISH_KEY = "#"
"""Ends a card number, whose length varies; every other answer is one key."""
MAX_CARD_DIGITS = 20


def typed(digits: str) -> str:
    """What the caller typed, without the finishing ``#`` Twilio may pass on; ``""`` counts as silence."""
    return digits.strip().rstrip(FINISH_KEY)


def is_card_number(text: str) -> bool:
    """Whether ``text`` can be a card number: ASCII digits only (no ``*``, no other scripts), not too long for a URL."""
    return text.isdigit() and text.isascii() and len(text) <= MAX_CARD_DIGITS
