"""Count the SMS segments a text takes: GSM-7 (160 a message, 153 a part) or UCS-2 (70, 67)."""

from __future__ import annotations

from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

#: GSM 03.38 basic character set (the escape to the extension table left out: it is not a character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: GSM 03.38 extension table: each takes two septets (the escape and the character).
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

#: Units in a message sent whole, and in each part of a concatenated one (the rest is the UDH header).
SINGLE_LIMIT = {GSM7: 160, UCS2: 70}
PART_LIMIT = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class Segments:
    """How a text goes out.

    ``encoding`` is ``"GSM-7"`` or ``"UCS-2"``; ``units`` are septets for GSM-7 (an extension
    character counts 2) and UTF-16 code units for UCS-2 (a character outside the BMP, such as an
    emoji, counts 2); ``segments`` is what Twilio bills (0 for an empty text).
    """

    encoding: str
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` is in the GSM-7 basic or extension table."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _unit_sizes(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def count_segments(text: str) -> Segments:
    """The encoding, length in units and number of segments of ``text``.

    One character outside GSM-7 (any Cyrillic or Kazakh letter, «», an emoji…) makes the whole
    message UCS-2. A message within the single limit (160 / 70 units) is one segment; a longer
    one is cut into parts of at most 153 / 67 units, and a character is never split between two
    parts (an extension character's escape stays with it, a surrogate pair stays whole), so a part
    may hold one unit less than the limit.
    """
    encoding = GSM7 if is_gsm7(text) else UCS2
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units == 0:
        return Segments(encoding, 0, 0)
    if units <= SINGLE_LIMIT[encoding]:
        return Segments(encoding, units, 1)
    part_limit = PART_LIMIT[encoding]
    segments, used = 1, 0
    for size in sizes:
        if used + size > part_limit:
            segments += 1
            used = 0
        used += size
    return Segments(encoding, units, segments)
