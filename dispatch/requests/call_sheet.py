"""Everything the operator needs on screen during a reader's call, read in one go: record, standing, catalogue, basket."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

from dispatch.domain import scheduling
from dispatch.readers.desk import reader_record
from dispatch.readers.standing import standing
from dispatch.requests.catalogue import describe_basket
from dispatch.requests.catalogue import search_catalogue

if t.TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from dispatch.context import Context
    from dispatch.readers.desk import ReaderRecord
    from dispatch.requests.catalogue import BasketLine
    from dispatch.requests.catalogue import TitleGroup


@dataclass(frozen=True)
class CallSheet:
    """The reader's page at the desk: their record and standing, the books found, the basket, the earliest day."""

    record: ReaderRecord
    standing: dict[str, t.Any]
    earliest: date
    basket: list[BasketLine] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    found: list[TitleGroup] = field(default_factory=list)

    @property
    def basket_only_loans(self) -> bool:
        """True when every chosen book is one the reader has at home: the call is about collecting them."""
        at_home = {loan.barcode for loan in self.record.loans}
        return bool(self.basket) and all(line.barcode in at_home for line in self.basket)


def call_sheet(ctx: Context, card_number: str, *, lang: str, book_query: str = "", basket: Sequence[str] = ()) -> CallSheet:
    """The call sheet for the reader with ``card_number``; :class:`UnknownReader` when no reader has it."""
    record = reader_record(ctx, card_number)
    chosen, unknown = describe_basket(ctx, basket)
    found = search_catalogue(ctx, book_query, home_branch=record.branch_code, exclude=[b.barcode for b in chosen])
    return CallSheet(
        record=record,
        standing=standing(ctx, card_number).as_dict(lang),
        earliest=scheduling.earliest_service_date(ctx.clock(), ctx.settings.schedule, ctx.calendar),
        basket=chosen,
        unknown=unknown,
        found=found,
    )
