"""Every eligibility rule, each passing and failing, and all failures reported together."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dispatch.config import EligibilityRules
from dispatch.domain.eligibility import ItemFacts
from dispatch.domain.eligibility import ReaderFacts
from dispatch.domain.eligibility import age_on
from dispatch.domain.eligibility import check
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.messages import render
from tests.conftest import CENTRE
from tests.conftest import TALGAR

TODAY = date(2026, 11, 23)
ON = date(2026, 11, 24)
RULES = EligibilityRules()

GOOD_READER = ReaderFacts(
    card_number="0100001",
    card_expires_on=date(2027, 6, 1),
    blocked=False,
    block_reason=None,
    birth_date=date(1980, 1, 1),
    disability_group=1,
    disability_until=None,
    temporary_until=None,
    lat=CENTRE[0],
    lon=CENTRE[1],
    phone="+77011234567",
    open_requests=0,
)
BOOK = ItemFacts(barcode="200100001", found=True, title="Абай жолы", status=ItemStatus.AVAILABLE, branch_code="B01")


def codes(
    reader: ReaderFacts = GOOD_READER,
    items: list[ItemFacts] | None = None,
    *,
    area,
    kind=RequestKind.DELIVERY,
    rules: EligibilityRules = RULES,
    wished: date | None = None,
) -> list[str]:
    found = check(
        kind, reader, [BOOK] if items is None else items, on_date=ON, wished_date=wished, today=TODAY, rules=rules, area=area
    )
    return [reason.code for reason in found]


def test_a_good_reader_with_an_available_book_is_eligible(area):
    assert codes(area=area) == []


# --- the card ---


@pytest.mark.parametrize(("expires", "expected"), [(date(2026, 11, 23), []), (None, []), (date(2026, 11, 22), ["card_expired"])])
def test_card_must_be_valid_today(area, expires, expected):
    assert codes(replace(GOOD_READER, card_expires_on=expires), area=area) == expected


def test_blocked_card_is_refused_with_its_reason(area):
    reader = replace(GOOD_READER, blocked=True, block_reason="долг")
    found = check(RequestKind.DELIVERY, reader, [BOOK], on_date=ON, today=TODAY, rules=RULES, area=area)
    assert [r.code for r in found] == ["card_blocked"]
    assert "долг" in found[0].message("ru")


# --- limited mobility ---


@pytest.mark.parametrize("group", [1, 2])
def test_disability_group_one_or_two_qualifies(area, group):
    assert codes(replace(GOOD_READER, disability_group=group), area=area) == []


def test_disability_group_three_does_not_qualify(area):
    assert codes(replace(GOOD_READER, disability_group=3), area=area) == ["mobility_group_not_eligible"]


def test_eligible_groups_come_from_configuration(area):
    rules = replace(RULES, eligible_disability_groups=frozenset({1, 2, 3}))
    assert codes(replace(GOOD_READER, disability_group=3), area=area, rules=rules) == []


@pytest.mark.parametrize(("until", "expected"), [(ON, []), (date(2026, 11, 23), ["mobility_expired"])])
def test_disability_must_hold_on_the_delivery_day(area, until, expected):
    assert codes(replace(GOOD_READER, disability_until=until), area=area) == expected


@pytest.mark.parametrize(("birth", "expected"), [(date(1956, 11, 24), []), (date(1956, 11, 25), ["mobility_not_recorded"])])
def test_age_at_the_threshold_qualifies_on_the_delivery_day(area, birth, expected):
    reader = replace(GOOD_READER, disability_group=None, birth_date=birth)
    assert codes(reader, area=area) == expected


def test_age_threshold_comes_from_configuration(area):
    reader = replace(GOOD_READER, disability_group=None, birth_date=date(1961, 1, 1))
    assert codes(reader, area=area) == ["mobility_not_recorded"]
    assert codes(reader, area=area, rules=replace(RULES, min_age_years=65)) == []


@pytest.mark.parametrize(("until", "expected"), [(ON, []), (date(2026, 11, 20), ["mobility_expired"])])
def test_temporary_condition_counts_until_its_end_date(area, until, expected):
    reader = replace(GOOD_READER, disability_group=None, temporary_until=until)
    assert codes(reader, area=area) == expected


def test_temporary_conditions_can_be_switched_off(area):
    reader = replace(GOOD_READER, disability_group=None, temporary_until=ON)
    assert codes(reader, area=area, rules=replace(RULES, accept_temporary_condition=False)) == ["mobility_not_recorded"]


def test_no_mobility_record_is_refused(area):
    assert codes(replace(GOOD_READER, disability_group=None), area=area) == ["mobility_not_recorded"]


def test_an_expired_group_is_overridden_by_age(area):
    reader = replace(GOOD_READER, disability_until=date(2026, 1, 1), birth_date=date(1940, 1, 1))
    assert codes(reader, area=area) == []


def test_age_counts_whole_years():
    assert age_on(date(1956, 11, 24), date(2026, 11, 24)) == 70
    assert age_on(date(1956, 11, 25), date(2026, 11, 24)) == 69


# --- the address and phone ---


def test_address_without_coordinates_is_refused(area):
    assert codes(replace(GOOD_READER, lat=None, lon=None), area=area) == ["address_missing"]


def test_address_outside_almaty_is_refused(area):
    assert codes(replace(GOOD_READER, lat=TALGAR[0], lon=TALGAR[1]), area=area) == ["address_outside_area"]


def test_reader_without_phone_is_refused_unless_configured(area):
    reader = replace(GOOD_READER, phone=None)
    assert codes(reader, area=area) == ["phone_missing"]
    assert codes(reader, area=area, rules=replace(RULES, require_phone=False)) == []


# --- limits ---


def test_items_per_delivery_limit(area):
    books = [replace(BOOK, barcode=str(n)) for n in range(RULES.max_items_per_delivery)]
    assert codes(items=books, area=area) == []
    assert codes(items=[*books, replace(BOOK, barcode="x")], area=area) == ["too_many_items"]


def test_a_request_needs_at_least_one_item(area):
    assert codes(items=[], area=area) == ["no_items"]


def test_open_requests_limit(area):
    assert codes(replace(GOOD_READER, open_requests=RULES.max_open_requests - 1), area=area) == []
    assert codes(replace(GOOD_READER, open_requests=RULES.max_open_requests), area=area) == ["too_many_open_requests"]


# --- the items ---


def test_unknown_barcode_is_refused(area):
    assert codes(items=[ItemFacts(barcode="nope", found=False)], area=area) == ["item_not_found"]


@pytest.mark.parametrize("status", [s for s in ItemStatus if s is not ItemStatus.AVAILABLE])
def test_only_available_copies_can_be_lent(area, status):
    found = check(
        RequestKind.DELIVERY, GOOD_READER, [replace(BOOK, status=status)], on_date=ON, today=TODAY, rules=RULES, area=area
    )
    assert [r.code for r in found] == ["item_not_lendable"]
    assert found[0].message("ru") != found[0].message("kk")
    assert "{" not in found[0].message("kk")


def test_a_copy_already_in_an_open_request_is_refused(area):
    assert codes(items=[replace(BOOK, in_open_request=True)], area=area) == ["item_already_requested"]


def test_books_from_two_branches_need_two_requests(area):
    other = replace(BOOK, barcode="200200001", branch_code="B02")
    assert codes(items=[BOOK, other], area=area) == ["items_at_several_branches"]


def test_return_pickup_needs_the_book_on_loan_to_the_reader(area):
    on_loan = replace(BOOK, status=ItemStatus.ON_LOAN, on_loan_to_reader=True)
    assert codes(items=[on_loan], area=area, kind=RequestKind.RETURN_PICKUP) == []
    assert codes(items=[replace(on_loan, on_loan_to_reader=False)], area=area, kind=RequestKind.RETURN_PICKUP) == [
        "item_not_on_loan_to_reader"
    ]


def test_return_pickup_of_books_from_several_branches_is_fine(area):
    books = [replace(BOOK, on_loan_to_reader=True), replace(BOOK, barcode="2", branch_code="B02", on_loan_to_reader=True)]
    assert codes(items=books, area=area, kind=RequestKind.RETURN_PICKUP) == []


# --- the wished date ---


def test_wished_date_in_the_past_is_refused(area):
    assert codes(area=area, wished=date(2026, 11, 22)) == ["date_in_past"]


def test_wished_date_too_far_ahead_is_refused(area):
    assert codes(area=area, wished=date(2026, 12, 23)) == []
    assert codes(area=area, wished=date(2026, 12, 24)) == ["date_too_far"]


# --- all together ---


def test_every_failing_rule_is_reported_not_just_the_first(area):
    reader = replace(
        GOOD_READER,
        card_expires_on=date(2026, 1, 1),
        blocked=True,
        disability_group=None,
        lat=TALGAR[0],
        lon=TALGAR[1],
        phone=None,
        open_requests=5,
    )
    items = [ItemFacts(barcode="nope", found=False), replace(BOOK, status=ItemStatus.LOST)]
    assert codes(reader, items, area=area, wished=date(2026, 11, 1)) == [
        "card_expired",
        "card_blocked",
        "mobility_not_recorded",
        "address_outside_area",
        "phone_missing",
        "too_many_open_requests",
        "item_not_found",
        "item_not_lendable",
        "date_in_past",
    ]


def test_every_reason_reads_in_russian_and_kazakh(area):
    found = check(
        RequestKind.DELIVERY,
        replace(GOOD_READER, blocked=True, disability_group=3),
        [BOOK],
        on_date=ON,
        today=TODAY,
        rules=RULES,
        area=area,
    )
    for reason in found:
        stored = reason.as_dict()
        assert stored["message_ru"] == render(reason.code, "ru", reason.params)
        assert stored["message_kk"] and stored["message_kk"] != stored["message_ru"]
