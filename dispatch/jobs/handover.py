"""Recorded jobs on their way to RQ: each commit hands over its own, and a periodic sweep the ones lost on the way.

:func:`connect` puts :func:`hand_over` on a context's commits. Entry points (web, CLI, worker, demo)
build their context with :func:`start`, so the context module never imports the jobs, which import
every service.
"""

from __future__ import annotations

import logging
import typing as t

from rq.job import Job
from sqlalchemy import select

from dispatch.bootstrap import bootstrap
from dispatch.domain.statuses import JobState
from dispatch.jobs.context import job_context
from dispatch.jobs.runner import TRANSIENT
from dispatch.jobs.runner import enqueue
from dispatch.jobs.runner import queue_for
from dispatch.jobs.runner import rq_job_id
from dispatch.jobs.tasks import PLAN_JOB
from dispatch.jobs.tasks import create_return_pickup
from dispatch.jobs.tasks import plan_branch
from dispatch.jobs.tasks import run_standing_orders
from dispatch.jobs.tasks import send_sms
from dispatch.models import JobRun
from dispatch.returns.pickups import RETURN_JOB
from dispatch.sms.outbox import SMS_JOB

if t.TYPE_CHECKING:
    from dispatch.config import Settings
    from dispatch.context import Context

log = logging.getLogger(__name__)

JOBS_BY_KIND = {
    RETURN_JOB: create_return_pickup,
    PLAN_JOB: plan_branch,
    "standing_orders": run_standing_orders,
    SMS_JOB: send_sms,
}


def flush_outbox(ctx: Context) -> int:
    """Hand to RQ (or run inline, when due) every recorded job still waiting; returns how many.

    Each commit hands over its own jobs (:meth:`Context.uow`); this periodic sweep hands over again
    any whose hand-over was lost to a crash or an unreachable Redis. RQ ids are the job keys, so a
    repeat replaces, never doubles.
    """
    with ctx.uow() as uow:
        waiting = list(
            uow.session.scalars(
                select(JobRun.key).where(
                    JobRun.state == JobState.QUEUED, JobRun.kind.in_(list(JOBS_BY_KIND)), JobRun.kind != PLAN_JOB
                )
            )
        )
    return hand_over(ctx, waiting, skip_known=True)


def hand_over(ctx: Context, keys: list[str], *, skip_known: bool = False) -> int:
    """Hand the recorded jobs ``keys`` to RQ (or run them inline when due); a failure is logged for the sweep."""
    handed = 0
    for key in keys:
        with ctx.uow() as uow:
            run = uow.session.scalars(select(JobRun).where(JobRun.key == key)).one_or_none()
            if run is None or run.state is not JobState.QUEUED or run.kind not in JOBS_BY_KIND or run.kind == PLAN_JOB:
                continue  # planning runs are queued by whoever asked for them
            kind, arguments, run_at = run.kind, dict(run.arguments), run.run_at
        try:
            if skip_known and ctx.settings.jobs.mode == "rq" and _known_to_rq(ctx, key):
                continue
            enqueue(ctx, JOBS_BY_KIND[kind], key=key, at=run_at, **arguments)
        except TRANSIENT:
            log.warning("job %s not handed over now; the sweep will try again", key, exc_info=True)
            continue
        handed += 1
    return handed


def _known_to_rq(ctx: Context, key: str) -> bool:
    return Job.exists(rq_job_id(key), connection=queue_for(ctx).connection)


def connect(ctx: Context) -> Context:
    """Make every commit on ``ctx`` hand the jobs it recorded to RQ (or run them inline, when due)."""
    ctx.after_commit = hand_over
    return ctx


def start(settings: Settings | None = None, *, migrate: bool = True, **engine_options: t.Any) -> Context:
    """The context an entry point works in: :func:`dispatch.bootstrap.bootstrap` with the job hand-over on."""
    return connect(bootstrap(settings, migrate=migrate, **engine_options))


def sweep() -> dict[str, int]:
    """Periodic: hand over outbox jobs that never reached RQ."""
    return {"handed": flush_outbox(job_context())}
