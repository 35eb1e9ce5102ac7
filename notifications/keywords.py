"""Read an inbound SMS as an opt-out, opt-in or help keyword (English, Russian, Kazakh), like Twilio's own handling."""

from __future__ import annotations

import re

OPT_OUT = "opt_out"
OPT_IN = "opt_in"
HELP = "help"

#: Twilio's standard English keywords, then Russian and Kazakh ones. The whole message must be the
#: keyword (as with Twilio): "stop the delivery tomorrow" is a message for a person, not an opt-out.
OPT_OUT_WORDS = frozenset(
    {
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "стоп",
        "отписаться",
        "отписка",
        "хватит",
        "тоқтату",
        "тоқта",
        "жазылудан бас тарту",
    }
)
OPT_IN_WORDS = frozenset({"start", "yes", "unstop", "старт", "бастау"})
HELP_WORDS = frozenset({"help", "info", "помощь", "справка", "көмек", "анықтама"})

# Kazakh letters typed on a Russian keyboard (ТОКТАТУ for ТОҚТАТУ), and ё as е.
_KAZAKH_TO_RUSSIAN = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ё": "е"}
)
# Cyrillic letters (and the digit 0) that look like Latin ones, once lowercased; used for STOP / СТОП only.
_CYRILLIC_TO_LATIN = str.maketrans({"с": "c", "т": "t", "о": "o", "р": "p", "ѕ": "s", "0": "o"})
_STOP_SKELETONS = frozenset({"stop", "ctoп"})  # STOP, and СТОП as it looks (П has no Latin twin)
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"[\W_]+")


def _fold(word: str) -> str:
    return word.translate(_KAZAKH_TO_RUSSIAN)


_TABLES = (
    (frozenset(map(_fold, OPT_OUT_WORDS)), OPT_OUT),
    (frozenset(map(_fold, OPT_IN_WORDS)), OPT_IN),
    (frozenset(map(_fold, HELP_WORDS)), HELP),
)


def normalize(body: str) -> str:
    """Lower case, without punctuation or spaces at the ends, inner runs of spaces and punctuation as one space."""
    text = _EDGES.sub("", body.casefold())
    return _SPACES.sub(" ", text)


def classify(body: str | None) -> str | None:
    """``"opt_out"``, ``"opt_in"``, ``"help"`` or ``None`` (an ordinary message) for an inbound SMS ``body``.

    Case does not matter, nor punctuation or spaces around the word (``" Stop! "``, ``«Стоп»``);
    Kazakh letters may be typed as their Russian neighbours (``ТОКТАТУ``); STOP and СТОП may mix
    Latin and Cyrillic look-alikes or a zero for the O (``SТОР``, ``CTOП``, ``ST0P``).
    """
    if not body:
        return None
    word = _fold(normalize(body))
    if not word:
        return None
    for words, kind in _TABLES:
        if word in words:
            return kind
    if word.translate(_CYRILLIC_TO_LATIN) in _STOP_SKELETONS:
        return OPT_OUT
    return None
