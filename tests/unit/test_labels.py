"""Every code a person can see has words in Russian, Kazakh and English, and unknown codes never break a page."""

from __future__ import annotations

from dispatch import labels


def test_every_enum_value_has_words_in_every_language() -> None:
    assert labels.missing() == []


def test_words_follow_the_language_and_fall_back_to_russian() -> None:
    assert labels.label("request_status", "scheduled", "ru") == "Назначен день"
    assert labels.label("request_status", "scheduled", "kk") == "Күні белгіленді"
    assert labels.label("failure_reason", "not_at_home", "en") == "Reader not at home"
    assert labels.label("carrier", "in_house", "de") == "Курьер библиотеки"


def test_no_code_is_empty_and_an_unknown_code_is_given_back() -> None:
    assert labels.label("route_status", None) == ""
    assert labels.label("route_status", "teleported") == "teleported"
    assert labels.choices("stop_outcome", "kk")[0] == ("delivered", "Жеткізілді")


def test_every_reason_a_plan_leaves_a_request_out_for_has_words_and_what_to_do() -> None:
    from dispatch.planning.day import PRE_SOLVER_REASONS
    from routing.diagnosis import REASONS

    codes = set(REASONS) | set(PRE_SOLVER_REASONS)
    assert set(labels.LABELS["unassigned_reason"]) == codes
    assert set(labels.LABELS["unassigned_advice"]) == codes
    advice = labels.reason_with_advice("no_vehicle_with_skills", "ru")
    assert advice.startswith("Ни один курьер не может обслужить этот адрес")
    assert "Добавьте на этот день курьера" in advice
    assert labels.reason_with_advice("something_new", "kk") == "something_new"


def test_vehicles_read_as_a_courier_by_name_or_a_yandex_car_by_number() -> None:
    names = {"B01-C1": "Айгуль Сейткали"}
    assert labels.vehicle("courier:B01-C1", "ru", names) == "Айгуль Сейткали (курьер)"
    assert labels.vehicle("courier:B01-C2", "ru", names) == "Курьер B01-C2"
    assert labels.vehicle("yandex:2", "ru") == "Яндекс, машина 2"
    assert labels.vehicle("yandex:2", "kk") == "Яндекс, 2-көлік"
    assert labels.vehicle("yandex:2", "en") == "Yandex, car 2"
    assert labels.vehicle(None) == ""


def test_yandex_claim_states_and_the_readers_own_wording() -> None:
    assert labels.label("claim_status", "performer_found", "ru") == "Водитель едет в библиотеку"
    assert labels.label("reader_request_status", "failed", "ru") == "Курьер не смог Вас застать"
