"""The dispatcher console in Chromium: sign in, plan a day, see the map, move a stop and re-plan; CSRF enforced."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dispatch.staff.accounts import add_staff
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day

PASSWORD = "correct horse battery"


@pytest.fixture
def planned_world(ctx, almaty_graph):
    """Tuesday's day of eight readers and two couriers, a dispatcher, and planning kept short."""
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1))
    world = make_day(ctx, almaty_graph, readers=8)
    add_staff(ctx, "disp", "Диспетчер Дана", "dispatcher", PASSWORD, "B01")
    return world


def sign_in(page, username: str) -> None:
    page.goto(page.base + "/staff/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def console_url(page) -> str:
    return f"{page.base}/console/?date={TUESDAY.isoformat()}&branch=B01"


def test_a_dispatcher_plans_sees_the_map_moves_a_stop_and_replans(planned_world, page) -> None:
    sign_in(page, "disp")
    page.goto(console_url(page))
    assert page.locator("h1").inner_text() == "Пульт диспетчера"
    assert page.locator("#batch-h + table tbody tr").count() == 8
    screenshot(page, "console-batch")
    assert axe_violations(page) == []

    page.locator("#plan-button").click()
    page.wait_for_selector("#map-h")
    assert "1" in page.locator("#map-h").inner_text()
    routes = page.locator("article.route")
    assert routes.count() >= 1
    # The server-drawn picture always loads; Leaflet draws the routes over (unreachable) tiles.
    page.wait_for_function("document.getElementById('map-picture').complete")
    assert page.evaluate("document.getElementById('map-picture').naturalWidth") > 0
    page.wait_for_selector("#map.leaflet-container")
    page.wait_for_selector("#map path.route-line", state="attached")
    assert page.locator("#map .stop-number").count() >= 1
    screenshot(page, "console-planned")

    row = page.locator("tr[data-request-id]").first
    request_id = row.get_attribute("data-request-id")
    select = row.locator("select[name=vehicle]")
    current = select.input_value()
    options = [o for o in select.locator("option").all_inner_texts() if o != current]
    target = (
        next(o for o in options if o.startswith("courier:")) if any(o.startswith("courier:") for o in options) else options[0]
    )
    select.select_option(target)
    row.locator("button").click()
    page.wait_for_selector("#map-h")

    assert "2" in page.locator("#map-h").inner_text()
    moved = page.locator(f"tr[data-request-id='{request_id}']")
    article = page.locator("article.route", has=moved)
    assert article.get_attribute("data-vehicle") == target
    assert target.split(":")[1] in article.locator("h3").inner_text()
    assert target in moved.locator(".pin").inner_text()
    screenshot(page, "console-replanned")
    assert axe_violations(page) == []


def test_console_forms_need_the_csrf_token(planned_world, page) -> None:
    sign_in(page, "disp")
    response = page.request.post(page.base + "/console/plan", form={"date": TUESDAY.isoformat(), "branch": "B01"})
    assert response.status == 400
    response = page.request.post(page.base + "/console/stops/pin", form={"request_id": "1", "vehicle": "courier:C01"})
    assert response.status == 400


def test_the_job_progress_endpoint_needs_a_session(planned_world, page) -> None:
    response = page.request.get(page.base + "/console/jobs/plan:B01:x", max_redirects=0)
    assert response.status == 302
    sign_in(page, "disp")
    assert page.request.get(page.base + "/console/jobs/plan:B01:x").status == 404


def test_leaflet_is_served_and_nothing_outside_its_folder(live, page) -> None:
    assert page.request.get(live + "/vendor/leaflet/leaflet.js").status == 200
    assert page.request.get(live + "/vendor/leaflet/../package.json").status == 404
    assert page.request.get(live + "/vendor/leaflet/%2e%2e/leaflet/package.json").status == 404
