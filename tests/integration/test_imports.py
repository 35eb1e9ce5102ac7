"""Importing the library system's exports on PostgreSQL: bad rows reported by line, good rows kept."""

from __future__ import annotations

import textwrap

import pytest
from sqlalchemy import func
from sqlalchemy import select

from dispatch.domain.statuses import ItemStatus
from dispatch.errors import ImportFileError
from dispatch.imports.importers import SPECS
from dispatch.imports.importers import run_import
from dispatch.models import Branch
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Reader

pytestmark = pytest.mark.integration

BRANCHES_CSV = """\
code;name;address;lat;lon;phone;email;open_24_7
B01;Филиал 1;ул. Абая, 1;43.25;76.92;8 727 250 12 34;f1@lib.kz;да
B02;Филиал 2;ул. Сатпаева, 2;43.23;76.90;;;нет
"""

READERS_CSV = """\
card_number,full_name,birth_date,phone,language,home_branch,lat,lon,disability_group,card_expires_on
0100001,Иванова Анна,12.03.1948,8 701 123 45 67,ru,B01,43.24,76.94,1,2027-01-01
,Без билета,1950-01-01,8 701 000 00 00,ru,B01,43.24,76.94,,
0100003,Плохой телефон,1950-01-01,12-34,ru,B01,43.24,76.94,,
0100004,Плохая дата,31.02.1950,8 777 123 45 67,kk,B01,43.24,76.94,2,
0100005,Чужой филиал,1950-01-01,8 777 123 45 68,kk,B77,43.24,76.94,2,
0100006,Сапарова Куляш,1944-07-01,+7 777 765 43 21,kk,B02,43.21,76.88,,2027-01-01
0100001,Повтор ключа,1950-01-01,8 701 123 45 67,ru,B01,43.24,76.94,1,
"""


def write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(content), encoding="utf-8")
    return path


def rows(ctx, model) -> int:
    with ctx.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def branches(ctx, tmp_path):
    report = run_import(ctx, SPECS["branches"], write(tmp_path, "branches.csv", BRANCHES_CSV))
    assert report.ok and report.created == 2
    return report


def test_bad_reader_rows_are_reported_by_line_and_good_rows_are_kept(ctx, tmp_path, branches):
    report = run_import(ctx, SPECS["readers"], write(tmp_path, "readers.csv", READERS_CSV))
    assert (report.rows, report.created, len(report.rejected)) == (7, 2, 5)
    by_line = {row.line: [p.code for p in row.problems] for row in report.rejected}
    assert by_line == {
        3: ["row_missing_value"],
        4: ["row_bad_phone"],
        5: ["row_bad_date"],
        6: ["row_unknown_branch"],
        8: ["row_duplicate_key"],
    }
    assert "строка 4 (0100003)" in report.rejected[1].message("ru")
    assert "12-34" in report.rejected[1].message("kk")
    assert rows(ctx, Reader) == 2
    with ctx.uow() as uow:
        anna = uow.session.execute(select(Reader).where(Reader.card_number == "0100001")).scalar_one()
        assert anna.phone == "+77011234567"
        assert anna.birth_date.isoformat() == "1948-03-12"
        assert anna.home_branch.code == "B01"
        assert anna.full_name == "Иванова Анна"  # the repeated key on line 8 changed nothing


def test_reimport_updates_by_key_instead_of_duplicating(ctx, tmp_path, branches):
    run_import(ctx, SPECS["readers"], write(tmp_path, "r1.csv", READERS_CSV))
    changed = READERS_CSV.replace("8 701 123 45 67,ru,B01", "8 705 999 88 77,kk,B02", 1)
    report = run_import(ctx, SPECS["readers"], write(tmp_path, "r2.csv", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert rows(ctx, Reader) == 2
    with ctx.uow() as uow:
        anna = uow.session.execute(select(Reader).where(Reader.card_number == "0100001")).scalar_one()
        assert (anna.phone, anna.language, anna.home_branch.code) == ("+77059998877", "kk", "B02")


def test_branch_rows_need_coordinates(ctx, tmp_path):
    content = "code,name,lat,lon\nB01,Один,43.2,76.9\nB02,Два,,\nB03,Три,95,76.9\n"
    report = run_import(ctx, SPECS["branches"], write(tmp_path, "b.csv", content))
    assert [(r.line, [p.code for p in r.problems]) for r in report.rejected] == [
        (3, ["row_missing_value"]),
        (4, ["row_bad_coordinates"]),
    ]
    assert rows(ctx, Branch) == 1


def test_items_need_a_known_branch_and_status(ctx, tmp_path, branches):
    content = "barcode,title,author,branch,status,weight_g\n1,Абай жолы,Ауэзов,B01,,400\n2,Плаха,Айтматов,B09,,\n3,Джамиля,Айтматов,B01,stolen,\n"
    report = run_import(ctx, SPECS["items"], write(tmp_path, "i.csv", content))
    assert [(r.line, [p.code for p in r.problems]) for r in report.rejected] == [
        (3, ["row_unknown_branch"]),
        (4, ["row_bad_choice"]),
    ]
    with ctx.uow() as uow:
        item = uow.session.execute(select(Item)).scalar_one()
        assert (item.barcode, item.status, item.weight_g) == ("1", ItemStatus.AVAILABLE, 400)


def test_loans_set_item_status_and_refuse_a_second_holder(ctx, tmp_path, branches):
    run_import(ctx, SPECS["readers"], write(tmp_path, "r.csv", READERS_CSV))
    run_import(ctx, SPECS["items"], write(tmp_path, "i.csv", "barcode,title,branch\n1,Абай жолы,B01\n2,Плаха,B01\n"))
    content = (
        "barcode,card_number,issued_on,due_on,returned_on\n"
        "1,0100001,2026-11-01,2026-12-01,\n"
        "1,0100006,2026-11-05,2026-12-05,\n"
        "2,0100006,2026-10-01,2026-10-31,2026-10-20\n"
        "3,0100006,2026-10-01,2026-10-31,\n"
        "2,0109999,2026-11-01,2026-10-01,\n"
    )
    report = run_import(ctx, SPECS["loans"], write(tmp_path, "l.csv", content))
    assert [(r.line, [p.code for p in r.problems]) for r in report.rejected] == [
        (3, ["row_item_on_loan_elsewhere"]),
        (5, ["row_unknown_item"]),
        (6, ["row_unknown_reader", "row_bad_dates_order"]),
    ]
    assert rows(ctx, Loan) == 2
    with ctx.uow() as uow:
        status = dict(uow.session.execute(select(Item.barcode, Item.status)).all())
    assert status == {"1": ItemStatus.ON_LOAN, "2": ItemStatus.AVAILABLE}
    returned = "barcode,card_number,issued_on,due_on,returned_on\n1,0100001,2026-11-01,2026-12-01,2026-11-20\n"
    run_import(ctx, SPECS["loans"], write(tmp_path, "l2.csv", returned))
    with ctx.uow() as uow:
        assert uow.session.execute(select(Item.status).where(Item.barcode == "1")).scalar_one() is ItemStatus.AVAILABLE


def test_a_file_without_its_key_column_is_refused_whole(ctx, tmp_path):
    with pytest.raises(ImportFileError) as caught:
        run_import(ctx, SPECS["readers"], write(tmp_path, "r.csv", "name,phone\nx,y\n"))
    assert "card_number" in caught.value.message("ru")
    assert rows(ctx, Reader) == 0
