"""The admin pages' services on PostgreSQL: uploads with their stored reports, staff accounts, couriers' leave; all audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from datetime import time

import pytest
from sqlalchemy import func
from sqlalchemy import select

from couriers import roster
from dispatch.admin import audit
from dispatch.admin import uploads
from dispatch.admin.refusals import AdminRefused
from dispatch.branches import records
from dispatch.models import AuditEvent
from dispatch.models import Branch
from dispatch.models import Reader
from dispatch.models import StaffUser
from dispatch.planning.fleet import available
from dispatch.staff import accounts

pytestmark = pytest.mark.integration

READERS = (
    "card_number;full_name;phone;home_branch;lat;lon;disability_group\n"
    "0200001;Абенова Гульнар;8 701 111 22 33;B01;43.24;76.94;1\n"
    "0200002;Плохой телефон;12-34;B01;43.24;76.94;1\n"
    "0200003;Ким Виктор;+7 777 765 43 21;B01;43.21;76.88;2\n"
    ";Без билета;;B01;43.2;76.9;\n"
)


def count(ctx, model) -> int:
    with ctx.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def edit(**overrides) -> roster.CourierEdit:
    values = {
        "full_name": "Айгуль Сейткали",
        "phone": "8 777 100 20 30",
        "kind": "staff",
        "branch_code": "B01",
        "shift_start": time(9),
        "shift_end": time(17),
        "working_days": ["mon", "tue", "wed", "thu", "fri"],
        "capacity_books": 30,
        "capacity_kg": 15,
        "skills": ["stairs"],
        "active": True,
    }
    values.update(overrides)
    return roster.CourierEdit(**values)


def test_an_upload_keeps_the_good_rows_and_stores_its_line_numbered_report(ctx, world) -> None:
    run = uploads.import_upload(ctx, "readers", "C:\\exports\\читатели.csv", READERS.encode("cp1251"), actor="staff:admin")

    assert run.filename == "читатели.csv"
    report = uploads.get_run(ctx, run.id).report
    assert (report.rows, report.created, len(report.rejected)) == (4, 2, 2)
    assert [(row.line, [p.code for p in row.problems]) for row in report.rejected] == [
        (3, ["row_bad_phone"]),
        (5, ["row_missing_value"]),
    ]
    assert "строка 3 (0200002)" in report.rejected[0].message("ru")
    assert "жол 3" in report.rejected[0].message("kk")
    with ctx.uow() as uow:
        names = set(uow.session.scalars(select(Reader.full_name).where(Reader.card_number.like("02%"))))
    assert names == {"Абенова Гульнар", "Ким Виктор"}
    [line] = audit.recent(ctx, entities=("import_run",))
    assert (line.actor, line.action, line.changes["rejected"]) == ("staff:admin", "imported", [None, 2])
    assert [r.id for r in uploads.recent_runs(ctx)] == [run.id]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "upload_empty"),
        (b"PK\x03\x04binary", "upload_not_text"),
        ("имя;телефон\nx;y\n".encode(), "upload_missing_columns"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole_and_nothing_is_stored(ctx, world, data, code) -> None:
    readers = count(ctx, Reader)
    with pytest.raises(AdminRefused) as refused:
        uploads.import_upload(ctx, "readers", "r.csv", data, actor="staff:admin")
    assert refused.value.code == code
    assert refused.value.message("kk") != refused.value.message("ru")
    assert count(ctx, Reader) == readers
    assert uploads.recent_runs(ctx) == []


def test_too_large_an_upload_is_refused(ctx, world, monkeypatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(AdminRefused) as refused:
        uploads.import_upload(ctx, "readers", "r.csv", READERS.encode(), actor="staff:admin")
    assert refused.value.code == "upload_too_large"


def test_staff_accounts_are_created_reset_disabled_and_changed_with_an_audit_trail(ctx, world) -> None:
    boss = accounts.add_staff(ctx, "boss", "Главный Админ", "admin", "long enough 1", actor="cli")
    clerk = accounts.add_staff(ctx, "clerk", "Оператор Олжас", "operator", "long enough 2", "B01", actor="staff:boss")

    accounts.reset_password(ctx, clerk.id, "brand new secret", actor="staff:boss")
    assert accounts.sign_in(ctx, "clerk", "long enough 2") is None
    assert accounts.sign_in(ctx, "clerk", "brand new secret") is not None
    assert accounts.set_staff_role(ctx, clerk.id, "dispatcher", actor="staff:boss", by_id=boss.id).role == "dispatcher"
    accounts.set_staff_active(ctx, clerk.id, active=False, actor="staff:boss", by_id=boss.id)
    assert accounts.sign_in(ctx, "clerk", "brand new secret") is None
    assert accounts.staff_by_id(ctx, clerk.id) is None

    history = audit.recent(ctx, entities=(accounts.STAFF_ENTITY,), entity_id=clerk.id)
    assert [line.action for line in history] == ["disabled", "role_changed", "password_reset", "created"]
    assert history[0].changes == {"active": [True, False]}
    assert history[1].changes == {"role": ["operator", "dispatcher"]}
    assert all(line.actor == "staff:boss" for line in history)
    assert "brand new secret" not in str(history)


def test_an_admin_cannot_lock_themselves_or_everyone_out(ctx, world) -> None:
    boss = accounts.add_staff(ctx, "boss", "Главный Админ", "admin", "long enough 1")
    other = accounts.add_staff(ctx, "other", "Второй Админ", "admin", "long enough 2")
    for change in (
        lambda: accounts.set_staff_active(ctx, boss.id, active=False, actor="staff:boss", by_id=boss.id),
        lambda: accounts.set_staff_role(ctx, boss.id, "operator", actor="staff:boss", by_id=boss.id),
    ):
        with pytest.raises(AdminRefused) as refused:
            change()
        assert refused.value.code == "not_yourself"
    accounts.set_staff_active(ctx, other.id, active=False, actor="staff:boss", by_id=boss.id)
    with pytest.raises(AdminRefused) as refused:
        accounts.set_staff_role(ctx, boss.id, "operator", actor="staff:other", by_id=other.id)
    assert refused.value.code == "last_admin"
    with ctx.uow() as uow:
        assert uow.session.get(StaffUser, boss.id).active is True


def test_a_courier_is_added_and_changed_field_by_field_in_the_audit(ctx, world) -> None:
    roster.save_courier(ctx, "B01-C9", edit(), actor="staff:boss", create=True)
    changed = roster.save_courier(ctx, "B01-C9", edit(branch_code="B02", capacity_books=40, skills=[]), actor="staff:boss")

    assert (changed.branch_code, changed.capacity_books, changed.skills) == ("B02", 40, [])
    card = roster.courier_card(ctx, "B01-C9")
    [edited, created] = audit.recent(ctx, entities=(roster.COURIER_ENTITY,), entity_id=card.id)
    assert created.action == "created"
    assert edited.changes == {"capacity_books": [30, 40], "skills": [["stairs"], []], "branch": ["B01", "B02"]}
    assert card.courier.phone == "+77771002030"


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"shift_start": time(17), "shift_end": time(9)}, "shift_order", "shift_end"),
        ({"working_days": []}, "no_working_days", "working_days"),
        ({"phone": "12-34"}, "bad_phone", "phone"),
        ({"branch_code": "B77"}, "unknown_branch", "branch_code"),
    ],
)
def test_a_courier_form_that_breaks_a_rule_changes_nothing(ctx, world, values, code, field) -> None:
    roster.save_courier(ctx, "B01-C9", edit(), actor="staff:boss", create=True)
    before = count(ctx, AuditEvent)
    with pytest.raises(AdminRefused) as refused:
        roster.save_courier(ctx, "B01-C9", edit(full_name="Другое имя", **values), actor="staff:boss")
    assert (refused.value.code, refused.value.params["field"]) == (code, field)
    assert roster.courier_card(ctx, "B01-C9").courier.full_name == "Айгуль Сейткали"
    assert count(ctx, AuditEvent) == before


def test_planning_leaves_a_courier_on_leave_out_and_takes_them_back_when_it_is_removed(ctx, world) -> None:
    roster.save_courier(ctx, "B01-C1", edit(), actor="staff:boss", create=True)
    roster.save_courier(ctx, "B01-C2", edit(full_name="Болат Оспанов", phone=""), actor="staff:boss", create=True)
    monday, tuesday, friday = date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 5)
    leave = roster.add_leave(ctx, "B01-C1", tuesday, date(2027, 3, 4), "отпуск", actor="staff:boss")

    def on_shift(day: date) -> list[str]:
        with ctx.uow() as uow:
            branch_id = uow.session.scalar(select(Branch.id).where(Branch.code == "B01"))
            return [courier.code for courier in available(uow.session, branch_id, day)]

    assert on_shift(monday) == ["B01-C1", "B01-C2"]
    assert on_shift(tuesday) == ["B01-C2"]
    assert on_shift(friday) == ["B01-C1", "B01-C2"]

    with pytest.raises(AdminRefused) as refused:
        roster.add_leave(ctx, "B01-C1", date(2027, 3, 4), date(2027, 3, 8), "", actor="staff:boss")
    assert refused.value.code == "leave_overlaps"
    with pytest.raises(AdminRefused) as refused:
        roster.add_leave(ctx, "B01-C1", friday, monday, "", actor="staff:boss")
    assert refused.value.code == "leave_bad_dates"

    roster.cancel_leave(ctx, "B01-C1", leave.id, actor="staff:boss")
    assert on_shift(tuesday) == ["B01-C1", "B01-C2"]
    card = roster.courier_card(ctx, "B01-C1")
    actions = [line.action for line in audit.recent(ctx, entities=(roster.LEAVE_ENTITY,), entity_id=card.id)]
    assert actions == ["leave_cancelled", "leave_added"]


def test_a_branchs_contacts_are_changed_with_an_audit_trail_and_a_bad_phone_changes_nothing(ctx, world) -> None:
    edit_b01 = records.BranchEdit(name="Филиал 1", address="ул. Абая, 1", phone="8 727 250 12 34", email="", open_24_7=True)
    saved = records.edit_branch(ctx, "B01", edit_b01, actor="staff:boss")
    assert (saved.phone, saved.open_24_7) == ("+77272501234", True)
    [line] = audit.recent(ctx, entities=(records.BRANCH_ENTITY,), entity_id=saved.id)
    assert line.changes == {"address": ["", "ул. Абая, 1"], "phone": [None, "+77272501234"], "open_24_7": [False, True]}

    with pytest.raises(AdminRefused) as refused:
        records.edit_branch(ctx, "B01", replace(edit_b01, name="Другое", phone="12-34"), actor="staff:boss")
    assert refused.value.params["field"] == "phone"
    assert records.get_branch(ctx, "B01").name == "Филиал 1"
