"""What a delivery costs and how long it takes: the tariff, money and currency formats, and the fee for a paid cancel."""

from __future__ import annotations

import typing as t
from decimal import ROUND_HALF_UP
from decimal import Decimal

from integrations.yandex.standin.statuses import cancel_state

if t.TYPE_CHECKING:
    from integrations.yandex.standin.records import Claim

VAT = Decimal("1.12")
BASE_PRICE = Decimal("700")
PRICE_PER_KM = Decimal("120")
PRICE_PER_EXTRA_POINT = Decimal("150")


def price(distance_m: float, destinations: int) -> Decimal:
    """The offer in KZT without VAT: a call-out, a rate per km and a charge per reader after the first."""
    km = Decimal(str(round(distance_m / 1000, 3)))
    return BASE_PRICE + PRICE_PER_KM * km + PRICE_PER_EXTRA_POINT * max(0, destinations - 1)


def eta_min(distance_m: float) -> int:
    """Minutes to the end of the route."""
    return 10 + round(distance_m / 1000 * 3)  # 20 km/h in town, plus the way to the branch


def money(amount: Decimal) -> str:
    """An amount as Yandex writes it: a string with two decimals."""
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def currency_rules() -> dict[str, str]:
    """How tenge are shown."""
    return {"code": "KZT", "sign": "₸", "template": "$VALUE$ $SIGN$$CURRENCY$", "text": "тг."}


def cancel_fee(claim: Claim) -> Decimal:
    """Free cancels cost nothing; a paid one (the courier came to the branch) costs the call-out, here the offer price."""
    if cancel_state(claim.status) != "paid":
        return Decimal(0)
    return claim.price or BASE_PRICE
