"""Requests through the JSON API on real PostgreSQL: submit (201, then 200 for a repeat), follow with the ETA, a reader's data."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from dispatch.jobs.context import use_context
from dispatch.models import DeliveryRequest
from dispatch.models import SmsMessage
from dispatch.planning.service import plan_day
from dispatch.staff.accounts import add_staff
from dispatch.staff.accounts import issue_token
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day
from web import create_app

pytestmark = pytest.mark.integration


@pytest.fixture
def client(ctx):
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1))
    app = create_app(ctx=ctx)
    try:
        yield app.test_client()
    finally:
        use_context(None)


def _auth(ctx, role: str) -> dict[str, str]:
    add_staff(ctx, role, f"Сотрудник {role}", role, "correct horse battery")
    return {"Authorization": f"Bearer {issue_token(ctx, role, 'tests')}"}


def test_an_operator_submits_a_request_and_a_repeat_returns_it(client, ctx, world) -> None:
    headers = _auth(ctx, "operator")
    body = {
        "card_number": world.reader,
        "barcodes": list(world.books_b01[:2]),
        "kind": "delivery",
        "date": TUESDAY.isoformat(),
        "window": "10:00-14:00",
        "idempotency_key": "api-test-1",
    }
    first = client.post("/api/v1/requests", json=body, headers=headers)
    assert first.status_code == 201, first.get_data(as_text=True)
    created = first.get_json()
    assert created["status"] == "scheduled" and created["service_date"] == TUESDAY.isoformat()
    assert created["items"] == list(world.books_b01[:2]) and created["duplicate"] is False
    again = client.post("/api/v1/requests", json=body, headers=headers)
    assert again.status_code == 200 and again.get_json()["public_id"] == created["public_id"]
    conflict = client.post("/api/v1/requests", json={**body, "barcodes": [world.books_b01[3]]}, headers=headers)
    assert conflict.status_code == 409 and conflict.get_json()["error"]["code"] == "idempotency_key_reused"

    followed = client.get(f"/api/v1/requests/{created['public_id']}", headers=headers).get_json()
    assert (followed["status"], followed["eta"], followed["route_id"]) == ("scheduled", None, None)
    reader = client.get(f"/api/v1/readers/{world.reader}", headers=headers).get_json()
    assert reader["standing"]["card_number"] == world.reader
    assert [r["public_id"] for r in reader["requests"]] == [created["public_id"]]


def test_bad_requests_are_json_errors(client, ctx, world) -> None:
    headers = _auth(ctx, "dispatcher")
    for body, code in (
        ({"barcodes": []}, "invalid_field"),
        ({"card_number": world.reader, "barcodes": "200100001"}, "invalid_field"),
        ({"card_number": "nobody", "barcodes": [], "window": "10:00-14:00"}, "card_not_found"),
        ({"card_number": world.reader, "barcodes": [], "window": "3am"}, "invalid_request"),
        ({"card_number": world.reader, "barcodes": []}, "invalid_request"),
        ({"card_number": world.reader, "barcodes": ["no-such-copy"]}, "invalid_request"),
        ({"card_number": world.reader, "barcodes": [world.books_b01[0]], "date": "2026-11-20"}, "invalid_request"),
    ):
        response = client.post("/api/v1/requests", json=body, headers=headers)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == code, body
    with ctx.uow() as uow:  # input mistakes store nothing and text nobody
        assert uow.session.scalars(select(DeliveryRequest)).all() == []
        assert uow.session.scalars(select(SmsMessage)).all() == []
    assert client.get("/api/v1/readers/nobody", headers=headers).status_code == 404
    assert client.get("/api/v1/requests/nothing", headers=headers).status_code == 404
    assert client.get("/api/v1/readers/a%00b", headers=headers).status_code == 400
    assert client.get("/api/v1/routes/99999999999/manifest", headers=headers).status_code == 404
    courier = _auth(ctx, "courier")
    assert client.get(f"/api/v1/readers/{world.reader}", headers=courier).status_code == 403


def test_a_planned_request_shows_its_eta(client, ctx, almaty_graph) -> None:
    day = make_day(ctx, almaty_graph, readers=6, couriers=1)
    plan_day(ctx, TUESDAY, "B01")
    headers = _auth(ctx, "admin")
    reader = client.get(f"/api/v1/readers/{day.cards[0]}", headers=headers).get_json()
    followed = client.get(f"/api/v1/requests/{reader['requests'][0]['public_id']}", headers=headers).get_json()
    assert followed["status"] == "planned" and followed["service_date"] == TUESDAY.isoformat()
    assert followed["route_id"] is not None and len(followed["eta"]) == 5
