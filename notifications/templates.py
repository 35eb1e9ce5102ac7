"""SMS texts for readers in Russian and Kazakh: one template per event, parameters checked, two segments at most."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from notifications.plurals import form

if t.TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date
    from datetime import datetime
    from datetime import time

LANGUAGES: tuple[str, ...] = ("ru", "kk")
DEFAULT_LANGUAGE = "ru"
#: Every text, with every parameter at its longest, stays within two UCS-2 segments (2 × 67).
MAX_UNITS = 134

REQUEST_ACCEPTED = "request_accepted"
REQUEST_REJECTED = "request_rejected"
DELIVERY_PLANNED = "delivery_planned"
COURIER_ON_THE_WAY = "courier_on_the_way"
DELIVERED = "delivered"
ATTEMPT_FAILED = "attempt_failed"
RETURN_SCHEDULED = "return_scheduled"
RETURN_TOMORROW = "return_tomorrow"
OPTED_OUT = "opted_out"
SIGN_IN_CODE = "sign_in_code"

_DATE = re.compile(r"(0[1-9]|[12]\d|3[01])\.(0[1-9]|1[0-2])")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_WINDOW = re.compile(r"(?P<start>([01]\d|2[0-3]):[0-5]\d)\s?[–-]\s?(?P<end>([01]\d|2[0-3]):[0-5]\d)")
_CODE = re.compile(r"\d{6}")
_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]*[0-9]")
_LINK = re.compile(r"https?://\S+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

BOOK_FORMS: dict[str, dict[str, str]] = {
    "ru": {"one": "книгу", "few": "книги", "many": "книг", "other": "книги"},
    "kk": {"one": "кітап", "other": "кітап"},
}
"""The word "book" after a count, by CLDR plural category (Russian in the accusative: «привезли 1 книгу, 3 книги, 5 книг»)."""


@dataclass(frozen=True)
class Param:
    """One template parameter.

    ``max_len`` is in UTF-16 code units (the characters of a Cyrillic text; an emoji counts 2).
    ``kind`` is ``"text"`` (free words), ``"date"`` (``"24.11"``), ``"time"`` (``"13:45"``),
    ``"window"`` (``"10:00–14:00"``; a hyphen is taken and written as an en dash), ``"phone"``,
    ``"link"`` (``http(s)://…``), ``"code"`` (six digits), ``"number"`` (letters, digits and hyphens) or ``"count"`` (an
    ``int`` from 1 to 99). ``longest`` are the values that make the longest texts, for tests.
    """

    name: str
    kind: str
    max_len: int
    description: str
    longest: tuple[str | int, ...]


@dataclass(frozen=True)
class Template:
    """One event's texts: ``variants`` maps each accepted set of parameter names to ``{language: text}``."""

    event: str
    description: str
    variants: Mapping[frozenset[str], Mapping[str, str]]

    @property
    def params(self) -> frozenset[str]:
        """Every parameter name some variant takes."""
        return frozenset().union(*self.variants)


PARAMS: dict[str, Param] = {
    p.name: p
    for p in (
        Param("number", "number", 10, "request number the reader can quote, e.g. 10234", ("1234567890",)),
        Param("date", "date", 5, "day and month, e.g. 24.11", ("30.12",)),
        Param("window", "window", 11, "time window, e.g. 10:00–14:00", ("10:00–14:00",)),
        Param("reason", "text", 50, "why, in plain words and in the reader's language", ("Ж" * 50,)),
        Param("phone", "phone", 16, "library phone, e.g. +7 727 123 45 67", ("+7 727 123 45 67",)),
        Param("eta", "time", 5, "expected arrival, e.g. 13:45", ("13:45",)),
        Param("link", "link", 40, "tracking link, http(s)://…", ("https://" + "x" * 32,)),
        Param("books", "count", 2, "number of books delivered, 1 to 99", tuple(range(1, 100))),
        Param("due", "date", 5, "return due date, e.g. 24.12", ("30.12",)),
        Param("code", "code", 6, "one-time sign-in code, six digits", ("999999",)),
    )
}

_T = Template
TEMPLATES: dict[str, Template] = {
    tpl.event: tpl
    for tpl in (
        _T(
            REQUEST_ACCEPTED,
            "the request is accepted, with the delivery day and window",
            {
                frozenset({"number", "date", "window"}): {
                    "ru": "Ваша заявка №{number} принята. Книги привезём {date} с {window_start} до {window_end}. Спасибо!",
                    "kk": "Сіздің №{number} өтініміңіз қабылданды. Кітаптарды {date} күні сағат {window} аралығында әкелеміз. Рақмет!",
                }
            },
        ),
        _T(
            REQUEST_REJECTED,
            "the request cannot be served: why, and whom to call",
            {
                frozenset({"reason", "phone"}): {
                    "ru": "К сожалению, не можем выполнить Вашу заявку: {reason}. Справки по телефону {phone}.",
                    "kk": "Өкінішке орай, өтініміңізді орындай алмаймыз: {reason}. Анықтама телефоны: {phone}.",
                }
            },
        ),
        _T(
            DELIVERY_PLANNED,
            "sent the evening before the delivery",
            {
                frozenset({"date", "window"}): {
                    "ru": "Напоминаем: завтра, {date}, привезём Ваши книги с {window_start} до {window_end}. Пожалуйста, будьте дома.",
                    "kk": "Еске саламыз: ертең, {date}, кітаптарыңызды сағат {window} аралығында әкелеміз. Үйде болуыңызды сұраймыз.",
                }
            },
        ),
        _T(
            COURIER_ON_THE_WAY,
            "the courier has left for the reader; with a tracking link when there is one",
            {
                frozenset({"eta"}): {
                    "ru": "Курьер с Вашими книгами уже в пути и приедет примерно в {eta}.",
                    "kk": "Кітаптарыңыз бар курьер жолға шықты, шамамен сағат {eta} келеді.",
                },
                frozenset({"eta", "link"}): {
                    "ru": "Курьер с Вашими книгами в пути, приедет примерно в {eta}. Где он сейчас: {link}",
                    "kk": "Кітаптарыңыз бар курьер жолда, шамамен сағат {eta} келеді. Курьер қайда: {link}",
                },
            },
        ),
        _T(
            DELIVERED,
            "the books were handed over: how many, and when they are due back",
            {
                frozenset({"books", "due"}): {
                    "ru": "Мы привезли Вам {books} {books_word}. Срок возврата — {due}. Приятного чтения!",
                    "kk": "Сізге {books} {books_word} жеткізілді. Қайтару мерзімі: {due}. Рақмет!",
                }
            },
        ),
        _T(
            ATTEMPT_FAILED,
            "the courier could not hand the books over: the new day and window, or that we will call",
            {
                frozenset({"date", "window"}): {
                    "ru": "К сожалению, не удалось передать Вам книги. Привезём их снова {date} с {window_start} до {window_end}.",
                    "kk": "Өкінішке орай, кітаптарды Сізге табыстай алмадық. Оларды {date} күні сағат {window} аралығында қайта әкелеміз.",
                },
                frozenset(): {
                    "ru": "К сожалению, не удалось передать Вам книги. Мы позвоним Вам, чтобы договориться о новом времени.",
                    "kk": "Өкінішке орай, кітаптарды Сізге табыстай алмадық. Жаңа уақытты келісу үшін Сізге қоңырау шаламыз.",
                },
            },
        ),
        _T(
            RETURN_SCHEDULED,
            "a pickup of the books is planned",
            {
                frozenset({"date", "window"}): {
                    "ru": "Курьер заберёт у Вас книги {date} с {window_start} до {window_end}. Пожалуйста, подготовьте их.",
                    "kk": "Курьер кітаптарды Сізден {date} күні сағат {window} аралығында алып кетеді. Оларды дайындап қойыңыз.",
                }
            },
        ),
        _T(
            RETURN_TOMORROW,
            "sent the day before the pickup",
            {
                frozenset({"date", "window"}): {
                    "ru": "Напоминаем: завтра, {date}, с {window_start} до {window_end} курьер заберёт у Вас книги. Пожалуйста, подготовьте их.",
                    "kk": "Еске саламыз: ертең, {date}, сағат {window} аралығында курьер кітаптарды алып кетеді. Оларды дайындап қойыңыз.",
                }
            },
        ),
        _T(
            OPTED_OUT,
            "confirms that SMS are stopped and says how to turn them back on",
            {
                frozenset({"phone"}): {
                    "ru": "Вы больше не будете получать SMS от библиотеки. Чтобы снова включить их, позвоните: {phone}.",
                    "kk": "Сіз енді кітапханадан SMS алмайсыз. Оларды қайта қосу үшін қоңырау шалыңыз: {phone}.",
                }
            },
        ),
        _T(
            SIGN_IN_CODE,
            "the one-time code to sign in to the reader's page; sent at once, even in the quiet hours",
            {
                frozenset({"code"}): {
                    "ru": "Код для входа на страницу читателя: {code}. Он действует 10 минут. Никому его не сообщайте.",
                    "kk": "Оқырман бетіне кіру коды: {code}. Ол 10 минут жарамды. Оны ешкімге айтпаңыз.",
                }
            },
        ),
    )
}
del _T

EVENTS: tuple[str, ...] = tuple(TEMPLATES)


def language_of(language: str | None) -> str:
    """``"kk"`` for Kazakh (``"kk"``, ``"KK"``, ``"kk-KZ"``, ``"kk_KZ"``), ``"ru"`` for anything else."""
    base = re.split(r"[-_]", (language or "").strip().lower(), maxsplit=1)[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def render(event: str, language: str | None, **params: str | int) -> str:
    """The text of ``event`` in the reader's ``language`` with ``params`` filled in.

    Parameters
    ----------
    event
        One of :data:`EVENTS` (``"request_accepted"``…).
    language
        The reader's language; ``"kk"`` gives Kazakh, anything else Russian.
    params
        Exactly the names of one of the event's variants (see :data:`TEMPLATES`); values as
        described in :data:`PARAMS`.

    Raises
    ------
    ValueError
        The event is unknown; a parameter is unknown, missing, empty, of the wrong type or format,
        or longer than its ``max_len``.
    """
    template = TEMPLATES.get(event)
    if template is None:
        msg = f"unknown SMS event {event!r}; known: {', '.join(EVENTS)}"
        raise ValueError(msg)
    unknown = set(params) - template.params
    if unknown:
        msg = f"{event}: unknown parameters {sorted(unknown)}; it takes {sorted(template.params)}"
        raise ValueError(msg)
    texts = template.variants.get(frozenset(params))
    if texts is None:
        accepted = " or ".join(str(sorted(names)) for names in template.variants)
        msg = f"{event}: parameters {sorted(params)} given, expected {accepted}"
        raise ValueError(msg)
    lang = language_of(language)
    values: dict[str, str] = {}
    for name, value in params.items():
        values.update(_checked(event, PARAMS[name], value, lang))
    return texts[lang].format_map(values)


def _checked(event: str, param: Param, value: object, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The placeholder values for one parameter (a window also gives ``window_start``/``window_end``)."""
    name = param.name
    if param.kind == "count":
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 99:
            msg = f"{event}: {name} must be an int from 1 to 99, got {value!r}"
            raise ValueError(msg)
        return {name: str(value), f"{name}_word": form(value, lang, BOOK_FORMS[lang])}
    if not isinstance(value, str):
        msg = f"{event}: {name} must be a str, got {type(value).__name__}"
        raise ValueError(msg)
    text = value.strip()
    if param.kind == "text":
        text = text.rstrip(".!?;:, ")  # the template ends the sentence itself
    if not text:
        msg = f"{event}: {name} is empty"
        raise ValueError(msg)
    if _CONTROL.search(text):
        msg = f"{event}: {name} contains a line break or another control character"
        raise ValueError(msg)
    if param.kind == "window" and (m := _WINDOW.fullmatch(text)):
        text = f"{m['start']}–{m['end']}"
    units = utf16_len(text)
    if units > param.max_len:
        msg = f"{event}: {name} is {units} characters long, at most {param.max_len} fit ({text!r})"
        raise ValueError(msg)
    pattern = {
        "date": _DATE,
        "time": _TIME,
        "window": _WINDOW,
        "number": _NUMBER,
        "phone": _PHONE,
        "link": _LINK,
        "code": _CODE,
    }.get(param.kind)
    if pattern is not None and not pattern.fullmatch(text):
        msg = f"{event}: {name} {text!r} is not a {param.description}"
        raise ValueError(msg)
    values = {name: text}
    if param.kind == "window":
        values[f"{name}_start"], values[f"{name}_end"] = text.split("–")
        if values[f"{name}_start"] >= values[f"{name}_end"]:
            msg = f"{event}: {name} {text!r} ends before it starts"
            raise ValueError(msg)
    return values


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: what a UCS-2 SMS counts (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


def format_date(day: date) -> str:
    """``24.11``: the ``date`` / ``due`` parameter."""
    return day.strftime("%d.%m")


def format_time(moment: time | datetime) -> str:
    """``13:45``: the ``eta`` parameter (give a local time)."""
    return moment.strftime("%H:%M")


def format_window(start: time, end: time) -> str:
    """``10:00–14:00`` (en dash): the ``window`` parameter."""
    return f"{format_time(start)}–{format_time(end)}"
