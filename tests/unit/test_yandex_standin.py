"""The local Yandex Delivery stand-in over real HTTP: auth, shapes, status walks, versions, journal, callbacks, faults."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import httpx
import pytest

from integrations.yandex.claims import Address
from integrations.yandex.claims import Contact
from integrations.yandex.claims import ItemForClaim
from integrations.yandex.claims import RouteForClaim
from integrations.yandex.claims import StopForClaim
from integrations.yandex.claims import delivery_claim_body
from integrations.yandex.models import ClaimStatus as S
from integrations.yandex.standin.book import SimulatorError
from integrations.yandex.standin.routes import API_PREFIX
from integrations.yandex.standin.server import YandexSimulator
from integrations.yandex.standin.settings import DEFAULT_TOKEN
from tests.webhook_receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # 09:00 in Almaty


def body(*readers: str, confirm: bool = False, callback_url: str | None = None) -> dict:
    stops = tuple(
        StopForClaim(
            reader,
            Contact(f"Читатель {n}", f"+7 701 555 00 0{n}"),
            Address(f"Алматы, улица Жибек Жолы, {n + 1}", lat=43.26 + n / 500, lon=76.94 + n / 500),
            (ItemForClaim("Книги библиотеки", 400_000, weight_kg=1.0),),
        )
        for n, reader in enumerate(readers or ("REQ-1",))
    )
    route = RouteForClaim(
        Contact("Библиотека", "+7 727 272 7272", "delivery@library.example.kz"),
        Address("Алматы, проспект Абая, 14", lat=43.2389, lon=76.9455),
        stops,
        due=NOW + timedelta(hours=1),
    )
    made = delivery_claim_body(route, confirm_at_door=confirm, callback_url=callback_url)
    if confirm:
        made["route_points"][0]["skip_confirmation"] = False  # the branch gives a code too
    return made


@pytest.fixture
def sim():
    with YandexSimulator(clock=lambda: NOW) as simulator:
        yield simulator


_http: list[httpx.Client] = []


@pytest.fixture(scope="module", autouse=True)
def http_client():
    """One connection pool for the module: a new ``httpx.Client`` per call would rebuild its TLS context each time."""
    with httpx.Client() as client:
        _http.append(client)
        yield client
        _http.clear()


def call(
    sim: YandexSimulator,
    method: str,
    endpoint: str,
    *,
    params: dict | None = None,
    json: object = None,
    token: str | None = DEFAULT_TOKEN,
    language: str | None = "ru",
) -> httpx.Response:
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if language is not None:
        headers["Accept-Language"] = language
    return _http[0].request(method, f"{sim.url}{API_PREFIX}{endpoint}", params=params, json=json, headers=headers)


def create(sim: YandexSimulator, request_id: str = "req-1", **kwargs: object) -> dict:
    response = call(sim, "POST", "claims/create", params={"request_id": request_id}, json=body(**kwargs))
    assert response.status_code == 200, response.text
    return response.json()


def info(sim: YandexSimulator, claim_id: str) -> dict:
    return call(sim, "POST", "claims/info", params={"claim_id": claim_id}, json={}).json()


def statuses_in_journal(sim: YandexSimulator) -> list[str]:
    events = call(sim, "POST", "claims/journal", json={}).json()["events"]
    return [e["new_status"] for e in events if e["change_type"] == "status_changed"]


# --- auth, language, paths -------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong"])
def test_requests_without_the_right_bearer_token_get_a_yandex_shaped_401(sim, token):
    response = call(sim, "POST", "claims/create", params={"request_id": "r"}, json=body(), token=token)

    assert response.status_code == 401
    assert response.json() == {"code": "unauthorized", "message": "Not authorized request"}
    assert sim.claim_ids == []


def test_any_token_is_taken_when_none_is_configured():
    with YandexSimulator(token=None, clock=lambda: NOW) as open_sim:
        assert call(open_sim, "POST", "claims/journal", json={}, token="anything").status_code == 200
        assert call(open_sim, "POST", "claims/journal", json={}, token=None).status_code == 401


def test_accept_language_is_required(sim):
    response = call(sim, "POST", "claims/journal", json={}, language=None)
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_unknown_paths_verbs_and_claims(sim):
    assert call(sim, "POST", "claims/nothing", json={}).json()["code"] == "not_found"
    assert call(sim, "GET", "claims/info", params={"claim_id": "x"}).status_code == 405
    assert call(sim, "POST", "claims/tracking-links", params={"claim_id": "x"}).status_code == 405
    missing = call(sim, "POST", "claims/info", params={"claim_id": "0" * 32}, json={})
    assert missing.status_code == 404 and missing.json() == {"code": "not_found", "message": "Заявка не найдена"}


def test_every_request_is_recorded(sim):
    call(sim, "POST", "claims/create", params={"request_id": "req-1"}, json=body(), token="wrong")

    (request,) = sim.requests
    assert (request.method, request.endpoint, request.params) == ("POST", "claims/create", {"request_id": "req-1"})
    assert request.headers["Authorization"] == "Bearer wrong" and request.headers["Accept-Language"] == "ru"
    assert request.body == body() and request.at == NOW
    sim.reset()
    assert sim.requests == []


# --- create ---------------------------------------------------------------------------------------------


def test_create_answers_a_new_claim_with_yandex_point_ids_and_an_automatic_return_point(sim):
    claim = create(sim, "req-1")

    assert len(claim["id"]) == 32 and claim["status"] == "new" and claim["version"] == 1
    points = claim["route_points"]
    assert [(p["type"], p["visit_order"], p["visit_status"]) for p in points] == [
        ("source", 1, "pending"),
        ("destination", 2, "pending"),
        ("return", 3, "pending"),
    ]
    assert all(p["id"] > 100000 for p in points) and len({p["id"] for p in points}) == 3
    assert points[2]["address"] == points[0]["address"]  # returns go back to the branch
    assert points[1]["external_order_id"] == "REQ-1"
    assert claim["pricing"] == {} and claim["available_cancel_state"] == "free"
    assert claim["error_messages"] == [] and claim["warnings"] == []


def test_create_is_idempotent_by_request_id(sim):
    first = create(sim, "req-1")
    again = create(sim, "req-1", callback_url=None, confirm=True)  # another body: still the first claim
    other = create(sim, "req-2")

    assert again["id"] == first["id"] and again["route_points"][0]["skip_confirmation"] is True
    assert other["id"] != first["id"]
    assert sim.claim_ids == [first["id"], other["id"]]


def _swap(b: dict) -> None:
    b["route_points"][1]["address"]["coordinates"].reverse()


def _no_plus(b: dict) -> None:
    b["route_points"][1]["contact"]["phone"] = "87015550000"


def _bad_symbol(b: dict) -> None:
    b["route_points"][1]["contact"]["phone"] = "+7701555000#"


def _unknown_dropoff(b: dict) -> None:
    b["items"][0]["dropoff_point"] = 9


def _dropoff_at_source(b: dict) -> None:
    b["items"][0]["dropoff_point"] = 1


def _unknown_pickup(b: dict) -> None:
    b["items"][0]["pickup_point"] = 2


def _mixed_currency(b: dict) -> None:
    b["items"].append(dict(b["items"][0], cost_currency="RUB"))


def _empty_destination(b: dict) -> None:
    b["route_points"].append(dict(b["route_points"][1], point_id=3, visit_order=3))


def _one_point(b: dict) -> None:
    del b["route_points"][1]


def _cost_number(b: dict) -> None:
    b["items"][0]["cost_value"] = 4000


def _past_due(b: dict) -> None:
    b["due"] = (NOW - timedelta(hours=1)).isoformat()


def _far_due(b: dict) -> None:
    b["due"] = (NOW + timedelta(days=4)).isoformat()


def _no_class(b: dict) -> None:
    del b["client_requirements"]


def _two_sources(b: dict) -> None:
    b["route_points"][1]["type"] = "source"


@pytest.mark.parametrize(
    ("spoil", "code"),
    [
        (_swap, "unknown_zone"),
        (_no_plus, "invalid_phone_must_start_plus_symbol"),
        (_bad_symbol, "invalid_phone_incorrect_symbol"),
        (_unknown_dropoff, "item_destination_point_not_found"),
        (_dropoff_at_source, "invalid_item_destination_point"),
        (_unknown_pickup, "item_source_point_not_found"),
        (_mixed_currency, "different_cost_currencies"),
        (_empty_destination, "invalid_destination_point"),
        (_one_point, "unsupported_points_count"),
        (_cost_number, "validation_error"),
        (_past_due, "due_in_past"),
        (_far_due, "delay_too_long"),
        (_no_class, "validation_error"),
        (_two_sources, "validation_error"),
    ],
)
def test_create_refuses_bodies_yandex_refuses_with_its_400_codes(sim, spoil, code):
    spoilt = body()
    spoil(spoilt)

    response = call(sim, "POST", "claims/create", params={"request_id": "req-1"}, json=spoilt)

    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["message"]
    assert sim.claim_ids == []


def test_create_needs_a_request_id(sim):
    response = call(sim, "POST", "claims/create", json=body())
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


def test_create_with_error_messages_inside_a_200(sim):
    sim.error_messages_on_next_create(code="address_not_found", message="Адрес не найден")

    claim = create(sim)

    assert claim["status"] == "estimating_failed"
    assert claim["error_messages"] == [{"code": "address_not_found", "message": "Адрес не найден"}]
    assert create(sim, "req-2")["error_messages"] == []  # only the next one


# --- the status walk ---------------------------------------------------------------------------------------


HAPPY_WALK_WITH_CODES = [
    "estimating",
    "ready_for_approval",
    "accepted",
    "performer_lookup",
    "performer_draft",
    "performer_found",
    "pickup_arrived",
    "ready_for_pickup_confirmation",
    "pickuped",
    "delivery_arrived",
    "ready_for_delivery_confirmation",
    "delivered",
    "delivered_finish",
]


def test_full_walk_to_delivered_finish_with_confirmation_codes(sim):
    claim = create(sim, confirm=True)

    passed = sim.play(claim["id"])

    assert passed == HAPPY_WALK_WITH_CODES
    done = info(sim, claim["id"])
    assert done["status"] == "delivered_finish" and done["version"] == 1 + len(passed)
    assert [p["visit_status"] for p in done["route_points"]] == ["visited", "visited", "pending"]
    assert all(p["visited_at"]["actual"] for p in done["route_points"][:2])
    assert done["pricing"]["final_price"] == done["pricing"]["offer"]["price"]
    assert done["current_point_id"] is None and done["available_cancel_state"] == "unavailable"
    assert statuses_in_journal(sim) == ["new", *passed]


def test_without_codes_the_confirmation_steps_are_skipped(sim):
    claim = create(sim, "req-1", confirm=False)
    passed = sim.play(claim["id"])
    assert passed == [s for s in HAPPY_WALK_WITH_CODES if not s.startswith("ready_for_") or s == "ready_for_approval"]


def test_every_step_bumps_the_version_and_moves_the_current_point(sim):
    claim = create(sim, "req-1", confirm=False)
    cid = claim["id"]
    sim.play(cid, until=S.PERFORMER_DRAFT)
    versions = [info(sim, cid)["version"]]
    current = []
    while sim.status(cid) != S.DELIVERED_FINISH:
        sim.advance(cid)
        now = info(sim, cid)
        versions.append(now["version"])
        current.append((now["status"], now["current_point_id"]))

    assert versions == list(range(versions[0], versions[0] + len(versions)))
    source, reader, _ = (p["id"] for p in claim["route_points"])
    assert current == [
        ("performer_found", source),
        ("pickup_arrived", source),
        ("pickuped", reader),
        ("delivery_arrived", reader),
        ("delivered", reader),
        ("delivered_finish", None),
    ]


def create_readers(sim: YandexSimulator, *readers: str, request_id: str = "req-m") -> dict:
    response = call(sim, "POST", "claims/create", params={"request_id": request_id}, json=body(*readers))
    assert response.status_code == 200, response.text
    return response.json()


def test_multi_point_walk_visits_readers_in_order(sim):
    claim = create_readers(sim, "A", "B", "C")

    passed = sim.play(claim["id"])

    door = ["delivery_arrived", "delivered"]
    assert passed[passed.index("pickuped") + 1 :] == [*door, *door, *door, "delivered_finish"]
    assert [p["visit_status"] for p in info(sim, claim["id"])["route_points"]] == ["visited"] * 4 + ["pending"]


def test_a_reader_not_at_home_is_skipped_and_the_books_come_back(sim):
    claim = create_readers(sim, "A", "B", "C")

    passed = sim.play(claim["id"], skip={"B"})

    after_pickup = passed[passed.index("pickuped") + 1 :]
    assert after_pickup == [
        "delivery_arrived",
        "delivered",
        "delivery_arrived",
        "pickuped",  # B skipped, on to C with B's books
        "delivery_arrived",
        "delivered",
        "returning",
        "return_arrived",
        "returned",
        "returned_finish",
    ]
    done = info(sim, claim["id"])
    assert [(p["type"], p["visit_status"]) for p in done["route_points"]] == [
        ("source", "visited"),
        ("destination", "visited"),
        ("destination", "skipped"),
        ("destination", "visited"),
        ("return", "visited"),
    ]
    assert done["route_points"][2]["return_reasons"] == ["recipient_not_available"]
    last = call(sim, "POST", "claims/journal", json={}).json()["events"][-1]
    assert (last["new_status"], last["resolution"]) == ("returned_finish", "failed")


def test_a_single_reader_not_at_home_goes_straight_to_returning(sim):
    claim = create(sim)
    passed = sim.play(claim["id"], skip={"REQ-1"})
    assert passed[-5:] == ["delivery_arrived", "returning", "return_arrived", "returned", "returned_finish"]


def test_advance_with_skip_point_at_the_door(sim):
    claim = create(sim)
    sim.play(claim["id"], until=S.DELIVERY_ARRIVED)
    assert sim.advance(claim["id"], skip_point=True) == S.RETURNING


@pytest.mark.parametrize(
    ("failure", "last_before"),
    [
        (S.ESTIMATING_FAILED, "estimating"),
        (S.PERFORMER_NOT_FOUND, "performer_draft"),
        (S.CANCELLED_BY_TAXI, "performer_found"),
        (S.FAILED, None),
    ],
)
def test_failure_paths_end_the_claim_where_they_happen(sim, failure, last_before):
    claim = create(sim)

    passed = sim.play(claim["id"], fail_with=failure)

    assert passed[-1] == failure
    assert (passed[-2] if len(passed) > 1 else None) == last_before
    done = info(sim, claim["id"])
    assert done["status"] == failure and done["current_point_id"] is None
    if failure == S.ESTIMATING_FAILED:
        assert done["error_messages"][0]["code"] == "estimating.cant_construct_route"
    else:
        last = call(sim, "POST", "claims/journal", json={}).json()["events"][-1]
        assert last["resolution"] == "failed"
    with pytest.raises(SimulatorError):
        sim.advance(claim["id"])


def test_moves_a_claim_cannot_make_are_refused(sim):
    claim = create(sim)
    with pytest.raises(SimulatorError, match="cannot become"):
        sim.advance(claim["id"], fail_with=S.PERFORMER_NOT_FOUND)
    sim.play(claim["id"], until=S.READY_FOR_APPROVAL)
    with pytest.raises(SimulatorError, match="waits for claims/accept"):
        sim.advance(claim["id"])
    assert sim.play(claim["id"], accept=False) == []
    with pytest.raises(SimulatorError, match="cannot fail with"):
        sim.play(claim["id"], fail_with="lost")
    with pytest.raises(SimulatorError, match="no claim"):
        sim.advance("nope")


def test_tick_moves_every_claim_that_can_move_by_itself(sim):
    waiting = create(sim, "req-1")
    moving = create(sim, "req-2")
    sim.play(waiting["id"], until=S.READY_FOR_APPROVAL)
    sim.play(moving["id"], until=S.PERFORMER_LOOKUP)

    sim.tick()

    assert sim.status(waiting["id"]) == S.READY_FOR_APPROVAL
    assert sim.status(moving["id"]) == S.PERFORMER_DRAFT


# --- accept ---------------------------------------------------------------------------------------------


def test_accept_checks_version_and_status(sim):
    claim = create(sim)
    cid = claim["id"]
    early = call(sim, "POST", "claims/accept", params={"claim_id": cid}, json={"version": 1})
    assert (early.status_code, early.json()["code"]) == (409, "inappropriate_status")

    sim.play(cid, until=S.READY_FOR_APPROVAL)
    version = info(sim, cid)["version"]
    stale = call(sim, "POST", "claims/accept", params={"claim_id": cid}, json={"version": version - 1})
    assert (stale.status_code, stale.json()["code"]) == (409, "old_version")

    accepted = call(sim, "POST", "claims/accept", params={"claim_id": cid}, json={"version": version})
    assert accepted.status_code == 200
    assert accepted.json() == {
        "id": cid,
        "status": "accepted",
        "version": version + 1,
        "user_request_revision": str(version + 1),
        "skip_client_notify": False,
    }
    assert call(sim, "POST", "claims/accept", params={"claim_id": cid}, json={}).status_code == 400


def test_ready_for_approval_carries_the_offer(sim):
    claim = create(sim)
    sim.play(claim["id"], until=S.READY_FOR_APPROVAL)

    offer = info(sim, claim["id"])["pricing"]["offer"]

    assert offer["price"].count(".") == 1 and float(offer["price_with_vat"]) > float(offer["price"]) > 0
    assert datetime.fromisoformat(offer["valid_until"]) == NOW + timedelta(minutes=10)


def test_a_late_accept_fails_the_claim():
    now = [NOW]
    with YandexSimulator(clock=lambda: now[0]) as late:
        claim = create(late)
        late.play(claim["id"], until=S.READY_FOR_APPROVAL)
        version = info(late, claim["id"])["version"]
        now[0] += timedelta(minutes=11)

        response = call(late, "POST", "claims/accept", params={"claim_id": claim["id"]}, json={"version": version})

        assert (response.status_code, response.json()["code"]) == (409, "offer_expired")
        assert late.status(claim["id"]) == S.FAILED


def test_change_price_makes_a_new_version_and_a_price_event(sim):
    claim = create(sim)
    sim.play(claim["id"], until=S.READY_FOR_APPROVAL)
    before = info(sim, claim["id"])["version"]

    sim.change_price(claim["id"], "2500")

    after = info(sim, claim["id"])
    assert after["version"] == before + 1 and after["pricing"]["offer"]["price"] == "2500.00"
    last = call(sim, "POST", "claims/journal", json={}).json()["events"][-1]
    assert (last["change_type"], last["new_price"], last["new_currency"]) == ("price_changed", "2500.00", "KZT")


# --- cancel -------------------------------------------------------------------------------------------


def test_cancel_info_is_free_then_paid_then_unavailable(sim):
    cid = create(sim, confirm=True)["id"]
    seen = {"new": call(sim, "POST", "claims/cancel-info", params={"claim_id": cid}, json={}).json()["cancel_state"]}
    for step in HAPPY_WALK_WITH_CODES[:10]:
        sim.play(cid, until=step)
        seen[step] = call(sim, "POST", "claims/cancel-info", params={"claim_id": cid}, json={}).json()["cancel_state"]

    free = ["new", "estimating", "ready_for_approval", "accepted", "performer_lookup", "performer_draft", "performer_found"]
    paid = ["pickup_arrived", "ready_for_pickup_confirmation"]
    assert seen == {
        **dict.fromkeys(free, "free"),
        **dict.fromkeys(paid, "paid"),
        "pickuped": "unavailable",
        "delivery_arrived": "unavailable",
    }
    assert info(sim, cid)["available_cancel_state"] == "unavailable"
    priced = create(sim, "req-2")
    sim.play(priced["id"], until=S.PICKUP_ARRIVED)
    fee = call(sim, "POST", "claims/cancel-info", params={"claim_id": priced["id"]}, json={}).json()
    assert fee["cancel_state"] == "paid" and fee["currency"] == "KZT" and float(fee["price_with_vat"]) > float(fee["price"]) > 0


def test_cancel_must_name_the_current_cancel_state(sim):
    claim = create(sim)
    cid = claim["id"]
    sim.play(cid, until=S.PICKUP_ARRIVED)
    version = info(sim, cid)["version"]

    free = call(sim, "POST", "claims/cancel", params={"claim_id": cid}, json={"version": version, "cancel_state": "free"})
    assert (free.status_code, free.json()["code"]) == (409, "free_cancel_is_unavailable")
    stale = call(sim, "POST", "claims/cancel", params={"claim_id": cid}, json={"version": version - 1, "cancel_state": "paid"})
    assert (stale.status_code, stale.json()["code"]) == (409, "old_version")

    paid = call(sim, "POST", "claims/cancel", params={"claim_id": cid}, json={"version": version, "cancel_state": "paid"})
    assert paid.status_code == 200 and paid.json()["status"] == "cancelled_with_payment"
    assert info(sim, cid)["pricing"]["final_price"]

    again = call(sim, "POST", "claims/cancel", params={"claim_id": cid}, json={"version": version + 1, "cancel_state": "paid"})
    assert (again.status_code, again.json()["code"]) == (409, "inappropriate_status")


def test_free_cancel_before_the_courier_arrives(sim):
    claim = create(sim)
    paid_too_early = call(
        sim, "POST", "claims/cancel", params={"claim_id": claim["id"]}, json={"version": 1, "cancel_state": "paid"}
    )
    assert paid_too_early.json()["code"] == "state_mismatch"

    response = call(sim, "POST", "claims/cancel", params={"claim_id": claim["id"]}, json={"version": 1, "cancel_state": "free"})

    assert response.json()["status"] == "cancelled"
    assert statuses_in_journal(sim) == ["new", "cancelled"]


# --- journal -------------------------------------------------------------------------------------------


def test_journal_cursor_returns_changes_in_order_once(sim):
    first = create(sim, "req-1")
    second = create(sim, "req-2")
    sim.play(first["id"], until=S.ESTIMATING)

    page = call(sim, "POST", "claims/journal", json={}).json()
    assert [(e["claim_id"], e["new_status"]) for e in page["events"]] == [
        (first["id"], "new"),
        (second["id"], "new"),
        (first["id"], "estimating"),
    ]
    assert [e["operation_id"] for e in page["events"]] == [1, 2, 3]
    assert [e["revision"] for e in page["events"]] == [1, 1, 2]
    assert all(e["updated_ts"] == NOW.isoformat() and "resolution" not in e for e in page["events"])

    empty = call(sim, "POST", "claims/journal", json={"cursor": page["cursor"]}).json()
    assert empty == {"cursor": page["cursor"], "events": []}

    sim.play(second["id"], until=S.READY_FOR_APPROVAL)
    limited = call(sim, "POST", "claims/journal", params={"limit": "1"}, json={"cursor": page["cursor"]}).json()
    assert [e["new_status"] for e in limited["events"]] == ["estimating"]
    rest = call(sim, "POST", "claims/journal", json={"cursor": limited["cursor"]}).json()
    assert [(e["change_type"], e.get("new_status")) for e in rest["events"]] == [
        ("status_changed", "ready_for_approval"),
        ("price_changed", None),
    ]


def test_journal_refuses_a_cursor_it_did_not_make(sim):
    response = call(sim, "POST", "claims/journal", json={"cursor": "not-a-cursor"})
    assert response.status_code == 400


# --- tracking ---------------------------------------------------------------------------------------------


def test_tracking_links_and_performer_position(sim):
    claim = create(sim)
    cid = claim["id"]
    links = call(sim, "GET", "claims/tracking-links", params={"claim_id": cid}).json()["route_points"]
    assert [(p["type"], p["visit_order"]) for p in links] == [("source", 1), ("destination", 2)]
    assert all(p["sharing_link"].startswith(sim.url) for p in links)

    assert call(sim, "GET", "claims/performer-position", params={"claim_id": cid}).status_code == 404
    sim.play(cid, until=S.DELIVERY_ARRIVED)
    position = call(sim, "GET", "claims/performer-position", params={"claim_id": cid}).json()["position"]
    reader = claim["route_points"][1]["address"]["coordinates"]
    assert [position["lon"], position["lat"]] == reader
    assert position["timestamp"] == int(NOW.timestamp())


def test_no_tracking_links_when_yandex_does_not_notify_readers(sim):
    quiet = body()
    quiet["skip_client_notify"] = True
    cid = call(sim, "POST", "claims/create", params={"request_id": "q"}, json=quiet).json()["id"]
    assert call(sim, "GET", "claims/tracking-links", params={"claim_id": cid}).json() == {"route_points": []}


def test_check_price_and_bulk_info(sim):
    priced = call(
        sim,
        "POST",
        "check-price",
        json={
            "route_points": [{"coordinates": [76.9455, 43.2389]}, {"coordinates": [76.9286, 43.2567]}],
            "requirements": {"taxi_class": "courier"},
        },
    ).json()
    assert set(priced) == {"price", "currency_rules", "distance_meters", "eta", "zone_id", "requirements"}
    assert priced["currency_rules"]["code"] == "KZT" and 2000 < priced["distance_meters"] < 5000
    swapped = call(
        sim,
        "POST",
        "check-price",
        json={"route_points": [{"coordinates": [43.2389, 76.9455]}, {"coordinates": [76.9286, 43.2567]}]},
    )
    assert swapped.json()["code"] == "unknown_zone"

    one, two = create(sim, "req-1"), create(sim, "req-2")
    claims = call(sim, "POST", "claims/bulk_info", json={"claim_ids": [two["id"], "x", one["id"]]}).json()["claims"]
    assert [c["id"] for c in claims] == [two["id"], one["id"]]


# --- callbacks ----------------------------------------------------------------------------------------


class Receiver(WebhookReceiver):
    """Our webhook, answering 200 unless told otherwise, at the callback URL we give Yandex."""

    def __init__(self, status: int = 200) -> None:
        super().__init__(status)

    @property
    def url(self) -> str:
        return f"{super().url}/hooks/yandex?token=s3cret&"


def test_each_status_change_nudges_the_callback_url_with_claim_id_appended(sim):
    with Receiver() as hook:
        claim = create(sim, callback_url=hook.url)
        sim.play(claim["id"], until=S.ACCEPTED)
        sim.wait_for_callbacks()

    assert len(hook.calls) == 4  # new, estimating, ready_for_approval, accepted
    for method, path in hook.calls:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        assert method == "POST" and parts.path == "/hooks/yandex"
        assert path.startswith("/hooks/yandex?token=s3cret&updated_ts=")
        assert query["claim_id"] == [claim["id"]] and query["token"] == ["s3cret"]
        assert datetime.fromisoformat(query["updated_ts"][0]) == NOW
    assert all(c.status == 200 for c in sim.callbacks)


def test_a_failing_callback_is_tried_again_then_given_up(sim):
    with Receiver(status=500) as hook:
        create(sim, callback_url=hook.url)
        sim.wait_for_callbacks()

    assert len(hook.calls) == sim.callback_attempts == 3
    assert [c.status for c in sim.callbacks] == [500, 500, 500]


def test_an_unreachable_callback_does_not_hold_up_the_api(sim):
    with Receiver() as hook:
        gone = hook.url
    claim = create(sim, callback_url=gone)  # answered at once: callbacks are pushed from another thread
    sim.wait_for_callbacks()

    assert claim["status"] == "new"
    assert all(c.status is None and c.error for c in sim.callbacks)


# --- faults ----------------------------------------------------------------------------------------------


def test_a_500_before_processing_makes_nothing(sim):
    sim.fail_next("claims/create", status=500)

    response = call(sim, "POST", "claims/create", params={"request_id": "req-1"}, json=body())

    assert response.status_code == 500 and response.json() == {"code": "internal_error", "message": "Internal server error"}
    assert sim.claim_ids == []
    assert create(sim, "req-1")["status"] == "new"


def test_a_500_after_processing_made_the_claim(sim):
    sim.fail_next("claims/create", status=500, after_processing=True)

    assert call(sim, "POST", "claims/create", params={"request_id": "req-1"}, json=body()).status_code == 500

    assert len(sim.claim_ids) == 1
    assert create(sim, "req-1")["id"] == sim.claim_ids[0]


def test_429_carries_retry_after(sim):
    sim.fail_next(status=429, retry_after_s=2.5)

    response = call(sim, "POST", "claims/journal", json={})

    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert response.json()["code"] == "too_many_requests"
    assert call(sim, "POST", "claims/journal", json={}).status_code == 200


def test_faults_apply_to_their_endpoint_only(sim):
    sim.fail_next("claims/info", status=503)
    assert call(sim, "POST", "claims/journal", json={}).status_code == 200
    assert call(sim, "POST", "claims/info", params={"claim_id": "x"}, json={}).status_code == 503


def test_a_stall_outlasts_the_client_timeout_and_is_released_on_stop(http_client):
    with YandexSimulator(clock=lambda: NOW) as stalling:
        stalling.stall_next("claims/journal", seconds=60)
        with pytest.raises(httpx.ReadTimeout):
            http_client.post(
                f"{stalling.url}{API_PREFIX}claims/journal",
                json={},
                headers={"Authorization": f"Bearer {DEFAULT_TOKEN}", "Accept-Language": "ru"},
                timeout=0.2,
            )


# --- hooks over HTTP and the command line ------------------------------------------------------------------


def test_control_hooks_drive_a_claim_over_http(sim, http_client):
    claim = create(sim)

    played = http_client.post(f"{sim.url}/_simulator/play", params={"claim_id": claim["id"], "until": "performer_found"}).json()
    stepped = http_client.post(f"{sim.url}/_simulator/advance", params={"claim_id": claim["id"]}).json()
    listed = http_client.get(f"{sim.url}/_simulator/claims").json()
    refused = http_client.post(f"{sim.url}/_simulator/advance", params={"claim_id": "nope"})

    assert played["statuses"][-1] == "performer_found" and stepped == {"status": "pickup_arrived"}
    assert listed["claims"] == [{"id": claim["id"], "request_id": "req-1", "status": "pickup_arrived", "version": 8}]
    assert refused.status_code == 409


def test_runs_from_the_command_line(http_client):
    process = subprocess.Popen(
        [sys.executable, "-m", "integrations.yandex.standin", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        base = banner.split(" on ")[1].split(API_PREFIX)[0]
        response = http_client.post(f"{base}{API_PREFIX}claims/journal", json={}, headers={"Accept-Language": "ru"})
        assert response.status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        if process.stdout is not None:
            process.stdout.close()
