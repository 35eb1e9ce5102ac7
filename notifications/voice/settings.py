"""How the phone menu behaves (timeouts, limits, voice, prompts), in one value the web layer can change."""

from __future__ import annotations

from dataclasses import dataclass

from notifications.voice.prompts import RU_PROMPTS
from notifications.voice.prompts import VoicePrompts


@dataclass(frozen=True)
class MenuSettings:
    """How the menu behaves; the defaults suit a DTMF menu in Russian.

    Parameters
    ----------
    gather_timeout_s
        Seconds of silence after which a ``Gather`` gives up (or, while typing the card number, submits).
    dial_timeout_s
        Seconds the operator's phone rings before the caller hears that nobody answers.
    max_silent_repeats
        How many times a question is repeated after silence before the call goes to the operator.
    max_wrong
        How many wrong answers to one question (unknown card numbers in a row) send the call to the operator.
    max_titles
        How many titles ``confirm_order`` reads out; the rest are counted ("и ещё 2").
    voice
        Twilio's ``voice`` attribute for every ``Say``, ``None`` for the default voice of each prompt's language.
    prompts
        The texts and their languages.
    """

    gather_timeout_s: int = 8
    dial_timeout_s: int = 30
    max_silent_repeats: int = 2
    max_wrong: int = 3
    max_titles: int = 3
    voice: str | None = None
    prompts: VoicePrompts = RU_PROMPTS


DEFAULT_SETTINGS = MenuSettings()
