"""Pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright) against the app on a free port.

The app runs in a thread on the integration tests' PostgreSQL database; screenshots of the main pages
go to ``var/screenshots`` (``DISPATCH_SCREENSHOTS`` to change it). ``axe_violations(page)`` runs
axe-core (installed from npm by ``make``) in the page and returns the serious and critical findings.
"""

from __future__ import annotations

import os
import shutil
import threading
import typing as t
from dataclasses import replace
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dispatch.jobs.context import use_context
from web import create_app

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = Path(os.environ.get("DISPATCH_SCREENSHOTS", ROOT / "var" / "screenshots"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's Chromium (``apt-get install chromium``; ``scripts/system-packages.sh`` installs it)."""
    found = os.environ.get("DISPATCH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium (or set DISPATCH_CHROMIUM)")
    return found


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def live(ctx):
    """The app serving ``ctx`` on 127.0.0.1 (jobs inline); yields its base URL. Cookies work over plain HTTP here."""
    ctx.settings = replace(ctx.settings, secret_key="browser-tests", public_url=None)
    app = create_app(ctx=ctx)
    app.config["SESSION_COOKIE_SECURE"] = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()
        use_context(None)


@pytest.fixture
def page(browser, live):
    """A fresh browser tab (its own cookies) with the app's URL as ``page.base``."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15000)
    tab.base = live  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        context.close()


def screenshot(page: t.Any, name: str) -> Path:
    """Save the whole page as ``var/screenshots/NAME.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: t.Any) -> list[dict[str, t.Any]]:
    """axe-core's serious and critical violations of WCAG 2.1 A/AA on the current page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` (make does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
