"""A planned and dispatched Tuesday for the courier pages' tests: one route for courier C01."""

from __future__ import annotations

import typing as t
from dataclasses import replace

from couriers.outcomes import dispatch_route
from couriers.outcomes import route_stops
from dispatch.planning.export import day_document
from dispatch.planning.service import plan_day
from dispatch.staff.accounts import add_staff
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day

if t.TYPE_CHECKING:
    from dispatch.context import Context
    from routing.graph import StreetGraph

PASSWORD = "correct horse battery"


def dispatched_day(ctx: Context, graph: StreetGraph, *, couriers: int = 1) -> dict[str, t.Any]:
    """Plan Tuesday (one solver process, 2 s), dispatch C01's route; returns the route and its reader stops."""
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1))
    make_day(ctx, graph, readers=6, couriers=couriers)
    plan_day(ctx, TUESDAY, "B01")
    routes = day_document(ctx, TUESDAY, branch_code="B01")["plans"][0]["routes"]
    route = next(r for r in routes if r["courier"] == "C01")
    dispatch_route(ctx, route["id"], actor="tests")
    stops = [s for s in route_stops(ctx, route["id"]) if s["request_id"] is not None]
    return {"route_id": route["id"], "stops": stops}


def add_courier(ctx: Context, code: str) -> None:
    """A courier's staff account: the username is the courier code."""
    add_staff(ctx, code, f"Курьер {code}", "courier", PASSWORD)
