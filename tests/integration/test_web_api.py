"""The JSON API through Flask's test client on real PostgreSQL: tokens, roles, plans, jobs and manifests."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cli.app import cli
from dispatch.jobs.context import use_context
from dispatch.messages import render
from dispatch.models import ApiToken
from dispatch.planning.export import day_document
from dispatch.planning.service import plan_day
from dispatch.staff.accounts import add_staff
from dispatch.staff.accounts import issue_token
from dispatch.staff.accounts import revoke_token
from tests.conftest import MONDAY_MORNING
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day
from web import create_app

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery"
DAY = TUESDAY.isoformat()


@pytest.fixture
def client(ctx):
    """A test client on the test context, one solver process per plan (the machine has two cores)."""
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1))
    app = create_app(ctx=ctx)
    try:
        yield app.test_client()
    finally:
        use_context(None)


def _token(ctx, username: str, role: str) -> str:
    add_staff(ctx, username, f"Сотрудник {username}", role, PASSWORD)
    return issue_token(ctx, username, "tests")


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error


def test_health_needs_no_token(client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_no_token_or_a_wrong_one_is_401_json(client, ctx) -> None:
    _token(ctx, "disp", "dispatcher")
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic ZGlzcDpwYXNz"}):
        response = client.get(f"/api/v1/plans/{DAY}", headers=headers)
        _error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_dispatcher_plans_a_day_then_follows_the_job_and_reads_the_plan(client, ctx, almaty_graph) -> None:
    make_day(ctx, almaty_graph, readers=6)
    token = _token(ctx, "disp", "dispatcher")
    posted = client.post(f"/api/v1/plans/{DAY}", json={"branch": "B01", "time_limit_s": 2}, headers=_auth(token))
    assert posted.status_code == 202, posted.get_data(as_text=True)
    jobs = posted.get_json()["jobs"]
    assert len(jobs) == 1 and jobs[0]["key"].startswith(f"plan:B01:{DAY}:")
    job = client.get(f"/api/v1/jobs/{jobs[0]['key']}", headers=_auth(token)).get_json()
    assert (job["state"], job["stage"], job["percent"]) == ("succeeded", "done", 100)
    assert job["result"]["branch_code"] == "B01"
    plans = client.get(f"/api/v1/plans/{DAY}?branch=B01", headers=_auth(token))
    assert plans.status_code == 200 and plans.headers["Cache-Control"] == "no-store"
    document = plans.get_json()
    assert document["date"] == DAY and [p["branch"] for p in document["plans"]] == ["B01"]
    assert document["plans"][0]["created_by"] == "api:disp"
    assert sum(len(r["stops"]) for r in document["plans"][0]["routes"]) > 0
    _error(client.get("/api/v1/jobs/plan:B01:no-such-job", headers=_auth(token)), 404, "not_found")


def test_a_courier_gets_their_own_route_manifest_only(client, ctx, almaty_graph) -> None:
    make_day(ctx, almaty_graph, readers=6)
    plan_day(ctx, TUESDAY, "B01")
    routes = day_document(ctx, TUESDAY, branch_code="B01")["plans"][0]["routes"]
    route = next(r for r in routes if r["courier"] is not None)
    own = _token(ctx, route["courier"], "courier")
    other = _token(ctx, "C01" if route["courier"] != "C01" else "C02", "courier")

    manifest = client.get(f"/api/v1/routes/{route['id']}/manifest", headers=_auth(own))
    assert manifest.status_code == 200, manifest.get_data(as_text=True)
    assert manifest.get_json()["route_id"] == route["id"] and manifest.get_json()["stops"]
    pdf = client.get(f"/api/v1/routes/{route['id']}/manifest.pdf", headers=_auth(own, **{"Accept-Language": "kk"}))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")

    _error(client.get(f"/api/v1/routes/{route['id']}/manifest", headers=_auth(other)), 403, "forbidden")
    _error(client.get(f"/api/v1/routes/{route['id']}/manifest.pdf", headers=_auth(other)), 403, "forbidden")
    _error(client.get(f"/api/v1/plans/{DAY}", headers=_auth(own)), 403, "forbidden")


def test_an_unknown_route_and_unknown_addresses_are_json(client, ctx) -> None:
    token = _token(ctx, "disp", "dispatcher")
    _error(client.get("/api/v1/routes/999999/manifest", headers=_auth(token)), 404, "not_found")
    _error(client.get("/api/v1/routes/999999/manifest.pdf", headers=_auth(token)), 404, "not_found")
    _error(client.get("/api/v1/no-such-thing"), 404, "page_not_found")
    response = client.delete("/api/v1/health")
    _error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_bad_input_is_400_json(client, ctx) -> None:
    token = _token(ctx, "disp", "dispatcher")
    _error(client.get("/api/v1/plans/tuesday", headers=_auth(token)), 400, "invalid_date")
    _error(client.post(f"/api/v1/plans/{DAY}", data="[1, 2", headers=_auth(token)), 400, "invalid_json")
    bad_limit = client.post(f"/api/v1/plans/{DAY}", json={"time_limit_s": "fast"}, headers=_auth(token))
    _error(bad_limit, 400, "invalid_field")


def test_an_unexpected_error_is_a_json_500(client, ctx, monkeypatch) -> None:
    token = _token(ctx, "disp", "dispatcher")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("web.api.export.day_document", broken)
    response = client.get(f"/api/v1/plans/{DAY}", headers=_auth(token))
    _error(response, 500, "internal_error")
    assert "boom" not in response.get_data(as_text=True)


def test_a_revoked_token_is_401_and_use_is_recorded(client, ctx) -> None:
    token = _token(ctx, "disp", "dispatcher")
    assert client.get(f"/api/v1/plans/{DAY}", headers=_auth(token)).status_code == 200
    with ctx.uow() as uow:
        stored = uow.session.execute(select(ApiToken.token_hash, ApiToken.last_used_at)).one()
    assert stored.token_hash != token and stored.last_used_at == MONDAY_MORNING
    assert revoke_token(ctx, "disp", "tests") == 1
    _error(client.get(f"/api/v1/plans/{DAY}", headers=_auth(token)), 401, "unauthorized")


def test_error_messages_follow_accept_language(client) -> None:
    for header, lang in (("kk-KZ,kk;q=0.9", "kk"), ("ru-RU", "ru"), ("en-GB", "en"), ("de", "ru"), (None, "ru")):
        headers = {"Accept-Language": header} if header else {}
        error = _error(client.get(f"/api/v1/plans/{DAY}", headers=headers), 401, "unauthorized")
        assert error["message"] == render("unauthorized", lang), header
    assert render("unauthorized", "kk") != render("unauthorized", "ru")


def test_staff_and_tokens_from_the_command_line(client, ctx, pg_url) -> None:
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None):
        return runner.invoke(cli, list(args), input=stdin, env={"DISPATCH_DATABASE_URL": pg_url}, catch_exceptions=False)

    added = run("staff", "add", "disp", "--name", "Диспетчер", "--role", "dispatcher", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    again = run("staff", "add", "disp", "--name", "Другой", "--role", "admin", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert again.exit_code == 2 and render("staff_exists", "ru", {"username": "disp"}) in again.output
    short = run("staff", "add", "short", "--name", "Коротко", "--role", "admin", "--password-stdin", stdin="abc\n")
    assert short.exit_code == 2
    issued = run("staff", "token", "disp", "--name", "console")
    assert issued.exit_code == 0
    token = issued.stdout.strip()
    assert client.get(f"/api/v1/plans/{DAY}", headers=_auth(token)).status_code == 200
    assert run("staff", "token", "disp", "--name", "console").exit_code == 2  # one active token per name
    assert run("staff", "revoke-token", "disp", "--name", "console").exit_code == 0
    _error(client.get(f"/api/v1/plans/{DAY}", headers=_auth(token)), 401, "unauthorized")
