"""Roles and CSRF on the courier pages, and tokens on the API, through Flask's test client on real PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dispatch.jobs.context import use_context
from tests.integration.courier_day import PASSWORD
from tests.integration.courier_day import add_courier
from tests.integration.courier_day import dispatched_day
from tests.integration.day_world import TUESDAY
from web import create_app

pytestmark = pytest.mark.integration

DAY = TUESDAY.isoformat()
CSRF = re.compile(r'name="([\w-]*csrf_token)"[^>]*value="([^"]+)"')


@pytest.fixture
def app(ctx):
    ctx.settings = replace(ctx.settings, secret_key="security-tests")
    built = create_app(ctx=ctx)
    built.config["SESSION_COOKIE_SECURE"] = False
    try:
        yield built
    finally:
        use_context(None)


def _signed_in(app, username: str):
    client = app.test_client()
    page = client.get("/staff/sign-in").get_data(as_text=True)
    token = CSRF.search(page)
    assert token, page
    response = client.post("/staff/sign-in", data={"csrf_token": token.group(2), "username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _tokens(html: str) -> dict[str, str]:
    return dict(CSRF.findall(html))


def test_a_courier_cannot_reach_another_couriers_route_or_stop(app, ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph, couriers=2)
    add_courier(ctx, "C01")
    add_courier(ctx, "C02")
    stop_id = day["stops"][0]["stop_id"]
    own = _signed_in(app, "C01")
    page = own.get(f"/courier/?day={DAY}").get_data(as_text=True)
    assert f'id="stop-{stop_id}"' in page

    other = _signed_in(app, "C02")
    assert f'id="stop-{stop_id}"' not in other.get(f"/courier/?day={DAY}").get_data(as_text=True)
    tokens = _tokens(other.get(f"/courier/?day={DAY}").get_data(as_text=True)) or _tokens(
        other.get("/staff/sign-in").get_data(as_text=True)
    )
    csrf = next(iter(tokens.values()))
    forged = other.post(f"/courier/stops/{stop_id}/delivered", data={f"delivered{stop_id}-csrf_token": csrf})
    assert forged.status_code in (403, 404)
    left = other.post(f"/courier/routes/{day['route_id']}/leave", data={f"leave{day['route_id']}-csrf_token": csrf})
    assert left.status_code in (403, 404)
    assert other.get(f"/courier/routes/{day['route_id']}/manifest.pdf").status_code in (403, 404)

    pdf = own.get(f"/courier/routes/{day['route_id']}/manifest.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Передано" in own.get(f"/courier/?day={DAY}").get_data(as_text=True)  # untouched by C02


def test_a_post_without_its_csrf_token_is_400(app, ctx, almaty_graph) -> None:
    day = dispatched_day(ctx, almaty_graph)
    add_courier(ctx, "C01")
    client = _signed_in(app, "C01")
    stop_id = day["stops"][0]["stop_id"]
    assert client.post(f"/courier/stops/{stop_id}/delivered", data={}).status_code == 400
    assert client.post(f"/courier/routes/{day['route_id']}/leave", data={"csrf_token": "forged"}).status_code == 400
    assert client.get(f"/courier/?day={DAY}").status_code == 200


def test_pages_need_the_right_role_and_the_api_a_token(app, ctx) -> None:
    from dispatch.staff.accounts import add_staff

    add_staff(ctx, "oper", "Оператор", "operator", PASSWORD)
    client = app.test_client()
    assert client.get("/courier/").status_code == 302  # to the sign-in page
    assert _signed_in(app, "oper").get("/courier/").status_code == 403
    for method, path in (("get", f"/api/v1/plans/{DAY}"), ("post", "/api/v1/requests"), ("get", "/api/v1/readers/123")):
        response = getattr(client, method)(path)
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/openapi.json").status_code == 200
