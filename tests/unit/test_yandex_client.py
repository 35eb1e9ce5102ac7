"""The Yandex Delivery client against the local simulator over real HTTP: paths, retries, guarded writes, typed errors."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

import pytest

from integrations.yandex.claims import Address
from integrations.yandex.claims import Contact
from integrations.yandex.claims import ItemForClaim
from integrations.yandex.claims import RouteForClaim
from integrations.yandex.claims import Size
from integrations.yandex.claims import StopForClaim
from integrations.yandex.claims import delivery_claim_body
from integrations.yandex.client import API_PREFIX
from integrations.yandex.client import YandexDeliveryClient
from integrations.yandex.client import raise_for_error_messages
from integrations.yandex.errors import ClaimErrorMessagesError
from integrations.yandex.errors import YandexAuthError
from integrations.yandex.errors import YandexClientError
from integrations.yandex.errors import YandexConflictError
from integrations.yandex.errors import YandexError
from integrations.yandex.errors import YandexNotFoundError
from integrations.yandex.errors import YandexRateLimitedError
from integrations.yandex.errors import YandexServerError
from integrations.yandex.errors import YandexTimeoutError
from integrations.yandex.errors import YandexTransientError
from integrations.yandex.models import ClaimStatus
from integrations.yandex.standin.server import YandexSimulator
from integrations.yandex.standin.settings import DEFAULT_TOKEN

BRANCH = Address("Алматы, проспект Абая, 14", lat=43.2389, lon=76.9455, comment="Служебный вход")


def route(*stop_ids: str, heavy: bool = False) -> RouteForClaim:
    stops = tuple(
        StopForClaim(
            stop_id,
            Contact(f"Читатель {n}", f"+7 701 123 45 6{n}"),
            Address(f"Алматы, улица Толе би, {50 + n}", lat=43.2567 + n / 1000, lon=76.9286 - n / 1000, flat=str(n)),
            (ItemForClaim("Книги библиотеки", 500_000, weight_kg=25.0 if heavy else 1.2, size=Size(0.3, 0.2, 0.1)),),
        )
        for n, stop_id in enumerate(stop_ids or ("REQ-1",))
    )
    return RouteForClaim(Contact("Библиотека, выдача", "+7 727 272 7272", "delivery@library.example.kz"), BRANCH, stops)


def body(*stop_ids: str, **kwargs: bool) -> dict:
    return delivery_claim_body(route(*stop_ids, **kwargs))


class Sleeps(list[float]):
    """Records the waits the client asked for instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sim():
    with YandexSimulator() as simulator:
        yield simulator


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sim, sleeps):
    with YandexDeliveryClient(sim.url, DEFAULT_TOKEN, sleep=sleeps) as yandex:
        yield yandex


def ready_claim(sim: YandexSimulator, client: YandexDeliveryClient, request_id: str = "req-ready"):
    claim = client.create_claim(request_id, body())
    sim.play(claim.id, until=ClaimStatus.READY_FOR_APPROVAL)
    return client.claim_info(claim.id)


# --- paths, verbs and headers -----------------------------------------------------------------------


def test_every_method_uses_the_documented_path_verb_query_and_headers(sim, client):
    claim = client.create_claim("req-1", body())
    client.claim_info(claim.id)
    client.bulk_info([claim.id])
    client.cancel_info(claim.id)
    client.journal()
    client.tracking_links(claim.id)
    client.check_price({"route_points": [{"coordinates": [76.9455, 43.2389]}, {"coordinates": [76.9286, 43.2567]}]})

    seen = [(r.method, r.endpoint, r.params) for r in sim.requests]
    assert seen == [
        ("POST", "claims/create", {"request_id": "req-1"}),
        ("POST", "claims/info", {"claim_id": claim.id}),
        ("POST", "claims/bulk_info", {}),
        ("POST", "claims/cancel-info", {"claim_id": claim.id}),
        ("POST", "claims/journal", {}),
        ("GET", "claims/tracking-links", {"claim_id": claim.id}),
        ("POST", "check-price", {}),
    ]
    for request in sim.requests:
        assert request.headers["Authorization"] == f"Bearer {DEFAULT_TOKEN}"
        assert request.headers["Accept-Language"] == "ru"
    assert sim.requests_to("claims/bulk_info")[0].body == {"claim_ids": [claim.id]}


def test_performer_position_is_a_get_and_needs_a_courier(sim, client):
    claim = ready_claim(sim, client)
    with pytest.raises(YandexNotFoundError):
        client.performer_position(claim.id)
    sim.play(claim.id, until=ClaimStatus.PERFORMER_FOUND)

    position = client.performer_position(claim.id)

    assert sim.requests_to("claims/performer-position")[-1].method == "GET"
    assert 43.2 < position.lat < 43.3 and 76.9 < position.lon < 77.0
    assert position.timestamp is not None and position.speed_mps == 6.5


def test_base_url_may_already_carry_the_api_prefix(sim):
    with YandexDeliveryClient(sim.url + API_PREFIX, DEFAULT_TOKEN, language="en") as yandex:
        yandex.create_claim("req-1", body())
    assert sim.requests_to("claims/create")[0].headers["Accept-Language"] == "en"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"token": ""}, "token"),
        ({"language": "kk"}, "language"),
        ({"timeout_s": 0}, "timeout_s"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_settings_are_checked_when_the_client_is_made(kwargs, message):
    settings = {"base_url": "http://127.0.0.1:1", "token": "t", **kwargs}
    with pytest.raises(ValueError, match=message):
        YandexDeliveryClient(**settings)


# --- typed answers --------------------------------------------------------------------------------


def test_claim_is_parsed_into_typed_fields_and_keeps_the_raw_json(sim, client):
    created = client.create_claim("req-1", body("REQ-1", "REQ-2"))
    sim.play(created.id, until=ClaimStatus.PICKUPED)

    claim = client.claim_info(created.id)

    assert claim.status == ClaimStatus.PICKUPED and claim.version > created.version
    assert [p.type for p in claim.route_points] == ["source", "destination", "destination", "return"]
    assert [p.visit_order for p in claim.route_points] == [1, 2, 3, 4]
    assert claim.route_points[0].visit_status == "visited"
    reader = claim.point_for("REQ-2")
    assert reader is not None and reader.visit_status == "pending" and reader.contact_phone == "+77011234561"
    assert (reader.lat, reader.lon) == (pytest.approx(43.2577), pytest.approx(76.9276))
    assert claim.current_point is not None and claim.current_point.external_order_id == "REQ-1"
    assert claim.pricing is not None and claim.pricing.currency == "KZT"
    assert isinstance(claim.pricing.price, Decimal) and claim.pricing.price > 0
    assert claim.performer is not None and claim.performer.car_number
    assert claim.available_cancel_state == "unavailable"
    assert claim.created_ts is not None and claim.created_ts.tzinfo is not None
    assert claim.raw["id"] == claim.id and not claim.is_closed


def test_check_price_bulk_info_cancel_info_and_tracking_links(sim, client):
    estimate = client.check_price({"route_points": [{"coordinates": [76.9455, 43.2389]}, {"coordinates": [76.9286, 43.2567]}]})
    first = client.create_claim("req-1", body())
    second = client.create_claim("req-2", body())

    assert estimate.price is not None and estimate.currency == "KZT" and estimate.distance_m and estimate.eta_min
    assert [c.id for c in client.bulk_info([first.id, second.id, "unknown"])] == [first.id, second.id]
    assert client.bulk_info([]) == []
    assert client.cancel_info(first.id).cancel_state == "free"
    links = client.tracking_links(first.id)
    assert [(link.type, link.visit_order) for link in links] == [("source", 1), ("destination", 2)]
    assert all(link.sharing_link for link in links)


# --- retries ---------------------------------------------------------------------------------------


def test_create_after_a_500_is_retried_with_the_same_request_id_and_makes_one_claim(sim, client, sleeps):
    sim.fail_next("claims/create", status=500, after_processing=True)  # Yandex made the claim, then failed to say so

    claim = client.create_claim("req-1", body())

    creates = sim.requests_to("claims/create")
    assert [r.params["request_id"] for r in creates] == ["req-1", "req-1"]
    assert sim.claim_ids == [claim.id]
    assert sleeps == [1.0]


def test_create_that_timed_out_after_being_made_is_found_again_not_made_twice(sim, sleeps):
    sim.stall_next("claims/create", seconds=30, after_processing=True)
    with YandexDeliveryClient(sim.url, DEFAULT_TOKEN, timeout_s=0.2, sleep=sleeps) as yandex:
        claim = yandex.create_claim("req-1", body())

    assert len(sim.requests_to("claims/create")) == 2
    assert sim.claim_ids == [claim.id]


def test_a_new_request_id_would_make_a_second_claim(sim, client):
    first = client.create_claim("req-1", body())
    again = client.create_claim("req-1", body("OTHER"))
    other = client.create_claim("req-2", body())

    assert again.id == first.id
    assert other.id != first.id and len(sim.claim_ids) == 2


def test_429_waits_what_retry_after_says(sim, client, sleeps):
    claim = client.create_claim("req-1", body())
    sim.fail_next("claims/info", status=429, retry_after_s=7)

    assert client.claim_info(claim.id).id == claim.id
    assert sleeps == [7.0]
    assert len(sim.requests_to("claims/info")) == 2


def test_429_without_retry_after_backs_off_exponentially(sim, client, sleeps):
    sim.fail_next("claims/journal", status=429, times=3)

    client.journal()

    assert sleeps == [1.0, 2.0, 4.0]


def test_429_asking_for_longer_than_the_client_waits_is_raised_with_the_delay(sim, client, sleeps):
    sim.fail_next("claims/journal", status=429, retry_after_s=120)

    with pytest.raises(YandexRateLimitedError) as caught:
        client.journal()

    assert caught.value.retry_after_s == 120 and caught.value.code == "too_many_requests"
    assert isinstance(caught.value, YandexTransientError)
    assert sleeps == [] and len(sim.requests_to("claims/journal")) == 1


def test_read_that_times_out_is_retried(sim, sleeps):
    with YandexDeliveryClient(sim.url, DEFAULT_TOKEN, timeout_s=0.2, sleep=sleeps) as yandex:
        claim = yandex.create_claim("req-1", body())
        sim.stall_next("claims/info", seconds=30)

        assert yandex.claim_info(claim.id).id == claim.id

    assert len(sim.requests_to("claims/info")) == 2
    assert sleeps == [1.0]


def test_server_errors_give_up_after_max_retries_with_a_typed_error(sim, sleeps):
    sim.fail_next("claims/info", status=503, times=10)
    with (
        YandexDeliveryClient(sim.url, DEFAULT_TOKEN, max_retries=2, sleep=sleeps) as yandex,
        pytest.raises(YandexServerError) as caught,
    ):
        yandex.claim_info("whatever")

    assert caught.value.status == 503 and caught.value.code == "internal_error"
    assert len(sim.requests_to("claims/info")) == 3
    assert sleeps == [1.0, 2.0]


def test_timeouts_give_up_as_a_timeout_error(sim, sleeps):
    sim.stall_next("claims/info", seconds=30, times=2)
    with (
        YandexDeliveryClient(sim.url, DEFAULT_TOKEN, timeout_s=0.2, max_retries=1, sleep=sleeps) as yandex,
        pytest.raises(YandexTimeoutError) as caught,
    ):
        yandex.claim_info("whatever")

    assert caught.value.status is None and caught.value.code == "timeout" and caught.value.method == "POST"


def test_backoff_is_capped(sim, sleeps):
    sim.fail_next("claims/journal", status=500, times=5)
    with YandexDeliveryClient(sim.url, DEFAULT_TOKEN, max_retries=5, backoff_s=1.0, max_backoff_s=5.0, sleep=sleeps) as yandex:
        yandex.journal()
    assert sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


# --- typed errors ------------------------------------------------------------------------------------


def test_client_errors_are_not_retried_and_carry_yandex_code_and_message(sim, client, sleeps):
    swapped = body()
    swapped["route_points"][1]["address"]["coordinates"].reverse()  # [lat, lon]: the classic mistake

    with pytest.raises(YandexClientError) as caught:
        client.create_claim("req-1", swapped)

    error = caught.value
    assert (error.status, error.code) == (400, "unknown_zone")
    assert error.message and error.method == "POST" and error.url and error.url.endswith("claims/create")
    assert "unknown_zone" in str(error)
    assert not isinstance(error, YandexTransientError)
    assert len(sim.requests_to("claims/create")) == 1 and sleeps == []


def test_a_wrong_token_is_an_auth_error(sim):
    with YandexDeliveryClient(sim.url, "revoked") as yandex, pytest.raises(YandexAuthError) as caught:
        yandex.journal()
    assert (caught.value.status, caught.value.code) == (401, "unauthorized")


def test_an_unknown_claim_is_not_found(client):
    with pytest.raises(YandexNotFoundError) as caught:
        client.claim_info("0" * 32)
    assert (caught.value.status, caught.value.code) == (404, "not_found")


def test_error_messages_inside_a_200_on_create_raise_with_the_claim(sim, client):
    sim.error_messages_on_next_create(code="address_not_found", message="Адрес не найден")

    with pytest.raises(ClaimErrorMessagesError) as caught:
        client.create_claim("req-1", body())

    error = caught.value
    assert error.status == 200 and error.code == "address_not_found" and "Адрес не найден" in error.message
    assert error.claim.id in sim.claim_ids and error.claim.status == ClaimStatus.ESTIMATING_FAILED
    assert isinstance(error, YandexError)
    # The same request_id finds the claim again; asked not to raise, the messages stay on the claim.
    claim = client.create_claim("req-1", body(), raise_on_error_messages=False)
    assert claim.id == error.claim.id and [m.code for m in claim.error_messages] == ["address_not_found"]


def test_estimating_failed_is_read_as_a_state_and_raised_on_request(sim, client):
    claim = client.create_claim("req-1", body())
    sim.play(claim.id, fail_with=ClaimStatus.ESTIMATING_FAILED)

    failed = client.claim_info(claim.id)

    assert failed.status == ClaimStatus.ESTIMATING_FAILED
    assert [m.code for m in failed.error_messages] == ["estimating.cant_construct_route"]
    with pytest.raises(ClaimErrorMessagesError):
        raise_for_error_messages(failed)


def test_warnings_arrive_on_the_claim_without_failing_it(client):
    claim = client.create_claim("req-1", body(heavy=True))
    assert claim.status == ClaimStatus.NEW
    assert [(w.code, w.source) for w in claim.warnings] == [("not_fit_in_car", "client_requirements")]


# --- accept and cancel: re-read before any retry -----------------------------------------------------------------


def test_accept_starts_the_courier_search(sim, client):
    claim = ready_claim(sim, client)

    state = client.accept(claim.id, claim.version)

    assert (state.id, state.status) == (claim.id, ClaimStatus.ACCEPTED) and state.version == claim.version + 1
    assert sim.requests_to("claims/accept")[0].body == {"version": claim.version}


def test_accept_after_a_409_old_version_rereads_and_accepts_with_the_fresh_version(sim, client, sleeps):
    claim = ready_claim(sim, client)
    sim.change_price(claim.id, "1999.00")  # re-estimated meanwhile: a new version

    state = client.accept(claim.id, claim.version)

    assert state.status == ClaimStatus.ACCEPTED
    assert sleeps == [0.0]  # a conflict is re-read at once
    assert [r.endpoint for r in sim.requests[-3:]] == ["claims/accept", "claims/info", "claims/accept"]
    assert [r.body["version"] for r in sim.requests_to("claims/accept")] == [claim.version, claim.version + 1]


def test_accept_of_a_claim_already_accepted_returns_its_state_without_sending_again(sim, client):
    claim = ready_claim(sim, client)
    client.accept(claim.id, claim.version)
    sim.play(claim.id, until=ClaimStatus.PERFORMER_LOOKUP)

    state = client.accept(claim.id, claim.version)  # a job that runs twice

    assert state.status == ClaimStatus.PERFORMER_LOOKUP
    assert len(sim.requests_to("claims/accept")) == 2  # the first accept and the refused repeat, nothing after the re-read


def test_accept_that_failed_after_taking_effect_is_not_sent_again(sim, client, sleeps):
    claim = ready_claim(sim, client)
    sim.fail_next("claims/accept", status=500, after_processing=True)

    state = client.accept(claim.id, claim.version)

    assert state.status == ClaimStatus.ACCEPTED
    assert len(sim.requests_to("claims/accept")) == 1
    assert sim.requests[-1].endpoint == "claims/info"
    assert sleeps == [1.0]


def test_accept_that_timed_out_rereads_instead_of_resending(sim, sleeps):
    with YandexDeliveryClient(sim.url, DEFAULT_TOKEN, timeout_s=0.2, sleep=sleeps) as yandex:
        claim = ready_claim(sim, yandex)
        sim.stall_next("claims/accept", seconds=30, after_processing=True)

        state = yandex.accept(claim.id, claim.version)

    assert state.status == ClaimStatus.ACCEPTED
    assert len(sim.requests_to("claims/accept")) == 1


def test_accept_that_failed_before_taking_effect_is_sent_again(sim, client):
    claim = ready_claim(sim, client)
    sim.fail_next("claims/accept", status=500)

    state = client.accept(claim.id, claim.version)

    assert state.status == ClaimStatus.ACCEPTED
    assert [r.endpoint for r in sim.requests[-3:]] == ["claims/accept", "claims/info", "claims/accept"]


def test_accept_before_estimation_ends_raises_the_conflict(sim, client):
    claim = client.create_claim("req-1", body())

    with pytest.raises(YandexConflictError) as caught:
        client.accept(claim.id, claim.version)

    assert caught.value.code == "inappropriate_status"
    assert len(sim.requests_to("claims/accept")) == 1


def test_accept_too_late_fails_the_claim():
    now = [datetime(2026, 11, 24, 9, 0, tzinfo=UTC)]
    with YandexSimulator(clock=lambda: now[0]) as late, YandexDeliveryClient(late.url, DEFAULT_TOKEN, sleep=Sleeps()) as yandex:
        claim = ready_claim(late, yandex)
        now[0] += timedelta(minutes=11)

        state = yandex.accept(claim.id, claim.version)

    assert state.status == ClaimStatus.FAILED  # the 409 offer_expired, then the re-read: the claim moved on


def test_cancel_free_then_paid_as_cancel_info_says(sim, client):
    free = ready_claim(sim, client, "req-free")
    info = client.cancel_info(free.id)
    assert info.cancel_state == "free" and info.price == 0

    state = client.cancel(free.id, free.version, "free")
    assert state.status == ClaimStatus.CANCELLED

    paid = ready_claim(sim, client, "req-paid")
    sim.play(paid.id, until=ClaimStatus.PICKUP_ARRIVED)
    paid = client.claim_info(paid.id)
    info = client.cancel_info(paid.id)
    assert info.cancel_state == paid.available_cancel_state == "paid" and info.price and info.price > 0

    state = client.cancel(paid.id, paid.version, "paid")
    assert state.status == ClaimStatus.CANCELLED_WITH_PAYMENT
    assert sim.requests_to("claims/cancel")[-1].body == {"version": paid.version, "cancel_state": "paid"}


def test_cancel_never_turns_a_free_cancel_into_a_paid_one(sim, client):
    claim = ready_claim(sim, client)
    client.accept(claim.id, claim.version)
    sim.play(claim.id, until=ClaimStatus.PERFORMER_FOUND)
    seen = client.claim_info(claim.id)
    sim.advance(claim.id)  # the courier reaches the branch: cancelling now costs money

    with pytest.raises(YandexConflictError):
        client.cancel(claim.id, seen.version, "free")

    assert len(sim.requests_to("claims/cancel")) == 1
    assert sim.status(claim.id) == ClaimStatus.PICKUP_ARRIVED


def test_cancel_that_failed_after_taking_effect_returns_the_cancelled_state(sim, client):
    claim = ready_claim(sim, client)
    sim.fail_next("claims/cancel", status=502, after_processing=True)

    state = client.cancel(claim.id, claim.version, "free")

    assert state.status == ClaimStatus.CANCELLED
    assert len(sim.requests_to("claims/cancel")) == 1


def test_cancel_after_pickup_is_refused(sim, client):
    claim = ready_claim(sim, client)
    client.accept(claim.id, claim.version)
    sim.play(claim.id, until=ClaimStatus.PICKUPED)
    claim = client.claim_info(claim.id)

    with pytest.raises(YandexConflictError) as caught:
        client.cancel(claim.id, claim.version, "paid")
    assert caught.value.code == "inappropriate_status"

    with pytest.raises(ValueError, match="cancel_state"):
        client.cancel(claim.id, claim.version, "unavailable")


# --- journal -------------------------------------------------------------------------------------------


def test_journal_pages_with_a_cursor_in_order(sim, client):
    claim = client.create_claim("req-1", body())
    sim.play(claim.id, until=ClaimStatus.READY_FOR_APPROVAL)

    events, cursor = client.journal()
    assert [e.new_status for e in events if e.change_type == "status_changed"] == ["new", "estimating", "ready_for_approval"]
    assert [e.operation_id for e in events] == sorted(e.operation_id for e in events if e.operation_id is not None)
    assert all(e.claim_id == claim.id for e in events)
    priced = [e for e in events if e.change_type == "price_changed"]
    assert len(priced) == 1 and priced[0].new_currency == "KZT" and priced[0].new_price

    assert client.journal(cursor) == ([], cursor)
    first_cursor = cursor

    client.accept(claim.id, client.claim_info(claim.id).version)
    sim.play(claim.id)
    first, cursor = client.journal(cursor, limit=2)
    rest, cursor = client.journal(cursor)
    statuses = [e.new_status for e in first + rest]
    assert statuses[:3] == ["accepted", "performer_lookup", "performer_draft"]
    assert statuses[-1] == "delivered_finish" and (first + rest)[-1].resolution == "success"
    assert len(first) == 2
    journal_calls = sim.requests_to("claims/journal")
    assert journal_calls[0].body == {} and journal_calls[1].body == {"cursor": first_cursor}
    assert journal_calls[2].params == {"limit": "2"}
