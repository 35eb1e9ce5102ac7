"""A courier's day in Chromium on a phone-sized screen: pick the day, leave the branch, record and undo doors, the list view."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.courier_day import PASSWORD
from tests.integration.courier_day import add_courier
from tests.integration.courier_day import dispatched_day

PHONE = {"width": 390, "height": 844}
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("Asia/Almaty"))


def _sign_in(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/staff/sign-in")
    page.fill("input[name=username]", "C01")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()


def _check(page, name: str) -> None:
    screenshot(page, name)
    assert axe_violations(page) == []
    assert_no_raw_codes(page.inner_text("body"), where=name)


def test_a_courier_switches_to_tomorrow_then_on_the_day_leaves_marks_and_undoes(page, ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    add_courier(ctx, "C01")
    first, second = (s["stop_id"] for s in day["stops"][:2])
    _sign_in(page)

    # Monday: today has no route; tomorrow's is one tap away, to look at but not to mark yet.
    page.goto(page.base + "/courier/")
    assert "На этот день у вас нет маршрута" in page.inner_text("main")
    picker = page.get_by_role("navigation", name="Выбор дня")
    assert picker.locator("a[aria-current=date]").inner_text().startswith("Сегодня")
    screenshot(page, "courier-today-empty-ru")
    picker.get_by_role("link", name="24.11").click()
    assert page.locator("h1").inner_text() == "Мой маршрут, 24.11.2026"
    stop = page.locator(f"#stop-{first}")
    assert stop.locator("a[href^='tel:+7']").count() == 1
    assert stop.locator("a[href*='2gis.kz']").count() == 1 and stop.locator("a[href*='yandex.kz/maps']").count() == 1
    assert page.locator("a[href$='/manifest.pdf']").count() == 1
    assert "только в этот день" in page.locator(".notice.blocked").inner_text()
    assert stop.get_by_role("button", name="Передано").is_disabled()
    assert page.get_by_role("button", name="Выезжаю из филиала").is_disabled()
    _check(page, "courier-tomorrow-ru")

    # Tuesday morning: the same route is today's; it is marked only once the courier has left the branch.
    ctx.clock = lambda: TUESDAY_MORNING
    page.goto(page.base + "/courier/")
    assert page.locator("h1").inner_text() == "Мой маршрут, 24.11.2026 · сегодня"
    assert "Сначала отметьте выезд" in page.locator(".notice.blocked").inner_text()
    page.get_by_role("button", name="Выезжаю из филиала").click()
    assert page.locator(".route-status").inner_text() == "В пути"
    assert page.locator(".notice.blocked").count() == 0
    page.locator(f"#stop-{first}").get_by_role("button", name="Передано").click()
    assert page.locator(f"#stop-{first} .outcome").inner_text().startswith("Доставлено")
    assert "Отменить можно в течение 5 минут" in page.locator(".flash, [role=status], main").first.inner_text()
    undo = page.locator(".undo")
    assert "Остановка 1" in undo.inner_text() and "отозвать нельзя" in undo.inner_text()
    _check(page, "courier-marked-ru")

    undo.get_by_role("button", name="Отменить отметку").click()
    assert "Отметка отменена" in page.inner_text("main")
    assert page.locator(f"#stop-{first} .outcome").count() == 0
    assert page.locator(".undo").count() == 0
    page.locator(f"#stop-{first}").get_by_role("button", name="Передано").click()
    assert page.locator(f"#stop-{first} .outcome").inner_text().startswith("Доставлено")

    failing = page.locator(f"#stop-{second}")
    failing.get_by_role("button", name="Не удалось доставить").click()  # no reason picked: the browser asks for one
    assert page.locator(f"#stop-{second} .outcome").count() == 0
    failing.get_by_label("Причина неудачи").select_option("not_at_home")
    failing.get_by_role("button", name="Не удалось доставить").click()
    assert page.locator(f"#stop-{second} .outcome").inner_text().startswith("Не удалось")
    assert page.locator(f"#stop-{second} .reason").inner_text() == "Причина: Читателя нет дома"
    _check(page, "courier-route-recorded-ru")

    # The compact list: one line per door, the failed one with its reason.
    page.get_by_role("link", name="Списком").click()
    rows = page.locator("ol.stop-list > li")
    assert rows.count() == len(day["stops"])
    assert rows.nth(1).locator(".state").inner_text() == "Не удалось: Читателя нет дома"
    _check(page, "courier-list-ru")

    page.get_by_role("link", name="Қазақша").click()
    assert page.locator("ol.stop-list > li").nth(1).locator(".state").inner_text() == "Орындалмады: Оқырман үйде жоқ"
    page.get_by_role("link", name="Карточкалар").click()
    assert page.locator(f"#stop-{first} .outcome").inner_text().startswith("Жеткізілді")
    _check(page, "courier-route-kk")
    pdf = page.request.get(f"{page.base}/courier/routes/{day['route_id']}/manifest.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
