"""A branch's day on the real Almaty map: readers at street points, couriers, requests through the intake."""

from __future__ import annotations

import math
import random
import typing as t
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from zoneinfo import ZoneInfo

import numpy as np

from couriers.outcomes import leave_branch
from dispatch.domain.statuses import CourierKind
from dispatch.models import Branch
from dispatch.models import Courier
from dispatch.models import Item
from dispatch.models import Reader
from dispatch.requests.intake import submit_request
from tests.integration.factories import reader_values

if t.TYPE_CHECKING:
    from dispatch.context import Context
    from routing.graph import StreetGraph

TUESDAY = date(2026, 11, 24)
TUESDAY_MORNING = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))
BRANCH_POINT = (43.2385, 76.9452)
WINDOWS = ("10:00-14:00", "14:00-18:00", "10:00-18:00")


@dataclass
class DayWorld:
    """What :func:`make_day` created: the branch code, request ids and cards."""

    branch: str = "B01"
    requests: list[int] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    books: dict[str, list[str]] = field(default_factory=dict)


def street_points(graph: StreetGraph, count: int, seed: int, radius_m: float = 3500) -> list[tuple[float, float]]:
    """``count`` street nodes within ``radius_m`` of the branch."""
    dlat = np.radians(graph.lat - BRANCH_POINT[0]) * 6_371_000
    dlon = np.radians(graph.lon - BRANCH_POINT[1]) * 6_371_000 * math.cos(math.radians(BRANCH_POINT[0]))
    near = np.flatnonzero(np.hypot(dlat, dlon) <= radius_m)
    rng = random.Random(seed)
    chosen = rng.sample(list(near), count)
    return [(float(graph.lat[i]), float(graph.lon[i])) for i in chosen]


def make_day(ctx: Context, graph: StreetGraph, *, readers: int = 12, seed: int = 7, couriers: int = 2) -> DayWorld:
    """One branch with ``couriers`` couriers and ``readers`` delivery requests for Tuesday."""
    world = DayWorld()
    points = street_points(graph, readers, seed)
    with ctx.uow() as uow:
        s = uow.session
        branch = Branch(
            code=world.branch,
            name="Центральная библиотека",
            address="пр. Абылай хана, 91",
            lat=BRANCH_POINT[0],
            lon=BRANCH_POINT[1],
            phone="+77272345678",
        )
        s.add(branch)
        s.flush()
        for k in range(couriers):
            s.add(
                Courier(
                    code=f"C{k + 1:02d}",
                    full_name=f"Курьер {k + 1}",
                    phone="+77015550000",
                    kind=CourierKind.STAFF,
                    branch_id=branch.id,
                    shift_start=time(9, 0),
                    shift_end=time(18, 0),
                    capacity_books=20,
                    capacity_g=12000,
                    skills=["stairs"] if k == 0 else [],
                )
            )
        for i, (lat, lon) in enumerate(points):
            card = f"09{i:05d}"
            s.add(
                Reader(
                    **reader_values(
                        card,
                        home_branch_id=branch.id,
                        lat=lat,
                        lon=lon,
                        full_name=f"Читатель {i}",
                        address=f"ул. Тестовая, {i + 1}",
                        floor=str(1 + i % 6),
                        has_lift=i % 3 != 0,
                        flat=str(10 + i),
                    )
                )
            )
            barcodes = [f"3{i:04d}{b}" for b in range(1 + i % 3)]
            for barcode in barcodes:
                s.add(Item(barcode=barcode, title=f"Книга {barcode}", author="Абай", branch_id=branch.id, weight_g=400))
            world.cards.append(card)
            world.books[card] = barcodes
        uow.commit()
    for i, card in enumerate(world.cards):
        view = submit_request(
            ctx,
            card_number=card,
            barcodes=world.books[card],
            wished_date=TUESDAY,
            window=WINDOWS[i % 3],
            idempotency_key=f"day-{card}",
        )
        assert view.status == "scheduled", view
        world.requests.append(view.id)
    return world


def courier_leaves(ctx: Context, route_id: int) -> None:
    """Tuesday morning comes and the courier leaves the branch: only then may doors be recorded."""
    ctx.clock = lambda: TUESDAY_MORNING
    leave_branch(ctx, route_id, actor="courier")
