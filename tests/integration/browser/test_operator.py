"""The operator's desk in Chromium: a reader's phone call from finding them to a request taken from the catalogue."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from dispatch.models import AuditEvent
from dispatch.models import DeliveryRequest
from dispatch.models import Item
from dispatch.models import Reader
from dispatch.models import SmsMessage
from dispatch.staff.accounts import add_staff
from tests.conftest import ALMATY
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes

PASSWORD = "correct horse battery"


def sign_in(page, username: str) -> None:
    page.goto(page.base + "/staff/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def stored(ctx) -> tuple[int, int]:
    """How many requests and SMS the database holds."""
    with ctx.uow() as uow:
        requests = uow.session.scalar(select(func.count()).select_from(DeliveryRequest))
        texts = uow.session.scalar(select(func.count()).select_from(SmsMessage))
        return int(requests or 0), int(texts or 0)


def name_the_world(ctx, world) -> None:
    """The standard world with a Russian name, a phone and real titles, as a library's records have them."""
    with ctx.uow() as uow:
        s = uow.session
        reader = s.scalars(select(Reader).where(Reader.card_number == world.reader)).one()
        reader.full_name, reader.phone = "Соколов Иван Петрович", "+77774022854"
        titles = {world.books_b01[0]: ("Война и мир", "Толстой Лев"), world.books_b01[1]: ("Абай жолы", "Әуезов Мұхтар")}
        for item in s.scalars(select(Item).where(Item.barcode.in_(titles))):
            item.title, item.author = titles[item.barcode]
        uow.commit()


def find(page, query: str) -> None:
    page.goto(page.base + "/operator/")
    page.fill("#q", query)
    page.locator("main form[role=search] button").click()


def test_an_operator_takes_a_phone_order_from_the_catalogue_and_a_mistake_sends_nothing(ctx, world, page) -> None:
    add_staff(ctx, "oper", "Оператор Олжас", "operator", PASSWORD)
    name_the_world(ctx, world)
    sign_in(page, "oper")
    assert page.url.endswith("/operator/")

    find(page, "соколов")
    assert page.get_by_role("link", name="Соколов Иван Петрович").count() == 1
    screenshot(page, "operator-find")
    assert axe_violations(page) == []
    find(page, "8 777 402 28 54")
    page.get_by_role("link", name="Соколов Иван Петрович").click()
    assert page.locator("#eligible").count() == 1
    assert page.locator("#branch").inner_text() == "Филиал 1"
    assert "включены" in page.locator("#sms-state").inner_text()
    assert "Выданная" in page.locator("#loans").inner_text()

    # A mistake: no books at all. Shown on the form; nothing stored, nothing texted.
    page.locator("#take-button").click()
    assert "ни одной книги" in page.locator("#take-errors").inner_text()
    assert stored(ctx) == (0, 0)

    page.fill("#book", "ВОЙНА")
    page.locator("#book-find").click()
    assert "Война и мир" in page.locator("#catalogue").inner_text()
    assert "филиал читателя" in page.locator("#catalogue").inner_text()
    page.locator("#catalogue button").first.click()
    page.fill("#book", "әуезов")
    page.locator("#book-find").click()
    page.locator("#catalogue button").first.click()
    basket = page.locator("#basket").inner_text()
    assert "Война и мир" in basket and "Абай жолы" in basket
    screenshot(page, "operator-basket")
    assert axe_violations(page) == []
    assert_no_raw_codes(page.locator("main").inner_text())

    # Another mistake: a day already past. The basket stays; still nothing stored or texted.
    page.fill("#req-date", "2026-11-20")
    page.locator("#take-button").click()
    assert "уже прошла" in page.locator("#take-errors").inner_text()
    assert page.locator("#basket li").count() == 2
    screenshot(page, "operator-mistake")
    assert axe_violations(page) == []
    assert stored(ctx) == (0, 0)

    page.fill("#req-date", "")
    page.locator("#take-button").click()
    assert "принята" in page.locator(".notice").first.inner_text()
    assert "Назначен день" in page.locator("#open-requests").inner_text()
    with ctx.uow() as uow:
        taken = uow.session.scalars(select(DeliveryRequest)).one()
        assert (taken.channel.value, taken.created_by, len(taken.lines)) == ("operator", "staff:oper", 2)
        number = taken.id
    assert stored(ctx) == (1, 1)  # the acceptance SMS, once
    assert page.locator("#basket li").count() == 0
    assert_no_raw_codes(page.locator("main").inner_text())
    page.goto(page.url.split("#")[0] + "?lang=kk")
    assert "Күні белгіленді" in page.locator("#open-requests").inner_text()
    assert page.locator("#kind option:checked").inner_text() == "Кітап жеткізу"
    assert_no_raw_codes(page.locator("main").inner_text())
    screenshot(page, "operator-reader-kk")
    page.goto(page.url.split("?")[0] + "?lang=ru")

    # The caller asks to move it, then changes their mind and cancels; each with a reason.
    page.locator("#open-requests summary").click()
    page.fill(f"#move-date-{number}", "2026-11-26")
    page.fill(f"#move-reason-{number}", "будет у врача во вторник")
    page.locator(f"#move-{number}").click()
    assert "перенесена" in page.locator(".notice").first.inner_text()
    page.locator("#open-requests summary").click()
    page.fill(f"#cancel-reason-{number}", "")
    page.locator(f"#cancel-{number}").click()  # the browser asks for the reason first
    assert stored(ctx) == (1, 1)
    page.fill(f"#cancel-reason-{number}", "дочь привезёт книги сама")
    page.locator(f"#cancel-{number}").click()
    assert "отменена" in page.locator(".notice").first.inner_text()
    assert "Отменена" in page.locator("#history-h + table").inner_text()
    with ctx.uow() as uow:
        reasons = uow.session.scalars(
            select(AuditEvent.reason).where(AuditEvent.entity_id == number).order_by(AuditEvent.id)
        ).all()
        assert reasons[-2:] == ["будет у врача во вторник", "дочь привезёт книги сама"]


def test_an_operator_edits_the_door_and_places_it(ctx, world, page) -> None:
    add_staff(ctx, "oper", "Оператор Олжас", "operator", PASSWORD)
    sign_in(page, "oper")
    page.goto(f"{page.base}/operator/readers/{world.reader}")
    page.fill("#door-entrance", "2")
    page.fill("#door-floor", "5")
    page.fill("#door-flat", "x" * 11)
    page.select_option("#door-lift", "yes")
    page.locator("#door-button").click()
    assert "не больше 10" in page.locator("#door-flat-error").inner_text()
    assert page.locator("#door-entrance").input_value() == "2"
    page.fill("#door-flat", "17")
    page.fill("#door-door_code", "17К")
    page.locator("#door-button").click()
    assert "сохранены" in page.locator(".notice").first.inner_text()
    history = page.locator("#door-history").inner_text()
    with ctx.uow() as uow:  # the time is shown in Almaty, not in UTC
        at = uow.session.scalars(select(AuditEvent.at).where(AuditEvent.to_status == "address_changed")).one()
        assert f"{at.astimezone(ALMATY):%H:%M}" in history
    assert "Оператор Олжас" in history and "17К" in history and "есть лифт" in history
    screenshot(page, "operator-door")
    assert axe_violations(page) == []
    with ctx.uow() as uow:
        reader = uow.session.scalars(select(Reader).where(Reader.card_number == world.reader)).one()
        assert (reader.entrance, reader.floor, reader.flat, reader.door_code, reader.has_lift) == ("2", "5", "17", "17К", True)

    page.fill("#lat", "43.2401")
    page.fill("#lon", "76.9302")
    page.locator("#place-button").click()
    assert "43.2401" in page.locator(".notice").first.inner_text()
    page.fill("#lat", "51.13")
    page.fill("#lon", "71.43")
    page.locator("#place-button").click()
    assert page.locator(".warning").count() >= 1
    with ctx.uow() as uow:
        reader = uow.session.scalars(select(Reader).where(Reader.card_number == world.reader)).one()
        assert (reader.lat, reader.lon) == (43.2401, 76.9302)


def test_a_resent_form_takes_one_request(ctx, world, page) -> None:
    add_staff(ctx, "oper", "Оператор Олжас", "operator", PASSWORD)
    sign_in(page, "oper")
    page.goto(f"{page.base}/operator/readers/{world.reader}")
    page.fill("#barcodes", world.books_b01[0])
    form = page.locator("#take-form")
    fields = {name: form.locator(f"input[name={name}]").input_value() for name in ("csrf_token", "idempotency_key")}
    page.locator("#take-button").click()
    assert "принята" in page.locator(".notice").first.inner_text()
    # The same form sent again (a double click, a resent page): the same request, not a second one.
    again = page.request.post(
        f"{page.base}/operator/readers/{world.reader}/requests",
        form={**fields, "barcodes": world.books_b01[0], "kind": "delivery", "window": "10:00-18:00"},
    )
    assert again.ok
    assert stored(ctx)[0] == 1


def test_an_operator_gets_403_on_the_console(ctx, world, page) -> None:
    add_staff(ctx, "oper", "Оператор Олжас", "operator", PASSWORD)
    sign_in(page, "oper")
    assert page.request.get(page.base + "/console/").status == 403
    assert page.request.get(page.base + "/console/map.png").status == 403
    response = page.request.post(
        page.base + "/operator/readers/" + world.reader + "/location", form={"lat": "43.24", "lon": "76.93"}
    )
    assert response.status == 400  # no CSRF token
