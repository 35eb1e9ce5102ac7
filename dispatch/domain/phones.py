"""Phone numbers in E.164, read the way Kazakh library records write them (8 7xx…, +7 7xx…, 7xx…)."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "KZ"


def to_e164(raw: str, *, region: str = DEFAULT_REGION) -> str | None:
    """``raw`` as E.164 (``+77011234567``), or ``None`` when it is not a valid number.

    The Kazakh trunk prefix 8 (``8 701 123 45 67``) is understood, as are spaces, dashes and brackets.
    """
    text = raw.strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """True for a mobile number (SMS can reach it); Kazakh mobiles are +7 70x and +7 77x."""
    number = phonenumbers.parse(e164, None)
    kind = phonenumbers.number_type(number)
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
