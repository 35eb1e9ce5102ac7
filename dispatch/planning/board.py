"""The dispatcher's view of a branch's day: routes with readers and books, left-out requests, pins, claims, figures, roster."""

from __future__ import annotations

import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dispatch import labels
from dispatch.domain.statuses import PLANNABLE_STATUSES
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.domain.statuses import StopOutcome
from dispatch.errors import NotFound
from dispatch.models import Branch
from dispatch.models import Courier
from dispatch.models import DeliveryRequest
from dispatch.models import Reader
from dispatch.models import RequestItem
from dispatch.models import YandexClaim
from dispatch.planning.day_roster import day_roster
from dispatch.planning.inputs import current_plan
from dispatch.planning.pin_outcomes import pin_outcomes
from dispatch.planning.pinning import day_fleet
from dispatch.planning.pinning import refusal_in

if t.TYPE_CHECKING:
    from datetime import date
    from datetime import datetime

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


def route_picture(ctx: Context, document: dict[str, t.Any], folder: Path, lang: str = "ru") -> Path | None:
    """A PNG of the plan's routes on the streets, vehicles named in ``lang`` (kept per plan version and language).

    ``None`` when no route has a path.
    """
    from dispatch.planning.streets import streets_for
    from routing.picture import RouteDrawing
    from routing.picture import draw_routes

    stamp = document["created_at"][:19].replace(":", "")
    path = Path(folder) / f"{document['branch']}-{document['version']}-{stamp}-{lang}.png"
    if path.exists():
        return path
    names = courier_names(ctx, document["branch"])
    drawings = [
        RouteDrawing(
            label=f"#{route['number']} {labels.vehicle(route['vehicle'], lang, names)}",
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


def _address(reader: Reader) -> dict[str, t.Any]:
    return {
        "street": reader.address,
        "entrance": reader.entrance,
        "floor": reader.floor,
        "flat": reader.flat,
        "lift": reader.has_lift,
    }


def _card(request: DeliveryRequest, zone: ZoneInfo, refusals: dict[str, str] | None = None) -> dict[str, t.Any]:
    """One request as the dispatcher reads it: the reader, the door, the time window, the books (and the vehicles it cannot go on)."""
    reader = request.reader
    return {
        "refusals": refusals or {},
        "id": request.id,
        "public_id": request.public_id,
        "kind": request.kind.value,
        "status": request.status.value,
        "reader": reader.full_name,
        "card_number": reader.card_number,
        "phone": reader.phone,
        "address": _address(reader),
        "window": f"{request.window_start:%H:%M}–{request.window_end:%H:%M}",
        "books": [line.item.title for line in request.lines],
    }


def _hhmm(moment: datetime | None, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%H:%M}" if moment else ""


def board(ctx: Context, day: date, branch_code: str) -> dict[str, t.Any]:
    """Everything the console shows for a branch's day (codes, for the page to put in words).

    Raises
    ------
    NotFound
        No branch has this code.
    """
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    with ctx.uow() as uow:
        session = uow.session
        branch = session.scalar(select(Branch).where(Branch.code == branch_code))
        if branch is None:
            raise NotFound(what="branch", id=branch_code)
        requests = {
            r.id: r
            for r in session.scalars(
                select(DeliveryRequest)
                .where(DeliveryRequest.service_date == day, DeliveryRequest.branch_id == branch.id)
                .options(
                    selectinload(DeliveryRequest.reader),
                    selectinload(DeliveryRequest.lines).selectinload(RequestItem.item),
                )
                .order_by(DeliveryRequest.window_start, DeliveryRequest.id)
            )
        }
        plan = current_plan(session, branch.id, day)
        outcomes = pin_outcomes(session, branch.id, day, plan)
        fleet_now = day_fleet(session, branch.id, day, ctx.settings.planning)

        def refused(request: DeliveryRequest) -> dict[str, str]:
            if request.status not in PLANNABLE_STATUSES:
                return {}
            found = {v: refusal_in(fleet_now, request, v, ctx.settings.planning, zone.key) for v in fleet_now.ids}
            return {v: code for v, code in found.items() if code}

        names = {c.code: c.full_name for c in session.scalars(select(Courier).where(Courier.branch_id == branch.id))}
        routes = [r for r in plan.routes if r.status is not RouteStatus.SUPERSEDED] if plan else []
        on_routes: set[int] = set()
        route_rows: list[dict[str, t.Any]] = []
        for route in routes:
            stops = []
            for stop in route.stops:
                if stop.request_id is None:
                    continue
                on_routes.add(stop.request_id)
                request = requests.get(stop.request_id) or stop.request
                assert request is not None
                stops.append(
                    {
                        **_card(request, zone, refused(request)),
                        "eta": _hhmm(stop.eta, zone),
                        "outcome": stop.outcome,
                        "outcome_reason": stop.outcome_reason,
                        "pin": outcomes.get(stop.request_id),
                    }
                )
            route_rows.append(
                {
                    "id": route.id,
                    "number": route.number,
                    "carrier": route.carrier.value,
                    "vehicle": route.vehicle,
                    "status": route.status.value,
                    "start": _hhmm(route.start_at, zone),
                    "end": _hhmm(route.end_at, zone),
                    "km": round(route.distance_m / 1000, 1),
                    "load_books": route.load_books,
                    "load_kg": round(route.load_g / 1000, 1),
                    "stops": stops,
                }
            )
        unassigned = [
            {**_card(u.request, zone, refused(u.request)), "reason": u.reason, "pin": outcomes.get(u.request_id)}
            for u in (plan.unassigned if plan else [])
        ]
        left_out = {u["id"] for u in unassigned}
        waiting = [
            {**_card(r, zone, refused(r)), "pin": outcomes.get(r.id)}
            for r in requests.values()
            if r.status in PLANNABLE_STATUSES and r.id not in on_routes and r.id not in left_out
        ]
        plan_info = (
            {"version": plan.version, "created_at": _hhmm(plan.created_at, zone), "created_by": plan.created_by} if plan else None
        )
        roster = day_roster(session, branch.id, day)
        branch_name = branch.name
        listed = on_routes | left_out | {w["id"] for w in waiting}
        others = [_card(r, zone) for r in requests.values() if r.id not in listed]
    return {
        "date": day.isoformat(),
        "branch": branch_code,
        "branch_name": branch_name,
        "plan": plan_info,
        "routes": route_rows,
        "claims": claims_by_route(ctx, [r["id"] for r in route_rows]),
        "unassigned": unassigned,
        "waiting": waiting,
        "others": others,
        "courier_names": names,
        "vehicles": fleet_now.ids,
        "figures": day_figures(ctx, day, branch_code).as_dict(),
        "requests": len(requests),
        "roster": roster,
    }


def courier_names(ctx: Context, branch_code: str | None = None) -> dict[str, str]:
    """Couriers' names by code (of one branch, or the whole city): vehicles are named after them."""
    with ctx.uow() as uow:
        query = select(Courier.code, Courier.full_name)
        if branch_code:
            query = query.join(Branch, Courier.branch_id == Branch.id).where(Branch.code == branch_code)
        return {code: name for code, name in uow.session.execute(query)}
