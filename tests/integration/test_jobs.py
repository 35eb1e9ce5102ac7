"""Real RQ workers on real Redis and PostgreSQL: planning jobs, return pickups, retries, a worker killed mid-plan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from redis import Redis
from rq import Queue
from rq.registry import ScheduledJobRegistry
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from couriers.outcomes import dispatch_route
from couriers.outcomes import record_outcome
from dispatch.domain.statuses import RequestKind
from dispatch.jobs import runs
from dispatch.jobs.handover import flush_outbox
from dispatch.jobs.runner import rq_job_id
from dispatch.jobs.tasks import submit_plans
from dispatch.models import DeliveryRequest
from dispatch.models import Plan
from dispatch.planning.export import day_document
from dispatch.planning.service import plan_day
from tests.conftest import ALMATY
from tests.conftest import PLAN_SOLUTION_LIMIT
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import courier_leaves
from tests.integration.day_world import make_day
from tests.integration.rq_support import work

ROOT = Path(__file__).resolve().parents[2]


def _queue(ctx) -> Queue:
    return Queue(ctx.settings.jobs.queue, connection=Redis.from_url(ctx.settings.jobs.redis_url))


def test_a_day_planned_by_workers_then_delivered_schedules_return_pickups_planned_on_their_day(rq_ctx, almaty_graph) -> None:
    make_day(rq_ctx, almaty_graph, readers=5)
    submitted = submit_plans(rq_ctx, TUESDAY)
    assert [s.run.state for s in submitted] == ["queued"]
    work(rq_ctx)
    run = runs.get(rq_ctx, submitted[0].key)
    assert run.state == "succeeded" and run.percent == 100 and run.result["version"] == 1
    # The same job run again (a duplicate delivery of the message) stores nothing new.
    job = _queue(rq_ctx).fetch_job(rq_job_id(submitted[0].key))
    assert job is not None
    _queue(rq_ctx).enqueue_job(job)
    work(rq_ctx)
    with rq_ctx.uow() as uow:
        assert len(uow.session.scalars(select(Plan)).all()) == 1
    # The courier delivers every stop of the first route.
    route = day_document(rq_ctx, TUESDAY)["plans"][0]["routes"][0]
    dispatch_route(rq_ctx, route["id"], actor="dispatcher")
    courier_leaves(rq_ctx, route["id"])
    delivered = [s for s in route["stops"] if s["request_id"]]
    for stop in delivered:
        record_outcome(rq_ctx, stop["stop_id"], "delivered", actor="courier")
    scheduled = ScheduledJobRegistry(queue=_queue(rq_ctx))
    due = datetime(2026, 12, 21, 8, 0, tzinfo=ALMATY)
    for stop in delivered:
        with rq_ctx.uow() as uow:
            public_id = uow.session.get(DeliveryRequest, stop["request_id"]).public_id
        job_id = rq_job_id(f"return:{public_id}")
        assert scheduled.get_scheduled_time(job_id) == due
    assert flush_outbox(rq_ctx) == 0  # each commit handed its jobs to RQ already: the sweep hands nothing twice
    # Time passes: on 21 December the scheduler releases the jobs (here: moved to the queue by hand).
    rq_ctx.clock = lambda: due
    for job_id in scheduled.get_job_ids():
        scheduled.remove(job_id)
        _queue(rq_ctx).enqueue_job(_queue(rq_ctx).fetch_job(job_id))
    work(rq_ctx)
    with rq_ctx.uow() as uow:
        pickups = uow.session.scalars(select(DeliveryRequest).where(DeliveryRequest.kind == RequestKind.RETURN_PICKUP)).all()
        assert len(pickups) == len(delivered)
        assert {p.status.value for p in pickups} == {"scheduled"}
        pickup_day = pickups[0].service_date
    assert pickup_day is not None and pickup_day > due.date()
    plan_day(rq_ctx, pickup_day, "B01")
    stops = [
        s for r in day_document(rq_ctx, pickup_day)["plans"][0]["routes"] for s in r["stops"] if s["kind"] == "return_pickup"
    ]
    assert len(stops) == len(delivered) and all(s["items"]["collect"] for s in stops)


def test_a_transient_error_is_retried_and_the_job_completes(rq_ctx, almaty_graph, tmp_path, monkeypatch) -> None:
    make_day(rq_ctx, almaty_graph, readers=3)
    flag = tmp_path / "failed-once"
    from dispatch.planning import service

    real = service.solve_day

    def flaky(*args, **kwargs):
        if not flag.exists():
            flag.touch()
            raise ConnectionError("database briefly unreachable")
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "solve_day", flaky)
    submitted = submit_plans(rq_ctx, TUESDAY)
    work(rq_ctx)
    run = runs.get(rq_ctx, submitted[0].key)
    assert flag.exists() and run.state == "succeeded" and run.attempts == 2


def test_a_bad_input_fails_at_once_and_stays_visible(rq_ctx) -> None:
    submitted = submit_plans(rq_ctx, TUESDAY, branch="NO-SUCH-BRANCH")
    work(rq_ctx)
    run = runs.get(rq_ctx, submitted[0].key)
    assert run.state == "failed" and run.attempts == 1 and "NotFound" in (run.error or "")
    assert [r.key for r in runs.recent(rq_ctx, state="failed")] == [submitted[0].key]


def _worker_process(ctx, pg_url: str, *, solution_limit: int | None, burst: bool) -> subprocess.Popen[bytes]:
    """A ``cli jobs worker`` process; without a ``solution_limit`` its search runs until it is killed."""
    env = {
        **os.environ,
        "DISPATCH_DATABASE_URL": pg_url,
        "DISPATCH_JOBS": "rq",
        "DISPATCH_REDIS_URL": ctx.settings.jobs.redis_url,
        "DISPATCH_QUEUE": ctx.settings.jobs.queue,
        "DISPATCH_PLAN_TIME_LIMIT_S": "120",
        "DISPATCH_PLAN_SOLUTION_LIMIT": "" if solution_limit is None else str(solution_limit),
        "DISPATCH_SOLVER_WORKERS": "1",
        "DISPATCH_JOB_RETRY_INTERVALS_S": "0,0",
    }
    command = [sys.executable, "-m", "cli", "jobs", "worker", *(["--burst"] if burst else [])]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def test_a_worker_killed_mid_plan_leaves_nothing_and_the_job_completes_once(rq_ctx, pg_url, almaty_graph) -> None:
    make_day(rq_ctx, almaty_graph, readers=8)
    submitted = submit_plans(rq_ctx, TUESDAY)
    key = submitted[0].key
    worker = _worker_process(rq_ctx, pg_url, solution_limit=None, burst=False)
    try:
        deadline = time.monotonic() + 120
        while runs.get(rq_ctx, key).stage != "solving":
            assert time.monotonic() < deadline, "the worker never reached the solver"
            assert worker.poll() is None, "the worker stopped"
            time.sleep(0.2)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    with rq_ctx.uow() as uow:
        assert uow.session.scalars(select(Plan)).all() == []
        statuses = {r.status.value for r in uow.session.scalars(select(DeliveryRequest))}
    assert statuses == {"scheduled"}
    # RQ's maintenance finds the job abandoned once its heartbeat has expired; here we look ahead an hour.
    StartedJobRegistry(queue=_queue(rq_ctx)).cleanup(timestamp=time.time() + 3600)
    assert runs.get(rq_ctx, key).state == "retrying"
    second = _worker_process(rq_ctx, pg_url, solution_limit=PLAN_SOLUTION_LIMIT, burst=True)
    assert second.wait(timeout=300) == 0
    run = runs.get(rq_ctx, key)
    assert run.state == "succeeded" and run.attempts == 2
    with rq_ctx.uow() as uow:
        assert len(uow.session.scalars(select(Plan)).all()) == 1
