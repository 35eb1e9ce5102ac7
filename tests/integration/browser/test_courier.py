"""A courier's day in Chromium on a phone-sized screen: sign in, leave the branch, record doors, screenshots."""

from __future__ import annotations

from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.courier_day import PASSWORD
from tests.integration.courier_day import add_courier
from tests.integration.courier_day import dispatched_day
from tests.integration.day_world import TUESDAY

PHONE = {"width": 390, "height": 844}


def test_a_courier_leaves_the_branch_and_records_each_door(page, ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    add_courier(ctx, "C01")
    first, second = (s["stop_id"] for s in day["stops"][:2])
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/staff/sign-in")
    page.fill("input[name=username]", "C01")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{page.base}/courier/?day={TUESDAY.isoformat()}")
    assert page.locator("h1").inner_text().startswith("Мой маршрут")
    stop = page.locator(f"#stop-{first}")
    assert stop.locator("a[href^='tel:+7']").count() == 1
    assert stop.locator("a[href*='2gis.kz']").count() == 1 and stop.locator("a[href*='yandex.kz/maps']").count() == 1
    assert page.locator("a[href$='/manifest.pdf']").count() == 1
    screenshot(page, "courier-route-ru")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Выезжаю из филиала").click()
    assert page.locator(".route-status").inner_text() == "В пути"
    page.locator(f"#stop-{first}").get_by_role("button", name="Передано").click()
    assert page.locator(f"#stop-{first} .outcome").inner_text() == "Книги переданы"

    failing = page.locator(f"#stop-{second}")
    failing.get_by_role("button", name="Не удалось доставить").click()  # no reason picked: the browser asks for one
    assert page.locator(f"#stop-{second} .outcome").count() == 0
    failing.get_by_label("Причина неудачи").select_option("not_at_home")
    failing.get_by_role("button", name="Не удалось доставить").click()
    assert page.locator(f"#stop-{second} .outcome").inner_text() == "Не удалось"
    screenshot(page, "courier-route-recorded-ru")

    page.get_by_role("link", name="Қазақша").click()
    assert page.locator(f"#stop-{first} .outcome").inner_text() == "Кітаптар табысталды"
    screenshot(page, "courier-route-kk")
    pdf = page.request.get(f"{page.base}/courier/routes/{day['route_id']}/manifest.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
