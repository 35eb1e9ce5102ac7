"""Plural forms of Russian and Kazakh words after a number, by CLDR's rules (Babel): "1 книга, 2 книги, 5 книг"."""

from __future__ import annotations

import typing as t

from babel import Locale

if t.TYPE_CHECKING:
    from collections.abc import Mapping

FALLBACK = "ru"


def category(count: int, lang: str) -> str:
    """CLDR's plural category of ``count`` in ``lang`` (``one``, ``few``, ``many`` or ``other``; Russian if unknown)."""
    try:
        locale = Locale.parse(lang or FALLBACK)
    except (ValueError, TypeError):
        locale = Locale.parse(FALLBACK)
    return str(locale.plural_form(abs(count)))


def form(count: int, lang: str, forms: Mapping[str, str]) -> str:
    """The word of ``forms`` (by category) that goes after ``count``; ``other``, then ``many``, stand in for a missing one.

    Kazakh nouns keep their singular after a number ("5 кітап"), so its forms are usually one word.
    """
    chosen = category(count, lang)
    return forms.get(chosen) or forms.get("other") or forms.get("many") or next(iter(forms.values()))


def counted(count: int, lang: str, forms: Mapping[str, str]) -> str:
    """``count`` followed by its word: "21 книга", "3 книги", "5 книг"."""
    return f"{count} {form(count, lang, forms)}"


ORDER: dict[str, tuple[str, ...]] = {"ru": ("one", "few", "many")}
"""The categories a ``plural:`` format spec lists its words in, by language; others list ``one,other``."""


class Count(int):
    """A number that words itself in a format spec: ``"{open:plural:заявка,заявки,заявок}".format(open=Count(2, "ru"))``.

    The words after ``plural:`` follow :data:`ORDER` (Russian: one, few, many; Kazakh and English:
    one, other); the number comes first, as in "2 заявки". Any other spec formats the plain number.
    """

    lang: str

    def __new__(cls, value: int, lang: str) -> Count:
        made = super().__new__(cls, value)
        made.lang = lang
        return made

    def __format__(self, spec: str) -> str:
        if not spec.startswith("plural:"):
            return format(int(self), spec)
        words = spec.removeprefix("plural:").split(",")
        order = ORDER.get(self.lang, ("one", "other"))
        chosen = category(int(self), self.lang)
        index = order.index(chosen) if chosen in order else len(order) - 1
        return f"{int(self)} {words[min(index, len(words) - 1)]}"


def countable(values: Mapping[str, object], lang: str) -> dict[str, object]:
    """``values`` with every whole number made a :class:`Count` in ``lang``, so templates can word it."""
    return {
        name: Count(value, lang) if isinstance(value, int) and not isinstance(value, bool) else value
        for name, value in values.items()
    }
