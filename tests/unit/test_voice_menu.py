"""The phone menu walked like Twilio does: follow each Gather action or Redirect, with an in-memory dispatch side."""

from __future__ import annotations

import ast
import dataclasses
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import pytest

from notifications.voice.choices import Choice
from notifications.voice.menu import Reply
from notifications.voice.menu import handle
from notifications.voice.port import OrderInfo
from notifications.voice.port import ReaderInfo
from notifications.voice.port import RequestKind
from notifications.voice.port import SubmitResult
from notifications.voice.prompts import KAZAKH_NOTE_TEXT
from notifications.voice.prompts import RU_PROMPTS
from notifications.voice.prompts import Prompt
from notifications.voice.prompts import books
from notifications.voice.prompts import spoken_phone
from notifications.voice.settings import MenuSettings
from notifications.voice.state import CallState
from notifications.voice.state import Step
from notifications.voice.state import step_url

CARD = "01234567"
CALL = "CA" + "0" * 32
CENTRAL = "+77272000000"
BRANCH = "+77272501234"
RESERVED = OrderInfo(
    barcodes=("200100001", "200100002", "200100003", "200100004"),
    titles=("Абай жолы", "Мастер и Маргарита", "Война и мир", "Путь Абая"),
)
LAST = OrderInfo(barcodes=("200100009",), titles=("Қан мен тер",))
LOANS = OrderInfo(barcodes=("200100005", "200100006"), titles=("Анна Каренина", "Белая гвардия"))


@dataclass
class FakePort:
    """Dispatch in memory: readers and their books by card, and every submit call recorded."""

    readers: dict[str, ReaderInfo] = field(default_factory=dict)
    last: dict[str, OrderInfo] = field(default_factory=dict)
    reserved: dict[str, OrderInfo] = field(default_factory=dict)
    loans: dict[str, OrderInfo] = field(default_factory=dict)
    refuse_with: str | None = None
    submitted: list[tuple[str, RequestKind, tuple[str, ...], str]] = field(default_factory=list)
    requests: dict[str, SubmitResult] = field(default_factory=dict)

    def find_reader(self, card: str) -> ReaderInfo | None:
        return self.readers.get(card)

    def last_order(self, card: str) -> OrderInfo | None:
        return self.last.get(card)

    def reserved_books(self, card: str) -> OrderInfo | None:
        return self.reserved.get(card)

    def loans_to_return(self, card: str) -> OrderInfo | None:
        return self.loans.get(card)

    def submit(self, card: str, kind: RequestKind, barcodes: tuple[str, ...], call_sid: str) -> SubmitResult:
        self.submitted.append((card, kind, barcodes, call_sid))
        if self.refuse_with is not None:
            return SubmitResult(ok=False, reason_text=self.refuse_with)
        if call_sid not in self.requests:  # the idempotency key: a repeated webhook gets the same request
            number = str(1041 + len(self.requests) + 1)
            self.requests[call_sid] = SubmitResult(True, number, "во вторник, 24 ноября", "с 10 до 14 часов")
        return self.requests[call_sid]

    def operator_number(self, card: str | None) -> str:
        reader = self.readers.get(card or "")
        return reader.branch_phone if reader is not None and reader.branch_phone else CENTRAL

    sms_off: set[str] = field(default_factory=set)

    def sms_enabled(self, card: str) -> bool:
        return card not in self.sms_off

    def set_sms(self, card: str, enabled: bool) -> None:
        (self.sms_off.discard if enabled else self.sms_off.add)(card)


def reader(**changes: object) -> ReaderInfo:
    base = ReaderInfo(name="Галина Петровна", language="ru", eligible=True, branch_phone=BRANCH)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def port() -> FakePort:
    return FakePort(
        readers={CARD: reader()},
        last={CARD: LAST},
        reserved={CARD: RESERVED},
        loans={CARD: LOANS},
    )


# -- reading TwiML ------------------------------------------------------------------------------------------


def parse(reply: Reply) -> ET.Element:
    root = ET.fromstring(reply.twiml)
    assert root.tag == "Response"
    return root


def spoken(reply: Reply) -> str:
    """Everything the caller hears, in order."""
    return " ".join(say.text or "" for say in parse(reply).iter("Say"))


def gather(reply: Reply) -> ET.Element:
    found = parse(reply).find("Gather")
    assert found is not None, reply.twiml
    return found


def dial(reply: Reply) -> ET.Element:
    found = parse(reply).find("Dial")
    assert found is not None, reply.twiml
    return found


def split(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return parts.path, dict(parse_qsl(parts.query))


def assert_way_out(reply: Reply) -> None:
    """No dead end: a question has a timeout and a Redirect for silence, a call ends only by Hangup or Dial."""
    root = parse(reply)
    verbs = [child.tag for child in root]
    if "Gather" in verbs:
        g = gather(reply)
        assert int(g.attrib["timeout"]) > 0
        assert g.attrib["input"] == "dtmf"
        assert verbs[verbs.index("Gather") + 1] in {"Redirect", "Say"}, verbs
        assert any("0" in (say.text or "") for say in g.iter("Say")), "every question offers 0 for the operator"
    elif "Dial" in verbs:
        assert dial(reply).attrib["action"]
    else:
        assert verbs[-1] in {"Redirect", "Hangup"}, verbs


# -- playing Twilio ------------------------------------------------------------------------------------------


def request(path_and_query: str, port: FakePort, digits: str | None = None, *, dial_status: str | None = None) -> Reply:
    """Do what the web layer does with one webhook: the step from the path, the state from the query."""
    path, query = split(path_and_query)
    step = path.rsplit("/", 1)[-1]
    reply = handle(step, CallState.from_query(query), digits, port, call_sid=CALL, base_path="/voice", dial_status=dial_status)
    assert_way_out(reply)
    return reply


def press(reply: Reply, digits: str, port: FakePort) -> Reply:
    """The caller answers the Gather: Twilio posts Digits to its action."""
    return request(gather(reply).attrib["action"], port, digits)


def silence(reply: Reply, port: FakePort) -> Reply:
    """The caller says nothing: the Gather times out and Twilio follows the Redirect after it."""
    redirect = parse(reply).find("Redirect")
    assert redirect is not None and redirect.text, reply.twiml
    return request(redirect.text, port)


def call(port: FakePort) -> Reply:
    return request("/voice/start", port)


def identified(port: FakePort, card: str = CARD) -> Reply:
    """Card typed and confirmed: the reply is the menu."""
    return press(press(call(port), card, port), "1", port)


# -- the whole walk ------------------------------------------------------------------------------------------


def test_walk_from_card_entry_to_a_stored_request(port: FakePort) -> None:
    reply = call(port)
    assert spoken(reply).startswith("Библиотека, доставка книг на дом.")
    assert "Оператор — 0" in spoken(reply)
    card_entry = gather(reply)
    assert card_entry.attrib == {
        "action": "/voice/start",
        "input": "dtmf",
        "method": "POST",
        "timeout": "8",
        "finishOnKey": "#",
    }  # no numDigits: card numbers differ in length
    assert parse(reply).find("Redirect").text == "/voice/start?tries=1"  # type: ignore[union-attr]

    reply = press(reply, CARD, port)
    assert reply.next_step is Step.CONFIRM_CARD
    assert gather(reply).attrib["action"] == "/voice/confirm_card?card=01234567"
    assert gather(reply).attrib["numDigits"] == "1"
    assert "Вы ввели: 0, 1, 2, 3, 4, 5, 6, 7." in spoken(reply)
    assert "Верно — нажмите 1, ввести заново — 2" in spoken(reply)

    reply = press(reply, "1", port)
    assert reply.next_step is Step.MENU
    assert gather(reply).attrib["action"] == "/voice/menu?card=01234567"
    menu = spoken(reply)
    assert menu.startswith("Здравствуйте, Галина Петровна.")
    assert "Повторить последний заказ, 1 книга, — нажмите 1." in menu
    assert "Заказать отложенные для вас книги, 4 книги, — нажмите 2." in menu
    assert "Вызвать курьера, чтобы сдать книги, 2 книги, — нажмите 3." in menu
    assert "Оператор — 0." in menu
    assert "Повторить меню — 9." in menu
    assert KAZAKH_NOTE_TEXT not in menu

    reply = press(reply, "2", port)
    assert reply.next_step is Step.CONFIRM_ORDER
    path, query = split(gather(reply).attrib["action"])
    assert path == "/voice/confirm_order"
    assert query == {"card": CARD, "choice": "reserved", "books": "200100001.200100002.200100003.200100004"}
    said = spoken(reply)
    assert "Курьер привезёт 4 книги: «Абай жолы», «Мастер и Маргарита», «Война и мир» и ещё 1." in said
    assert "Путь Абая" not in said  # three titles at most
    assert "Подтвердить — нажмите 1, вернуться в меню — 2." in said
    assert port.submitted == []

    reply = press(reply, "1", port)
    assert reply.next_step is Step.DONE
    redirect = parse(reply).find("Redirect")
    assert redirect is not None
    assert redirect.text == "/voice/done?card=01234567&choice=reserved&books=200100001.200100002.200100003.200100004"
    assert port.submitted == []  # nothing is stored before the done step

    reply = request(redirect.text, port)
    assert port.submitted == [(CARD, "delivery", RESERVED.barcodes, CALL)]
    assert "Заявка номер 1042 принята. Курьер приедет во вторник, 24 ноября, с 10 до 14 часов." in spoken(reply)
    assert "до свидания" in spoken(reply)
    assert [child.tag for child in parse(reply)][-1] == "Hangup"
    assert reply.next_step is None


def test_a_return_pickup_is_submitted_as_one(port: FakePort) -> None:
    reply = press(identified(port), "3", port)
    assert "Курьер заберёт 2 книги: «Анна Каренина», «Белая гвардия»." in spoken(reply)
    reply = press(reply, "1", port)
    request(parse(reply).find("Redirect").text or "", port)  # type: ignore[union-attr]
    assert port.submitted == [(CARD, "return_pickup", LOANS.barcodes, CALL)]


def test_the_last_order_again(port: FakePort) -> None:
    reply = press(identified(port), "1", port)
    assert split(gather(reply).attrib["action"])[1]["choice"] == "last"
    assert "Курьер привезёт 1 книга: «Қан мен тер»." in spoken(reply)


def test_a_repeated_done_webhook_submits_again_with_the_same_call_sid(port: FakePort) -> None:
    confirm = press(press(identified(port), "2", port), "1", port)
    done_url = parse(confirm).find("Redirect").text or ""  # type: ignore[union-attr]
    first = request(done_url, port)
    port.reserved.clear()  # the books now sit in the request; the repeat must not depend on the lists
    second = request(done_url, port)
    assert port.submitted == [(CARD, "delivery", RESERVED.barcodes, CALL)] * 2
    assert len(port.requests) == 1
    assert second.twiml == first.twiml


def test_confirm_order_2_goes_back_to_the_menu(port: FakePort) -> None:
    reply = press(press(identified(port), "2", port), "2", port)
    assert reply.next_step is Step.MENU
    assert gather(reply).attrib["action"] == "/voice/menu?card=01234567"
    assert "нажмите 1" in spoken(reply)
    assert not spoken(reply).startswith("Здравствуйте")


def test_confirm_card_2_asks_for_the_card_again(port: FakePort) -> None:
    reply = press(press(call(port), CARD, port), "2", port)
    assert reply.next_step is Step.START
    assert gather(reply).attrib["action"] == "/voice/start"
    assert "Наберите номер читательского билета" in spoken(reply)
    assert "Библиотека" not in spoken(reply)


# -- the menu offers what applies ----------------------------------------------------------------------------


def test_only_the_options_that_apply_are_offered(port: FakePort) -> None:
    port.last.clear()
    port.reserved.clear()
    reply = identified(port)
    menu = spoken(reply)
    assert "нажмите 3" in menu
    assert "нажмите 1" not in menu
    assert "нажмите 2" not in menu

    reply = press(reply, "1", port)  # not offered
    assert spoken(reply).startswith("Не понял выбор.")
    assert split(gather(reply).attrib["action"]) == ("/voice/menu", {"card": CARD, "wrong": "1"})


def test_nothing_to_order_offers_the_operator(port: FakePort) -> None:
    port.last.clear()
    port.reserved.clear()
    port.loans.clear()
    said = spoken(identified(port))
    assert "Сейчас нет книг" in said
    assert "Чтобы поговорить с оператором, нажмите 0." in said


def test_nine_repeats_the_menu(port: FakePort) -> None:
    reply = press(identified(port), "9", port)
    assert reply.next_step is Step.MENU
    assert "нажмите 2" in spoken(reply)


def test_an_ineligible_reader_hears_the_reason_and_is_offered_the_operator(port: FakePort) -> None:
    port.readers[CARD] = reader(eligible=False, reason_text="Срок действия читательского билета истёк 1 октября.")
    reply = identified(port)
    said = spoken(reply)
    assert "Срок действия читательского билета истёк 1 октября." in said
    assert "Чтобы поговорить с оператором, нажмите 0." in said
    assert "нажмите 1" not in said
    assert "нажмите 2" not in said

    assert spoken(press(reply, "2", port)).startswith("Не понял выбор.")
    put_through = press(reply, "0", port)
    assert dial(put_through).text == BRANCH


def test_a_kazakh_reader_hears_the_note(port: FakePort) -> None:
    port.readers[CARD] = reader(language="kk")
    reply = identified(port)
    assert KAZAKH_NOTE_TEXT in spoken(reply)
    assert {say.attrib["language"] for say in parse(reply).iter("Say")} == {"ru-RU"}


def test_a_prompt_can_be_read_in_another_language(port: FakePort) -> None:
    port.readers[CARD] = reader(language="kk")
    prompts = dataclasses.replace(RU_PROMPTS, kazakh_note=Prompt(KAZAKH_NOTE_TEXT, language="kk-KZ"))
    settings = MenuSettings(prompts=prompts, voice="Polly.Tatyana")
    menu = handle("confirm_card", CallState(card=CARD), "1", port, call_sid=CALL, settings=settings)
    says = list(parse(menu).iter("Say"))
    assert [(say.attrib["language"], say.attrib["voice"]) for say in says] == [
        ("ru-RU", "Polly.Tatyana"),
        ("kk-KZ", "Polly.Tatyana"),
        ("ru-RU", "Polly.Tatyana"),
    ]
    assert says[1].text == KAZAKH_NOTE_TEXT


# -- the way out to a person ---------------------------------------------------------------------------------


def test_a_wrong_card_three_times_puts_the_caller_through(port: FakePort) -> None:
    reply = press(call(port), "999", port)
    assert "Вы ввели: 9, 9, 9. Читатель с таким номером билета не найден." in spoken(reply)
    assert gather(reply).attrib["action"] == "/voice/start?wrong=1"
    reply = press(reply, "998", port)
    assert gather(reply).attrib["action"] == "/voice/start?wrong=2"
    reply = press(reply, "997", port)
    assert parse(reply).find("Gather") is None
    assert dial(reply).text == CENTRAL
    assert "Вам поможет оператор." in spoken(reply)
    assert reply.next_step is Step.OPERATOR_DONE


def test_a_card_with_stars_counts_as_wrong(port: FakePort) -> None:
    reply = press(call(port), "12*4", port)
    assert spoken(reply).startswith("Номер билета состоит только из цифр.")
    assert gather(reply).attrib["action"] == "/voice/start?wrong=1"


def test_zero_instead_of_a_card_puts_the_caller_through(port: FakePort) -> None:
    assert dial(press(call(port), "0", port)).text == CENTRAL


@pytest.mark.parametrize("step_digits", [[], [CARD], [CARD, "1"], [CARD, "1", "2"]])
def test_silence_repeats_a_question_twice_then_puts_through(port: FakePort, step_digits: list[str]) -> None:
    reply = call(port)
    for digits in step_digits:
        reply = press(reply, digits, port)
    question = gather(reply).attrib["action"]

    once = silence(reply, port)
    assert spoken(once).startswith("Я вас не услышал.")
    assert gather(once).attrib["action"] == question
    assert split(parse(once).find("Redirect").text or "")[1]["tries"] == "2"  # type: ignore[union-attr]
    assert "Библиотека" not in spoken(once)

    twice = silence(once, port)
    assert gather(twice).attrib["action"] == question
    assert dial(silence(twice, port)).text in {BRANCH, CENTRAL}


def test_an_empty_answer_counts_as_silence(port: FakePort) -> None:
    reply = request("/voice/menu?card=01234567", port, "")
    assert spoken(reply).startswith("Я вас не услышал.")
    assert split(parse(reply).find("Redirect").text or "")[1]["tries"] == "2"  # type: ignore[union-attr]


def test_an_invalid_key_three_times_puts_through(port: FakePort) -> None:
    reply = press(call(port), CARD, port)
    for wrong in ("1", "2"):
        reply = press(reply, "5", port)
        assert spoken(reply).startswith("Не понял выбор.")
        assert "Вы ввели: 0, 1, 2" in spoken(reply)
        assert split(gather(reply).attrib["action"])[1]["wrong"] == wrong
    assert dial(press(reply, "5", port)).text == BRANCH


@pytest.mark.parametrize("step_digits", [[CARD], [CARD, "1"], [CARD, "1", "2"]])
def test_zero_at_any_question_dials_the_operator(port: FakePort, step_digits: list[str]) -> None:
    reply = call(port)
    for digits in step_digits:
        reply = press(reply, digits, port)
    put_through = press(reply, "0", port)
    number = dial(put_through)
    assert number.text == BRANCH
    assert number.attrib["timeout"] == "30"
    assert number.attrib["action"] == "/voice/operator_done?card=01234567"
    assert "Соединяю с оператором" in spoken(put_through)
    assert port.submitted == []


def test_nobody_answering_is_said_and_a_retry_offered(port: FakePort) -> None:
    reply = request("/voice/operator_done?card=01234567", port, dial_status="no-answer")
    said = spoken(reply)
    assert "оператор сейчас не отвечает" in said
    assert "Телефон вашей библиотеки: 8 727, 250, 12, 34." in said
    assert gather(reply).attrib["action"] == "/voice/operator?card=01234567"
    assert [child.tag for child in parse(reply)] == ["Gather", "Say", "Hangup"]
    assert dial(press(reply, "0", port)).text == BRANCH


def test_after_a_conversation_the_call_ends(port: FakePort) -> None:
    reply = request("/voice/operator_done?card=01234567", port, dial_status="completed")
    assert [child.tag for child in parse(reply)] == ["Hangup"]
    assert reply.next_step is None


def test_a_refused_request_says_why_and_offers_the_operator(port: FakePort) -> None:
    port.refuse_with = "У вас уже есть две незавершённые заявки."
    confirm = press(press(identified(port), "2", port), "1", port)
    reply = request(parse(confirm).find("Redirect").text or "", port)  # type: ignore[union-attr]
    said = spoken(reply)
    assert "Заявку оформить не удалось. У вас уже есть две незавершённые заявки." in said
    assert "Чтобы поговорить с оператором, нажмите 0." in said
    assert gather(reply).attrib["action"] == "/voice/operator?card=01234567"
    assert [child.tag for child in parse(reply)] == ["Gather", "Say", "Hangup"]
    assert dial(press(reply, "0", port)).text == BRANCH


# -- state and URLs ------------------------------------------------------------------------------------------


def test_sms_updates_are_turned_off_and_on_again_from_the_menu(port: FakePort) -> None:
    menu = identified(port)
    assert "Отключить SMS" in menu.twiml
    menu = press(menu, "5", port)
    assert CARD in port.sms_off and "SMS-уведомления отключены" in menu.twiml and "Включить SMS" in menu.twiml
    menu = press(menu, "5", port)
    assert CARD not in port.sms_off and "SMS-уведомления включены" in menu.twiml


def test_the_state_survives_the_query_string() -> None:
    state = CallState(card=CARD, choice=Choice.RETURN, barcodes=("200100005", "B-7_x"), tries=2, wrong=1)
    assert state.to_query() == {"card": CARD, "choice": "return", "books": "200100005.B-7_x", "tries": "2", "wrong": "1"}
    assert CallState.from_query(state.to_query()) == state
    assert CallState().to_query() == {}
    assert CallState.from_query({}) == CallState()


def test_a_malformed_query_reads_as_empty() -> None:
    query = {"card": "12ab", "choice": "steal", "books": "ok1..bad/one", "tries": "-1", "wrong": "x", "CallSid": CALL}
    assert CallState.from_query(query) == CallState(barcodes=("ok1",))


def test_urls_need_no_percent_escapes() -> None:
    """The URL Twilio signs must read back byte for byte, so no value may need escaping."""
    state = CallState(card=CARD, choice=Choice.RESERVED, barcodes=RESERVED.barcodes, tries=1, wrong=2)
    url = step_url("https://lib.example.kz/voice/", Step.CONFIRM_ORDER, state)
    assert url == (
        "https://lib.example.kz/voice/confirm_order"
        "?card=01234567&choice=reserved&books=200100001.200100002.200100003.200100004&tries=1&wrong=2"
    )
    assert step_url("/voice", Step.START, CallState()) == "/voice/start"


def test_the_base_path_is_used_for_every_url(port: FakePort) -> None:
    reply = handle("start", CallState(), CARD, port, call_sid=CALL, base_path="/ivr/voice/")
    assert gather(reply).attrib["action"] == "/ivr/voice/confirm_card?card=01234567"
    assert parse(reply).find("Redirect").text == "/ivr/voice/confirm_card?card=01234567&tries=1"  # type: ignore[union-attr]


def test_an_unknown_step_starts_over(port: FakePort) -> None:
    reply = request("/voice/nonsense?card=01234567", port, "1")
    assert "Начнём сначала." in spoken(reply)
    assert gather(reply).attrib["action"] == "/voice/start"


def test_a_call_sid_is_required(port: FakePort) -> None:
    with pytest.raises(ValueError, match="CallSid"):
        handle("start", CallState(), None, port, call_sid="")


def test_order_info_is_checked() -> None:
    with pytest.raises(ValueError, match="one title per barcode"):
        OrderInfo(barcodes=("1", "2"), titles=("A",))
    with pytest.raises(ValueError, match="travel in URLs"):
        OrderInfo(barcodes=("12/3",), titles=("A",))


@pytest.mark.parametrize(
    ("count", "text"),
    [(1, "1 книга"), (2, "2 книги"), (4, "4 книги"), (5, "5 книг"), (11, "11 книг"), (12, "12 книг"), (21, "21 книга")],
)
def test_books_are_counted_in_russian(count: int, text: str) -> None:
    assert books(count) == text


def test_phone_numbers_are_spoken_in_groups() -> None:
    assert spoken_phone("+77272501234") == "8 727, 250, 12, 34"
    assert spoken_phone("+4930123") == "4, 9, 3, 0, 1, 2, 3"


VOICE = Path(__file__).resolve().parents[2] / "notifications" / "voice"


@pytest.mark.parametrize("module", sorted(path.name for path in VOICE.glob("*.py")))
def test_the_menu_is_pure(module: str) -> None:
    """No web framework, database or dispatch code: the web layer calls the menu, never the other way."""
    tree = ast.parse((VOICE / module).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    forbidden = {"flask", "werkzeug", "sqlalchemy", "rq", "redis", "dispatch", "couriers", "web", "cli", "demo", "integrations"}
    assert not imported & forbidden
