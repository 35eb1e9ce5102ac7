"""The command line on PostgreSQL: imports with bad rows, a request as JSON, batches."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.app import cli

pytestmark = pytest.mark.integration


@pytest.fixture
def run(ctx, pg_url):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), env={"DISPATCH_DATABASE_URL": pg_url}, catch_exceptions=False)

    return invoke


def test_import_reports_bad_rows_and_exits_non_zero(run, tmp_path, world):
    path = tmp_path / "readers.csv"
    path.write_text(
        "card_number;full_name;phone;home_branch\n0200001;Абенова Сауле;8 701 111 22 33;B01\n;Нет билета;;\n", encoding="utf-8"
    )
    result = run("import", "readers", str(path))
    assert result.exit_code == 1
    assert "строка 3" in result.output and "card_number" in result.output
    assert "добавлено 1" in result.output
    as_json = json.loads(run("import", "readers", "--json", str(path)).output)
    assert (as_json["unchanged"], as_json["rejected"][0]["line"]) == (1, 3)


def test_import_in_kazakh(run, tmp_path, world):
    path = tmp_path / "items.csv"
    path.write_text("barcode,title,branch\n1,Абай жолы,B42\n", encoding="utf-8")
    result = run("--lang", "kk", "import", "items", str(path))
    assert result.exit_code == 1 and "жол 2" in result.output and "филиал табылмады" in result.output


def test_a_missing_file_is_a_clear_error(run, tmp_path):
    result = run("import", "branches", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "nope.csv" in result.output


def test_request_as_json_then_repeat_then_batches(run, world):
    args = (
        "requests",
        "add",
        "--card",
        world.reader,
        "--items",
        ",".join(world.books_b01[:2]),
        "--window",
        "10:00-14:00",
        "--channel",
        "phone",
        "--key",
        "call-17",
        "--json",
    )
    first = run(*args)
    assert first.exit_code == 0, first.output
    body = json.loads(first.output)
    assert body["status"] == "scheduled" and body["channel"] == "phone" and body["reasons"] == []
    again = json.loads(run(*args).output)
    assert again["id"] == body["id"] and again["duplicate"] is True
    day = body["service_date"]
    batches = json.loads(run("planning", "batches", "--date", day, "--json").output)
    assert [r["id"] for b in batches["branches"] for r in b["requests"]] == [body["id"]]
    listing = run("planning", "batches", "--date", day)
    assert "B01" in listing.output and world.reader in listing.output


def test_rejected_request_exits_one_with_reasons(run, world):
    result = run("requests", "add", "--card", world.blocked_reader, "--items", world.books_b01[0])
    assert result.exit_code == 1
    assert "card_blocked" in result.output and "заблокирован" in result.output


def test_unreadable_request_exits_two(run, world):
    result = run("requests", "add", "--card", world.reader, "--items", "1", "--date", "завтра", "--json")
    assert result.exit_code == 2
    assert json.loads(result.output)["error"]["code"] == "invalid_request"


def test_a_typing_mistake_exits_two_and_stores_nothing(run, world):
    result = run("requests", "add", "--card", world.reader, "--items", f"{world.books_b01[0]},200999999", "--json")
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert error["code"] == "invalid_request" and "200999999" in error["message"]
    assert json.loads(run("requests", "add", "--card", world.reader, "--items", world.books_b01[0], "--json").output)["id"] == 1


def test_status_and_history(run, world):
    body = json.loads(run("requests", "add", "--card", world.reader, "--items", world.books_b01[0], "--json").output)
    assert run("requests", "status", str(body["id"]), "cancelled", "--reason", "по просьбе читателя").exit_code == 0
    refused = run("requests", "status", str(body["id"]), "scheduled")
    assert refused.exit_code == 2 and "cancelled" in refused.output
    trail = run("requests", "history", str(body["id"]))
    assert trail.output.count("\n") == 4 and "по просьбе читателя" in trail.output


def test_an_unreachable_database_is_one_clear_line(tmp_path):
    import os
    import subprocess
    import sys

    from dispatch.config import REPO_ROOT

    env = {**os.environ, "DISPATCH_DATABASE_URL": "postgresql+psycopg://nobody:secret@127.0.0.1:9/none"}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "planning", "batches", "--date", "2026-11-24"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3
    assert "database unreachable" in done.stderr and "secret" not in done.stderr and "Traceback" not in done.stderr
