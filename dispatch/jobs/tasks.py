"""The jobs themselves: plan a branch's day, create a return pickup, run standing orders, plan tonight.

Each is idempotent by its key (see :mod:`dispatch.jobs.runner`); the periodic ones are declared for
``rq cron`` in :mod:`dispatch.jobs.cron`.
"""

from __future__ import annotations

import hashlib
import logging
import typing as t
import uuid
from datetime import date

from sqlalchemy import select

from dispatch.domain.scheduling import local_now
from dispatch.domain.statuses import JobState
from dispatch.jobs.context import job_context
from dispatch.jobs.runner import TRANSIENT
from dispatch.jobs.runner import Progress
from dispatch.jobs.runner import Submitted
from dispatch.jobs.runner import enqueue
from dispatch.jobs.runner import submit
from dispatch.jobs.runner import tracked
from dispatch.models import JobRun
from dispatch.planning.service import branches_with_work
from dispatch.planning.service import plan_day
from dispatch.services import returns
from dispatch.services import standing_orders
from dispatch.sms import sender
from dispatch.sms.outbox import SMS_JOB

if t.TYPE_CHECKING:
    from dispatch.bootstrap import Context

PLAN_JOB = "plan"
log = logging.getLogger(__name__)


@tracked(PLAN_JOB)
def plan_branch(
    ctx: Context, *, key: str, progress: Progress, branch: str, day: str, time_limit_s: float | None = None, actor: str = "system"
) -> dict[str, t.Any]:
    """Plan one branch's day; the job key is the plan's run key, so a rerun stores nothing new."""
    summary = plan_day(
        ctx, date.fromisoformat(day), branch, time_limit_s=time_limit_s, actor=actor, run_key=_run_key(key), progress=progress
    )
    return summary.as_dict()


def _run_key(key: str) -> str:
    """A plan's run key (64 characters at most) from its job key."""
    return hashlib.sha256(key.encode()).hexdigest()


def submit_plans(
    ctx: Context, day: date, *, branch: str | None = None, time_limit_s: float | None = None, actor: str = "system"
) -> list[Submitted]:
    """One planning job per branch (in parallel on as many workers as run); each call is a new planning run."""
    branches = [branch] if branch else branches_with_work(ctx, day)
    nonce = uuid.uuid4().hex[:12]
    return [
        submit(
            ctx,
            plan_branch,
            key=f"plan:{code}:{day.isoformat()}:{nonce}",
            kind=PLAN_JOB,
            branch=code,
            day=day.isoformat(),
            time_limit_s=time_limit_s,
            actor=actor,
        )
        for code in branches
    ]


@tracked(returns.RETURN_JOB)
def create_return_pickup(ctx: Context, *, key: str, progress: Progress, delivery_id: int) -> dict[str, t.Any]:
    """Create the return pickup of a delivered request (scheduled before its loans fall due)."""
    progress("intake", 50)
    return returns.create_return_pickup(ctx, delivery_id)


@tracked("standing_orders")
def run_standing_orders(ctx: Context, *, key: str, progress: Progress, days_ahead: int = 7) -> dict[str, t.Any]:
    """Create the requests of every standing order's visits in the coming ``days_ahead`` days."""
    return standing_orders.create_due(ctx, days_ahead=days_ahead)


@tracked(SMS_JOB)
def send_sms(ctx: Context, *, key: str, progress: Progress, message_id: int) -> dict[str, t.Any]:
    """Send one queued SMS (at most once, whatever happens to the job)."""
    return sender.send_message(ctx, message_id)


JOBS_BY_KIND = {
    returns.RETURN_JOB: create_return_pickup,
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
    from rq.job import Job

    from dispatch.jobs.runner import queue_for
    from dispatch.jobs.runner import rq_job_id

    return Job.exists(rq_job_id(key), connection=queue_for(ctx).connection)


def sweep() -> dict[str, int]:
    """Periodic: hand over outbox jobs that never reached RQ."""
    return {"handed": flush_outbox(job_context())}


def nightly_plan() -> dict[str, t.Any]:
    """Periodic (evening): plan the next working day for every branch with work, one job per branch."""
    ctx = job_context()
    today = local_now(ctx.clock(), ctx.settings.schedule).date()
    day = ctx.calendar.next_working_day(today)
    submitted = submit_plans(ctx, day, actor="system:nightly")
    return {"day": day.isoformat(), "jobs": [s.key for s in submitted]}


def standing_orders_daily() -> dict[str, t.Any]:
    """Periodic (early morning): queue the standing-orders job for today."""
    ctx = job_context()
    today = local_now(ctx.clock(), ctx.settings.schedule).date()
    submitted = submit(ctx, run_standing_orders, key=f"standing:{today.isoformat()}", kind="standing_orders")
    return {"key": submitted.key, "queued": submitted.queued}
