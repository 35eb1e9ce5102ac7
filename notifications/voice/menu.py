"""The steps of the phone menu and the moves between them: one Twilio webhook in, one TwiML reply out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace

from notifications.voice.choices import Choice
from notifications.voice.choices import offers
from notifications.voice.choices import order_for
from notifications.voice.keypad import NO_KEY
from notifications.voice.keypad import OPERATOR_KEY
from notifications.voice.keypad import REPEAT_KEY
from notifications.voice.keypad import SMS_KEY
from notifications.voice.keypad import YES_KEY
from notifications.voice.keypad import is_card_number
from notifications.voice.keypad import typed
from notifications.voice.port import ReaderInfo
from notifications.voice.port import VoicePort
from notifications.voice.prompts import Prompt
from notifications.voice.prompts import books
from notifications.voice.prompts import spell_digits
from notifications.voice.prompts import spoken_phone
from notifications.voice.settings import DEFAULT_SETTINGS
from notifications.voice.settings import MenuSettings
from notifications.voice.state import CallState
from notifications.voice.state import Step
from notifications.voice.state import step_url
from notifications.voice.twiml import gather_then_hang_up
from notifications.voice.twiml import gather_then_redirect
from notifications.voice.twiml import say_then_dial
from notifications.voice.twiml import say_then_hang_up
from notifications.voice.twiml import say_then_redirect

ANSWERED_DIAL_STATUSES = frozenset({"completed", "answered"})
"""Twilio's ``DialCallStatus`` values after which the caller has spoken to the operator."""


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

    The web layer turns each webhook into one call and answers with ``Reply.twiml`` (``Content-Type: text/xml``).
    It routes two paths only: the number's voice URL ``{base_path}`` (call ``handle("start", CallState(), None, …)``)
    and ``{base_path}/<step>``::

        reply = handle(
            step,
            CallState.from_query(request.args),
            request.form.get("Digits"),
            port,
            call_sid=request.form["CallSid"],
            dial_status=request.form.get("DialCallStatus"),
            base_path="/voice",
        )

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
    """The steps of one webhook: each ``ask_*`` writes a question, each ``on_*`` handles its answer.

    Each step has two phases. Without ``digits`` (a ``Redirect`` after silence, or the first request) it asks its
    question; with ``digits`` it handles the answer to that question and, in the same response, asks the next step's
    question. So the step in a URL always names the question whose answer the request carries.

    0 leads to the operator at every question; silence repeats a question twice, then the call goes to the operator;
    three wrong answers to one question (three unknown cards in a row) do the same.
    """

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
        if digits is None:
            return self.ask(step, state)
        digits = typed(digits)
        if digits == "":
            # Twilio posted an empty answer (only # pressed): the same as silence.
            return self.ask(step, replace(state, tries=state.tries + 1))
        if digits == OPERATOR_KEY:
            return self.dial(state)
        handlers = {
            Step.START: self.on_start,
            Step.CONFIRM_CARD: self.on_confirm_card,
            Step.MENU: self.on_menu,
            Step.CONFIRM_ORDER: self.on_confirm_order,
        }
        return handlers[step](state, digits)

    def ask(self, step: Step, state: CallState, lead: Sequence[Prompt] = ()) -> Reply:
        """Ask the step's question again: after a Redirect or an empty answer, or after ``lead`` on a wrong answer.

        Only a question asked with no ``lead`` and no count of silence or wrong answers opens with the welcome or
        the greeting.
        """
        first = not lead and state.tries == 0 and state.wrong == 0
        if step is Step.START:
            return self.ask_start(state, welcome=first, lead=lead)
        if step is Step.CONFIRM_CARD:
            return self.ask_confirm_card(state, lead=lead)
        if step is Step.MENU:
            return self.ask_menu(state, greet=first, lead=lead)
        return self.ask_confirm_order(state, lead=lead)

    def reader(self, card: str) -> ReaderInfo | None:
        """The caller's reader, ``None`` before a card number is known or once it no longer finds one."""
        return self.port.find_reader(card) if card else None

    # -- writing replies ------------------------------------------------------------------------------------

    def url(self, step: Step, state: CallState) -> str:
        return step_url(self.base_path, step, state)

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
        silent = replace(state, tries=state.tries + 1)
        twiml = gather_then_redirect(
            [*lead, *prompts],
            self.url(step, answered),
            self.url(step, silent),
            self.settings,
            card_entry=card_entry,
        )
        return Reply(twiml, answered, step)

    def dial(self, state: CallState, lead: Sequence[Prompt] = ()) -> Reply:
        """Put the caller through to the operator; ``operator_done`` learns how it went."""
        number = self.port.operator_number(state.card or None)
        after = CallState(card=state.card)
        twiml = say_then_dial([*lead, self.p.connecting], number, self.url(Step.OPERATOR_DONE, after), self.settings)
        return Reply(twiml, after, Step.OPERATOR_DONE)

    def offer_operator(self, state: CallState, prompts: Sequence[Prompt]) -> Reply:
        """A last offer of the operator (key 0 leads to the ``operator`` step); silence ends the call."""
        after = CallState(card=state.card)
        return Reply(gather_then_hang_up(prompts, self.url(Step.OPERATOR, after), self.settings), after, Step.OPERATOR)

    def wrong_answer(self, step: Step, state: CallState, lead: Sequence[Prompt]) -> Reply:
        """Count a wrong answer: ask again after ``lead``, or go to the operator after too many."""
        wrong = replace(state, tries=0, wrong=state.wrong + 1)
        if wrong.wrong >= self.settings.max_wrong:
            return self.dial(wrong, lead=[*lead, self.p.too_many_tries])
        return self.ask(step, wrong, lead)

    # -- start: the card number -----------------------------------------------------------------------------

    def ask_start(self, state: CallState, *, welcome: bool = False, lead: Sequence[Prompt] = ()) -> Reply:
        prompts = [self.p.welcome] if welcome else []
        card_state = CallState(tries=state.tries, wrong=state.wrong)
        return self.question(Step.START, card_state, [*prompts, *lead, self.p.enter_card], card_entry=True)

    def on_start(self, state: CallState, digits: str) -> Reply:
        if not is_card_number(digits):
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

    def ask_menu(self, state: CallState, *, greet: bool = False, lead: Sequence[Prompt] = ()) -> Reply:
        reader = self.reader(state.card)
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
            offered = offers(self.port, state.card)
            if not offered:
                prompts += [self.p.nothing_to_order, self.p.offer_operator]
            option_prompts = {
                Choice.LAST_ORDER: self.p.option_last_order,
                Choice.RESERVED: self.p.option_reserved,
                Choice.RETURN: self.p.option_return,
            }
            prompts += [option_prompts[choice].format(books=books(order.count)) for choice, order in offered]
            if offered:
                prompts.append(self.p.option_operator)
        prompts.append(self.p.option_sms_off if self.port.sms_enabled(state.card) else self.p.option_sms_on)
        prompts.append(self.p.option_repeat)
        menu_state = CallState(card=state.card, tries=state.tries, wrong=state.wrong)
        return self.question(Step.MENU, menu_state, prompts)

    def on_menu(self, state: CallState, digits: str) -> Reply:
        if digits == REPEAT_KEY:
            return self.ask_menu(CallState(card=state.card))
        reader = self.reader(state.card)
        if reader is None:
            return self.ask_start(CallState(), lead=[self.p.restart])
        if digits == SMS_KEY:
            enabled = not self.port.sms_enabled(state.card)
            self.port.set_sms(state.card, enabled)
            return self.ask_menu(CallState(card=state.card), lead=[self.p.sms_turned_on if enabled else self.p.sms_turned_off])
        choice = Choice.for_key(digits)
        if reader.eligible and choice is not None:
            order = order_for(self.port, state.card, choice)
            if order is not None and order.count:
                return self.ask_confirm_order(CallState(card=state.card, choice=choice))
        return self.wrong_answer(Step.MENU, state, [self.p.not_understood])

    # -- confirm_order --------------------------------------------------------------------------------------

    def ask_confirm_order(self, state: CallState, *, lead: Sequence[Prompt] = ()) -> Reply:
        if not state.card or state.choice is None:
            return self.ask_menu(CallState(card=state.card), lead=[self.p.restart])
        order = order_for(self.port, state.card, state.choice)
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
            twiml = say_then_redirect([self.p.submitting], self.url(Step.DONE, confirmed), self.settings)
            return Reply(twiml, confirmed, Step.DONE)
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
        if result.ok:
            accepted = self.p.accepted.format(
                number=result.number or "",
                date=result.date_text or "",
                window=result.window_text or "",
            )
            return Reply(say_then_hang_up([accepted, self.p.goodbye], self.settings), state, None)
        return self.offer_operator(state, [self.p.refused.format(reason=result.reason_text or ""), self.p.offer_operator])

    # -- operator_done --------------------------------------------------------------------------------------

    def on_operator_done(self, state: CallState, dial_status: str | None) -> Reply:
        """After ``Dial``: hang up after a conversation, otherwise say so and offer to try again."""
        if dial_status in ANSWERED_DIAL_STATUSES:
            return Reply(say_then_hang_up([], self.settings), CallState(card=state.card), None)
        prompts = [self.p.operator_no_answer]
        reader = self.reader(state.card)
        if reader is not None and reader.branch_phone:
            prompts.append(self.p.branch_phone.format(phone=spoken_phone(reader.branch_phone)))
        return self.offer_operator(state, [*prompts, self.p.operator_retry])
