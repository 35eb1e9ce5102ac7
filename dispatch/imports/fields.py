"""Typed reads of one CSV row that collect every problem instead of stopping at the first."""

from __future__ import annotations

import typing as t
from datetime import date
from datetime import datetime
from datetime import time

from dispatch.domain import phones
from dispatch.domain.scheduling import parse_clock
from dispatch.imports.report import RowProblem
from dispatch.readers.lookup import normalise_card

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
TRUE_WORDS = {"1", "true", "yes", "y", "да", "иә", "+"}
FALSE_WORDS = {"0", "false", "no", "n", "нет", "жоқ", "-"}


class RowReader:
    """Reads values from a row; each bad value adds a :class:`RowProblem` and yields ``None``.

    ``notes`` are problems that do not stop the row from being imported but that a person must fix.
    """

    def __init__(self, row: dict[str, str]) -> None:
        self.row = row
        self.problems: list[RowProblem] = []
        self.notes: list[RowProblem] = []

    def problem(self, code: str, **params: t.Any) -> None:
        """Record a problem found by the caller (an unknown reference, say)."""
        self.problems.append(RowProblem(code, params))

    def note(self, code: str, **params: t.Any) -> None:
        """Record something a person must fix in a row that is imported all the same."""
        self.notes.append(RowProblem(code, params))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        """The stripped value, or ``None`` when empty."""
        value = self.row.get(column, "").strip()
        if not value:
            if required:
                self.problem("row_missing_value", column=column)
            return None
        if max_length is not None and len(value) > max_length:
            self.problem("row_bad_choice", column=column, value=value[:40] + "…", allowed=f"≤ {max_length}")
            return None
        return value

    def card(self, column: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        """A library card number, stored as every lookup normalises it (:func:`normalise_card`)."""
        value = self.text(column, required=required, max_length=max_length)
        return normalise_card(value) if value is not None else None

    def date(self, column: str, *, required: bool = False) -> date | None:
        """A date written as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY."""
        value = self.text(column, required=required)
        if value is None:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
            except ValueError:
                continue
        self.problem("row_bad_date", column=column, value=value)
        return None

    def clock(self, column: str, *, required: bool = False) -> time | None:
        """A local time written as HH:MM."""
        value = self.text(column, required=required)
        if value is None:
            return None
        try:
            return parse_clock(value)
        except ValueError:
            self.problem("row_bad_time", column=column, value=value)
            return None

    def words(self, column: str, *, allowed: t.Collection[str] | None = None) -> list[str]:
        """Comma- or space-separated words, lowercased; each must be in ``allowed`` when given."""
        value = self.text(column) or ""
        words = [word.strip().lower() for word in value.replace(",", " ").split() if word.strip()]
        wrong = [word for word in words if allowed is not None and word not in allowed]
        if wrong:
            self.problem("row_bad_choice", column=column, value=", ".join(wrong), allowed=", ".join(sorted(allowed or ())))
        return [word for word in words if word not in wrong]

    def phone(self, column: str) -> str | None:
        """A phone number in E.164."""
        value = self.text(column)
        if value is None:
            return None
        e164 = phones.to_e164(value)
        if e164 is None:
            self.problem("row_bad_phone", column=column, value=value)
        return e164

    def integer(self, column: str, *, low: int, high: int) -> int | None:
        """A whole number between ``low`` and ``high``."""
        value = self.text(column)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.problem("row_bad_number", column=column, value=value)
            return None
        return number

    def flag(self, column: str, *, default: bool | None = None) -> bool | None:
        """Yes/no in Russian, Kazakh or English (да/нет, иә/жоқ, yes/no, 1/0)."""
        value = self.text(column)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        self.problem("row_bad_choice", column=column, value=value, allowed="да/нет, yes/no, 1/0")
        return default

    def choice(self, column: str, allowed: t.Sequence[str], *, default: str) -> str:
        """One of ``allowed`` (case-insensitive), ``default`` when empty."""
        value = self.text(column)
        if value is None:
            return default
        if value.lower() not in allowed:
            self.problem("row_bad_choice", column=column, value=value, allowed=", ".join(allowed))
            return default
        return value.lower()

    def coordinates(self, *, required: bool = False) -> tuple[float | None, float | None]:
        """``lat`` and ``lon`` columns in degrees (WGS 84), both or neither."""
        lat_text, lon_text = self.text("lat"), self.text("lon")
        if lat_text is None and lon_text is None:
            if required:
                self.problem("row_missing_value", column="lat, lon")
            return (None, None)
        if lat_text is None or lon_text is None:
            self.problem("row_half_coordinates")
            return (None, None)
        try:
            lat, lon = float(lat_text.replace(",", ".")), float(lon_text.replace(",", "."))
        except ValueError:
            lat = lon = float("nan")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.problem("row_bad_coordinates", lat=lat_text, lon=lon_text)
            return (None, None)
        return (lat, lon)
