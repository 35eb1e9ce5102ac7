"""The JSON API against its own OpenAPI document: schemathesis sends generated requests to every operation.

Each response must not be a 5xx and must match the document (status code listed, body of the
documented shape). The caller is an administrator with a valid token.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.checks import response_schema_conformance
from schemathesis.checks import status_code_conformance

from dispatch.jobs.context import use_context
from dispatch.staff.accounts import add_staff
from dispatch.staff.accounts import issue_token
from web import create_app
from web.api import OPENAPI

pytestmark = pytest.mark.integration

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def api_app(ctx):
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1))
    app = create_app(ctx=ctx)
    add_staff(ctx, "admin", "Администратор", "admin", "correct horse battery")
    app.config["API_TOKEN"] = issue_token(ctx, "admin", "schemathesis")
    try:
        yield app
    finally:
        use_context(None)


schema = schemathesis.openapi.from_path(OPENAPI)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, api_app) -> None:
    token = api_app.config["API_TOKEN"]
    case.call_and_validate(app=api_app, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_the_document_is_served_as_yaml_and_json_without_a_token(api_app) -> None:
    client = api_app.test_client()
    as_json = client.get("/api/v1/openapi.json")
    assert as_json.status_code == 200 and as_json.get_json()["openapi"] == "3.1.0"
    as_yaml = client.get("/api/v1/openapi.yaml")
    assert as_yaml.status_code == 200 and as_yaml.mimetype == "application/yaml"
    documented = set(as_json.get_json()["paths"])
    served = {
        "/" + rule.rule.lstrip("/").replace("<int:", "{").replace("<", "{").replace(">", "}")
        for rule in api_app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert served == documented
