"""A day's batches: per branch, the requests the planner has to serve on that date."""

from __future__ import annotations

import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch.domain.statuses import PLANNABLE_STATUSES
from dispatch.domain.statuses import RequestKind
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import Reader
from dispatch.models import RequestItem

if t.TYPE_CHECKING:
    from datetime import date

    from dispatch.context import Context


@dataclass(frozen=True)
class BatchEntry:
    """One request in a batch, with what the planner and the dispatcher need to see."""

    id: int
    public_id: str
    kind: str
    status: str
    card_number: str
    reader_name: str
    address: str
    lat: float | None
    lon: float | None
    window: str
    items: list[str]


@dataclass
class BranchBatch:
    """Everything one branch serves on one day."""

    branch_code: str
    branch_name: str
    lat: float
    lon: float
    deliveries: int = 0
    pickups: int = 0
    items: int = 0
    requests: list[BatchEntry] = field(default_factory=list)


def batches_for(ctx: Context, day: date, *, branch_code: str | None = None) -> list[BranchBatch]:
    """The day's batches, by branch code; requests ordered by window start, then by id."""
    with ctx.uow() as uow:
        query = (
            select(DeliveryRequest)
            .where(DeliveryRequest.service_date == day, DeliveryRequest.status.in_(PLANNABLE_STATUSES))
            .options(
                selectinload(DeliveryRequest.reader).selectinload(Reader.home_branch),
                selectinload(DeliveryRequest.branch),
                selectinload(DeliveryRequest.lines).selectinload(RequestItem.item),
            )
            .order_by(DeliveryRequest.window_start, DeliveryRequest.id)
        )
        if branch_code:
            query = query.join(Branch, DeliveryRequest.branch_id == Branch.id).where(Branch.code == branch_code)
        batches: dict[str, BranchBatch] = {}
        for request in uow.session.scalars(query):
            branch = request.branch
            if branch is None:
                continue
            batch = batches.get(branch.code)
            if batch is None:
                batch = batches[branch.code] = BranchBatch(branch.code, branch.name, branch.lat, branch.lon)
            if request.kind is RequestKind.DELIVERY:
                batch.deliveries += 1
            else:
                batch.pickups += 1
            batch.items += len(request.lines)
            batch.requests.append(_entry(request))
        return [batches[code] for code in sorted(batches)]


def _entry(request: DeliveryRequest) -> BatchEntry:
    reader = request.reader
    return BatchEntry(
        id=request.id,
        public_id=request.public_id,
        kind=request.kind.value,
        status=request.status.value,
        card_number=reader.card_number,
        reader_name=reader.full_name,
        address=reader.address,
        lat=reader.lat,
        lon=reader.lon,
        window=f"{request.window_start:%H:%M}-{request.window_end:%H:%M}",
        items=[line.item.barcode for line in request.lines],
    )


def as_dicts(batches: list[BranchBatch]) -> list[dict[str, t.Any]]:
    """JSON-ready form of :func:`batches_for`'s result."""
    return [asdict(batch) for batch in batches]
