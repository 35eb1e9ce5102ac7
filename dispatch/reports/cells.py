"""Cells of an exported report that a spreadsheet cannot run: text that would start a formula is made inert.

A branch named ``=HYPERLINK("http://…","click")`` must reach Excel as text, never as a formula
(CSV injection, OWASP). Numbers the report computed stay numbers; only text is checked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""What makes Excel, LibreOffice or Google Sheets read a text cell as a formula (or hide one behind a line break)."""

Value = str | int | float | Decimal | date | None


def risky(text: str) -> bool:
    """Would a spreadsheet take ``text`` for a formula?"""
    return text.startswith(FORMULA_STARTS)


def inert_text(text: str) -> str:
    """``text`` for a CSV cell: an apostrophe in front of a formula start, as Excel itself writes "text, not a formula"."""
    return "'" + text if risky(text) else text
