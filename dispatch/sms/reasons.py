"""Why a request was refused, in a few plain words that fit an SMS (the full sentence is on the web page and by phone)."""

from __future__ import annotations

import typing as t

SHORT: dict[str, dict[str, str]] = {
    "card_expired": {"ru": "истёк срок читательского билета", "kk": "оқырман билетінің мерзімі өтті"},
    "card_blocked": {"ru": "читательский билет заблокирован", "kk": "оқырман билеті бұғатталған"},
    "mobility_not_recorded": {"ru": "нет сведений о маломобильности", "kk": "қозғалыс шектеулігі туралы мәлімет жоқ"},
    "mobility_expired": {"ru": "истёк срок справки", "kk": "анықтаманың мерзімі өтті"},
    "mobility_group_not_eligible": {"ru": "группа инвалидности не подходит", "kk": "мүгедектік тобы сәйкес емес"},
    "address_missing": {"ru": "нужно уточнить адрес", "kk": "мекенжайды нақтылау керек"},
    "address_outside_area": {"ru": "адрес вне зоны доставки", "kk": "мекенжай жеткізу аймағынан тыс"},
    "phone_missing": {"ru": "нет номера телефона", "kk": "телефон нөмірі жоқ"},
    "too_many_items": {"ru": "слишком много книг в заявке", "kk": "өтінімде кітап тым көп"},
    "too_many_open_requests": {"ru": "уже есть открытые заявки", "kk": "ашық өтінімдер бар"},
    "no_items": {"ru": "не выбраны книги", "kk": "кітаптар таңдалмаған"},
    "item_not_found": {"ru": "книга не найдена", "kk": "кітап табылмады"},
    "item_not_lendable": {"ru": "книга сейчас недоступна", "kk": "кітап қазір қолжетімсіз"},
    "item_already_requested": {"ru": "книга уже заказана", "kk": "кітапқа тапсырыс берілген"},
    "item_not_on_loan_to_reader": {"ru": "книга не числится за Вами", "kk": "кітап Сіздің атыңызда емес"},
    "items_at_several_branches": {"ru": "книги в разных филиалах", "kk": "кітаптар әр түрлі филиалда"},
    "date_in_past": {"ru": "дата уже прошла", "kk": "күн өтіп кетті"},
    "date_too_far": {"ru": "дата слишком далеко", "kk": "күн тым алыс"},
}
GENERAL = {"ru": "не выполнены условия доставки", "kk": "жеткізу шарттары орындалмады"}


def short_reason(reasons: t.Sequence[dict[str, t.Any]], language: str) -> str:
    """The first reason's short words in ``language`` (ru or kk), or a general phrase."""
    for reason in reasons:
        words = SHORT.get(str(reason.get("code")))
        if words:
            return words.get(language, words["ru"])
    return GENERAL.get(language, GENERAL["ru"])
