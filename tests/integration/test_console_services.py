"""The console's services on PostgreSQL and the Almaty map: pins refused or kept, the city's day, planning in the background."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dispatch.jobs import runs
from dispatch.jobs.context import use_context
from dispatch.models import DeliveryRequest
from dispatch.planning.board import board
from dispatch.planning.overview import city_day
from dispatch.planning.overview import next_service_day
from dispatch.planning.pinning import PinRefused
from dispatch.planning.pinning import day_fleet
from dispatch.planning.pinning import pin
from dispatch.planning.pinning import refusal
from dispatch.planning.pins import day_pins
from dispatch.planning.service import plan_day
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day
from web.console_jobs import plan_in_background
from web.console_jobs import wait_for_background

STAIRS = 3
"""Reader 3 of :func:`make_day` lives on the 4th floor without a lift; courier C01 climbs stairs, C02 does not."""


@pytest.fixture
def day(ctx, almaty_graph):
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1, time_limit_s=3.0))
    return make_day(ctx, almaty_graph, readers=8)


@pytest.mark.parametrize(
    ("reader", "vehicle", "reason", "words"),
    [
        (STAIRS, "yandex:1", "yandex_no_stairs", "Яндекса не поднимают"),
        (STAIRS, "courier:C02", "courier_no_skill", "не поднимается по лестнице"),
        (0, "yandex:3", "no_such_car", "такой машины"),
        (0, "courier:C99", "not_working", "не работает"),
    ],
)
def test_a_pin_the_planner_cannot_keep_is_refused_with_words_and_nothing_is_stored(ctx, day, reader, vehicle, reason, words):
    with pytest.raises(PinRefused) as refused:
        pin(ctx, day.requests[reader], vehicle, actor="staff:disp")
    assert refused.value.reason == reason
    assert words in refused.value.message("ru")
    assert refused.value.message("kk") != refused.value.message("ru")
    assert day_pins(ctx, TUESDAY, "B01") == {}


def test_a_handed_out_courier_takes_no_pin(ctx, day):
    from couriers.outcomes import dispatch_route

    plan_day(ctx, TUESDAY, "B01")
    route = next(r for r in board(ctx, TUESDAY, "B01")["routes"] if r["vehicle"] == "courier:C01")
    dispatch_route(ctx, route["id"], actor="staff:disp")
    with ctx.uow() as uow:
        request = uow.session.get(DeliveryRequest, day.requests[0])
        fleet = day_fleet(uow.session, request.branch_id, TUESDAY, ctx.settings.planning)
        assert fleet.busy == {"courier:C01"} and "courier:C01" not in fleet.ids
        assert refusal(uow.session, request, "courier:C01", ctx.settings.planning, "Asia/Almaty") == "courier_busy"


def test_a_kept_pin_waits_for_planning_then_shows_as_kept_and_the_stop_is_on_its_route(ctx, day):
    plan_day(ctx, TUESDAY, "B01")
    first = board(ctx, TUESDAY, "B01")
    stop = next(
        s for r in first["routes"] for s in r["stops"] if r["vehicle"] != "courier:C02" and s["id"] != day.requests[STAIRS]
    )
    pin(ctx, stop["id"], "courier:C02", actor="staff:disp")
    waiting = next(s for r in board(ctx, TUESDAY, "B01")["routes"] for s in r["stops"] if s["id"] == stop["id"])
    assert waiting["pin"].state == "waiting"

    plan_day(ctx, TUESDAY, "B01")
    after = board(ctx, TUESDAY, "B01")
    route = next(r for r in after["routes"] if any(s["id"] == stop["id"] for s in r["stops"]))
    kept = next(s for s in route["stops"] if s["id"] == stop["id"])
    assert route["vehicle"] == "courier:C02"
    assert kept["pin"].state == "honoured"
    assert kept["reader"].startswith("Читатель") and kept["books"] and kept["eta"]


def test_the_city_day_counts_each_branch_and_names_what_needs_attention(ctx, day):
    assert next_service_day(ctx) == TUESDAY  # the tests' clock is Monday morning
    (row,) = city_day(ctx, TUESDAY)
    assert (row.code, row.requests, row.planned, row.couriers, row.plan_version) == ("B01", 8, 0, 2, None)
    assert [(a.kind, a.count) for a in row.alerts] == [("not_planned", 8)]

    plan_day(ctx, TUESDAY, "B01")
    (row,) = city_day(ctx, TUESDAY)
    assert row.plan_version == 1 and row.planned + row.unassigned == 8 and row.km > 0
    assert all(a.kind == "left_out" for a in row.alerts)


def test_inline_planning_runs_in_the_background_and_records_its_progress(ctx, day):
    use_context(ctx)
    try:
        keys = plan_in_background(ctx, TUESDAY, actor="staff:disp")
        assert len(keys) == 1 and keys[0].startswith("plan:B01:")
        assert runs.get(ctx, keys[0]).state in ("queued", "running", "succeeded")
        wait_for_background()
        done = runs.get(ctx, keys[0])
        assert (done.state, done.percent) == ("succeeded", 100)
        assert done.result["version"] == 1
    finally:
        use_context(None)
