"""The courier's rules on real PostgreSQL: doors only once under way and on the route's day; undo puts back exactly what recording did."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from couriers import day as courier_day
from couriers.outcomes import leave_branch
from couriers.outcomes import record_outcome
from couriers.outcomes import undo_last_outcome
from dispatch.domain.statuses import ItemStatus
from dispatch.errors import DispatchError
from dispatch.errors import NotFound
from dispatch.models import AuditEvent
from dispatch.models import DeliveryRequest
from dispatch.models import JobRun
from dispatch.models import Loan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.models import SmsMessage
from tests.integration.courier_day import dispatched_day
from tests.integration.day_world import TUESDAY

pytestmark = pytest.mark.integration

ALMATY = ZoneInfo("Asia/Almaty")
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=ALMATY)


def _at(ctx, moment: datetime) -> None:
    ctx.clock = lambda: moment


def _code(error: pytest.ExceptionInfo[DispatchError]) -> str:
    return error.value.code


def _request(ctx, stop_id: int) -> tuple[str, date | None, int]:
    with ctx.uow() as uow:
        stop = uow.session.get(PlanStop, stop_id)
        return stop.request.status.value, stop.request.service_date, stop.request.id


def test_a_door_is_recorded_only_once_under_way_and_on_the_routes_day(ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    first = day["stops"][0]["stop_id"]
    _at(ctx, TUESDAY_MORNING)
    with pytest.raises(DispatchError) as before:
        record_outcome(ctx, first, "delivered", actor="courier")
    assert _code(before) == "outcome_before_leaving" and "филиала" in before.value.message("ru")
    _at(ctx, TUESDAY_MORNING - timedelta(days=1))  # Monday: a day early
    with pytest.raises(DispatchError) as early:
        leave_branch(ctx, day["route_id"], actor="courier")
    assert _code(early) == "leave_not_today" and "24.11.2026" in early.value.message("kk")
    _at(ctx, TUESDAY_MORNING)
    leave_branch(ctx, day["route_id"], actor="courier")
    _at(ctx, TUESDAY_MORNING + timedelta(days=1))  # Wednesday: too late for Tuesday's route
    with pytest.raises(DispatchError) as late:
        record_outcome(ctx, first, "delivered", actor="courier")
    assert _code(late) == "outcome_not_today"
    assert _request(ctx, first)[0] == "in_transit"  # nothing changed by the refusals
    _at(ctx, TUESDAY_MORNING)
    assert record_outcome(ctx, first, "delivered", actor="courier").request_status == "delivered"


def test_undoing_a_delivery_removes_its_loans_return_job_and_waiting_sms_and_it_can_be_recorded_again(ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    first = day["stops"][0]["stop_id"]
    evening = datetime(2026, 11, 24, 21, 30, tzinfo=ALMATY)  # quiet hours: the "delivered" SMS waits for the morning
    _at(ctx, evening)
    leave_branch(ctx, day["route_id"], actor="courier")
    with ctx.uow() as uow:
        loans_before = len(uow.session.scalars(select(Loan)).all())
    record_outcome(ctx, first, "delivered", actor="courier")
    status, _, request_id = _request(ctx, first)
    with ctx.uow() as uow:
        public_id = uow.session.get(DeliveryRequest, request_id).public_id
        assert len(uow.session.scalars(select(Loan)).all()) > loans_before
        assert uow.session.scalars(select(JobRun).where(JobRun.key == f"return:{public_id}")).one_or_none() is not None
        sms = uow.session.scalars(select(SmsMessage).where(SmsMessage.key == f"delivered:{request_id}")).one()
        assert sms.state == "waiting"
        sms_id = sms.id

    _at(ctx, evening + timedelta(minutes=4))
    undone = undo_last_outcome(ctx, day["route_id"], actor="courier:C01")
    assert (undone.stop_id, undone.undone, undone.request_status) == (first, "delivered", "in_transit")
    assert undone.sms_withdrawn >= 1 and undone.sms_already_sent == 0
    with ctx.uow() as uow:
        s = uow.session
        assert len(s.scalars(select(Loan)).all()) == loans_before
        assert s.scalars(select(JobRun).where(JobRun.key == f"return:{public_id}")).one_or_none() is None
        withdrawn = s.get(SmsMessage, sms_id)
        assert withdrawn.state == "skipped" and withdrawn.key.startswith(f"delivered:{request_id}|undone")
        request = s.get(DeliveryRequest, request_id)
        assert all(line.loan_id is None and line.item.status is not ItemStatus.ON_LOAN for line in request.lines)
        stop = s.get(PlanStop, first)
        assert stop.outcome is None and stop.outcome_at is None
        audit = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "delivery_request", AuditEvent.entity_id == request_id)
            .order_by(AuditEvent.id)
        ).all()
        assert (audit[-1].from_status, audit[-1].to_status) == ("delivered", "in_transit")
        assert audit[-1].reason.startswith("undone") and audit[-1].actor == "courier:C01"

    # Recorded again, it does everything again: loans, the return job, a new SMS.
    again = record_outcome(ctx, first, "delivered", actor="courier")
    assert again.request_status == "delivered" and again.return_job_at is not None
    with ctx.uow() as uow:
        assert uow.session.scalars(select(JobRun).where(JobRun.key == f"return:{public_id}")).one_or_none() is not None
        assert uow.session.scalars(select(SmsMessage).where(SmsMessage.key == f"delivered:{request_id}")).one().state == "waiting"
    assert status == "delivered"


def test_undoing_a_failed_attempt_takes_the_request_back_from_the_next_day(ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    second = day["stops"][1]["stop_id"]
    _at(ctx, TUESDAY_MORNING)
    leave_branch(ctx, day["route_id"], actor="courier")
    failed = record_outcome(ctx, second, "failed", reason="not_at_home", actor="courier")
    assert failed.request_status == "scheduled" and _request(ctx, second)[1] == date(2026, 11, 25)
    routes = courier_day.routes_of(ctx, "C01", TUESDAY)
    state = next(s for s in routes[0].stops.values() if s.stop_id == second)
    assert (state.outcome, state.reason, state.at) == ("failed", "not_at_home", "09:30")
    assert routes[0].undo is not None and routes[0].undo.stop_id == second and routes[0].undo.until == "09:35"

    undone = courier_day.undo(ctx, "C01", day["route_id"])
    assert undone.undone == "failed"
    assert _request(ctx, second)[:2] == ("in_transit", TUESDAY)
    assert courier_day.routes_of(ctx, "C01", TUESDAY)[0].undo is None
    with pytest.raises(DispatchError) as nothing:
        courier_day.undo(ctx, "C01", day["route_id"])
    assert _code(nothing) == "undo_nothing"


def test_an_outcome_cannot_be_undone_after_the_window_or_by_another_courier(ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph, couriers=2)
    first = day["stops"][0]["stop_id"]
    _at(ctx, TUESDAY_MORNING)
    leave_branch(ctx, day["route_id"], actor="courier")
    with pytest.raises(DispatchError) as nothing:
        undo_last_outcome(ctx, day["route_id"], actor="courier")
    assert _code(nothing) == "undo_nothing"
    record_outcome(ctx, first, "delivered", actor="courier")
    with pytest.raises(NotFound):
        courier_day.undo(ctx, "C02", day["route_id"])
    _at(ctx, TUESDAY_MORNING + timedelta(minutes=5, seconds=1))
    with pytest.raises(DispatchError) as late:
        courier_day.undo(ctx, "C01", day["route_id"])
    assert _code(late) == "undo_too_late" and "5 минут" in late.value.message("ru")
    assert courier_day.routes_of(ctx, "C01", TUESDAY)[0].undo is None
    assert _request(ctx, first)[0] == "delivered"


def test_undoing_the_door_that_closed_the_route_reopens_it(ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    _at(ctx, TUESDAY_MORNING)
    leave_branch(ctx, day["route_id"], actor="courier")
    for stop in day["stops"]:
        record_outcome(ctx, stop["stop_id"], "delivered", actor="courier")
    with ctx.uow() as uow:
        assert uow.session.get(PlanRoute, day["route_id"]).status.value == "completed"
    assert courier_day.routes_of(ctx, "C01", TUESDAY)[0].blocked  # nothing left to record
    undone = undo_last_outcome(ctx, day["route_id"], actor="courier")
    assert undone.stop_id == day["stops"][-1]["stop_id"]
    with ctx.uow() as uow:
        assert uow.session.get(PlanRoute, day["route_id"]).status.value == "in_progress"
    assert courier_day.routes_of(ctx, "C01", TUESDAY)[0].blocked is None


def test_the_day_picker_offers_today_and_the_next_service_days_with_the_couriers_doors(ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    tabs = courier_day.days_of(ctx, "C01")  # the clock says Monday 23 November
    assert [tab.day for tab in tabs] == [date(2026, 11, 23), TUESDAY, date(2026, 11, 25), date(2026, 11, 26)]
    assert tabs[0].today and not tabs[1].today
    assert tabs[0].stops == 0 and tabs[1].stops == len(day["stops"])
    assert all(tab.stops == 0 for tab in courier_day.days_of(ctx, "C02"))
