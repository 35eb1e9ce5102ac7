"""The dispatcher console in Chromium: the city's day, planning all branches with live progress, moving a stop,
a pin refused and a pin kept with a message, unpinning, and a Yandex claim changing state without a reload."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from datetime import time

import pytest
from sqlalchemy import select

from couriers.yandex.booking import book_route
from couriers.yandex.tracking import sync_journal
from dispatch.config import YandexSettings
from dispatch.domain.statuses import Carrier
from dispatch.jobs.context import use_context
from dispatch.models import Branch
from dispatch.models import Courier
from dispatch.models import Item
from dispatch.models import PlanStop
from dispatch.models import Reader
from dispatch.models import YandexClaim
from dispatch.planning.inputs import current_plan
from dispatch.planning.service import plan_day
from dispatch.requests.intake import submit_request
from dispatch.staff.accounts import add_staff
from integrations.yandex.standin.server import YandexSimulator
from tests.conftest import MONDAY_MORNING
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day
from tests.integration.day_world import street_points
from tests.integration.factories import reader_values

PASSWORD = "correct horse battery"
TOKEN = "console-yandex-token"
WAIT_MS = 180_000  # planning in the background takes seconds on a loaded machine; the page never waits for it


def _second_branch(ctx, graph) -> None:
    """A small second branch (one courier, three readers) so that "plan all" plans more than one."""
    with ctx.uow() as uow:
        s = uow.session
        branch = Branch(code="B02", name="Библиотека им. Жамбыла", address="ул. Жамбыла, 1", lat=43.2385, lon=76.9452)
        s.add(branch)
        s.flush()
        s.add(
            Courier(
                code="D01",
                full_name="Волонтёр Ерлан",
                phone="+77015550001",
                branch_id=branch.id,
                shift_start=time(9, 0),
                shift_end=time(18, 0),
                capacity_books=20,
                capacity_g=12000,
                skills=[],
            )
        )
        cards = []
        for i, (lat, lon) in enumerate(street_points(graph, 3, seed=31)):
            card = f"08{i:05d}"
            s.add(
                Reader(
                    **reader_values(
                        card,
                        home_branch_id=branch.id,
                        lat=lat,
                        lon=lon,
                        full_name=f"Читательница {i}",
                        address=f"ул. Садовая, {i + 1}",
                    )
                )
            )
            s.add(Item(barcode=f"48{i:04d}", title=f"Сказки {i}", author="Абай", branch_id=branch.id, weight_g=300))
            cards.append(card)
        uow.commit()
    for i, card in enumerate(cards):
        view = submit_request(
            ctx,
            card_number=card,
            barcodes=[f"48{i:04d}"],
            wished_date=TUESDAY,
            window="10:00-18:00",
            idempotency_key=f"b02-{card}",
        )
        assert view.status == "scheduled", view


@pytest.fixture
def city(ctx, almaty_graph):
    """Two branches with Tuesday's requests, a dispatcher, planning kept short."""
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1, time_limit_s=3.0))
    world = make_day(ctx, almaty_graph, readers=8)
    _second_branch(ctx, almaty_graph)
    add_staff(ctx, "disp", "Диспетчер Дана", "dispatcher", PASSWORD, "B01")
    return world


@pytest.fixture
def planned(city, ctx):
    plan_day(ctx, TUESDAY, "B01")
    return city


def sign_in(page, username: str = "disp") -> None:
    page.goto(page.base + "/staff/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def branch_url(page, code: str = "B01") -> str:
    return f"{page.base}/console/branch/{code}?date={TUESDAY.isoformat()}"


def no_raw_codes(page) -> None:
    assert_no_raw_codes(page.locator("main").inner_text(), where=page.url)


def test_the_overview_opens_on_the_next_service_day_and_plans_every_branch_with_live_progress(city, page) -> None:
    sign_in(page)
    page.goto(page.base + "/console/")
    assert page.locator("#date").input_value() == TUESDAY.isoformat()  # Monday now: Tuesday is the next service day
    rows = page.locator("#branches tbody tr")
    assert rows.count() == 2
    assert page.locator("[data-live='branch-B01-requests']").inner_text() == "8"
    assert page.locator("[data-live='branch-B02-requests']").inner_text() == "3"
    assert "8 заявок ещё не спланированы" in page.locator("[data-live='branch-B01-alerts']").inner_text()
    no_raw_codes(page)
    screenshot(page, "console-overview")
    assert axe_violations(page) == []

    page.evaluate("window.stayedOnPage = true")
    page.locator("#plan-all").click()
    # The page answers at once: both jobs show with their progress while the planner works in the background.
    page.wait_for_selector("#jobs .job >> nth=1")
    assert "Библиотека им. Жамбыла" in page.locator("#jobs").inner_text()
    assert page.locator("#jobs progress").count() == 2
    page.wait_for_function("document.querySelectorAll('#jobs .job[data-state=succeeded]').length === 2", timeout=WAIT_MS)
    assert page.evaluate("window.stayedOnPage") is True
    assert "Готово" in page.locator("#jobs").inner_text()
    # The rows refresh themselves, and the city map draws the routes of both branches.
    page.wait_for_function("document.querySelector(\"[data-live='branch-B02-version']\").textContent === '1'")
    assert page.locator("[data-live='branch-B01-planned']").inner_text() != "0"
    page.wait_for_selector("#map path.route-line >> nth=1", state="attached")
    no_raw_codes(page)
    screenshot(page, "console-overview-planned")
    assert axe_violations(page) == []

    page.locator("#branches a", has_text="Центральная библиотека").click()
    page.wait_for_selector("article.route")
    assert page.url.startswith(branch_url(page))


def test_a_pin_is_refused_with_its_reason_then_a_stop_is_moved_kept_and_unpinned(planned, page) -> None:
    sign_in(page)
    page.goto(branch_url(page))
    assert page.locator("h1").inner_text().startswith("Центральная библиотека")
    assert page.locator("article.route").count() >= 1
    assert "Читатель" in page.locator("article.route table").first.inner_text()
    assert page.locator("#roster-h + table tbody tr").count() == 2
    no_raw_codes(page)
    screenshot(page, "console-branch")
    assert axe_violations(page) == []

    # Reader 3 lives on the 4th floor without a lift: a Yandex car may not take the stop, and the page says why.
    stairs = planned.requests[3]
    row = page.locator(f"tr[data-request-id='{stairs}']")
    row.locator("select[name=vehicle]").select_option("yandex:1")
    row.locator("button", has_text="Закрепить").click()
    page.wait_for_selector("#jobs .warning")
    refusal = page.locator("#jobs .warning").inner_text()
    assert "Не закреплено" in refusal and "Яндекс, машина 1" in refusal and "лестниц" in refusal
    assert page.locator(f"tr[data-request-id='{stairs}'] .pin").count() == 0

    # Another reader moves to the other courier: the day is planned again in the background and the pin is kept.
    row = page.locator("article.route tr[data-request-id]").filter(has_not=page.locator(f"[id='move-{stairs}']")).first
    request_id = row.get_attribute("data-request-id")
    current = row.locator("select[name=vehicle]").input_value()
    target = "courier:C02" if current != "courier:C02" else "courier:C01"
    row.locator("select[name=vehicle]").select_option(target)
    row.locator("button", has_text="Закрепить").click()
    page.wait_for_selector("#jobs .job")
    page.wait_for_selector("text=Версия плана 2", timeout=WAIT_MS)
    moved = page.locator(f"tr[data-request-id='{request_id}']")
    assert page.locator("article.route", has=moved).get_attribute("data-vehicle") == target
    assert "соблюдено" in moved.locator(".pin").inner_text()
    assert "Курьер 2" in moved.locator(".pin").inner_text() or "Курьер 1" in moved.locator(".pin").inner_text()
    no_raw_codes(page)
    screenshot(page, "console-branch-pinned")

    # The same page in Kazakh: words, not codes, and the kept pin says so.
    page.goto(branch_url(page) + "&lang=kk")
    assert "сақталды" in page.locator(f"tr[data-request-id='{request_id}'] .pin").inner_text()
    assert "Осы күнгі курьерлер" in page.locator("#roster-h").inner_text()
    no_raw_codes(page)
    screenshot(page, "console-branch-kk")
    page.goto(branch_url(page) + "&lang=ru")
    moved = page.locator(f"tr[data-request-id='{request_id}']")

    moved.locator("button", has_text="Открепить").click()
    page.wait_for_selector("text=Версия плана 3", timeout=WAIT_MS)
    assert page.locator(f"tr[data-request-id='{request_id}'] .pin").count() == 0


def test_console_forms_need_the_csrf_token(city, page) -> None:
    sign_in(page)
    response = page.request.post(page.base + "/console/plan", form={"date": TUESDAY.isoformat(), "branch": "B01"})
    assert response.status == 400
    response = page.request.post(page.base + "/console/stops/pin", form={"request_id": "1", "vehicle": "courier:C01"})
    assert response.status == 400


def test_the_job_progress_endpoint_needs_a_session(city, page) -> None:
    response = page.request.get(page.base + "/console/jobs/plan:B01:x", max_redirects=0)
    assert response.status == 302
    sign_in(page)
    assert page.request.get(page.base + "/console/jobs/plan:B01:x").status == 404


def test_leaflet_is_served_and_nothing_outside_its_folder(live, page) -> None:
    assert page.request.get(live + "/vendor/leaflet/leaflet.js").status == 200
    assert page.request.get(live + "/vendor/leaflet/../package.json").status == 404
    assert page.request.get(live + "/vendor/leaflet/%2e%2e/leaflet/package.json").status == 404


@pytest.fixture
def yandex():
    with YandexSimulator(token=TOKEN, clock=lambda: MONDAY_MORNING) as simulator:
        yield simulator


@pytest.fixture
def yandex_day(ctx, yandex, almaty_graph):
    """A branch without couriers of its own: its day goes to Yandex cars, booked before the page opens."""
    ctx.settings = replace(
        ctx.settings,
        yandex=YandexSettings(base_url=yandex.url, token=TOKEN, accept_wait_s=0.0),
        planning=replace(ctx.settings.planning, solver_workers=1, yandex_vehicles=2),
    )
    use_context(ctx)
    make_day(ctx, almaty_graph, readers=4, couriers=0)
    add_staff(ctx, "disp", "Диспетчер Дана", "dispatcher", PASSWORD, "B01")
    plan_day(ctx, TUESDAY, "B01")
    with ctx.uow() as uow:
        branch_id = uow.session.scalar(select(Branch.id).where(Branch.code == "B01"))
        plan = current_plan(uow.session, branch_id, TUESDAY)
        routes = [r.id for r in plan.routes if r.carrier is Carrier.YANDEX]
    assert routes
    for route_id in routes:
        book_route(ctx, route_id, actor="test")
    yield routes
    use_context(None)


def test_a_yandex_claim_changes_state_on_the_open_page_without_a_reload(yandex_day, yandex, ctx, page) -> None:
    sign_in(page)
    page.goto(branch_url(page))
    cell = page.locator(".claim-status").first
    before = cell.inner_text()
    assert before
    page.evaluate("window.stayedOnPage = true")

    with ctx.uow() as uow:
        claim_ids = list(uow.session.scalars(select(YandexClaim.claim_id).where(YandexClaim.claim_id.is_not(None))))
    for claim_id in claim_ids:
        yandex.play(claim_id, accept=False)  # Yandex prices the claim; the journal sync accepts it
    sync_journal(ctx)

    page.wait_for_function(
        "([before]) => document.querySelector('.claim-status').textContent !== before", arg=[before], timeout=30_000
    )
    assert "Подтверждена" in cell.inner_text()
    assert page.evaluate("window.stayedOnPage") is True
    no_raw_codes(page)
    screenshot(page, "console-yandex-live")
    assert axe_violations(page) == []


def test_a_courier_outcome_shows_on_the_open_page_without_a_reload(planned, ctx, page) -> None:
    from couriers.outcomes import dispatch_route
    from couriers.outcomes import leave_branch
    from couriers.outcomes import record_outcome

    ctx.clock = lambda: datetime(2026, 11, 24, 11, 0, tzinfo=MONDAY_MORNING.tzinfo)  # Tuesday: the route's own day
    sign_in(page)
    page.goto(branch_url(page))
    article = page.locator("article.route").first
    route_id = int(article.locator("[data-live$='-status']").get_attribute("data-live").split("-")[1])
    request_id = article.locator("tr[data-request-id]").first.get_attribute("data-request-id")
    page.evaluate("window.stayedOnPage = true")

    dispatch_route(ctx, route_id, actor="staff:disp")
    leave_branch(ctx, route_id, actor="courier")
    with ctx.uow() as uow:
        stop_id = uow.session.scalar(
            select(PlanStop.id).where(PlanStop.route_id == route_id, PlanStop.request_id == int(request_id))
        )
    record_outcome(ctx, stop_id, "failed", actor="courier", reason="not_at_home")

    state = page.locator(f"[data-live='stop-{request_id}-state']")
    page.wait_for_function(
        "([key]) => document.querySelector(`[data-live='${key}']`).textContent.includes('нет дома')",
        arg=[f"stop-{request_id}-state"],
        timeout=30_000,
    )
    assert state.inner_text() == "Не удалось: Читателя нет дома"
    assert page.locator(f"[data-live='route-{route_id}-status']").inner_text() == "В пути"
    assert page.evaluate("window.stayedOnPage") is True
    no_raw_codes(page)
