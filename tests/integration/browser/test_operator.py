"""The operator's desk in Chromium: find a reader, see their standing, take a phone request, place the door."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.models import DeliveryRequest
from dispatch.models import Reader
from dispatch.staff.accounts import add_staff
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot

PASSWORD = "correct horse battery"


def sign_in(page, username: str) -> None:
    page.goto(page.base + "/staff/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_an_operator_takes_a_phone_request_and_places_the_door(ctx, world, page) -> None:
    add_staff(ctx, "oper", "Оператор Олжас", "operator", PASSWORD)
    sign_in(page, "oper")
    assert page.url.endswith("/operator/")
    page.fill("#q", world.reader)
    page.locator("main form[role=search] button").click()
    screenshot(page, "operator-find")
    page.get_by_role("link", name=world.reader).click()
    assert page.locator("#eligible").count() == 1
    screenshot(page, "operator-reader")
    assert axe_violations(page) == []

    page.fill("#barcodes", world.books_b01[0])
    form = page.locator("form:has(#take-button)")
    fields = {name: form.locator(f"input[name={name}]").input_value() for name in ("csrf_token", "idempotency_key")}
    page.locator("#take-button").click()
    assert "принята" in page.locator(".notice").first.inner_text()
    # The same form sent again (a double click, a resent page): the same request, not a second one.
    again = page.request.post(
        page.url + "/requests", form={**fields, "barcodes": world.books_b01[0], "kind": "delivery", "window": "10:00-14:00"}
    )
    assert again.ok
    with ctx.uow() as uow:
        taken = uow.session.scalars(select(DeliveryRequest)).all()
        assert len(taken) == 1 and taken[0].channel.value == "phone" and taken[0].created_by == "staff:oper"

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
    screenshot(page, "operator-placed")


def test_an_operator_gets_403_on_the_console(ctx, world, page) -> None:
    add_staff(ctx, "oper", "Оператор Олжас", "operator", PASSWORD)
    sign_in(page, "oper")
    assert page.request.get(page.base + "/console/").status == 403
    assert page.request.get(page.base + "/console/map.png").status == 403
    response = page.request.post(
        page.base + "/operator/readers/" + world.reader + "/location", form={"lat": "43.24", "lon": "76.93"}
    )
    assert response.status == 400  # no CSRF token
