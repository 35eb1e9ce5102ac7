"""The admin pages in Chromium: an import by upload with its line-numbered report, a new staff account, a courier's leave."""

from __future__ import annotations

from sqlalchemy import select

from couriers import roster
from dispatch.models import Reader
from dispatch.models import StaffUser
from dispatch.staff.accounts import add_staff
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import raw_codes
from tests.integration.test_admin_services import edit

PASSWORD = "correct horse battery"
READERS = (
    "card_number,full_name,phone,home_branch,lat,lon,disability_group\n"
    "0300001,Абенова Гульнар,8 701 111 22 33,B01,43.24,76.94,1\n"
    "0300002,Плохой телефон,12-34,B01,43.24,76.94,1\n"
    "0300003,Ким Виктор,+7 777 765 43 21,B01,43.21,76.88,2\n"
    "0300004,Чужой филиал,8 777 123 45 68,B77,43.24,76.94,2\n"
)


def sign_in_admin(ctx, page) -> None:
    add_staff(ctx, "boss", "Главный Админ", "admin", PASSWORD)
    page.goto(page.base + "/staff/sign-in")
    page.fill("#username", "boss")
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def looks_right(page, name: str) -> None:
    """No serious accessibility finding, no raw code, and a screenshot to look at."""
    screenshot(page, f"admin-{name}")
    assert axe_violations(page) == []
    assert raw_codes(page.locator("main").inner_text()) == []


def test_an_admin_uploads_a_readers_file_with_bad_rows_and_sees_the_report(ctx, world, page, tmp_path) -> None:
    sign_in_admin(ctx, page)
    page.get_by_role("link", name="Администрирование").first.click()
    looks_right(page, "home")
    page.locator(".admin-menu").get_by_role("link", name="Загрузка файлов").click()
    looks_right(page, "imports")

    # No kind, no file: said on the form, nothing imported.
    page.locator("#upload-button").click()
    assert "Выберите, какой файл" in page.locator("#error-summary").inner_text()

    export = tmp_path / "readers.csv"
    export.write_text(READERS, encoding="utf-8")
    page.select_option("#kind", "readers")
    page.set_input_files("#file", str(export))
    page.locator("#upload-button").click()
    page.wait_for_load_state()

    assert "/admin/imports/" in page.url
    assert "Некоторые строки не загружены" in page.locator("#import-summary").inner_text()
    rejected = page.locator("#rejected tbody tr")
    assert rejected.count() == 2
    assert rejected.nth(0).inner_text().split("\t")[:2] == ["3", "0300002"]
    assert "не похож на номер" in rejected.nth(0).inner_text()
    assert "филиал с кодом «B77» не найден".lower() in rejected.nth(1).inner_text().lower()
    looks_right(page, "import-report")
    with ctx.uow() as uow:
        cards = set(uow.session.scalars(select(Reader.card_number).where(Reader.card_number.like("03%"))))
    assert cards == {"0300001", "0300003"}

    # The same report in Kazakh.
    page.locator("nav.languages").get_by_role("link", name="Қазақша").click()
    assert "телефоны Қазақстан нөміріне ұқсамайды" in page.locator("#rejected").inner_text()
    assert "Қабылданбады" in page.locator("#import-counts").inner_text()
    looks_right(page, "import-report-kk")

    # A spreadsheet instead of CSV: refused on the form, nothing imported.
    page.goto(page.base + "/admin/imports?lang=ru")
    workbook = tmp_path / "readers.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not really a workbook")
    page.select_option("#kind", "readers")
    page.set_input_files("#file", str(workbook))
    page.locator("#upload-button").click()
    assert "не текстовый CSV" in page.locator("#error-summary").inner_text()
    assert page.locator("#file-error").count() == 1
    screenshot(page, "admin-imports-refused")


def test_an_admin_creates_a_staff_account_and_disables_it(ctx, world, page) -> None:
    sign_in_admin(ctx, page)
    page.goto(page.base + "/admin/staff")
    looks_right(page, "staff")

    page.fill("#full_name", "Оператор Олжас")
    page.fill("#username", "olzhas")
    page.select_option("#role", "operator")
    page.fill("#password", "short")
    page.locator("#create-staff").click()
    assert "не меньше 8 символов" in page.locator("#error-summary").inner_text()
    with ctx.uow() as uow:
        assert uow.session.scalar(select(StaffUser).where(StaffUser.username == "olzhas")) is None

    page.fill("#password", "a long enough secret")
    page.locator("#create-staff").click()
    page.wait_for_load_state()
    assert page.locator("#role").inner_text() == "Оператор"
    assert "olzhas создана" in page.locator("main").inner_text()
    looks_right(page, "account")

    page.select_option("#role-role", "dispatcher")
    page.locator("#save-role").click()
    assert page.locator("#role").inner_text() == "Диспетчер"
    page.locator("#toggle-active").click()
    assert "отключена" in page.locator("#state").inner_text()
    history = page.locator("table.audit").inner_text()
    assert "смена роли" in history and "Оператор → Диспетчер" in history and "boss" in history
    screenshot(page, "admin-account-history")


def test_an_admin_records_a_couriers_leave(ctx, world, page) -> None:
    roster.save_courier(ctx, "B01-C1", edit(), actor="cli", create=True)
    sign_in_admin(ctx, page)
    page.goto(page.base + "/admin/couriers")
    looks_right(page, "couriers")
    page.get_by_role("link", name="Айгуль Сейткали").click()

    page.fill("#leave-starts_on", "2027-03-05")
    page.fill("#leave-ends_on", "2027-03-01")
    page.locator("#save-leave").click()
    assert "раньше даты начала" in page.locator("main").inner_text()

    page.fill("#leave-ends_on", "2027-03-12")
    page.fill("#leave-reason", "отпуск")
    page.locator("#save-leave").click()
    page.wait_for_load_state()
    assert "5 марта 2027" in page.locator("#leaves").inner_text()

    page.fill("#shift_end", "08:00")
    page.locator("#save-courier").click()
    assert "позже, чем начинается" in page.locator("#shift_end-error").inner_text()
    looks_right(page, "courier")

    page.goto(page.base + "/admin/couriers")
    page.locator("#add-courier").click()
    looks_right(page, "courier-new")
    page.fill("#code", "B01-C7")
    page.fill("#full_name", "Болат Оспанов")
    page.check("#skills-1")
    page.locator("#save-courier").click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/couriers/B01-C7")
    assert page.locator("#skills-1").is_checked() and page.locator("#shift_start").input_value() == "09:00"


def test_an_admin_changes_a_branchs_phone(ctx, world, page) -> None:
    sign_in_admin(ctx, page)
    page.goto(page.base + "/admin/branches")
    looks_right(page, "branches")
    page.get_by_role("link", name="Филиал 1").click()
    page.fill("#phone", "12-34")
    page.locator("#save-branch").click()
    assert "не похож на номер" in page.locator("#phone-error").inner_text()
    page.fill("#phone", "8 727 250 12 34")
    page.check("#open_24_7")
    page.locator("#save-branch").click()
    page.wait_for_load_state()
    assert page.locator("#phone").input_value() == "+77272501234"
    assert "Работает круглосуточно (24/7): нет → да" in page.locator("table.audit").inner_text()
    looks_right(page, "branch")
