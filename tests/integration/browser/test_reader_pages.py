"""Readers in Chromium: sign in with the SMS code, order books, ask for a pickup, turn SMS off; in Russian,
in Kazakh and with the keyboard alone; every page screenshotted and checked by axe-core."""

from __future__ import annotations

import re
import typing as t
from datetime import date
from datetime import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func
from sqlalchemy import select

from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import Hold
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Reader
from dispatch.models import SmsMessage
from tests.integration.browser.conftest import axe_violations
from tests.integration.browser.conftest import screenshot
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.factories import reader_values

RU_CARD = "0300001"
KK_CARD = "0300002"
KEYS_CARD = "0300003"


@pytest.fixture
def readers(ctx) -> dict[str, t.Any]:
    """A branch with a phone, three eligible readers (ru, kk, ru), books on the shelf, a reservation and a loan."""
    with ctx.uow() as uow:
        s = uow.session
        branch = Branch(code="B01", name="Филиал 1", lat=43.25, lon=76.92, phone="+7 727 111 22 33")
        s.add(branch)
        s.flush()
        ru = Reader(**reader_values(RU_CARD, home_branch_id=branch.id, full_name="Анна Петрова", phone="+77011110001"))
        kk = Reader(
            **reader_values(KK_CARD, home_branch_id=branch.id, full_name="Айгүл Сейітова", phone="+77011110002", language="kk")
        )
        keys = Reader(**reader_values(KEYS_CARD, home_branch_id=branch.id, full_name="Иван Клавиш", phone="+77011110003"))
        s.add_all([ru, kk, keys])
        s.add(Item(barcode="300000001", title="Война и мир", author="Лев Толстой", branch_id=branch.id))
        s.add(Item(barcode="300000002", title="Абай жолы", author="Мұхтар Әуезов", branch_id=branch.id))
        s.add(Item(barcode="300000003", title="Мастер и Маргарита", author="Михаил Булгаков", branch_id=branch.id))
        held = Item(barcode="300000004", title="Қан мен тер", author="Әбдіжәміл Нұрпейісов", branch_id=branch.id)
        lent = Item(
            barcode="300000005", title="Көшпенділер", author="Ильяс Есенберлин", branch_id=branch.id, status=ItemStatus.ON_LOAN
        )
        s.add_all([held, lent])
        s.flush()
        s.add(Hold(reader_id=kk.id, item_id=held.id, placed_on=date(2026, 11, 20)))
        s.add(Loan(item_id=lent.id, reader_id=kk.id, issued_on=date(2026, 11, 1), due_on=date(2026, 12, 1)))
        uow.commit()
    return {"ru": RU_CARD, "kk": KK_CARD, "keys": KEYS_CARD}


def _code(ctx, card: str) -> str:
    """The last sign-in code texted to ``card``'s reader, read from the stored SMS."""
    with ctx.uow() as uow:
        body = uow.session.scalars(
            select(SmsMessage.body)
            .join(Reader, SmsMessage.reader_id == Reader.id)
            .where(Reader.card_number == card, SmsMessage.event == "sign_in_code")
            .order_by(SmsMessage.id.desc())
        ).first()
    assert body is not None, f"no code was texted to {card}"
    found = re.search(r"\b(\d{6})\b", body)
    assert found is not None
    return found.group(1)


def _requests(ctx, card: str) -> list[DeliveryRequest]:
    with ctx.uow() as uow:
        rows = uow.session.scalars(
            select(DeliveryRequest).join(Reader).where(Reader.card_number == card).order_by(DeliveryRequest.id)
        ).all()
        for row in rows:
            _ = [line.item.barcode for line in row.lines]
        uow.session.expunge_all()
        return list(rows)


def _check(page, name: str) -> None:
    """Screenshot the page, find no serious or critical WCAG 2.1 AA problem on it and no internal code in its text."""
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert_no_raw_codes(page.inner_text("body"), where=name)


def _sign_in(page, ctx, card: str, *, lang: str, send: str, enter: str, shots: str | None = None) -> None:
    page.goto(f"{page.base}/sign-in?lang={lang}")
    if shots:
        _check(page, f"{shots}-sign-in")
    page.locator("#card").fill(card)
    page.get_by_role("button", name=send).click()
    if shots:
        _check(page, f"{shots}-code")
    page.locator("#code").fill(_code(ctx, card))
    page.get_by_role("button", name=enter, exact=True).click()
    assert page.url.endswith("/my") or "/my?" in page.url


def test_a_reader_orders_books_in_russian(page, ctx, readers) -> None:
    _sign_in(page, ctx, RU_CARD, lang="ru", send="Прислать код", enter="Войти", shots="reader-ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Моя страница"
    assert "Да. Вы можете заказать книги" in page.content()
    _check(page, "reader-ru-my-page")

    page.get_by_role("link", name="Заказать книги").click()
    page.get_by_label("Поиск книг Вашей библиотеки по названию или автору").fill("толстой")
    page.get_by_role("button", name="Найти").click()
    _check(page, "reader-ru-choose")
    page.get_by_role("button", name="Далее: выбрать день").click()  # nothing chosen: the error is announced
    assert page.get_by_role("alert").inner_text().count("Выберите хотя бы одну книгу") == 1
    _check(page, "reader-ru-choose-error")
    page.goto(f"{page.base}/books/delivery?q=толстой")
    page.get_by_label("Война и мир — Лев Толстой").check()
    page.get_by_role("button", name="Далее: выбрать день").click()
    _check(page, "reader-ru-when")
    page.get_by_role("group", name="День").get_by_role("radio").nth(1).check()
    page.get_by_label("Днём, с 14:00 до 18:00").check()
    page.get_by_role("button", name="Далее: проверить и подтвердить").click()
    _check(page, "reader-ru-confirm")
    form = page.locator("form[action$='/books/delivery/submit']")
    fields = form.evaluate("f => Array.from(new FormData(f).entries())")
    page.get_by_role("button", name="Отправить заявку").click()

    assert "Ваша заявка принята." in page.content()
    assert "Война и мир" in page.content()
    _check(page, "reader-ru-result")
    (stored,) = _requests(ctx, RU_CARD)
    assert stored.status == RequestStatus.SCHEDULED and stored.channel.value == "web"
    assert f"{stored.window_start:%H:%M}-{stored.window_end:%H:%M}" == "14:00-18:00"
    assert stored.service_date == date(2026, 11, 25)  # the second day offered (Tuesday, then Wednesday)
    assert page.url.endswith(f"/requests/{stored.public_id}")

    again = page.request.post(
        f"{page.base}/books/delivery/submit",
        data=urlencode([tuple(pair) for pair in fields]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert again.url.endswith(f"/requests/{stored.public_id}")  # the same form twice: one request
    assert len(_requests(ctx, RU_CARD)) == 1

    page.get_by_role("link", name="Вернуться на мою страницу").click()
    assert "Принята, ждёт своего дня" in page.content()


def test_a_kazakh_reader_orders_a_reserved_book_asks_for_a_pickup_and_turns_sms_off(page, ctx, readers) -> None:
    _sign_in(page, ctx, KK_CARD, lang="kk", send="Код жіберу", enter="Кіру", shots="reader-kk")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_role("heading", level=1).inner_text() == "Менің бетім"
    _check(page, "reader-kk-my-page")

    page.get_by_role("link", name="Кітапқа тапсырыс беру").click()
    page.get_by_label(re.compile("Қан мен тер.*Сізге сақталған")).check()
    page.get_by_role("button", name="Әрі қарай: күнді таңдау").click()
    page.get_by_role("button", name="Әрі қарай: тексеру және растау").click()  # nothing chosen yet
    alert = page.get_by_role("alert").inner_text()
    assert "Күнді таңдаңыз" in alert and "Таңертең немесе түстен кейін" in alert
    _check(page, "reader-kk-when-errors")
    page.get_by_role("group", name="Күн").get_by_role("radio").first.check()
    page.get_by_label("Таңертең, 10:00-ден 14:00-ге дейін").check()
    page.get_by_role("button", name="Әрі қарай: тексеру және растау").click()
    _check(page, "reader-kk-confirm")
    page.get_by_role("button", name="Өтінімді жіберу").click()
    assert "Өтініміңіз қабылданды." in page.content()
    _check(page, "reader-kk-result")

    page.get_by_role("link", name="Менің бетіме оралу").click()
    page.get_by_role("link", name="Кітаптарды қайтару: курьер шақыру").first.click()
    page.get_by_label(re.compile("Көшпенділер")).check()
    _check(page, "reader-kk-return-choose")
    page.get_by_role("button", name="Әрі қарай: күнді таңдау").click()
    page.get_by_role("group", name="Күн").get_by_role("radio").first.check()
    page.get_by_label("Түстен кейін, 14:00-ден 18:00-ге дейін").check()
    page.get_by_role("button", name="Әрі қарай: тексеру және растау").click()
    page.get_by_role("button", name="Өтінімді жіберу").click()
    assert "Өтініміңіз қабылданды." in page.content()

    delivery, pickup = _requests(ctx, KK_CARD)
    assert delivery.kind == RequestKind.DELIVERY and [line.item.barcode for line in delivery.lines] == ["300000004"]
    assert pickup.kind == RequestKind.RETURN_PICKUP and [line.item.barcode for line in pickup.lines] == ["300000005"]
    assert pickup.status == RequestStatus.SCHEDULED

    page.get_by_role("link", name="Менің бетіме оралу").click()
    page.get_by_role("link", name="SMS баптауларын өзгерту").click()
    _check(page, "reader-kk-sms")
    page.get_by_label("Маған SMS жібермеу").check()
    page.get_by_role("button", name="Сақтау").click()
    assert "Таңдауыңыз сақталды." in page.content()
    with ctx.uow() as uow:
        assert uow.session.scalars(select(Reader.sms_opt_out).where(Reader.card_number == KK_CARD)).one() is True

    page.get_by_role("button", name="Русский").click()  # the language switch on every page (here it keeps the form)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Настройки SMS"


def test_a_reader_cannot_open_someone_elses_request(page, ctx, readers) -> None:
    _sign_in(page, ctx, RU_CARD, lang="ru", send="Прислать код", enter="Войти")
    with ctx.uow() as uow:
        kk = uow.session.scalars(select(Reader).where(Reader.card_number == KK_CARD)).one()
        other = DeliveryRequest(
            kind=RequestKind.DELIVERY,
            status=RequestStatus.SCHEDULED,
            reader_id=kk.id,
            channel=Channel.WEB,
            idempotency_key="other",
            fingerprint="x",
            window_start=time(10),
            window_end=time(14),
            created_by="test",
        )
        uow.session.add(other)
        uow.session.flush()
        public_id = other.public_id
        uow.commit()
    response = page.goto(f"{page.base}/requests/{public_id}")
    assert response is not None and response.status == 404


def test_a_wrong_code_is_announced_and_tied_to_the_field(page, ctx, readers) -> None:
    page.goto(f"{page.base}/sign-in?lang=ru")
    page.locator("#card").fill(RU_CARD)
    page.get_by_role("button", name="Прислать код").click()
    code = _code(ctx, RU_CARD)
    page.locator("#code").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Войти", exact=True).click()
    assert "Неверный номер билета или код" in page.get_by_role("alert").inner_text()
    assert page.locator("#code").get_attribute("aria-invalid") == "true"
    assert "code-error" in (page.locator("#code").get_attribute("aria-describedby") or "")
    _check(page, "reader-ru-code-error")


# --- keyboard only: Tab, Shift+Tab, Enter, Space and typing; no mouse, no clicks ---------------------------


def _focused(page) -> dict[str, str]:
    return page.evaluate(
        """() => { const e = document.activeElement; const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
        return {tag: e.tagName.toLowerCase(), type: e.type || '', id: e.id || '', name: e.name || '', value: e.value || '',
                text: (e.innerText || '').trim(), label: label.trim()}; }"""
    )


def _tab_to(page, **want: str) -> dict[str, str]:
    """Press Tab until the focused element has every attribute in ``want`` (``text``/``label`` as substrings)."""
    for _ in range(80):
        page.keyboard.press("Tab")
        now = _focused(page)
        if all((v in now[k]) if k in ("text", "label") else now[k] == v for k, v in want.items()):
            visible = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert visible != "none", f"no visible focus on {now}"
            return now
    pytest.fail(f"Tab never reached {want}")


def test_a_reader_orders_with_the_keyboard_alone(page, ctx, readers) -> None:
    page.goto(f"{page.base}/?lang=ru")
    first = _tab_to(page, text="Перейти к содержанию")
    assert first["tag"] == "a"
    _tab_to(page, text="Войти по читательскому билету")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in")
    _tab_to(page, id="card")
    page.keyboard.type(KEYS_CARD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in/code")
    _tab_to(page, id="code")
    page.keyboard.type(_code(ctx, KEYS_CARD))
    _tab_to(page, tag="button", text="Войти")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my")

    _tab_to(page, text="Заказать книги")
    page.keyboard.press("Enter")
    page.wait_for_url("**/books/delivery")
    _tab_to(page, id="q")
    page.keyboard.type("Булгаков")
    page.keyboard.press("Enter")
    page.wait_for_url("**/books/delivery?q=*")
    _tab_to(page, type="checkbox", label="Мастер и Маргарита")
    page.keyboard.press("Space")
    _tab_to(page, tag="button", text="Далее: выбрать день")
    page.keyboard.press("Enter")
    page.wait_for_url("**/books/delivery/when")

    _tab_to(page, type="radio", name="day")
    page.keyboard.press("Space")  # the first day
    _tab_to(page, type="radio", name="half")
    page.keyboard.press("ArrowDown")  # radio groups move with the arrows: afternoon
    assert _focused(page)["value"] == "afternoon"
    _tab_to(page, tag="button", text="Далее: проверить")
    page.keyboard.press("Enter")
    page.wait_for_url("**/books/delivery/confirm")
    _tab_to(page, tag="button", text="Отправить заявку")
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests/*")
    assert "Ваша заявка принята." in page.content()
    _check(page, "reader-keyboard-result")

    (stored,) = _requests(ctx, KEYS_CARD)
    assert [line.item.barcode for line in stored.lines] == ["300000003"]
    assert f"{stored.window_start:%H:%M}" == "14:00"
    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count(DeliveryRequest.id))) == 1


def test_switching_language_in_the_middle_of_an_order_keeps_every_choice(page, ctx, readers) -> None:
    _sign_in(page, ctx, RU_CARD, lang="ru", send="Прислать код", enter="Войти")
    page.goto(f"{page.base}/books/delivery?q=толстой")
    page.get_by_label("Война и мир — Лев Толстой").check()
    page.get_by_role("button", name="Қазақша").click()  # on the first step: the ticked book stays ticked
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_label("Война и мир — Лев Толстой").is_checked()
    page.get_by_role("button", name="Әрі қарай: күнді таңдау").click()

    page.get_by_role("group", name="Күн").get_by_role("radio").nth(1).check()
    page.get_by_label("Түстен кейін, 14:00-ден 18:00-ге дейін").check()
    page.get_by_role("button", name="Русский").click()  # a page reached by POST: no "Method Not Allowed"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Выберите день"
    assert page.get_by_role("group", name="День").get_by_role("radio").nth(1).is_checked()
    assert page.get_by_label("Днём, с 14:00 до 18:00").is_checked()
    assert "1 книга: Война и мир" in page.inner_text("main")
    assert page.get_by_role("alert").count() == 0  # nothing was checked on the way
    _check(page, "reader-ru-when-after-switch")

    page.get_by_role("button", name="Далее: проверить и подтвердить").click()
    page.get_by_role("button", name="Қазақша").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Тексеріп, растаңыз"
    _check(page, "reader-kk-confirm-after-switch")
    assert _requests(ctx, RU_CARD) == []  # switching sent nothing
    page.get_by_role("button", name="Өтінімді жіберу").click()
    (stored,) = _requests(ctx, RU_CARD)
    assert stored.service_date == date(2026, 11, 25)
    assert f"{stored.window_start:%H:%M}" == "14:00"
    assert "Қабылданды, өз күнін күтуде" in page.content()


def test_the_sign_in_form_keeps_the_card_when_the_language_changes(page, ctx, readers) -> None:
    page.goto(f"{page.base}/sign-in")
    page.locator("#card").fill(RU_CARD)
    page.get_by_role("button", name="Қазақша").click()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("#card").input_value() == RU_CARD
    assert page.get_by_role("alert").count() == 0
    _check(page, "reader-kk-sign-in-after-switch")
    with ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SmsMessage)) == 0  # no code sent by switching
    page.get_by_role("button", name="Код жіберу").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Кодты енгізіңіз"
