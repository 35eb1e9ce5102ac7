"""Eligibility for home delivery: every rule in one place, every failing rule reported.

The rules read plain facts about the reader and the items (built by the intake service from the
database) and the numbers in :class:`dispatch.config.EligibilityRules`; they import no framework.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.messages import render

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    from dispatch.config import EligibilityRules
    from dispatch.domain.service_area import ServiceArea


@dataclass(frozen=True)
class Reason:
    """One failed rule: a stable code and the values its message needs."""

    code: str
    params: dict[str, t.Any] = field(default_factory=dict)

    def message(self, lang: str = "ru") -> str:
        """The reason in words a reader can read."""
        return render(self.code, lang, self.params)

    def as_dict(self) -> dict[str, t.Any]:
        """Plain data for storage and JSON, with both reader languages."""
        return {"code": self.code, "params": self.params, "message_ru": self.message("ru"), "message_kk": self.message("kk")}


@dataclass(frozen=True)
class ReaderFacts:
    """What the rules need to know about the reader."""

    card_number: str
    card_expires_on: date | None
    blocked: bool
    block_reason: str | None
    birth_date: date | None
    disability_group: int | None
    disability_until: date | None
    temporary_until: date | None
    lat: float | None
    lon: float | None
    phone: str | None
    open_requests: int


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need to know about one requested copy (``found`` False: no such barcode)."""

    barcode: str
    found: bool
    title: str = ""
    status: ItemStatus | None = None
    branch_code: str | None = None
    in_open_request: bool = False
    on_loan_to_reader: bool = False


def check(
    kind: RequestKind,
    reader: ReaderFacts,
    items: Sequence[ItemFacts],
    *,
    on_date: date,
    wished_date: date | None = None,
    today: date,
    rules: EligibilityRules,
    area: ServiceArea,
) -> list[Reason]:
    """All reasons the request cannot be accepted; an empty list means it is eligible.

    Parameters
    ----------
    kind
        Delivery or return pickup: the item rules differ.
    on_date
        The day the visit would happen; mobility must hold then.
    wished_date
        The day the reader asked for, if any; it may be neither past nor too far ahead.
    today
        The local date the request is taken; the card must be valid today.
    """
    reasons = reader_reasons(reader, on_date=on_date, today=today, rules=rules, area=area)
    reasons += _limits(reader, items, rules)
    reasons += _items(kind, items)
    reasons += _date(wished_date, today, rules)
    return reasons


def reader_reasons(
    reader: ReaderFacts, *, on_date: date, today: date, rules: EligibilityRules, area: ServiceArea
) -> list[Reason]:
    """Why the reader cannot have books brought home at all (card, mobility, address, phone), whatever the books."""
    reasons: list[Reason] = []
    reasons += _card(reader, today)
    reasons += _mobility(reader, on_date, rules)
    reasons += _address(reader, area)
    if rules.require_phone and not reader.phone:
        reasons.append(Reason("phone_missing"))
    return reasons


def _card(reader: ReaderFacts, today: date) -> list[Reason]:
    reasons = []
    if reader.card_expires_on is not None and reader.card_expires_on < today:
        reasons.append(Reason("card_expired", {"expired_on": reader.card_expires_on.isoformat()}))
    if reader.blocked:
        reasons.append(Reason("card_blocked", {"reason": reader.block_reason or "—"}))
    return reasons


def age_on(birth_date: date, on_date: date) -> int:
    """Whole years of age on ``on_date``."""
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - int(before_birthday)


def _mobility(reader: ReaderFacts, on_date: date, rules: EligibilityRules) -> list[Reason]:
    """Limited mobility must be recorded (disability group, age or temporary condition) and current."""
    expired_on: date | None = None
    group_refused: int | None = None
    if reader.disability_group is not None:
        if reader.disability_group not in rules.eligible_disability_groups:
            group_refused = reader.disability_group
        elif reader.disability_until is None or reader.disability_until >= on_date:
            return []
        else:
            expired_on = reader.disability_until
    if reader.birth_date is not None and age_on(reader.birth_date, on_date) >= rules.min_age_years:
        return []
    if rules.accept_temporary_condition and reader.temporary_until is not None:
        if reader.temporary_until >= on_date:
            return []
        expired_on = max(expired_on or reader.temporary_until, reader.temporary_until)
    if expired_on is not None:
        return [Reason("mobility_expired", {"expired_on": expired_on.isoformat()})]
    if group_refused is not None:
        eligible = ", ".join(str(g) for g in sorted(rules.eligible_disability_groups))
        return [Reason("mobility_group_not_eligible", {"group": group_refused, "eligible": eligible})]
    return [Reason("mobility_not_recorded", {"min_age": rules.min_age_years})]


def _address(reader: ReaderFacts, area: ServiceArea) -> list[Reason]:
    if reader.lat is None or reader.lon is None:
        return [Reason("address_missing")]
    if not area.contains(reader.lat, reader.lon):
        return [Reason("address_outside_area", {"area": area.name})]
    return []


def _limits(reader: ReaderFacts, items: Sequence[ItemFacts], rules: EligibilityRules) -> list[Reason]:
    reasons = []
    if not items:
        reasons.append(Reason("no_items"))
    elif len(items) > rules.max_items_per_delivery:
        reasons.append(Reason("too_many_items", {"limit": rules.max_items_per_delivery, "count": len(items)}))
    if reader.open_requests >= rules.max_open_requests:
        reasons.append(Reason("too_many_open_requests", {"open": reader.open_requests, "limit": rules.max_open_requests}))
    return reasons


def _items(kind: RequestKind, items: Sequence[ItemFacts]) -> list[Reason]:
    reasons = []
    for item in items:
        if not item.found:
            reasons.append(Reason("item_not_found", {"barcode": item.barcode}))
            continue
        described = {"barcode": item.barcode, "title": item.title}
        if kind is RequestKind.RETURN_PICKUP:
            if not item.on_loan_to_reader:
                reasons.append(Reason("item_not_on_loan_to_reader", described))
        elif item.status is not ItemStatus.AVAILABLE:
            status = item.status.value if item.status else "unknown"
            reasons.append(Reason("item_not_lendable", {**described, "status": status}))
        if item.in_open_request:
            reasons.append(Reason("item_already_requested", described))
    if kind is RequestKind.DELIVERY:
        branches = sorted({item.branch_code for item in items if item.found and item.branch_code})
        if len(branches) > 1:
            reasons.append(Reason("items_at_several_branches", {"branches": ", ".join(branches)}))
    return reasons


def _date(wished_date: date | None, today: date, rules: EligibilityRules) -> list[Reason]:
    if wished_date is None:
        return []
    if wished_date < today:
        return [Reason("date_in_past", {"date": wished_date.isoformat()})]
    last = today + timedelta(days=rules.max_days_ahead)
    if wished_date > last:
        return [Reason("date_too_far", {"days": rules.max_days_ahead, "last": last.isoformat()})]
    return []
