"""Records for integration tests, written straight through the ORM."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date

from dispatch.domain.statuses import ItemStatus
from dispatch.models import Branch
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Reader
from tests.conftest import CENTRE

if t.TYPE_CHECKING:
    from dispatch.context import Context


@dataclass(frozen=True)
class World:
    """Names of what :func:`standard_world` made."""

    reader: str = "0100001"
    second_reader: str = "0100002"
    blocked_reader: str = "0100003"
    books_b01: tuple[str, ...] = ("200100001", "200100002", "200100003", "200100004", "200100005")
    book_b02: str = "200200001"
    lost_book: str = "200100009"
    on_loan: str = "200100010"


def reader_values(card: str, **overrides: t.Any) -> dict[str, t.Any]:
    values: dict[str, t.Any] = {
        "card_number": card,
        "full_name": f"Reader {card}",
        "birth_date": date(1950, 5, 5),
        "phone": "+77011234567",
        "address": "ул. Абая, 10",
        "lat": CENTRE[0],
        "lon": CENTRE[1],
        "card_expires_on": date(2027, 12, 31),
        "disability_group": 1,
    }
    values.update(overrides)
    return values


def standard_world(ctx: Context) -> World:
    world = World()
    with ctx.uow() as uow:
        s = uow.session
        b01 = Branch(code="B01", name="Филиал 1", lat=43.25, lon=76.92)
        b02 = Branch(code="B02", name="Филиал 2", lat=43.22, lon=76.85)
        s.add_all([b01, b02])
        s.flush()
        readers = [
            Reader(**reader_values(world.reader, home_branch_id=b01.id)),
            Reader(**reader_values(world.second_reader, home_branch_id=b01.id)),
            Reader(**reader_values(world.blocked_reader, home_branch_id=b01.id, blocked=True, block_reason="долг")),
        ]
        s.add_all(readers)
        for barcode in world.books_b01:
            s.add(Item(barcode=barcode, title=f"Книга {barcode}", branch_id=b01.id))
        s.add(Item(barcode=world.book_b02, title="Книга B02", branch_id=b02.id))
        s.add(Item(barcode=world.lost_book, title="Потерянная", branch_id=b01.id, status=ItemStatus.LOST))
        lent = Item(barcode=world.on_loan, title="Выданная", branch_id=b02.id, status=ItemStatus.ON_LOAN)
        s.add(lent)
        s.flush()
        s.add(Loan(item_id=lent.id, reader_id=readers[0].id, issued_on=date(2026, 11, 1), due_on=date(2026, 12, 1)))
        uow.commit()
    return world
