"""Words for every code a person sees (statuses, kinds, channels, carriers, reasons, roles, job states) in ru, kk and en.

Codes stay in the database, the API's fields and the logs; pages, the PDF manifest and SMS show
these words instead. One catalogue, so the same status reads the same on every page. Each kind
lists every value of its enum (a test checks that, and that every language has every word).
"""

from __future__ import annotations

import typing as t
from enum import StrEnum

from dispatch.domain import statuses

Words = dict[str, str]
"""One code's words by language (``ru``, ``kk``, ``en``)."""

LABELS: dict[str, dict[str, Words]] = {
    "request_status": {
        "received": {"ru": "Получена", "kk": "Қабылданды", "en": "Received"},
        "validated": {"ru": "Проверена", "kk": "Тексерілді", "en": "Checked"},
        "rejected": {"ru": "Отклонена", "kk": "Қабылданбады", "en": "Refused"},
        "scheduled": {"ru": "Назначен день", "kk": "Күні белгіленді", "en": "Day set"},
        "planned": {"ru": "В маршруте", "kk": "Маршрутқа қосылды", "en": "On a route"},
        "dispatched": {"ru": "Передана курьеру", "kk": "Курьерге берілді", "en": "With the courier"},
        "in_transit": {"ru": "Курьер в пути", "kk": "Курьер жолда", "en": "Courier on the way"},
        "delivered": {"ru": "Доставлена", "kk": "Жеткізілді", "en": "Delivered"},
        "collected": {"ru": "Книги забраны", "kk": "Кітаптар алынды", "en": "Books collected"},
        "returned": {"ru": "Книги в библиотеке", "kk": "Кітаптар кітапханада", "en": "Books back at the library"},
        "failed": {"ru": "Не удалось", "kk": "Орындалмады", "en": "Not done"},
        "cancelled": {"ru": "Отменена", "kk": "Тоқтатылды", "en": "Cancelled"},
    },
    "request_kind": {
        "delivery": {"ru": "Доставка книг", "kk": "Кітап жеткізу", "en": "Delivery"},
        "return_pickup": {"ru": "Возврат книг", "kk": "Кітаптарды қайтару", "en": "Return pickup"},
    },
    "channel": {
        "web": {"ru": "Сайт", "kk": "Сайт", "en": "Website"},
        "operator": {"ru": "Оператор", "kk": "Оператор", "en": "Operator"},
        "phone": {"ru": "Телефонное меню", "kk": "Телефон мәзірі", "en": "Phone menu"},
        "api": {"ru": "Приложение", "kk": "Қосымша", "en": "App"},
        "standing_order": {"ru": "Регулярный визит", "kk": "Тұрақты келу", "en": "Standing order"},
        "system": {"ru": "Система", "kk": "Жүйе", "en": "System"},
    },
    "item_status": {
        "available": {"ru": "На полке", "kk": "Сөреде", "en": "On the shelf"},
        "on_loan": {"ru": "Выдана", "kk": "Берілген", "en": "On loan"},
        "not_for_loan": {"ru": "Не выдаётся на дом", "kk": "Үйге берілмейді", "en": "Not for loan"},
        "in_transit": {"ru": "В пути между библиотеками", "kk": "Кітапханалар арасында жолда", "en": "In transit"},
        "lost": {"ru": "Утеряна", "kk": "Жоғалған", "en": "Lost"},
        "withdrawn": {"ru": "Списана", "kk": "Есептен шығарылған", "en": "Withdrawn"},
    },
    "staff_role": {
        "admin": {"ru": "Администратор", "kk": "Әкімші", "en": "Administrator"},
        "dispatcher": {"ru": "Диспетчер", "kk": "Диспетчер", "en": "Dispatcher"},
        "operator": {"ru": "Оператор", "kk": "Оператор", "en": "Operator"},
        "courier": {"ru": "Курьер", "kk": "Курьер", "en": "Courier"},
    },
    "courier_kind": {
        "staff": {"ru": "Сотрудник", "kk": "Қызметкер", "en": "Staff"},
        "volunteer": {"ru": "Волонтёр", "kk": "Ерікті", "en": "Volunteer"},
    },
    "carrier": {
        "in_house": {"ru": "Курьер библиотеки", "kk": "Кітапхана курьері", "en": "Library courier"},
        "yandex": {"ru": "Яндекс Доставка", "kk": "Яндекс Жеткізу", "en": "Yandex Delivery"},
    },
    "route_status": {
        "draft": {"ru": "Готовится", "kk": "Дайындалуда", "en": "Being prepared"},
        "dispatched": {"ru": "Передан курьеру", "kk": "Курьерге берілді", "en": "With the courier"},
        "in_progress": {"ru": "В пути", "kk": "Жолда", "en": "Under way"},
        "completed": {"ru": "Завершён", "kk": "Аяқталды", "en": "Completed"},
        "superseded": {"ru": "Заменён новой версией", "kk": "Жаңа нұсқамен ауыстырылды", "en": "Replaced by a new version"},
        "cancelled": {"ru": "Отменён", "kk": "Тоқтатылды", "en": "Cancelled"},
    },
    "stop_outcome": {
        "delivered": {"ru": "Доставлено", "kk": "Жеткізілді", "en": "Delivered"},
        "collected": {"ru": "Книги забраны", "kk": "Кітаптар алынды", "en": "Collected"},
        "failed": {"ru": "Не удалось", "kk": "Орындалмады", "en": "Not done"},
    },
    "failure_reason": {
        "not_at_home": {"ru": "Читателя нет дома", "kk": "Оқырман үйде жоқ", "en": "Reader not at home"},
        "wrong_address": {"ru": "Неверный адрес", "kk": "Мекенжай қате", "en": "Wrong address"},
        "refused": {"ru": "Читатель отказался", "kk": "Оқырман бас тартты", "en": "Reader refused"},
        "no_access": {"ru": "Нет доступа в дом", "kk": "Үйге кіру мүмкін болмады", "en": "No access to the building"},
        "books_not_ready": {"ru": "Книги не готовы", "kk": "Кітаптар дайын емес", "en": "Books not ready"},
        "other": {"ru": "Другая причина", "kk": "Басқа себеп", "en": "Other reason"},
    },
    "job_state": {
        "queued": {"ru": "В очереди", "kk": "Кезекте", "en": "Queued"},
        "running": {"ru": "Выполняется", "kk": "Орындалуда", "en": "Running"},
        "retrying": {"ru": "Повторная попытка", "kk": "Қайта әрекет", "en": "Retrying"},
        "succeeded": {"ru": "Готово", "kk": "Дайын", "en": "Done"},
        "failed": {"ru": "Ошибка", "kk": "Қате", "en": "Failed"},
    },
}

ENUMS: dict[str, type[StrEnum]] = {
    "request_status": statuses.RequestStatus,
    "request_kind": statuses.RequestKind,
    "channel": statuses.Channel,
    "item_status": statuses.ItemStatus,
    "staff_role": statuses.StaffRole,
    "courier_kind": statuses.CourierKind,
    "carrier": statuses.Carrier,
    "route_status": statuses.RouteStatus,
    "stop_outcome": statuses.StopOutcome,
    "failure_reason": statuses.FailureReason,
    "job_state": statuses.JobState,
}
"""The enum each kind names, where there is one (kinds without an enum list their codes themselves)."""

LANGUAGES = ("ru", "kk", "en")


def label(kind: str, code: str | None, lang: str = "ru") -> str:
    """The words for ``code`` of ``kind`` in ``lang`` (Russian where ``lang`` is not known); ``""`` for no code.

    An unknown code is given back as it is, so a page never fails over a new status; the catalogue's
    test makes sure none is missing.
    """
    if code is None or code == "":
        return ""
    words = LABELS.get(kind, {}).get(str(code))
    if words is None:
        return str(code)
    return words.get(lang) or words["ru"]


def choices(kind: str, lang: str = "ru") -> list[tuple[str, str]]:
    """``(code, words)`` for every code of ``kind``, in the catalogue's order: options of a select."""
    return [(code, label(kind, code, lang)) for code in LABELS[kind]]


def missing() -> list[str]:
    """Every enum value without words and every word missing in a language (empty when the catalogue is whole)."""
    found = [
        f"{kind}.{member.value}" for kind, enum in ENUMS.items() for member in enum if member.value not in LABELS.get(kind, {})
    ]
    found += [
        f"{kind}.{code}.{lang}"
        for kind, codes in LABELS.items()
        for code, words in codes.items()
        for lang in LANGUAGES
        if not words.get(lang)
    ]
    return found


def as_words(kind: str, codes: t.Iterable[str], lang: str = "ru") -> list[str]:
    """The words of several codes, in order."""
    return [label(kind, code, lang) for code in codes]
