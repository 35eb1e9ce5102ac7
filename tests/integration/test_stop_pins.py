"""A dispatcher moves a stop to another route: the pin is stored, and the next plan version keeps it there."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dispatch.errors import DispatchError
from dispatch.planning.export import day_document
from dispatch.planning.pins import day_pins
from dispatch.planning.pins import pin_request
from dispatch.planning.pins import unpin_request
from dispatch.planning.service import plan_day
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day


@pytest.fixture
def day_ctx(ctx):
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1))
    return ctx


def _vehicle_of(document, request_id):
    for route in document["plans"][0]["routes"]:
        if any(stop["request_id"] == request_id for stop in route["stops"]):
            return route["vehicle"]
    return None


def test_a_pinned_stop_moves_to_the_chosen_route_in_the_next_version(day_ctx, almaty_graph) -> None:
    world = make_day(day_ctx, almaty_graph, readers=8)
    first = plan_day(day_ctx, TUESDAY, world.branch)
    before = day_document(day_ctx, TUESDAY, branch_code="B01")
    request_id = next(r for r in world.requests if _vehicle_of(before, r) is not None)
    used = {route["vehicle"] for route in before["plans"][0]["routes"]}
    current = _vehicle_of(before, request_id)
    target = next(
        v for v in ("courier:C01", "courier:C02", "yandex:1") if v != current and (v in used or v.startswith("courier"))
    )

    pin_request(day_ctx, request_id, target, actor="staff:disp")
    assert day_pins(day_ctx, TUESDAY, "B01") == {request_id: target}
    second = plan_day(day_ctx, TUESDAY, world.branch)

    assert second.created and second.version == (first.version or 0) + 1
    after = day_document(day_ctx, TUESDAY, branch_code="B01")
    assert _vehicle_of(after, request_id) == target


def test_pins_refuse_unknown_vehicles_and_can_be_removed(day_ctx, almaty_graph) -> None:
    world = make_day(day_ctx, almaty_graph, readers=2)
    with pytest.raises(DispatchError) as caught:
        pin_request(day_ctx, world.requests[0], "bicycle:7", actor="staff:disp")
    assert caught.value.code == "pin_vehicle_invalid"
    pin_request(day_ctx, world.requests[0], "courier:C02", actor="staff:disp")
    pin_request(day_ctx, world.requests[0], "courier:C01", actor="staff:disp")
    assert day_pins(day_ctx, TUESDAY, "B01") == {world.requests[0]: "courier:C01"}
    assert unpin_request(day_ctx, world.requests[0]) == 1
    assert day_pins(day_ctx, TUESDAY, "B01") == {}
