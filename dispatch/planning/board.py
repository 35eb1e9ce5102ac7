"""The dispatcher's view of a branch's day: branches, vehicles to pin to, claims, figures and the route picture."""

from __future__ import annotations

import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.domain.statuses import StopOutcome
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import YandexClaim
from dispatch.planning import fleet
from dispatch.planning.export import day_document
from dispatch.planning.inputs import current_plan
from dispatch.planning.pins import day_pins

if t.TYPE_CHECKING:
    from datetime import date

    from dispatch.context import Context

DONE_STATUSES = frozenset({RequestStatus.DELIVERED, RequestStatus.COLLECTED, RequestStatus.RETURNED})
PICTURE_PX = 900


@dataclass(frozen=True)
class DayFigures:
    """A branch's day in numbers; ``on_time_share`` is of doors served, ``None`` before the first one."""

    requests: int
    delivered: int
    failed: int
    on_time_share: float | None
    km: float
    yandex_cost_kzt: str

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)


def branches(ctx: Context) -> list[tuple[str, str]]:
    """Every branch as (code, name), in code order."""
    with ctx.uow() as uow:
        return [(code, name) for code, name in uow.session.execute(select(Branch.code, Branch.name).order_by(Branch.code))]


def vehicles(ctx: Context, day: date, branch_code: str) -> list[str]:
    """The vehicle ids a request may be pinned to: the branch's couriers working on ``day``, then the Yandex cars."""
    with ctx.uow() as uow:
        branch_id = uow.session.scalar(select(Branch.id).where(Branch.code == branch_code))
        couriers = fleet.available(uow.session, branch_id, day) if branch_id is not None else []
        found = [f"courier:{courier.code}" for courier in couriers]
    return found + [f"yandex:{k + 1}" for k in range(ctx.settings.planning.yandex_vehicles)]


def claims_by_route(ctx: Context, route_ids: t.Iterable[int]) -> dict[int, dict[str, t.Any]]:
    """Per route with Yandex claims: their statuses and the cost (the final price where known, else the estimate)."""
    found: dict[int, dict[str, t.Any]] = {}
    with ctx.uow() as uow:
        for claim in uow.session.scalars(
            select(YandexClaim).where(YandexClaim.route_id.in_(list(route_ids))).order_by(YandexClaim.id)
        ):
            entry = found.setdefault(claim.route_id, {"statuses": [], "cost_kzt": Decimal(0), "problems": []})
            entry["statuses"].append(claim.status)
            entry["cost_kzt"] += _price(claim.final_price_kzt or claim.estimate_kzt)
            if claim.problem:
                entry["problems"].append(claim.problem)
    for entry in found.values():
        entry["cost_kzt"] = str(entry["cost_kzt"])
    return found


def _price(text: str | None) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def day_figures(ctx: Context, day: date, branch_code: str) -> DayFigures:
    """Requests, doors served and failed, the share served inside their window, kilometres and Yandex cost."""
    with ctx.uow() as uow:
        session = uow.session
        branch_id = session.scalar(select(Branch.id).where(Branch.code == branch_code))
        if branch_id is None:
            return DayFigures(0, 0, 0, None, 0.0, "0")
        statuses = list(
            session.scalars(
                select(DeliveryRequest.status).where(DeliveryRequest.service_date == day, DeliveryRequest.branch_id == branch_id)
            )
        )
        plan = current_plan(session, branch_id, day)
        routes = [r for r in plan.routes if r.status is not RouteStatus.SUPERSEDED] if plan else []
        served = [s for r in routes for s in r.stops if s.outcome in (StopOutcome.DELIVERED.value, StopOutcome.COLLECTED.value)]
        failed = sum(1 for r in routes for s in r.stops if s.outcome == StopOutcome.FAILED.value)
        on_time = [
            s
            for s in served
            if s.outcome_at and s.window_start and s.window_end and s.window_start <= s.outcome_at <= s.window_end
        ]
        km = round(sum(r.distance_m for r in routes) / 1000, 1)
        route_ids = [r.id for r in routes]
    cost = sum((Decimal(c["cost_kzt"]) for c in claims_by_route(ctx, route_ids).values()), Decimal(0))
    return DayFigures(
        requests=len(statuses),
        delivered=sum(1 for s in statuses if s in DONE_STATUSES),
        failed=max(failed, sum(1 for s in statuses if s is RequestStatus.FAILED)),
        on_time_share=round(len(on_time) / len(served), 3) if served else None,
        km=km,
        yandex_cost_kzt=str(cost),
    )


def failed_attempts(ctx: Context, day: date, branch_code: str) -> list[dict[str, t.Any]]:
    """The doors where today's attempt failed, with the courier's reason."""
    with ctx.uow() as uow:
        branch_id = uow.session.scalar(select(Branch.id).where(Branch.code == branch_code))
        plan = current_plan(uow.session, branch_id, day) if branch_id is not None else None
        if plan is None:
            return []
        return [
            {
                "route": r.number,
                "public_id": s.request.public_id if s.request else None,
                "reason": s.outcome_reason,
                "at": s.outcome_at.isoformat() if s.outcome_at else None,
            }
            for r in plan.routes
            if r.status is not RouteStatus.SUPERSEDED
            for s in r.stops
            if s.outcome == StopOutcome.FAILED.value
        ]


def route_picture(ctx: Context, document: dict[str, t.Any], folder: Path) -> Path | None:
    """A PNG of the plan's routes on the streets (kept per plan version), or ``None`` when no route has a path."""
    from dispatch.planning.streets import streets_for
    from routing.picture import RouteDrawing
    from routing.picture import draw_routes

    path = Path(folder) / f"{document['branch']}-{document['version']}-{document['created_at'][:19].replace(':', '')}.png"
    if path.exists():
        return path
    drawings = [
        RouteDrawing(
            label=f"#{route['number']} ({route['courier'] or route['vehicle']})",
            polyline=tuple((lat, lon) for lat, lon in route["geometry"]),
            stops=tuple((s["lat"], s["lon"]) for s in route["stops"] if s["request_id"]),
            depot=(document["depot"]["lat"], document["depot"]["lon"]),
        )
        for route in document["routes"]
        if route.get("geometry")
    ]
    if not drawings:
        return None
    graph = streets_for(ctx.settings.osm_path, ctx.settings.planning.snap_max_m).graph
    title = f"{document['branch']} v{document['version']}"
    return draw_routes(graph, drawings, path=path, title=title, size_px=PICTURE_PX)


def day_requests(ctx: Context, day: date, branch_code: str) -> list[dict[str, t.Any]]:
    """Every request of the branch's day with its current status, ordered by window then id."""
    with ctx.uow() as uow:
        query = (
            select(DeliveryRequest)
            .join(Branch, DeliveryRequest.branch_id == Branch.id)
            .where(DeliveryRequest.service_date == day, Branch.code == branch_code)
            .options(selectinload(DeliveryRequest.reader))
            .order_by(DeliveryRequest.window_start, DeliveryRequest.id)
        )
        return [
            {
                "id": r.id,
                "public_id": r.public_id,
                "kind": r.kind.value,
                "status": r.status.value,
                "reader": r.reader.full_name,
                "card_number": r.reader.card_number,
                "address": r.reader.address,
                "window": f"{r.window_start:%H:%M}-{r.window_end:%H:%M}",
            }
            for r in uow.session.scalars(query)
        ]


def board(ctx: Context, day: date, branch_code: str) -> dict[str, t.Any]:
    """Everything the console shows for a branch's day: requests, the current plan, claims, pins, figures."""
    document = day_document(ctx, day, branch_code=branch_code)
    plan = document["plans"][0] if document["plans"] else None
    route_ids = [route["id"] for route in plan["routes"]] if plan else []
    requests = day_requests(ctx, day, branch_code)
    return {
        "date": day.isoformat(),
        "branch": branch_code,
        "branches": branches(ctx),
        "requests": requests,
        "status_of": {r["id"]: r["status"] for r in requests},
        "plan": plan,
        "claims": claims_by_route(ctx, route_ids),
        "pins": day_pins(ctx, day, branch_code),
        "vehicles": vehicles(ctx, day, branch_code),
        "figures": day_figures(ctx, day, branch_code).as_dict(),
        "failed": failed_attempts(ctx, day, branch_code),
    }
