"""The phone menu for ordering books by phone (Twilio Voice, keypad only), as pure functions from a request to TwiML.

The web layer turns each webhook from Twilio into one call of :func:`handle` and answers with ``Reply.twiml``
(``Content-Type: text/xml``). It routes two paths only: the number's voice URL ``{base_path}`` (call
``handle("start", CallState(), None, …)``) and ``{base_path}/<step>``::

    reply = handle(
        step,
        CallState.from_query(request.args),
        request.form.get("Digits"),
        port,
        call_sid=request.form["CallSid"],
        dial_status=request.form.get("DialCallStatus"),
        base_path="/voice",
    )

Everything the menu must remember between two webhooks travels in the query string of the URLs it writes into
``Gather action=``, ``Redirect`` and ``Dial action=`` (see :class:`CallState`); nothing is kept on the server.
The query values never need percent-escapes (digits, letters, ``-``, ``_`` and ``.``), so the URL Twilio signs is
byte for byte the one the web layer reads back when it checks ``X-Twilio-Signature``.

Each step has two phases. Without ``digits`` (a ``Redirect`` after silence, or the first request) it asks its
question; with ``digits`` it handles the answer to that question and, in the same response, asks the next step's
question. So the step in a URL always names the question whose answer the request carries.

Steps (:class:`Step`): ``start`` (welcome, the card number ending with #), ``confirm_card`` (the number read back,
1 right, 2 again), ``menu`` (1 repeat the last order, 2 order the reserved books, 3 a return pickup, only those
that apply; 9 repeats), ``confirm_order`` (count and up to three titles, 1 confirm, 2 back), ``done`` (submits
through the port, says the request number, day and window or the refusal, hangs up), ``operator`` (dials the
operator) and ``operator_done`` (``Dial action=``: hangs up after a conversation, otherwise says nobody answered and
offers to try again). 0 leads to the operator at every question; silence repeats a question twice, then the call
goes to the operator; three wrong answers to one question (three unknown cards in a row) do the same.

This module imports neither Flask nor SQLAlchemy nor ``dispatch``: the dispatch side implements
:class:`VoicePort`. The prompts and their languages live in :mod:`notifications.voice_prompts`.
"""

from __future__ import annotations

import itertools
import re
import typing as t
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from enum import StrEnum

from twilio.twiml.voice_response import Dial  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Gather  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Hangup  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Redirect  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import Say  # type: ignore[import-untyped,unused-ignore]
from twilio.twiml.voice_response import VoiceResponse  # type: ignore[import-untyped,unused-ignore]

from notifications.voice_prompts import RU_PROMPTS
from notifications.voice_prompts import Prompt
from notifications.voice_prompts import VoicePrompts
from notifications.voice_prompts import books
from notifications.voice_prompts import spell_digits
from notifications.voice_prompts import spoken_phone

RequestKind = t.Literal["delivery", "return_pickup"]
"""What :meth:`VoicePort.submit` asks for; the same values as ``dispatch.domain.statuses.RequestKind``."""

OPERATOR_KEY = "0"
REPEAT_KEY = "9"
SMS_KEY = "5"
YES_KEY = "1"
NO_KEY = "2"
MAX_CARD_DIGITS = 20
MAX_BARCODES = 50
BARCODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
"""Barcodes travel in URLs, so they are limited to characters that need no percent-escape."""
ANSWERED_DIAL_STATUSES = frozenset({"completed", "answered"})


class Step(StrEnum):
    """The questions of the menu; each is the last segment of a webhook path."""

    START = "start"
    CONFIRM_CARD = "confirm_card"
    MENU = "menu"
    CONFIRM_ORDER = "confirm_order"
    DONE = "done"
    OPERATOR = "operator"
    OPERATOR_DONE = "operator_done"


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


_CHOICE_KEYS = {Choice.LAST_ORDER: "1", Choice.RESERVED: "2", Choice.RETURN: "3"}
_KEY_CHOICES = {key: choice for choice, key in _CHOICE_KEYS.items()}


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


def _int(value: str | None) -> int:
    if value is None or not value.isdigit() or len(value) > 3:
        return 0
    return int(value)


@dataclass(frozen=True)
class CallState:
    """What the menu remembers between webhooks; it travels in the query string of the next URL.

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
        if not (card.isdigit() and card.isascii() and len(card) <= MAX_CARD_DIGITS):
            card = ""
        choice_value = query.get("choice") or ""
        choice = Choice(choice_value) if choice_value in Choice.__members__.values() else None
        barcodes = tuple(code for code in (query.get("books") or "").split(".") if BARCODE_PATTERN.match(code))
        return cls(
            card=card,
            choice=choice,
            barcodes=barcodes[:MAX_BARCODES],
            tries=_int(query.get("tries")),
            wrong=_int(query.get("wrong")),
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


@dataclass(frozen=True)
class Reply:
    """The answer to one webhook.

    Parameters
    ----------
    twiml
        The TwiML document to return with ``Content-Type: text/xml``.
    state
        The state written into the URL the call comes back to (the ``Gather``, ``Redirect`` or ``Dial`` action).
    next_step
        The step that URL names, ``None`` when the response ends the call with ``Hangup`` and no way back.
    """

    twiml: str
    state: CallState
    next_step: Step | None


def handle(
    step: str,
    state: CallState,
    digits: str | None,
    port: VoicePort,
    *,
    call_sid: str,
    base_path: str = "/voice",
    dial_status: str | None = None,
    settings: MenuSettings = DEFAULT_SETTINGS,
) -> Reply:
    """Answer one Twilio voice webhook.

    Parameters
    ----------
    step
        The last path segment (a :class:`Step` value); ``"start"`` for the number's voice URL. An unknown step
        starts the menu over rather than failing the call.
    state
        The state from the request's query string, :meth:`CallState.from_query`.
    digits
        Twilio's ``Digits`` form field, ``None`` when absent (the first request, a ``Redirect``).
    port
        The dispatch side.
    call_sid
        Twilio's ``CallSid`` form field; passed to :meth:`VoicePort.submit` as the idempotency key.
    base_path
        The menu's root path (or absolute URL) every written URL starts with.
    dial_status
        Twilio's ``DialCallStatus`` form field, read by the ``operator_done`` step.
    settings
        Timeouts, limits and prompts.

    Returns
    -------
    Reply
        The TwiML and the state the call comes back with.

    Raises
    ------
    ValueError
        If ``call_sid`` is empty: without it a repeated webhook could submit twice.
    """
    if not call_sid:
        msg = "handle() needs Twilio's CallSid: it is the idempotency key of the submitted request"
        raise ValueError(msg)
    menu = _Menu(port, call_sid=call_sid, base_path=base_path, settings=settings)
    if step not in Step.__members__.values():
        return menu.ask_start(CallState(), lead=[settings.prompts.restart])
    return menu.answer(Step(step), state, digits, dial_status)


class _Menu:
    """The steps of one webhook: each ``ask_*`` writes a question, each ``on_*`` handles its answer."""

    def __init__(self, port: VoicePort, *, call_sid: str, base_path: str, settings: MenuSettings) -> None:
        self.port = port
        self.call_sid = call_sid
        self.base_path = base_path
        self.settings = settings
        self.p = settings.prompts

    # -- dispatching ----------------------------------------------------------------------------------------

    def answer(self, step: Step, state: CallState, digits: str | None, dial_status: str | None) -> Reply:
        if step is Step.OPERATOR:
            return self.dial(state)
        if step is Step.OPERATOR_DONE:
            return self.on_operator_done(state, dial_status)
        if step is Step.DONE:
            return self.done(state)
        if digits is not None:
            digits = digits.strip().rstrip("#")
        if digits == "":
            # Twilio posted an empty answer (only # pressed): the same as silence.
            return self.ask(step, replace(state, tries=state.tries + 1))
        if digits is None:
            return self.ask(step, state)
        if digits == OPERATOR_KEY:
            return self.dial(state)
        handlers = {
            Step.START: self.on_start,
            Step.CONFIRM_CARD: self.on_confirm_card,
            Step.MENU: self.on_menu,
            Step.CONFIRM_ORDER: self.on_confirm_order,
        }
        return handlers[step](state, digits)

    def ask(self, step: Step, state: CallState) -> Reply:
        """Ask the step's question again, after a Redirect or an empty answer."""
        if step is Step.START:
            return self.ask_start(state, welcome=state.tries == 0 and state.wrong == 0)
        if step is Step.CONFIRM_CARD:
            return self.ask_confirm_card(state)
        if step is Step.MENU:
            return self.ask_menu(state, greet=state.tries == 0 and state.wrong == 0)
        return self.ask_confirm_order(state)

    # -- building TwiML -------------------------------------------------------------------------------------

    def url(self, step: Step, state: CallState) -> str:
        return step_url(self.base_path, step, state)

    def say(self, target: t.Any, prompts: Sequence[Prompt]) -> None:
        """Append the prompts, one ``Say`` per run of prompts in the same language."""
        for language, group in itertools.groupby(prompts, key=lambda prompt: prompt.language):
            text = " ".join(prompt.text for prompt in group)
            target.append(Say(text, language=language, voice=self.settings.voice))

    def question(
        self,
        step: Step,
        state: CallState,
        prompts: Sequence[Prompt],
        *,
        card_entry: bool = False,
    ) -> Reply:
        """A ``Gather`` asking ``prompts`` (answer to ``step``), then a ``Redirect`` back to it on silence."""
        if state.tries > self.settings.max_silent_repeats:
            return self.dial(state, lead=[self.p.too_many_tries])
        lead = [self.p.not_heard] if state.tries else []
        answered = replace(state, tries=0)
        if card_entry:
            gather = Gather(
                input="dtmf",
                action=self.url(step, answered),
                method="POST",
                timeout=self.settings.gather_timeout_s,
                finish_on_key="#",
            )
        else:
            gather = Gather(
                input="dtmf",
                action=self.url(step, answered),
                method="POST",
                timeout=self.settings.gather_timeout_s,
                num_digits=1,
            )
        self.say(gather, [*lead, *prompts])
        response = VoiceResponse()
        response.append(gather)
        response.append(Redirect(self.url(step, replace(state, tries=state.tries + 1)), method="POST"))
        return Reply(str(response), answered, step)

    def dial(self, state: CallState, lead: Sequence[Prompt] = ()) -> Reply:
        """Put the caller through to the operator; ``operator_done`` learns how it went."""
        number = self.port.operator_number(state.card or None)
        after = CallState(card=state.card)
        response = VoiceResponse()
        self.say(response, [*lead, self.p.connecting])
        response.append(
            Dial(number, action=self.url(Step.OPERATOR_DONE, after), method="POST", timeout=self.settings.dial_timeout_s)
        )
        return Reply(str(response), after, Step.OPERATOR_DONE)

    def wrong_answer(self, step: Step, state: CallState, lead: Sequence[Prompt]) -> Reply:
        """Count a wrong answer: ask again after ``lead``, or go to the operator after too many."""
        wrong = replace(state, tries=0, wrong=state.wrong + 1)
        if wrong.wrong >= self.settings.max_wrong:
            return self.dial(wrong, lead=[*lead, self.p.too_many_tries])
        if step is Step.START:
            return self.ask_start(wrong, lead=lead)
        if step is Step.CONFIRM_CARD:
            return self.ask_confirm_card(wrong, lead=lead)
        if step is Step.MENU:
            return self.ask_menu(wrong, lead=lead)
        return self.ask_confirm_order(wrong, lead=lead)

    # -- start: the card number -----------------------------------------------------------------------------

    def ask_start(self, state: CallState, *, welcome: bool = False, lead: Sequence[Prompt] = ()) -> Reply:
        prompts = [self.p.welcome] if welcome else []
        card_state = CallState(tries=state.tries, wrong=state.wrong)
        return self.question(Step.START, card_state, [*prompts, *lead, self.p.enter_card], card_entry=True)

    def on_start(self, state: CallState, digits: str) -> Reply:
        if not (digits.isdigit() and digits.isascii() and len(digits) <= MAX_CARD_DIGITS):
            return self.wrong_answer(Step.START, state, [self.p.card_invalid])
        if self.port.find_reader(digits) is None:
            read_back = self.p.card_read_back.format(digits=spell_digits(digits))
            return self.wrong_answer(Step.START, state, [read_back, self.p.card_unknown])
        return self.ask_confirm_card(CallState(card=digits))

    # -- confirm_card ---------------------------------------------------------------------------------------

    def ask_confirm_card(self, state: CallState, *, lead: Sequence[Prompt] = ()) -> Reply:
        if not state.card:
            return self.ask_start(CallState(), lead=[self.p.restart])
        read_back = self.p.card_read_back.format(digits=spell_digits(state.card))
        card_state = CallState(card=state.card, tries=state.tries, wrong=state.wrong)
        return self.question(Step.CONFIRM_CARD, card_state, [*lead, read_back, self.p.card_confirm])

    def on_confirm_card(self, state: CallState, digits: str) -> Reply:
        if digits == YES_KEY and state.card:
            return self.ask_menu(CallState(card=state.card), greet=True)
        if digits == NO_KEY or not state.card:
            return self.ask_start(CallState())
        return self.wrong_answer(Step.CONFIRM_CARD, state, [self.p.not_understood])

    # -- menu -----------------------------------------------------------------------------------------------

    def offers(self, card: str) -> list[tuple[Choice, OrderInfo]]:
        """The choices that apply to the reader, in key order."""
        found = [(choice, self.order(card, choice)) for choice in Choice]
        return [(choice, order) for choice, order in found if order is not None and order.count]

    def order(self, card: str, choice: Choice) -> OrderInfo | None:
        if choice is Choice.LAST_ORDER:
            return self.port.last_order(card)
        if choice is Choice.RESERVED:
            return self.port.reserved_books(card)
        return self.port.loans_to_return(card)

    def ask_menu(self, state: CallState, *, greet: bool = False, lead: Sequence[Prompt] = ()) -> Reply:
        reader = self.port.find_reader(state.card) if state.card else None
        if reader is None:
            return self.ask_start(CallState(), lead=[self.p.restart])
        prompts: list[Prompt] = []
        if greet:
            prompts.append(self.p.greeting.format(name=reader.name))
            if reader.language == "kk":
                prompts.append(self.p.kazakh_note)
        prompts.extend(lead)
        if not reader.eligible:
            prompts += [self.p.not_eligible.format(reason=reader.reason_text or ""), self.p.offer_operator]
        else:
            offers = self.offers(state.card)
            if not offers:
                prompts += [self.p.nothing_to_order, self.p.offer_operator]
            option_prompts = {
                Choice.LAST_ORDER: self.p.option_last_order,
                Choice.RESERVED: self.p.option_reserved,
                Choice.RETURN: self.p.option_return,
            }
            prompts += [option_prompts[choice].format(books=books(order.count)) for choice, order in offers]
            if offers:
                prompts.append(self.p.option_operator)
        prompts.append(self.p.option_sms_off if self.port.sms_enabled(state.card) else self.p.option_sms_on)
        prompts.append(self.p.option_repeat)
        menu_state = CallState(card=state.card, tries=state.tries, wrong=state.wrong)
        return self.question(Step.MENU, menu_state, prompts)

    def on_menu(self, state: CallState, digits: str) -> Reply:
        if digits == REPEAT_KEY:
            return self.ask_menu(CallState(card=state.card))
        reader = self.port.find_reader(state.card) if state.card else None
        if reader is None:
            return self.ask_start(CallState(), lead=[self.p.restart])
        if digits == SMS_KEY:
            enabled = not self.port.sms_enabled(state.card)
            self.port.set_sms(state.card, enabled)
            return self.ask_menu(CallState(card=state.card), lead=[self.p.sms_turned_on if enabled else self.p.sms_turned_off])
        choice = _KEY_CHOICES.get(digits)
        if reader.eligible and choice is not None:
            order = self.order(state.card, choice)
            if order is not None and order.count:
                return self.ask_confirm_order(CallState(card=state.card, choice=choice))
        return self.wrong_answer(Step.MENU, state, [self.p.not_understood])

    # -- confirm_order --------------------------------------------------------------------------------------

    def ask_confirm_order(self, state: CallState, *, lead: Sequence[Prompt] = ()) -> Reply:
        if not state.card or state.choice is None:
            return self.ask_menu(CallState(card=state.card), lead=[self.p.restart])
        order = self.order(state.card, state.choice)
        if order is None or not order.count:
            return self.ask_menu(CallState(card=state.card), lead=[self.p.order_gone])
        shown = ", ".join(f"«{title}»" for title in order.titles[: self.settings.max_titles])
        hidden = order.count - min(order.count, self.settings.max_titles)
        titles = f"{shown} {self.p.order_more.format(count=hidden).text}" if hidden else shown
        summary = self.p.order_return if state.choice is Choice.RETURN else self.p.order_delivery
        order_state = CallState(
            card=state.card,
            choice=state.choice,
            barcodes=order.barcodes,
            tries=state.tries,
            wrong=state.wrong,
        )
        prompts = [*lead, summary.format(books=books(order.count), titles=titles), self.p.order_confirm]
        return self.question(Step.CONFIRM_ORDER, order_state, prompts)

    def on_confirm_order(self, state: CallState, digits: str) -> Reply:
        if digits == YES_KEY and state.card and state.choice is not None and state.barcodes:
            confirmed = CallState(card=state.card, choice=state.choice, barcodes=state.barcodes)
            response = VoiceResponse()
            self.say(response, [self.p.submitting])
            response.append(Redirect(self.url(Step.DONE, confirmed), method="POST"))
            return Reply(str(response), confirmed, Step.DONE)
        if digits == NO_KEY:
            return self.ask_menu(CallState(card=state.card))
        if digits == YES_KEY:
            return self.ask_confirm_order(replace(state, tries=0))
        return self.wrong_answer(Step.CONFIRM_ORDER, state, [self.p.not_understood])

    # -- done -----------------------------------------------------------------------------------------------

    def done(self, state: CallState) -> Reply:
        """Submit the confirmed books; a repeated webhook submits the same books with the same ``call_sid``."""
        if not state.card or state.choice is None or not state.barcodes:
            return self.ask_start(CallState(), lead=[self.p.restart])
        result = self.port.submit(state.card, state.choice.kind, state.barcodes, self.call_sid)
        response = VoiceResponse()
        if result.ok:
            accepted = self.p.accepted.format(
                number=result.number or "",
                date=result.date_text or "",
                window=result.window_text or "",
            )
            self.say(response, [accepted, self.p.goodbye])
            response.append(Hangup())
            return Reply(str(response), state, None)
        after = CallState(card=state.card)
        gather = Gather(
            input="dtmf",
            action=self.url(Step.OPERATOR, after),
            method="POST",
            timeout=self.settings.gather_timeout_s,
            num_digits=1,
        )
        self.say(gather, [self.p.refused.format(reason=result.reason_text or ""), self.p.offer_operator])
        response.append(gather)
        self.say(response, [self.p.goodbye])
        response.append(Hangup())
        return Reply(str(response), after, Step.OPERATOR)

    # -- operator_done --------------------------------------------------------------------------------------

    def on_operator_done(self, state: CallState, dial_status: str | None) -> Reply:
        """After ``Dial``: hang up after a conversation, otherwise say so and offer to try again."""
        after = CallState(card=state.card)
        response = VoiceResponse()
        if dial_status in ANSWERED_DIAL_STATUSES:
            response.append(Hangup())
            return Reply(str(response), after, None)
        prompts = [self.p.operator_no_answer]
        reader = self.port.find_reader(state.card) if state.card else None
        if reader is not None and reader.branch_phone:
            prompts.append(self.p.branch_phone.format(phone=spoken_phone(reader.branch_phone)))
        gather = Gather(
            input="dtmf",
            action=self.url(Step.OPERATOR, after),
            method="POST",
            timeout=self.settings.gather_timeout_s,
            num_digits=1,
        )
        self.say(gather, [*prompts, self.p.operator_retry])
        response.append(gather)
        self.say(response, [self.p.goodbye])
        response.append(Hangup())
        return Reply(str(response), after, Step.OPERATOR)
