"""Planning a branch's day on real PostgreSQL and the real Almaty map: stored, checked, versioned, pinned."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from datetime import datetime

import pytest
from sqlalchemy import select

from couriers.manifests.build import build_manifest
from couriers.manifests.pdf import render_pdf
from couriers.outcomes import dispatch_route
from couriers.outcomes import record_outcome
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import JobRun
from dispatch.models import Loan
from dispatch.models import Plan
from dispatch.models import Reader
from dispatch.planning.check import violations
from dispatch.planning.clock import DayClock
from dispatch.planning.day import solve_day
from dispatch.planning.export import day_document
from dispatch.planning.inputs import current_plan
from dispatch.planning.inputs import load_day
from dispatch.planning.service import plan_day
from dispatch.planning.streets import streets_for
from dispatch.requests.intake import submit_request
from tests.conftest import ALMATY
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import courier_leaves
from tests.integration.day_world import make_day


@pytest.fixture
def day_ctx(ctx):
    """One solver process per test (the machine has two cores; the portfolio is measured by benchmarks)."""
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1))
    return ctx


def _plan(ctx, branch="B01"):
    with ctx.uow() as uow:
        plan = current_plan(uow.session, uow.session.scalar(select(Plan.branch_id).limit(1)), TUESDAY)
        assert plan is not None
        return plan, uow


def _check(ctx, world):
    with ctx.uow() as uow:
        branch_id = uow.session.scalar(select(Plan.branch_id).limit(1))
        plan = current_plan(uow.session, branch_id, TUESDAY)
        assert plan is not None
        problems = violations(plan, ctx.settings.planning, ctx.settings.schedule.timezone, world.requests)
        assert problems == []
        return plan.version


def test_a_planned_day_is_stored_sound_and_exported(day_ctx, almaty_graph, tmp_path) -> None:
    world = make_day(day_ctx, almaty_graph, readers=12)
    summary = plan_day(day_ctx, TUESDAY, "B01")
    assert summary.created and summary.version == 1
    assert summary.stops + summary.unassigned == 12
    _check(day_ctx, world)
    document = day_document(day_ctx, TUESDAY, branch_code="B01")
    plan = document["plans"][0]
    stop = next(s for r in plan["routes"] for s in r["stops"] if s["kind"] == "delivery")
    assert {"request_id", "kind", "lat", "lon", "eta", "window_start", "window_end", "items"} <= stop.keys()
    assert stop["window_start"] <= stop["eta"] <= stop["window_end"]
    with day_ctx.uow() as uow:
        statuses = set(uow.session.scalars(select(DeliveryRequest.status)))
    assert statuses <= {RequestStatus.PLANNED, RequestStatus.SCHEDULED}


def test_planning_an_unchanged_day_again_stores_nothing(day_ctx, almaty_graph) -> None:
    make_day(day_ctx, almaty_graph, readers=6)
    first = plan_day(day_ctx, TUESDAY, "B01")
    again = plan_day(day_ctx, TUESDAY, "B01")
    same_key = plan_day(day_ctx, TUESDAY, "B01", run_key="fixed-key")
    assert first.created and not again.created and again.version == 1
    assert not same_key.created
    with day_ctx.uow() as uow:
        assert uow.session.scalar(select(Plan.id).where(Plan.version == 2)) is None


def test_the_solution_limit_gives_the_same_plan_on_every_run_with_both_workers(day_ctx, almaty_graph) -> None:
    make_day(day_ctx, almaty_graph, readers=10)
    settings = day_ctx.settings
    assert settings.planning.solution_limit is not None
    with day_ctx.uow() as uow:
        branch = uow.session.execute(select(Branch).where(Branch.code == "B01")).scalar_one()
        clock = DayClock(TUESDAY, settings.schedule.timezone)
        day = load_day(uow.session, branch, clock, settings.planning, settings.schedule, day_ctx.clock()).input
    streets = streets_for(settings.osm_path, settings.planning.snap_max_m)
    runs = [
        solve_day(day, streets, time_limit_s=60, workers=2, solution_limit=settings.planning.solution_limit) for _ in range(2)
    ]
    assert runs[0].routes and len(runs[0].unassigned) < len(day.requests)
    assert [(r.vehicle, r.stops) for r in runs[0].routes] == [(r.vehicle, r.stops) for r in runs[1].routes]
    assert (runs[0].unassigned, runs[0].objective, runs[0].strategy) == (runs[1].unassigned, runs[1].objective, runs[1].strategy)


def test_unplaceable_requests_come_back_with_reasons(day_ctx, almaty_graph) -> None:
    world = make_day(day_ctx, almaty_graph, readers=4)
    with day_ctx.uow() as uow:
        reader = uow.session.execute(select(Reader).where(Reader.card_number == world.cards[0])).scalar_one()
        reader.lat = reader.lon = None  # an operator has not placed this address yet
        uow.commit()
    summary = plan_day(day_ctx, TUESDAY, "B01")
    assert summary.unassigned >= 1
    document = day_document(day_ctx, TUESDAY)
    reasons = {u["request_id"]: u["reason"] for u in document["plans"][0]["unassigned"]}
    assert reasons[world.requests[0]] == "no_location"
    _check(day_ctx, world)


def test_a_new_request_makes_a_new_version_that_keeps_the_dispatched_route_in_place(day_ctx, almaty_graph) -> None:
    world = make_day(day_ctx, almaty_graph, readers=10)
    plan_day(day_ctx, TUESDAY, "B01")
    document = day_document(day_ctx, TUESDAY)["plans"][0]
    first_route = document["routes"][0]
    dispatch_route(day_ctx, first_route["id"], actor="dispatcher")
    pinned_order = [s["request_id"] for s in first_route["stops"] if s["request_id"]]
    # An urgent request for the same day, from a reader of this branch.
    with day_ctx.uow() as uow:
        from dispatch.models import Item

        branch_id = uow.session.scalar(select(Plan.branch_id).limit(1))
        uow.session.add(Item(barcode="URGENT-1", title="Срочная книга", branch_id=branch_id))
        uow.commit()
    urgent = submit_request(
        day_ctx,
        card_number=world.cards[0],
        barcodes=["URGENT-1"],
        wished_date=TUESDAY,
        window="10:00-18:00",
        idempotency_key="urgent",
    )
    assert urgent.status == "scheduled"
    world.requests.append(urgent.id)
    summary = plan_day(day_ctx, TUESDAY, "B01")
    assert summary.created and summary.version == 2
    assert urgent.id in summary.changes["added"] or urgent.id in summary.changes["newly_unassigned"]
    _check(day_ctx, world)
    plans = day_document(day_ctx, TUESDAY)["plans"][0]
    kept = next(r for r in plans["routes"] if r["vehicle"] == first_route["vehicle"])
    assert kept["status"] == RouteStatus.DISPATCHED.value
    order = [s["request_id"] for s in kept["stops"] if s["request_id"] in pinned_order]
    assert order == pinned_order


def test_stop_outcomes_move_requests_open_loans_and_schedule_the_return(day_ctx, almaty_graph) -> None:
    world = make_day(day_ctx, almaty_graph, readers=5)
    plan_day(day_ctx, TUESDAY, "B01")
    route = day_document(day_ctx, TUESDAY)["plans"][0]["routes"][0]
    dispatch_route(day_ctx, route["id"], actor="dispatcher")
    courier_leaves(day_ctx, route["id"])
    doors = [s for s in route["stops"] if s["request_id"]]
    assert len(doors) >= 2
    delivered = record_outcome(day_ctx, doors[0]["stop_id"], "delivered", actor="courier")
    assert delivered.request_status == "delivered" and delivered.return_job_at is not None
    failed = record_outcome(day_ctx, doors[1]["stop_id"], "failed", reason="not_at_home", actor="courier")
    assert failed.request_status == "scheduled" and failed.next_service_date == "2026-11-25"
    again = record_outcome(day_ctx, doors[0]["stop_id"], "delivered", actor="courier")
    assert again.request_status == "delivered"
    with day_ctx.uow() as uow:
        loans = uow.session.scalars(select(Loan)).all()
        assert loans and {loan.due_on for loan in loans} == {date(2026, 12, 24)}
        assert all(loan.issued_on == TUESDAY for loan in loans)
        run = uow.session.execute(select(JobRun).where(JobRun.kind == "return_pickup")).scalar_one()
        assert run.key.startswith("return:") and run.run_at == datetime(2026, 12, 21, 8, 0, tzinfo=ALMATY)
    assert len(world.requests) == 5


def test_the_pdf_manifest_lists_addresses_in_route_order_in_cyrillic(day_ctx, almaty_graph) -> None:
    make_day(day_ctx, almaty_graph, readers=6)
    plan_day(day_ctx, TUESDAY, "B01")
    route = day_document(day_ctx, TUESDAY)["plans"][0]["routes"][0]
    manifest = build_manifest(day_ctx, route["id"])
    assert [s.request_id for s in manifest.stops if s.request_id] == [s["public_id"] for s in route["stops"] if s["public_id"]]
    from io import BytesIO

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(manifest))).pages)
    positions = [text.find(stop.address) for stop in manifest.stops if stop.address and stop.kind != "branch_visit"]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "Центральная библиотека" in text
