"""The operator's desk services on PostgreSQL and SQLite: finding readers by name and phone, the record, the catalogue."""

from __future__ import annotations

import typing as t
from dataclasses import replace
from datetime import date

import pytest

from dispatch.domain.statuses import ItemStatus
from dispatch.jobs.handover import start
from dispatch.models import Branch
from dispatch.models import Hold
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Reader
from dispatch.readers.desk import find_readers
from dispatch.readers.desk import reader_record
from dispatch.requests.catalogue import describe_basket
from dispatch.requests.catalogue import search_catalogue
from dispatch.requests.intake import submit_request
from tests.conftest import MONDAY_MORNING
from tests.integration.factories import reader_values

if t.TYPE_CHECKING:
    from dispatch.context import Context

pytestmark = pytest.mark.integration

READERS = {
    "0500001": ("Соколов Иван Петрович", "+77774022854"),
    "0500002": ("Әбілқасымова Гүлнәр Серікқызы", "+77011234567"),
    "0500003": ("Семёнов Пётр Ильич", "+77019998877"),
    "0500004": ("SOKOLOVA Anna", None),
}


@pytest.fixture(params=["postgresql", "sqlite"])
def desk_ctx(request, ctx, settings, tmp_path) -> t.Iterator[Context]:
    """The same records on the integration PostgreSQL and on a fresh SQLite file, the clock on Monday morning."""
    if request.param == "postgresql":
        yield _fill(ctx)
        return
    lite = start(replace(settings, database_url=f"sqlite:///{tmp_path / 'desk.sqlite3'}"), migrate=True)
    lite.clock = lambda: MONDAY_MORNING
    try:
        yield _fill(lite)
    finally:
        lite.close()


def _fill(ctx: Context) -> Context:
    with ctx.uow() as uow:
        s = uow.session
        home, other = (
            Branch(code="B01", name="Филиал на Абая", lat=43.25, lon=76.92),
            Branch(code="B02", name="Филиал на Сейфуллина", lat=43.22, lon=76.85),
        )
        s.add_all([home, other])
        s.flush()
        for card, (name, phone) in READERS.items():
            s.add(Reader(**reader_values(card, full_name=name, phone=phone, home_branch_id=home.id)))
        books = [
            ("700000001", "Война и мир", "Толстой Лев", other, ItemStatus.AVAILABLE),
            ("700000002", "Война и мир", "Толстой Лев", home, ItemStatus.AVAILABLE),
            ("700000003", "Война и мир", "Толстой Лев", other, ItemStatus.AVAILABLE),
            ("700000004", "Война и мир", "Толстой Лев", home, ItemStatus.ON_LOAN),
            ("700000005", "Абай жолы", "Әуезов Мұхтар", other, ItemStatus.AVAILABLE),
            ("700000006", "Ёлки-палки", "Иванов", home, ItemStatus.LOST),
        ]
        items = {
            code: Item(barcode=code, title=title, author=author, branch=branch, status=status)
            for code, title, author, branch, status in books
        }
        s.add_all(items.values())
        s.flush()
        sokolov = s.query(Reader).filter_by(card_number="0500001").one()
        s.add(Loan(item=items["700000004"], reader=sokolov, issued_on=date(2026, 10, 1), due_on=date(2026, 11, 20)))
        s.add(Hold(reader=sokolov, item=items["700000005"], placed_on=date(2026, 11, 20)))
        uow.commit()
    return ctx


def cards(ctx: Context, query: str) -> list[str]:
    return sorted(row.card_number for row in find_readers(ctx, query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("соколов", ["0500001"]),
        ("СОКОЛОВ", ["0500001"]),
        ("Соколов иван", ["0500001"]),
        ("иван соколов", ["0500001"]),
        ("әбілқасымова", ["0500002"]),
        ("ӘБІЛҚАСЫМОВА ГҮЛНӘР", ["0500002"]),
        ("семенов петр", ["0500003"]),
        ("СЕМЁНОВ", ["0500003"]),
        ("sokolova", ["0500004"]),
        ("0500003", ["0500003"]),
        ("кузнецов", []),
        ("%", []),
    ],
)
def test_a_name_is_found_whatever_its_letter_case_with_yo_as_ye(desk_ctx, query, expected):
    assert cards(desk_ctx, query) == expected


@pytest.mark.parametrize(
    "query", ["8 777 402 28 54", "+7 777 402-28-54", "+7 (777) 402 28 54", "87774022854", "77774022854", "8 777 402", "2854"]
)
def test_a_phone_is_found_in_any_common_form(desk_ctx, query):
    assert cards(desk_ctx, query) == ["0500001"]


def test_the_record_shows_loans_holds_branch_and_sms(desk_ctx):
    record = reader_record(desk_ctx, "0500001")
    assert (record.branch_name, record.sms_on, record.phone) == ("Филиал на Абая", True, "+7 777 402 28 54")
    assert [(loan.title, loan.due_on, loan.overdue) for loan in record.loans] == [("Война и мир", date(2026, 11, 20), True)]
    assert [(h.title, h.branch_name, h.available) for h in record.holds] == [("Абай жолы", "Филиал на Сейфуллина", True)]
    assert reader_record(desk_ctx, "0500004").sms_on is False  # no phone
    pickup = submit_request(desk_ctx, card_number="0500001", barcodes=["700000004"], kind="return_pickup")
    assert [loan.requested_in for loan in reader_record(desk_ctx, "0500001").loans] == [pickup.id]


def test_the_catalogue_groups_free_copies_by_title_with_the_readers_branch_first(desk_ctx):
    found = search_catalogue(desk_ctx, "ВОЙНА", home_branch="B01")
    assert [(g.title, g.available) for g in found] == [("Война и мир", 3)]
    assert [(b.branch_code, b.count, b.home) for b in found[0].branches] == [("B01", 1, True), ("B02", 2, False)]
    assert found[0].branches[0].barcode == "700000002"
    by_author = search_catalogue(desk_ctx, "әуезов", home_branch="B01")
    assert [(g.title, [b.branch_code for b in g.branches]) for g in by_author] == [("Абай жолы", ["B02"])]
    assert [g.title for g in search_catalogue(desk_ctx, "елки", home_branch="B01")] == ["Ёлки-палки"]
    assert search_catalogue(desk_ctx, "елки", home_branch="B01")[0].branches == ()  # lost: listed, none free
    assert [g.title for g in search_catalogue(desk_ctx, "700000003", home_branch=None)] == ["Война и мир"]


def test_a_copy_in_the_basket_or_an_open_request_is_not_offered_again(desk_ctx):
    basket = search_catalogue(desk_ctx, "война", home_branch="B01", exclude=["700000002"])
    assert [(b.branch_code, b.count) for b in basket[0].branches] == [("B02", 2)]
    assert basket[0].in_basket == 1
    submit_request(desk_ctx, card_number="0500003", barcodes=["700000001"], channel="operator")
    left = search_catalogue(desk_ctx, "война", home_branch="B02")
    assert [(b.branch_code, b.count, b.barcode) for b in left[0].branches] == [("B02", 1, "700000003"), ("B01", 1, "700000002")]


def test_the_basket_reads_back_titles_and_names_unknown_barcodes(desk_ctx):
    lines, unknown = describe_basket(desk_ctx, ["700000005", "nope", "700000005"])
    assert [(line.title, line.branch_name) for line in lines] == [("Абай жолы", "Филиал на Сейфуллина")]
    assert unknown == ["nope"]
