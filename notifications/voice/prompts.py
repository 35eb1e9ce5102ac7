"""The spoken texts of the phone menu and their languages, apart from the steps so a text can change alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace

RUSSIAN = "ru-RU"
KAZAKH_NOTE_TEXT = "Құрметті оқырман, мәзір әзірге орыс тілінде. Операторға қосылу үшін нөлді басыңыз."


@dataclass(frozen=True)
class Prompt:
    """One text to say and the BCP-47 language Twilio reads it in."""

    text: str
    language: str = RUSSIAN

    def format(self, **values: object) -> Prompt:
        """Return the prompt with its ``{fields}`` filled in, keeping its language."""
        return replace(self, text=self.text.format(**values))


@dataclass(frozen=True)
class VoicePrompts:
    """Every text of the phone menu; replace a field to change one text or its language.

    Every prompt is Russian and read with ``language="ru-RU"`` (Twilio's default voice for that language). Kazakh
    text to speech on Twilio (``kk-KZ``) is unconfirmed, so Kazakh readers hear the Russian menu plus one short note
    in Kazakh, :attr:`kazakh_note`. That note is read with ``ru-RU`` as well until ``kk-KZ`` has been heard on a real
    call: an unknown language only gives Twilio warning 13331, but a voice that cannot read the text is worse than a
    Russian voice reading Kazakh Cyrillic. To switch, build the prompts with
    ``dataclasses.replace(RU_PROMPTS, kazakh_note=Prompt(KAZAKH_NOTE_TEXT, language="kk-KZ"))`` and pass them in
    :class:`notifications.voice.settings.MenuSettings`; any other prompt can be given its own language the same way.

    Texts with ``{name}`` fields are filled with :meth:`Prompt.format`. Digits the caller must press are written as
    digits, which the Russian voice reads as words ("нажмите 1" is read "нажмите один").
    """

    welcome: Prompt = Prompt("Библиотека, доставка книг на дом.")
    enter_card: Prompt = Prompt("Наберите номер читательского билета и нажмите решётку. Оператор — 0 и решётка.")
    not_heard: Prompt = Prompt("Я вас не услышал.")
    not_understood: Prompt = Prompt("Не понял выбор.")
    card_read_back: Prompt = Prompt("Вы ввели: {digits}.")
    card_confirm: Prompt = Prompt("Верно — нажмите 1, ввести заново — 2. Оператор — 0.")
    card_invalid: Prompt = Prompt("Номер билета состоит только из цифр.")
    card_unknown: Prompt = Prompt("Читатель с таким номером билета не найден.")
    greeting: Prompt = Prompt("Здравствуйте, {name}.")
    kazakh_note: Prompt = Prompt(KAZAKH_NOTE_TEXT)
    not_eligible: Prompt = Prompt("Заказать доставку по телефону сейчас нельзя. {reason}")
    nothing_to_order: Prompt = Prompt("Сейчас нет книг, которые можно заказать или сдать по телефону.")
    option_last_order: Prompt = Prompt("Повторить последний заказ, {books}, — нажмите 1.")
    option_reserved: Prompt = Prompt("Заказать отложенные для вас книги, {books}, — нажмите 2.")
    option_return: Prompt = Prompt("Вызвать курьера, чтобы сдать книги, {books}, — нажмите 3.")
    option_sms_off: Prompt = Prompt("Отключить SMS-уведомления — нажмите 5.")
    option_sms_on: Prompt = Prompt("Включить SMS-уведомления — нажмите 5.")
    sms_turned_off: Prompt = Prompt("SMS-уведомления отключены.")
    sms_turned_on: Prompt = Prompt("SMS-уведомления включены.")
    option_operator: Prompt = Prompt("Оператор — 0.")
    option_repeat: Prompt = Prompt("Повторить меню — 9.")
    order_delivery: Prompt = Prompt("Курьер привезёт {books}: {titles}.")
    order_return: Prompt = Prompt("Курьер заберёт {books}: {titles}.")
    order_more: Prompt = Prompt("и ещё {count}")
    order_confirm: Prompt = Prompt("Подтвердить — нажмите 1, вернуться в меню — 2. Оператор — 0.")
    order_gone: Prompt = Prompt("Этих книг уже нет в списке.")
    submitting: Prompt = Prompt("Оформляю заявку.")
    accepted: Prompt = Prompt("Заявка номер {number} принята. Курьер приедет {date}, {window}.")
    refused: Prompt = Prompt("Заявку оформить не удалось. {reason}")
    offer_operator: Prompt = Prompt("Чтобы поговорить с оператором, нажмите 0.")
    goodbye: Prompt = Prompt("Спасибо за звонок, до свидания.")
    too_many_tries: Prompt = Prompt("Вам поможет оператор.")
    connecting: Prompt = Prompt("Соединяю с оператором, пожалуйста, подождите.")
    operator_no_answer: Prompt = Prompt("К сожалению, оператор сейчас не отвечает.")
    branch_phone: Prompt = Prompt("Телефон вашей библиотеки: {phone}.")
    operator_retry: Prompt = Prompt("Чтобы позвонить оператору ещё раз, нажмите 0.")
    restart: Prompt = Prompt("Начнём сначала.")


RU_PROMPTS = VoicePrompts()


def books(count: int) -> str:
    """Count books in Russian with the right plural: "1 книга", "3 книги", "5 книг", "21 книга"."""
    if count % 10 == 1 and count % 100 != 11:
        word = "книга"
    elif count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        word = "книги"
    else:
        word = "книг"
    return f"{count} {word}"


def spell_digits(digits: str) -> str:
    """Separate digits with commas so the voice reads them one by one, with a short pause: "0, 1, 2"."""
    return ", ".join(digits)


_KZ_E164 = re.compile(r"^\+7(\d{3})(\d{3})(\d{2})(\d{2})$")


def spoken_phone(e164: str) -> str:
    """Say a +7 number the way it is dialled at home ("8 727, 250, 12, 34"), any other one digit by digit."""
    match = _KZ_E164.match(e164)
    if match is None:
        return spell_digits(e164.lstrip("+"))
    return "8 " + ", ".join(match.groups())
