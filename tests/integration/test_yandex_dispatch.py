"""Yandex routes booked, accepted and followed against the local Yandex, on PostgreSQL and the real Almaty map."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from couriers.yandex.booking import book_route
from couriers.yandex.booking import cancel_route
from couriers.yandex.jobs import submit_bookings
from couriers.yandex.tracking import sync_journal
from dispatch.config import YandexSettings
from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.errors import DispatchError
from dispatch.jobs import runs
from dispatch.jobs.context import use_context
from dispatch.jobs.handover import start
from dispatch.models import DeliveryRequest
from dispatch.models import Loan
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import SyncCursor
from dispatch.models import YandexClaim
from dispatch.planning.inputs import current_plan
from dispatch.planning.service import plan_day
from integrations.yandex.standin.server import YandexSimulator
from tests.conftest import MONDAY_MORNING
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day
from tests.integration.rq_support import work
from web import create_app

TOKEN = "test-yandex-token"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def yandex():
    """The local Yandex on a free port, its clock at the tests' Monday morning."""
    with YandexSimulator(token=TOKEN, clock=lambda: MONDAY_MORNING) as simulator:
        yield simulator


def _configure(ctx, simulator, **overrides):
    """Point ``ctx`` at the local Yandex; inline jobs run on ``ctx`` (tests with RQ set their own queue first)."""
    settings = YandexSettings(base_url=simulator.url, token=TOKEN, accept_wait_s=0.0, **overrides)
    ctx.settings = replace(
        ctx.settings,
        yandex=settings,
        planning=replace(ctx.settings.planning, solver_workers=1, yandex_vehicles=2),
    )
    use_context(ctx)
    return ctx


@pytest.fixture(autouse=True)
def _forget_context():
    yield
    use_context(None)


@pytest.fixture
def ya_ctx(ctx, yandex):
    return _configure(ctx, yandex)


def _yandex_day(ctx, graph, readers=6):
    """A branch without couriers of its own: the day goes to Yandex cars."""
    world = make_day(ctx, graph, readers=readers, couriers=0)
    plan_day(ctx, TUESDAY, world.branch)
    with ctx.uow() as uow:
        plan = current_plan(uow.session, uow.session.scalar(select(Plan.branch_id).limit(1)), TUESDAY)
        routes = [r.id for r in plan.routes if r.carrier is Carrier.YANDEX]
        # Readers on an upper floor without a lift need a courier who carries up stairs: not Yandex's.
        world.requests = [s.request_id for r in plan.routes if r.id in routes for s in r.stops if s.request_id is not None]
    assert routes and world.requests, "the planner used no Yandex car"
    return world, routes


def _claims(ctx):
    with ctx.uow() as uow:
        rows = uow.session.scalars(select(YandexClaim).order_by(YandexClaim.id)).all()
        return [(r.id, r.claim_id, r.status, r.route_id, r.direction, [e.status for e in r.events]) for r in rows]


def _statuses(ctx, ids):
    with ctx.uow() as uow:
        return {r.id: r.status for r in uow.session.scalars(select(DeliveryRequest).where(DeliveryRequest.id.in_(ids)))}


def _route_status(ctx, route_id):
    with ctx.uow() as uow:
        claim_route = uow.session.scalar(select(YandexClaim.route_id).where(YandexClaim.route_id.is_not(None)).limit(1))
        return uow.session.get(PlanRoute, route_id or claim_route).status


def _estimate_and_accept(ctx, yandex):
    for _, claim_id, *_ in _claims(ctx):
        yandex.play(claim_id, accept=False)  # new -> estimating -> ready_for_approval
    return sync_journal(ctx)


def test_a_route_is_booked_once_through_a_failed_create_and_followed_to_the_door(ya_ctx, yandex, almaty_graph) -> None:
    ctx = ya_ctx
    world, routes = _yandex_day(ctx, almaty_graph)
    yandex.fail_next("claims/create", status=500, after_processing=True)  # made, but Yandex failed to say so

    submitted = submit_bookings(ctx, TUESDAY, actor="test")
    assert [runs.get(ctx, s.key).state for s in submitted] == ["succeeded"] * len(routes)
    claims = _claims(ctx)
    creates = yandex.requests_to("claims/create")
    assert len(yandex.claim_ids) == len(claims) == len({c[1] for c in claims})
    assert len(creates) == len(claims) + 1  # the failed create was sent again with the same request_id
    assert creates[0].params["request_id"] == creates[1].params["request_id"]
    assert _statuses(ctx, world.requests) == dict.fromkeys(world.requests, RequestStatus.DISPATCHED)

    # Running the booking again books nothing: every claim already exists.
    assert submit_bookings(ctx, TUESDAY, actor="test") == []
    book_route(ctx, routes[0], actor="test")
    assert len(yandex.requests_to("claims/create")) == len(creates)

    summary = _estimate_and_accept(ctx, yandex)
    assert summary["accepted"] == len(claims)
    assert {yandex.status(c[1]) for c in claims} == {"accepted"}

    # The first reader of the first claim is not at home; the others get their books.
    with ctx.uow() as uow:
        first = uow.session.scalars(select(DeliveryRequest).where(DeliveryRequest.id.in_(world.requests))).all()
        public = {r.id: r.public_id for r in first}
    first_claim = claims[0][1]
    point = next(p for p in yandex.claim(first_claim)["route_points"] if p["type"] == "destination")
    absent = next(rid for rid, pid in public.items() if pid == point["external_order_id"])
    for _, claim_id, *_ in claims:
        yandex.play(claim_id, skip={point["external_order_id"]})
    sync_journal(ctx)

    statuses = _statuses(ctx, world.requests)
    assert statuses.pop(absent) is RequestStatus.SCHEDULED  # planned again on the next working day
    assert set(statuses.values()) == {RequestStatus.DELIVERED}
    with ctx.uow() as uow:
        assert uow.session.get(DeliveryRequest, absent).service_date > TUESDAY
        delivered = [uow.session.get(DeliveryRequest, rid) for rid in world.requests if rid != absent]
        assert len(uow.session.scalars(select(Loan)).all()) == sum(len(r.lines) for r in delivered)
        for route_id in routes:
            assert uow.session.get(PlanRoute, route_id).status is RouteStatus.COMPLETED
    seen = _claims(ctx)[0][5]
    assert seen[0] == "new" and "accepted" in seen and "pickuped" in seen and seen[-1] == "returned_finish"


def test_booking_above_the_price_limit_waits_for_confirmation(ctx, yandex, almaty_graph) -> None:
    ctx = _configure(ctx, yandex, confirm_above_kzt=1)
    _world, routes = _yandex_day(ctx, almaty_graph)
    with pytest.raises(DispatchError) as refused:
        book_route(ctx, routes[0], actor="dispatcher")
    assert refused.value.code == "yandex_price_needs_confirmation"
    assert "₸" in refused.value.message("ru")
    assert yandex.requests_to("claims/create") == []
    assert _route_status(ctx, routes[0]) is RouteStatus.DRAFT

    book_route(ctx, routes[0], actor="dispatcher", confirm=True)
    with ctx.uow() as uow:
        rows = uow.session.scalars(select(YandexClaim).where(YandexClaim.route_id == routes[0])).all()
        assert rows and all(r.claim_id and r.confirmed_by == "dispatcher" and r.estimate_kzt for r in rows)


@pytest.mark.parametrize("failure", ["performer_not_found", "cancelled_by_taxi"])
def test_a_claim_that_fails_goes_back_to_the_dispatcher_and_is_planned_again(ya_ctx, yandex, almaty_graph, failure) -> None:
    ctx = ya_ctx
    world, routes = _yandex_day(ctx, almaty_graph)
    for route_id in routes:
        book_route(ctx, route_id, actor="test")
    _estimate_and_accept(ctx, yandex)
    for _, claim_id, *_ in _claims(ctx):
        yandex.play(claim_id, fail_with=failure)
    sync_journal(ctx)

    assert set(_statuses(ctx, world.requests).values()) == {RequestStatus.SCHEDULED}
    with ctx.uow() as uow:
        for route_id in routes:
            assert uow.session.get(PlanRoute, route_id).status is RouteStatus.CANCELLED
        rows = uow.session.scalars(select(YandexClaim)).all()
        assert all(r.problem and r.problem.startswith(failure) for r in rows)

    summary = plan_day(ctx, TUESDAY, world.branch)
    assert summary.created and summary.version == 2
    assert set(_statuses(ctx, world.requests).values()) == {RequestStatus.PLANNED}


def test_cancelling_a_route_asks_what_it_costs_first(ya_ctx, yandex, almaty_graph) -> None:
    ctx = ya_ctx
    _world, routes = _yandex_day(ctx, almaty_graph)
    book_route(ctx, routes[0], actor="test")
    result = cancel_route(ctx, routes[0], actor="dispatcher")

    assert {c["cancel_state"] for c in result["cancelled"]} == {"free"}
    assert len(yandex.requests_to("claims/cancel-info")) == len(result["cancelled"])
    assert {yandex.status(c["claim_id"]) for c in result["cancelled"]} == {"cancelled"}
    assert _route_status(ctx, routes[0]) is RouteStatus.CANCELLED
    with ctx.uow() as uow:
        route = uow.session.get(PlanRoute, routes[0])
        ids = [s.request_id for s in route.stops if s.request_id is not None]
    assert set(_statuses(ctx, ids).values()) == {RequestStatus.SCHEDULED}


def test_yandex_refusing_the_data_leaves_the_route_to_a_person(ya_ctx, yandex, almaty_graph) -> None:
    ctx = ya_ctx
    _world, routes = _yandex_day(ctx, almaty_graph)
    yandex.error_messages_on_next_create()
    with pytest.raises(DispatchError) as refused:
        book_route(ctx, routes[0], actor="test")
    assert refused.value.code == "yandex_rejected"
    assert _route_status(ctx, routes[0]) is RouteStatus.DRAFT


def test_the_callback_makes_us_reread_the_claim_and_an_unknown_token_is_refused(ctx, yandex, almaty_graph) -> None:
    ctx = _configure(ctx, yandex)
    app = create_app(ctx=ctx)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ctx.settings = replace(ctx.settings, public_url=f"http://127.0.0.1:{server.port}")
        _world, routes = _yandex_day(ctx, almaty_graph)
        book_route(ctx, routes[0], actor="test")
        row_id, claim_id, *_ = _claims(ctx)[0]
        yandex.advance(claim_id)
        yandex.advance(claim_id)  # ready for approval: the nudge makes us read it, and accept
        yandex.wait_for_callbacks()
        assert yandex.callbacks and all("claim_id=" in call.url for call in yandex.callbacks)
        with ctx.uow() as uow:
            row = uow.session.get(YandexClaim, row_id)
            assert row.status == "accepted"
            assert [e.source for e in row.events][-1] == "accept"
        assert app.test_client().post("/hooks/yandex/not-a-token?claim_id=x").status_code == 404
    finally:
        server.shutdown()
        thread.join()


def test_booking_jobs_run_on_real_rq_workers(rq_ctx, yandex, almaty_graph) -> None:
    ctx = _configure(rq_ctx, yandex)
    world, _routes = _yandex_day(ctx, almaty_graph)
    submitted = submit_bookings(ctx, TUESDAY, actor="test")
    work(ctx)
    assert {runs.get(ctx, s.key).state for s in submitted} == {"succeeded"}
    assert len(yandex.claim_ids) == len(_claims(ctx))
    assert set(_statuses(ctx, world.requests).values()) == {RequestStatus.DISPATCHED}


def test_the_bodies_sent_follow_the_brief_field_by_field(ya_ctx, yandex, almaty_graph) -> None:
    ctx = ya_ctx
    _world, routes = _yandex_day(ctx, almaty_graph)
    book_route(ctx, routes[0], actor="test")
    with ctx.uow() as uow:
        route = uow.session.get(PlanRoute, routes[0])
        branch = route.plan.branch
        stops = {s.request.public_id: s for s in route.stops if s.kind == "delivery"}
        readers = {pid: (len(s.request.lines), (s.lon, s.lat)) for pid, s in stops.items()}
        order = [s.request.public_id for s in route.stops if s.kind == "delivery"]
        branch_point = (branch.lon, branch.lat)
    body = next(r.body for r in yandex.requests_to("claims/create") if len(r.body["route_points"]) == len(stops) + 1)
    points = {p["point_id"]: p for p in body["route_points"]}
    source = next(p for p in body["route_points"] if p["type"] == "source")
    assert source["visit_order"] == 1 and tuple(source["address"]["coordinates"]) == branch_point
    destinations = sorted((p for p in body["route_points"] if p["type"] == "destination"), key=lambda p: p["visit_order"])
    assert [p["external_order_id"] for p in destinations] == order  # the planned order
    for point in destinations:
        books, lon_lat = readers[point["external_order_id"]]
        assert tuple(point["address"]["coordinates"]) == lon_lat  # [lon, lat]
        assert point["contact"]["phone"].startswith("+7") and point["contact"]["phone"][1:].isdigit()
        lines = [i for i in body["items"] if i["dropoff_point"] == point["point_id"]]
        assert len(lines) == books
    for item in body["items"]:
        assert item["pickup_point"] == source["point_id"] and points[item["dropoff_point"]]["type"] == "destination"
        assert isinstance(item["cost_value"], str) and item["cost_currency"] == "KZT" and float(item["cost_value"]) > 0
        assert "droppof_point" not in item
    assert body["optional_return"] is False and body["client_requirements"]["taxi_class"] == "courier"
    assert body["emergency_contact"]["phone"].startswith("+")
    assert all("request_id" in r.params for r in yandex.requests_to("claims/create"))


def test_a_worker_killed_after_the_create_call_leaves_exactly_one_claim(ctx, yandex, almaty_graph, pg_url) -> None:
    """The create reached Yandex but the worker died before saving the answer: the rerun gets the same claim."""
    ctx = _configure(ctx, yandex)
    _world, routes = _yandex_day(ctx, almaty_graph)
    yandex.stall_next("claims/create", seconds=60, after_processing=True)
    env = {**os.environ, "DISPATCH_DATABASE_URL": pg_url, "YANDEX_BASE_URL": yandex.url, "YANDEX_TOKEN": TOKEN}
    script = f"from dispatch.jobs.handover import start; from couriers.yandex.booking import book_route; book_route(start(migrate=False), {routes[0]}, actor='worker')"
    worker = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
    try:
        _wait_until(lambda: len(yandex.claim_ids) == 1)
    finally:
        worker.kill()
        worker.wait()
    with ctx.uow() as uow:
        row = uow.session.scalars(select(YandexClaim)).one()
        assert row.claim_id is None and row.status == "booking"  # the answer was never saved

    book_route(ctx, routes[0], actor="test")
    assert len(yandex.claim_ids) == 1
    with ctx.uow() as uow:
        assert uow.session.scalars(select(YandexClaim)).one().claim_id == yandex.claim_ids[0]


def test_rate_limits_and_a_stale_version_are_recovered_and_the_cursor_survives_a_restart(ya_ctx, yandex, almaty_graph) -> None:
    ctx = ya_ctx
    _world, routes = _yandex_day(ctx, almaty_graph)
    yandex.fail_next("check-price", status=429, retry_after_s=1)
    book_route(ctx, routes[0], actor="test")
    assert [r.endpoint for r in yandex.requests][:2] == ["check-price", "check-price"]
    claim_ids = [c[1] for c in _claims(ctx)]
    for claim_id in claim_ids:
        yandex.play(claim_id, accept=False)
    yandex.fail_next("claims/accept", status=409, code="old_version")
    assert sync_journal(ctx)["accepted"] == len(claim_ids)
    assert {yandex.status(c) for c in claim_ids} == {"accepted"}
    sync_journal(ctx)  # reads the accepts' own events
    with ctx.uow() as uow:
        cursor = uow.session.get(SyncCursor, "yandex_journal").cursor
    assert cursor

    restarted = start(ctx.settings, migrate=False)  # a new process: only the database remembers
    restarted.clock = ctx.clock
    try:
        assert sync_journal(restarted)["events"] == 0
        assert yandex.requests_to("claims/journal")[-1].body.get("cursor") == cursor
        yandex.play(claim_ids[0], until="pickuped")
        assert sync_journal(restarted)["events"] > 0
    finally:
        restarted.close()
    with ctx.uow() as uow:
        assert uow.session.get(PlanRoute, routes[0]).status is RouteStatus.IN_PROGRESS


def _wait_until(condition, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
