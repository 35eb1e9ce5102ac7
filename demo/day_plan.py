"""The demo's last step: plan the service day for every branch, write manifests and a picture of the routes."""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

from couriers.manifests.build import build_manifest
from couriers.manifests.pdf import render_pdf
from dispatch.jobs.tasks import submit_plans
from dispatch.planning.export import day_document
from dispatch.planning.streets import streets_for
from routing.picture import RouteDrawing
from routing.picture import draw_routes

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from dispatch.context import Context


def plan_demo_day(ctx: Context, day: date, *, time_limit_s: float, folder: Path, echo: Callable[[str], None]) -> dict[str, t.Any]:
    """Plan ``day`` for all branches (as the nightly job does), then write the plan, manifests and picture."""
    echo(f"Planning {day.isoformat()} for every branch with work ({time_limit_s:g} s of search each) …")
    submitted = submit_plans(ctx, day, time_limit_s=time_limit_s, actor="demo")
    document = day_document(ctx, day, geometry=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"plan-{day.isoformat()}.json").write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    routes = [(plan, route) for plan in document["plans"] for route in plan["routes"]]
    manifests = folder / "manifests"
    manifests.mkdir(exist_ok=True)
    for plan, route in routes:
        manifest = build_manifest(ctx, route["id"])
        name = f"{plan['branch']}-route-{route['number']}"
        (manifests / f"{name}.json").write_text(json.dumps(manifest.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        (manifests / f"{name}.pdf").write_bytes(render_pdf(manifest))
    drawings = [
        RouteDrawing(
            label=f"{plan['branch']} #{route['number']} ({route['courier'] or route['carrier']})",
            polyline=tuple((lat, lon) for lat, lon in route["geometry"]),
            stops=tuple((s["lat"], s["lon"]) for s in route["stops"] if s["request_id"]),
            depot=(plan["depot"]["lat"], plan["depot"]["lon"]),
        )
        for plan, route in routes
        if route["geometry"]
    ]
    picture = None
    if drawings:
        graph = streets_for(ctx.settings.osm_path, ctx.settings.planning.snap_max_m).graph
        picture = draw_routes(
            graph, drawings, path=folder / f"routes-{day.isoformat()}.png", title=f"{day.isoformat()}: {len(drawings)} routes"
        )
    stops = sum(1 for _, route in routes for s in route["stops"] if s["request_id"])
    unassigned = sum(len(plan["unassigned"]) for plan in document["plans"])
    kilometres = sum(route["distance_m"] for _, route in routes) / 1000
    failed = [s.key for s in submitted if s.run.state == "failed"]
    echo(
        f"Planned {len(document['plans'])} branches: {len(routes)} routes, {stops} stops, {unassigned} unassigned, {kilometres:.0f} km."
    )
    echo(f"Plan, {len(routes)} manifests (JSON and PDF) and the route picture written to {folder}.")
    return {
        "branches": len(document["plans"]),
        "routes": len(routes),
        "stops": stops,
        "unassigned": unassigned,
        "km": round(kilometres, 1),
        "failed_jobs": failed,
        "picture": str(picture) if picture else None,
    }
