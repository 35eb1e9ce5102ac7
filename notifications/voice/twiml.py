"""The TwiML documents the phone menu answers with, so the steps deal in prompts and URLs, not in Twilio's verbs."""

from __future__ import annotations

import itertools
import typing as t
from collections.abc import Sequence

from twilio.twiml.voice_response import Dial  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Gather  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Hangup  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Redirect  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Say  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import VoiceResponse  # type: ignore[import-untyped,unused-ignore]

from notifications.voice.keypad import FINISH_KEY
from notifications.voice.prompts import Prompt
from notifications.voice.settings import MenuSettings


def _says(prompts: Sequence[Prompt], voice: str | None) -> list[t.Any]:
    """One ``Say`` per run of prompts in the same language, so each run is read by a voice for its language."""
    return [
        Say(" ".join(prompt.text for prompt in group), language=language, voice=voice)
        for language, group in itertools.groupby(prompts, key=lambda prompt: prompt.language)
    ]


def _gather(prompts: Sequence[Prompt], action: str, settings: MenuSettings, *, card_entry: bool = False) -> t.Any:
    """A keypad ``Gather`` saying ``prompts``: a card number ends with ``#`` (lengths differ), any other answer is one key."""
    length: dict[str, t.Any] = {"finish_on_key": FINISH_KEY} if card_entry else {"num_digits": 1}
    gather = Gather(input="dtmf", action=action, method="POST", timeout=settings.gather_timeout_s, **length)
    for say in _says(prompts, settings.voice):
        gather.append(say)
    return gather


def _document(*verbs: t.Any) -> str:
    response = VoiceResponse()
    for verb in verbs:
        response.append(verb)
    return str(response)


def gather_then_redirect(
    prompts: Sequence[Prompt],
    action: str,
    on_silence: str,
    settings: MenuSettings,
    *,
    card_entry: bool = False,
) -> str:
    """A question: the answer is posted to ``action``; after silence Twilio follows the ``Redirect`` to ``on_silence``."""
    return _document(_gather(prompts, action, settings, card_entry=card_entry), Redirect(on_silence, method="POST"))


def gather_then_hang_up(prompts: Sequence[Prompt], action: str, settings: MenuSettings) -> str:
    """A last offer: a key posts to ``action``; after silence the caller hears goodbye and the call ends."""
    return _document(_gather(prompts, action, settings), *_says([settings.prompts.goodbye], settings.voice), Hangup())


def say_then_dial(prompts: Sequence[Prompt], number: str, action: str, settings: MenuSettings) -> str:
    """Put the caller through to ``number``; Twilio posts how it went to ``action``."""
    dial = Dial(number, action=action, method="POST", timeout=settings.dial_timeout_s)
    return _document(*_says(prompts, settings.voice), dial)


def say_then_redirect(prompts: Sequence[Prompt], url: str, settings: MenuSettings) -> str:
    """Say something while Twilio moves on to ``url`` with no answer to wait for."""
    return _document(*_says(prompts, settings.voice), Redirect(url, method="POST"))


def say_then_hang_up(prompts: Sequence[Prompt], settings: MenuSettings) -> str:
    """End the call, after ``prompts`` if there are any."""
    return _document(*_says(prompts, settings.voice), Hangup())
