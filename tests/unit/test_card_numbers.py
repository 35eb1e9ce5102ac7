"""Card numbers are normalised one way, by the import and by every lookup, and looked up in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch.imports.fields import RowReader
from dispatch.readers.lookup import normalise_card

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0100001", "0100001"),
        ("  0100001 ", "0100001"),
        ("\t0100001\r\n", "0100001"),
        ("\u00a00100001\u2009", "0100001"),  # a no-break space and a thin space, pasted from a document
        ("AB-12 3", "AB-12 3"),  # inside, the card stays as the library wrote it
        ("ab-12 3", "ab-12 3"),
        ("   ", ""),
    ],
)
def test_a_card_loses_only_the_whitespace_around_it(typed: str, stored: str) -> None:
    assert normalise_card(typed) == stored
    assert normalise_card(normalise_card(typed)) == normalise_card(typed)


def test_the_import_reads_a_card_as_the_lookups_normalise_it() -> None:
    fields = RowReader({"card_number": "\u00a0 0100001\t", "blank": "  "})
    assert fields.card("card_number", required=True, max_length=7) == "0100001"
    assert fields.card("blank", required=True) is None
    assert [p.code for p in fields.problems] == ["row_missing_value"]


def test_only_the_lookup_compares_card_numbers() -> None:
    """A second hand-written ``Reader.card_number ==`` would be a second normalisation (the desk's search aside)."""
    allowed = {Path("dispatch/readers/lookup.py"), Path("dispatch/readers/desk.py")}
    found = {
        path.relative_to(ROOT)
        for package in ("dispatch", "couriers", "web", "cli")
        for path in (ROOT / package).rglob("*.py")
        if "Reader.card_number ==" in path.read_text(encoding="utf-8")
    }
    assert found <= allowed
