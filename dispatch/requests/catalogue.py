"""The catalogue at the desk: find books by title, author or barcode, copies free to lend grouped by title, the reader's branch first."""

from __future__ import annotations

import typing as t
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch.domain.statuses import OPEN_STATUSES
from dispatch.domain.statuses import ItemStatus
from dispatch.models import DeliveryRequest
from dispatch.models import Item
from dispatch.models import RequestItem
from dispatch.readers.folding import fold
from dispatch.readers.folding import folded

if t.TYPE_CHECKING:
    from collections.abc import Iterable
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from dispatch.context import Context

MIN_QUERY = 2
MAX_COPIES = 500
"""Copies read for one search: a popular title has tens of copies, a word like "и" would match the library."""


@dataclass(frozen=True)
class BranchCopies:
    """The free copies of one title at one branch; ``barcode`` is the copy to put in the basket."""

    branch_code: str
    branch_name: str
    count: int
    barcode: str
    home: bool


@dataclass(frozen=True)
class TitleGroup:
    """One title (with its author) and where free copies of it stand."""

    title: str
    author: str
    branches: tuple[BranchCopies, ...]
    in_basket: int = 0

    @property
    def available(self) -> int:
        """Free copies in every branch."""
        return sum(b.count for b in self.branches)


@dataclass(frozen=True)
class BasketLine:
    """A chosen copy as the operator reads it back to the caller."""

    barcode: str
    title: str
    author: str
    branch_name: str


def search_catalogue(
    ctx: Context, query: str, *, home_branch: str | None, exclude: Iterable[str] = (), limit: int = 20
) -> list[TitleGroup]:
    """Titles whose title or author holds every word of ``query`` (any letter case, ё as е), or the copy with that barcode.

    Free copies (on the shelf and in no open request) are counted per branch; ``home_branch`` (a code)
    comes first, then the branches with most copies. Titles with a copy at home come first, titles with
    none free last. Copies in ``exclude`` (the basket) are not offered again.
    """
    text = query.strip()
    if len(text) < MIN_QUERY:
        return []
    skip = set(exclude)
    with ctx.uow() as uow:
        session = uow.session
        title, author = folded(session, Item.title), folded(session, Item.author)
        words = [or_(title.contains(w, autoescape=True), author.contains(w, autoescape=True)) for w in fold(text).split()]
        items = session.scalars(
            select(Item)
            .where(or_(Item.barcode == text, and_(*words)))
            .options(selectinload(Item.branch))
            .order_by(Item.title, Item.id)
            .limit(MAX_COPIES)
        ).all()
        busy = _in_open_requests(session, [item.id for item in items])
        groups: dict[tuple[str, str], dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
        chosen: dict[tuple[str, str], int] = defaultdict(int)
        for item in items:
            key = (item.title, item.author)
            shelf = groups[key]
            if item.barcode in skip:
                chosen[key] += 1
            elif item.status is ItemStatus.AVAILABLE and item.id not in busy:
                shelf[item.branch.code].append(item)
        found = [_group(key, shelf, home_branch, chosen[key]) for key, shelf in groups.items()]
    found.sort(key=lambda g: (not any(b.home for b in g.branches), not g.branches, fold(g.title), fold(g.author)))
    return found[:limit]


def _in_open_requests(session: Session, item_ids: Sequence[int]) -> set[int]:
    if not item_ids:
        return set()
    rows = session.scalars(
        select(RequestItem.item_id)
        .join(DeliveryRequest, RequestItem.request_id == DeliveryRequest.id)
        .where(RequestItem.item_id.in_(item_ids), DeliveryRequest.status.in_(OPEN_STATUSES))
    )
    return set(rows)


def _group(key: tuple[str, str], shelf: dict[str, list[Item]], home_branch: str | None, in_basket: int) -> TitleGroup:
    branches = [
        BranchCopies(code, copies[0].branch.name, len(copies), copies[0].barcode, code == home_branch)
        for code, copies in shelf.items()
    ]
    branches.sort(key=lambda b: (not b.home, -b.count, b.branch_name))
    return TitleGroup(title=key[0], author=key[1], branches=tuple(branches), in_basket=in_basket)


def describe_basket(ctx: Context, barcodes: Sequence[str]) -> tuple[list[BasketLine], list[str]]:
    """The basket's copies in the order chosen, and the barcodes no copy has (a typing mistake to show)."""
    wanted = list(dict.fromkeys(code.strip() for code in barcodes if code.strip()))
    if not wanted:
        return [], []
    with ctx.uow() as uow:
        items = {
            item.barcode: item
            for item in uow.session.scalars(select(Item).where(Item.barcode.in_(wanted)).options(selectinload(Item.branch)))
        }
        lines = [
            BasketLine(code, items[code].title, items[code].author, items[code].branch.name) for code in wanted if code in items
        ]
    return lines, [code for code in wanted if code not in items]
