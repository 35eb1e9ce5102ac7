"""``make demo`` for real: the demo day built, then every process started by the launcher, used in Chromium, stopped.

A reader asks for a sign-in code and reads it on the SMS outbox page (the local Twilio got it from
the RQ worker); the dispatcher books the day's Yandex route and sees its claim move through its
statuses (the local Yandex moves it on, the cron process reads the journal) until the books are
delivered and their return pickup fires on the worker; one SIGINT stops all.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing

import pytest
import requests

from demo.accounts import DEMO_PASSWORD
from dispatch.config import REPO_ROOT
from tests.conftest import PLAN_SOLUTION_LIMIT
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes

pytestmark = pytest.mark.integration

READERS = 150
"""Enough readers that the busiest branch, its couriers off sick, needs a Yandex car."""
POLLS = 240
"""Bounded waits: this many looks, half a second apart at least (no clock is asserted)."""


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _nobody_listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory):
    """The demo day on a fresh SQLite file, built as ``make demo`` builds it; its JSON summary and environment."""
    folder = tmp_path_factory.mktemp("served-demo")
    env = {
        **os.environ,
        "DISPATCH_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "DISPATCH_PLAN_SOLUTION_LIMIT": str(PLAN_SOLUTION_LIMIT),
        "DISPATCH_QUEUE": f"demo-test-{uuid.uuid4().hex[:8]}",
        "DISPATCH_YANDEX_SYNC_EVERY_S": "1",
    }
    built = subprocess.run(
        [sys.executable, "-m", "demo", "--readers", str(READERS), "--leave-yandex-routes", "--json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    return {"summary": json.loads(built.stdout), "env": env, "db": folder / "demo.sqlite3", "folder": folder}


@pytest.fixture(scope="module")
def served(demo_day):
    """``python -m demo.serve`` on free ports; yields the web app's URL, then stops it with one SIGINT."""
    web, yandex, twilio = _free_ports(3)
    log = (demo_day["folder"] / "serve.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "demo.serve",
            *("--port", str(web), "--yandex-port", str(yandex), "--twilio-port", str(twilio)),
            *("--yandex-step-s", "1"),
        ],
        cwd=REPO_ROOT,
        env=demo_day["env"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{web}"
    try:
        for _ in range(POLLS):
            assert process.poll() is None, (demo_day["folder"] / "serve.log").read_text()
            try:
                if requests.get(f"{base}/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass  # not listening yet, or its workers still starting
            time.sleep(0.5)
        else:
            pytest.fail("the demo's web app never answered")
        yield {"base": base, "process": process, "ports": (web, yandex, twilio), "log": demo_day["folder"] / "serve.log"}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            for _ in range(POLLS):
                if process.poll() is not None:
                    break
                time.sleep(0.5)
            else:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _query(db, sql: str, *args):
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, args).fetchall()


def _staff_tab(browser, base: str, username: str):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(30000)
    tab.goto(f"{base}/staff/sign-in")
    tab.fill("#username", username)
    tab.fill("#password", DEMO_PASSWORD)
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_load_state()
    assert "/staff/sign-in" not in tab.url, tab.content()
    return tab


def test_a_readers_sign_in_code_reaches_the_sms_outbox(browser, served, demo_day) -> None:
    card, name = _query(
        demo_day["db"],
        "SELECT card_number, full_name FROM readers WHERE phone LIKE '+77%' AND phone_problem IS NULL ORDER BY card_number LIMIT 1",
    )[0]
    reader = browser.new_context(locale="ru-RU").new_page()
    reader.goto(f"{served['base']}/sign-in")
    reader.fill("#card", card)
    reader.locator("#card-form button[type=submit]").click()
    reader.wait_for_url(re.compile(r"/sign-in/code"))

    staff = _staff_tab(browser, served["base"], "operator")
    code = None
    for _ in range(POLLS):
        staff.goto(f"{served['base']}/demo/sms")
        row = staff.locator("table.sms-outbox tbody tr", has_text=name).filter(has_text="Код для входа")
        if row.count():
            found = re.search(r"\b(\d{6})\b", row.first.locator(".sms-text").inner_text())
            assert found is not None
            code = found.group(1)
            break
        time.sleep(0.5)
    assert code is not None, "the sign-in code never reached the local Twilio"
    assert staff.get_by_role("link", name="SMS (демо)").count() == 1
    assert axe_violations(staff) == []
    assert_no_raw_codes(staff.locator("main").inner_text())
    screenshot(staff, "demo-sms-outbox")
    staff.goto(f"{served['base']}/demo/sms?lang=kk")
    assert staff.locator("table.sms-outbox").get_by_text("Кіру коды").count() >= 1
    screenshot(staff, "demo-sms-outbox-kk")

    reader.fill("#code", code)
    reader.locator("#code-form button[type=submit]").click()
    reader.wait_for_url(re.compile(r"/my"))


def test_a_booked_yandex_route_moves_through_its_statuses_in_the_console(browser, served, demo_day) -> None:
    routes = demo_day["summary"]["summary"]["yandex"]["left_for_the_dispatcher"]
    assert routes, "the demo day has no Yandex route to book"
    route_id = routes[0]
    (branch,) = _query(
        demo_day["db"],
        "SELECT b.code FROM plan_routes r JOIN plans p ON p.id = r.plan_id JOIN branches b ON b.id = p.branch_id WHERE r.id = ?",
        route_id,
    )[0]
    day = demo_day["summary"]["date"]
    console = _staff_tab(browser, served["base"], "dispatcher")
    console.goto(f"{served['base']}/console/branch/{branch}?date={day}")
    console.locator(f"form[action*='/routes/{route_id}/quote'] button").click()
    console.wait_for_url(re.compile(r"/quote"))
    confirm = console.locator("input[name=confirm]")
    if confirm.count():
        confirm.check()
    console.locator(f"form[action*='/routes/{route_id}/book'] button[type=submit]").click()
    console.wait_for_url(re.compile(r"/console/"))

    seen: list[str] = []
    for _ in range(POLLS):
        console.goto(f"{served['base']}/console/branch/{branch}?date={day}")
        status = console.locator(f"[data-live='route-{route_id}-claim']")
        if status.count():
            text = status.inner_text().strip()
            if not seen or seen[-1] != text:
                seen.append(text)
            if "Завершена" in text:
                break
        time.sleep(0.5)
    assert len(seen) >= 3, f"the claim did not move on: {seen}"
    assert "Завершена" in seen[-1], seen
    assert_no_raw_codes(console.locator("main").inner_text())
    screenshot(console, "demo-console-yandex-claim")
    # The books were delivered: each delivery's return pickup fires on the worker (the demo's loans end at once).
    delivered = "SELECT count(*) FROM delivery_requests WHERE kind = 'delivery' AND status = 'delivered'"
    pickups = "SELECT count(*) FROM delivery_requests WHERE kind = 'return_pickup' AND channel = 'system'"
    for _ in range(POLLS):
        if _query(demo_day["db"], delivered)[0][0] and _query(demo_day["db"], pickups)[0][0]:
            break
        time.sleep(0.5)
    assert _query(demo_day["db"], pickups)[0][0] >= 1, "no return pickup fired after the delivery"


def test_one_sigint_stops_every_process(served, demo_day) -> None:
    process = served["process"]
    process.send_signal(signal.SIGINT)
    for _ in range(POLLS):
        if process.poll() is not None:
            break
        time.sleep(0.5)
    assert process.poll() is not None, "the launcher did not stop"
    log = served["log"].read_text()
    for name in ("web", "worker", "cron", "yandex", "twilio"):
        assert re.search(rf"{name} stopped", log), log[-3000:]
    assert all(_nobody_listens(port) for port in served["ports"])
    assert "Recorded jobs handed to the worker now:" in log
