"""Planned routes become claims/create bodies: point order, [lon, lat], E.164 phones, money strings, one return claim per reader."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from integrations.yandex.claims import MAX_STOPS
from integrations.yandex.claims import Address
from integrations.yandex.claims import Contact
from integrations.yandex.claims import ItemForClaim
from integrations.yandex.claims import RouteForClaim
from integrations.yandex.claims import Size
from integrations.yandex.claims import StopForClaim
from integrations.yandex.claims import claim_request_id
from integrations.yandex.claims import cost_value
from integrations.yandex.claims import delivery_claim_body
from integrations.yandex.claims import e164
from integrations.yandex.claims import return_claim_bodies
from integrations.yandex.claims import return_claim_body
from integrations.yandex.errors import InvalidClaimDataError
from integrations.yandex.standin.server import YandexSimulator

ALMATY = ZoneInfo("Asia/Almaty")
DUE = datetime(2026, 11, 24, 10, 30, tzinfo=ALMATY)
BRANCH_CONTACT = Contact("Библиотека №5, выдача", "+7 727 272 7272", "delivery@library.example.kz")
BRANCH = Address("Алматы, проспект Абая, 14", lat=43.2389, lon=76.9455, comment="Служебный вход со двора")

AIGERIM = StopForClaim(
    "REQ-101",
    Contact("Айгерим", "8 (701) 123-45-67"),
    Address(
        "Алматы, улица Толе би, 59",
        lat=43.2567,
        lon=76.9286,
        flat="12",
        entrance="2",
        floor="4",
        door_code="12К",
        comment="Пандус справа, позвонить заранее",
    ),
    (ItemForClaim("Книги библиотеки (2 шт.)", 1_000_000, weight_kg=1.5, size=Size(0.30, 0.22, 0.10)),),
)
BAKHYT = StopForClaim(
    "REQ-102",
    Contact("Бахыт", "+7 777 765 43 21"),
    Address("Алматы, проспект Сатпаева, 22", lat=43.2360, lon=76.9300),
    (ItemForClaim("Книга библиотеки", 350_050), ItemForClaim("Аудиокнига", 5, quantity=2)),
)


def planned(*stops: StopForClaim, due: datetime | None = DUE) -> RouteForClaim:
    return RouteForClaim(BRANCH_CONTACT, BRANCH, stops or (AIGERIM, BAKHYT), due=due, comment="Книги библиотеки")


# --- deliveries ---------------------------------------------------------------------------------


def test_branch_is_the_source_and_readers_follow_in_planned_order():
    body = delivery_claim_body(planned(BAKHYT, AIGERIM))

    points = body["route_points"]
    assert [(p["point_id"], p["visit_order"], p["type"]) for p in points] == [
        (1, 1, "source"),
        (2, 2, "destination"),
        (3, 3, "destination"),
    ]
    assert [p.get("external_order_id") for p in points] == [None, "REQ-102", "REQ-101"]
    assert points[0]["contact"] == {
        "name": "Библиотека №5, выдача",
        "phone": "+77272727272",
        "email": "delivery@library.example.kz",
    }
    assert points[0]["skip_confirmation"] is True


def test_coordinates_go_out_as_lon_lat():
    body = delivery_claim_body(planned())

    assert body["route_points"][0]["address"]["coordinates"] == [76.9455, 43.2389]
    assert body["route_points"][1]["address"]["coordinates"] == [76.9286, 43.2567]
    for point in body["route_points"]:
        lon, lat = point["address"]["coordinates"]
        assert lon > lat  # true everywhere in Almaty; the swapped order is Yandex's unknown_zone


def test_reader_point_carries_phone_in_e164_and_the_door_details():
    reader = delivery_claim_body(planned())["route_points"][1]

    assert reader["contact"] == {"name": "Айгерим", "phone": "+77011234567"}
    assert reader["address"] == {
        "fullname": "Алматы, улица Толе би, 59",
        "coordinates": [76.9286, 43.2567],
        "sflat": "12",
        "porch": "2",
        "sfloor": "4",
        "door_code": "12К",
        "comment": "Пандус справа, позвонить заранее",
    }
    assert reader["skip_confirmation"] is True


def test_items_go_from_the_branch_to_their_reader_with_costs_as_strings():
    items = delivery_claim_body(planned())["items"]

    assert items == [
        {
            "title": "Книги библиотеки (2 шт.)",
            "quantity": 1,
            "cost_value": "10000.00",
            "cost_currency": "KZT",
            "pickup_point": 1,
            "dropoff_point": 2,
            "extra_id": "REQ-101",
            "weight": 1.5,
            "size": {"length": 0.30, "width": 0.22, "height": 0.10},
        },
        {
            "title": "Книга библиотеки",
            "quantity": 1,
            "cost_value": "3500.50",
            "cost_currency": "KZT",
            "pickup_point": 1,
            "dropoff_point": 3,
            "extra_id": "REQ-102",
        },
        {
            "title": "Аудиокнига",
            "quantity": 2,
            "cost_value": "0.05",
            "cost_currency": "KZT",
            "pickup_point": 1,
            "dropoff_point": 3,
            "extra_id": "REQ-102",
        },
    ]
    assert all(isinstance(item["cost_value"], str) for item in items)
    assert not any("droppof_point" in item for item in items)


def test_claim_level_fields():
    body = delivery_claim_body(planned(), taxi_class="express", callback_url="https://lib.example.kz/hooks/yandex?t=s3cret&")

    assert body["client_requirements"] == {"taxi_class": "express"}
    assert body["optional_return"] is False
    assert body["due"] == "2026-11-24T10:30:00+05:00"
    assert body["emergency_contact"] == {"name": "Библиотека №5, выдача", "phone": "+77272727272"}
    assert body["callback_properties"] == {"callback_url": "https://lib.example.kz/hooks/yandex?t=s3cret&"}
    assert body["comment"] == "Книги библиотеки"
    assert "skip_client_notify" not in body and "same_day_data" not in body


def test_options_confirmation_emergency_contact_and_no_due():
    body = delivery_claim_body(
        planned(due=None),
        confirm_at_door=True,
        emergency_contact=Contact("Дежурный библиотекарь", "+7 701 000 00 01"),
        skip_client_notify=True,
    )

    assert [p["skip_confirmation"] for p in body["route_points"]] == [True, False, False]
    assert body["emergency_contact"] == {"name": "Дежурный библиотекарь", "phone": "+77010000001"}
    assert body["skip_client_notify"] is True
    assert "due" not in body and "callback_properties" not in body


def test_same_day_delivery_replaces_the_taxi_class():
    start = DUE.replace(hour=12, minute=0)
    body = delivery_claim_body(planned(AIGERIM), same_day_interval=(start, start + timedelta(hours=4)))

    assert "client_requirements" not in body
    assert body["same_day_data"] == {
        "delivery_interval": {"from": "2026-11-24T12:00:00+05:00", "to": "2026-11-24T16:00:00+05:00"}
    }
    with pytest.raises(InvalidClaimDataError, match="size and a weight"):
        delivery_claim_body(planned(BAKHYT), same_day_interval=(start, start + timedelta(hours=4)))


def test_the_simulator_accepts_what_the_builder_makes():
    now = DUE - timedelta(hours=1)
    with YandexSimulator(token=None, clock=lambda: now) as sim:
        status, claim, _ = sim.create("req-1", delivery_claim_body(planned()))
        returned = [sim.create(f"ret-{n}", b) for n, b in enumerate(return_claim_bodies(planned()).values())]
    assert status == 200 and claim["status"] == "new"
    assert [answer[0] for answer in returned] == [200, 200]


# --- returns ------------------------------------------------------------------------------------------


def test_a_return_pickup_goes_from_the_reader_to_the_branch():
    body = return_claim_body(AIGERIM, branch_contact=BRANCH_CONTACT, branch_address=BRANCH, due=DUE)

    source, destination = body["route_points"]
    assert (source["type"], source["visit_order"], source["contact"]["phone"]) == ("source", 1, "+77011234567")
    assert source["address"]["coordinates"] == [76.9286, 43.2567] and source["address"]["sflat"] == "12"
    assert "external_order_id" not in source
    assert (destination["type"], destination["visit_order"], destination["external_order_id"]) == ("destination", 2, "REQ-101")
    assert destination["address"]["coordinates"] == [76.9455, 43.2389]
    assert [(i["pickup_point"], i["dropoff_point"], i["extra_id"]) for i in body["items"]] == [(1, 2, "REQ-101")]
    assert body["optional_return"] is False and body["due"] == "2026-11-24T10:30:00+05:00"


def test_a_route_of_return_pickups_becomes_one_claim_per_reader():
    own_time = DUE + timedelta(hours=1)
    late_bakhyt = StopForClaim(BAKHYT.external_order_id, BAKHYT.contact, BAKHYT.address, BAKHYT.items, due=own_time)

    bodies = return_claim_bodies(planned(AIGERIM, late_bakhyt))

    assert list(bodies) == ["REQ-101", "REQ-102"]
    for external_id, body in bodies.items():
        assert [p["type"] for p in body["route_points"]] == ["source", "destination"]
        assert body["route_points"][1]["external_order_id"] == external_id
    assert bodies["REQ-101"]["due"] == DUE.isoformat()
    assert bodies["REQ-102"]["due"] == own_time.isoformat()


# --- checks before sending ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (planned(StopForClaim("R", Contact("Имя", "12345"), AIGERIM.address, AIGERIM.items)), "stop R"),
        (planned(StopForClaim("R", Contact(" ", "+77011234567"), AIGERIM.address, AIGERIM.items)), "no name"),
        (planned(StopForClaim("R", AIGERIM.contact, AIGERIM.address, ())), "no items"),
        (planned(StopForClaim("R", AIGERIM.contact, Address("Алматы", 143.0, 76.9), AIGERIM.items)), "latitude"),
        (planned(StopForClaim("R", AIGERIM.contact, Address("  ", 43.2, 76.9), AIGERIM.items)), "fullname"),
        (planned(StopForClaim("R", AIGERIM.contact, AIGERIM.address, (ItemForClaim("Книга", -1),))), "negative"),
        (planned(StopForClaim("R", AIGERIM.contact, AIGERIM.address, (ItemForClaim("Книга", 1, quantity=0),))), "quantity"),
        (
            planned(StopForClaim("R", AIGERIM.contact, AIGERIM.address, (ItemForClaim("Книга", 1, size=Size(0.3, 0.2, 600)),))),
            "size",
        ),
        (planned(AIGERIM, AIGERIM), "twice"),
        (planned(due=datetime(2026, 11, 24, 10, 30)), "time zone"),  # noqa: DTZ001 - the naive time is the point
        (RouteForClaim(BRANCH_CONTACT, BRANCH, ()), "at least one stop"),
    ],
)
def test_a_route_that_cannot_become_a_valid_claim_is_refused_before_sending(route, message):
    with pytest.raises(InvalidClaimDataError, match=message):
        delivery_claim_body(route)


@pytest.mark.parametrize("url", ["https://lib.example.kz/hook", "ftp://lib.example.kz/hook?", "lib.example.kz/hook?"])
def test_callback_url_must_take_yandex_parameters_by_concatenation(url):
    with pytest.raises(InvalidClaimDataError, match="callback_url"):
        delivery_claim_body(planned(), callback_url=url)


def test_too_many_stops_for_one_claim():
    stops = tuple(StopForClaim(f"R{n}", AIGERIM.contact, AIGERIM.address, AIGERIM.items) for n in range(MAX_STOPS + 1))
    with pytest.raises(InvalidClaimDataError, match="split"):
        delivery_claim_body(planned(*stops))
    assert len(delivery_claim_body(planned(*stops[:MAX_STOPS]))["route_points"]) == MAX_STOPS + 1


@pytest.mark.parametrize(("tiyn", "text"), [(0, "0.00"), (5, "0.05"), (150_000, "1500.00"), (123_456, "1234.56")])
def test_money_is_a_decimal_string_from_tiyn(tiyn, text):
    assert cost_value(tiyn) == text


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("+7 701 123 45 67", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("87771234567", "+77771234567"),
        ("+7 727 250 00 00", "+77272500000"),
    ],
)
def test_phones_become_e164(phone, expected):
    assert e164(phone) == expected


def test_request_ids_repeat_for_the_same_attempt_and_change_for_the_next():
    first = claim_request_id("route", 42)
    assert first == claim_request_id("route", 42, 1)
    assert len({first, claim_request_id("route", 42, 2), claim_request_id("return", 42), claim_request_id("route", 43)}) == 4
    assert 1 <= len(first) <= 128
    with pytest.raises(ValueError, match="attempt"):
        claim_request_id("route", 42, 0)
