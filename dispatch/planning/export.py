"""A day's current plans as plain data: routes with ordered stops, and unassigned requests with reasons."""

from __future__ import annotations

import typing as t
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dispatch.domain.statuses import RouteStatus
from dispatch.models import Branch
from dispatch.models import Plan
from dispatch.planning.inputs import current_plan

if t.TYPE_CHECKING:
    from datetime import date
    from datetime import datetime

    from dispatch.context import Context
    from dispatch.models import PlanRoute
    from dispatch.models import PlanStop


def day_document(ctx: Context, day: date, *, branch_code: str | None = None, geometry: bool = False) -> dict[str, t.Any]:
    """The current plan of every branch (or one) on ``day``, as the ``plan --json`` file holds it."""
    zone = ZoneInfo(ctx.settings.schedule.timezone)
    with ctx.uow() as uow:
        query = select(Branch).order_by(Branch.code)
        if branch_code:
            query = query.where(Branch.code == branch_code)
        plans = []
        for branch in uow.session.scalars(query):
            plan = current_plan(uow.session, branch.id, day)
            if plan is not None:
                plans.append(plan_document(plan, zone, geometry=geometry))
        return {"date": day.isoformat(), "timezone": zone.key, "plans": plans}


def plan_document(plan: Plan, zone: ZoneInfo, *, geometry: bool = False) -> dict[str, t.Any]:
    """One stored plan version."""
    routes = [r for r in plan.routes if r.status is not RouteStatus.SUPERSEDED]
    return {
        "branch": plan.branch.code,
        "branch_name": plan.branch.name,
        "depot": {"lat": plan.branch.lat, "lon": plan.branch.lon},
        "version": plan.version,
        "created_at": plan.created_at.isoformat(),
        "created_by": plan.created_by,
        "solver": plan.solver,
        "changes": plan.changes,
        "routes": [route_document(route, zone, geometry=geometry) for route in routes],
        "unassigned": [
            {
                "request_id": u.request_id,
                "public_id": u.request.public_id,
                "kind": u.request.kind.value,
                "reason": u.reason,
                "detail": u.detail,
            }
            for u in plan.unassigned
        ],
    }


def _local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="minutes") if moment else None


def route_document(route: PlanRoute, zone: ZoneInfo, *, geometry: bool = False) -> dict[str, t.Any]:
    """One route with its stops in order."""
    document: dict[str, t.Any] = {
        "id": route.id,
        "number": route.number,
        "carrier": route.carrier.value,
        "courier": route.courier.code if route.courier else None,
        "vehicle": route.vehicle,
        "status": route.status.value,
        "start": _local(route.start_at, zone),
        "end": _local(route.end_at, zone),
        "distance_m": route.distance_m,
        "duration_s": route.duration_s,
        "load_books": route.load_books,
        "load_kg": round(route.load_g / 1000, 2),
        "stops": [stop_document(stop, zone) for stop in route.stops],
    }
    if geometry:
        document["geometry"] = route.geometry
    return document


def stop_document(stop: PlanStop, zone: ZoneInfo) -> dict[str, t.Any]:
    """One stop: what happens there and when."""
    request = stop.request
    return {
        "stop_id": stop.id,
        "sequence": stop.sequence,
        "kind": stop.kind,
        "request_id": stop.request_id,
        "public_id": request.public_id if request else None,
        "lat": round(stop.lat, 6),
        "lon": round(stop.lon, 6),
        "arrival": _local(stop.arrival_at, zone),
        "eta": _local(stop.eta, zone),
        "departure": _local(stop.departure_at, zone),
        "window_start": _local(stop.window_start, zone),
        "window_end": _local(stop.window_end, zone),
        "items": stop.items,
        "load_books": stop.load_books,
        "outcome": stop.outcome,
    }


def plan_versions(ctx: Context, day: date, branch_code: str) -> list[dict[str, t.Any]]:
    """Every stored version of a branch's day, oldest first, with what changed in each."""
    with ctx.uow() as uow:
        plans = uow.session.scalars(
            select(Plan).join(Branch).where(Branch.code == branch_code, Plan.service_date == day).order_by(Plan.version)
        )
        return [
            {"version": p.version, "created_at": p.created_at.isoformat(), "created_by": p.created_by, "changes": p.changes}
            for p in plans
        ]
