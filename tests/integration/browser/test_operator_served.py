"""The operator's phone call on the served demo (``make demo``'s processes, SQLite): find, basket, a mistake that texts nobody.

It uses the demo of :mod:`test_demo_served` (built and served once for this module): the reader found by
a lower-case Cyrillic surname and by their phone as a caller says it, books picked from the catalogue
into a basket, a mistake shown on the form with nothing stored and no SMS queued, then the order taken.
"""

from __future__ import annotations

import pytest

from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.browser.test_demo_served import _query
from tests.integration.browser.test_demo_served import _staff_tab
from tests.integration.browser.test_demo_served import demo_day  # noqa: F401 (a fixture)
from tests.integration.browser.test_demo_served import served  # noqa: F401 (a fixture)

pytestmark = pytest.mark.integration

SURNAME = "Соколов"


def _spoken(e164: str) -> str:
    """``+77011234567`` as a caller dictates it: ``8 701 123 45 67``."""
    d = e164[2:]
    return f"8 {d[:3]} {d[3:6]} {d[6:8]} {d[8:]}"


def _counts(db) -> tuple[int, int]:
    ((requests,),) = _query(db, "SELECT count(*) FROM delivery_requests")
    ((texts,),) = _query(db, "SELECT count(*) FROM sms_messages")
    return requests, texts


def test_an_operator_takes_a_call_on_the_served_demo(browser, served, demo_day) -> None:  # noqa: F811
    db, base = demo_day["db"], served["base"]
    candidates = _query(
        db,
        "SELECT r.card_number, r.full_name, r.phone, b.code FROM readers r JOIN branches b ON b.id = r.home_branch_id "
        "WHERE (r.full_name LIKE ? OR r.full_name LIKE ?) AND r.phone LIKE '+77%' ORDER BY r.card_number",
        f"{SURNAME} %",
        f"{SURNAME}а %",
    )
    assert candidates, "the demo population has no Sokolov with a mobile phone"
    tab = _staff_tab(browser, base, "operator")

    tab.goto(f"{base}/operator/?q={SURNAME.lower()}")
    names = tab.locator("main table tbody").inner_text()
    assert all(name in names for _, name, _, _ in candidates)
    screenshot(tab, "operator-served-find")

    chosen = None
    for card, name, phone, branch in candidates:
        tab.goto(f"{base}/operator/")
        tab.fill("#q", _spoken(phone))
        tab.locator("main form[role=search] button").click()
        tab.get_by_role("link", name=name).first.click()
        if tab.locator("#eligible").count():
            chosen = (card, name, branch)
            break
    assert chosen is not None, "no Sokolov of the demo may order"
    card, name, branch = chosen
    free = _query(
        db,
        "SELECT i.title FROM items i JOIN branches b ON b.id = i.branch_id WHERE b.code = ? AND i.status = 'available' "
        "AND i.id NOT IN (SELECT ri.item_id FROM request_items ri JOIN delivery_requests d ON d.id = ri.request_id "
        "WHERE d.status IN ('received', 'validated', 'scheduled', 'planned', 'dispatched', 'in_transit')) ORDER BY i.id",
        branch,
    )
    assert free, f"branch {branch} has no free book"
    title = free[0][0]

    before = _counts(db)
    tab.locator("#take-button").click()  # the basket is still empty: a mistake
    assert "ни одной книги" in tab.locator("#take-errors").inner_text()
    assert _counts(db) == before

    tab.fill("#book", title.lower())
    tab.locator("#book-find").click()
    row = tab.locator("#catalogue tbody tr", has_text=title).first
    assert "филиал читателя" in row.inner_text()
    row.locator("button").first.click()
    assert title in tab.locator("#basket").inner_text()
    tab.fill("#req-date", "2020-01-01")
    tab.locator("#take-button").click()  # a day long past: another mistake
    assert "уже прошла" in tab.locator("#take-errors").inner_text()
    assert _counts(db) == before
    assert axe_violations(tab) == []
    assert_no_raw_codes(tab.locator("main").inner_text())
    screenshot(tab, "operator-served-mistake")

    tab.fill("#req-date", "")
    tab.locator("#take-button").click()
    assert "принята" in tab.locator(".notice").first.inner_text(), tab.locator("main").inner_text()
    assert title in tab.locator("#open-requests").inner_text()
    after = _counts(db)
    assert after[0] == before[0] + 1 and after[1] >= before[1] + 1  # stored once, the reader told
