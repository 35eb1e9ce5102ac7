"""The demo day on the real Almaty map: on PostgreSQL, and the README's command on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select

from demo.run import run_demo
from dispatch.config import REPO_ROOT
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import Item
from dispatch.models import Reader
from dispatch.planning.batches import batches_for
from tests.conftest import PLAN_SOLUTION_LIMIT

pytestmark = pytest.mark.integration


def test_demo_day_on_postgresql(ctx, area, tmp_path):
    outcome = run_demo(ctx, readers=150, seed=7, echo=lambda _m: None, export_dir=tmp_path)
    assert outcome.service_day == date(2026, 11, 24)
    imports = outcome.summary["imports"]
    assert imports["branches"]["created"] == 30
    assert [r["line"] for r in imports["readers"]["rejected"]] == [152, 153, 154]
    assert outcome.summary["requests"]["scheduled"] > 40 and outcome.summary["requests"]["rejected"] > 5
    assert {"card_expired", "address_outside_area"} <= set(outcome.summary["rejection_reasons"])
    with ctx.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count()).select_from(Reader)) == 150
        assert s.scalar(select(func.count()).select_from(Item)) > 900
        channels = {c.value for c in s.scalars(select(DeliveryRequest.channel).distinct())}
        assert channels == {"web", "operator", "phone", "api"}
        for branch in s.scalars(select(Branch)):
            assert area.contains(branch.lat, branch.lon), branch.code
    found = batches_for(ctx, outcome.service_day)
    # The requests Yandex took left the batch (delivered, or moved to the next day when nobody was home).
    taken_by_yandex = outcome.summary["yandex"].get("requests", 0)
    assert sum(len(b.requests) for b in found) + taken_by_yandex == outcome.summary["service_days"]["2026-11-24"]
    for batch in found:
        assert all(area.contains(e.lat, e.lon) for e in batch.requests)
    again = run_demo(ctx, readers=150, seed=7, echo=lambda _m: None, export_dir=tmp_path)
    assert again.summary["requests"] == {} and again.summary["repeats"] > 0


def test_readme_demo_command_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DISPATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DISPATCH_PLAN_SOLUTION_LIMIT": str(PLAN_SOLUTION_LIMIT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "demo", "--readers", "80", "--json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["summary"]["imports"]["branches"]["created"] == 30
    assert sum(len(b["requests"]) for b in body["branches"]) > 0
