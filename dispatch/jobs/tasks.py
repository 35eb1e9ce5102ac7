"""The jobs themselves: plan a branch's day, create a return pickup, run standing orders, plan tonight.

Each is idempotent by its key (see :mod:`dispatch.jobs.runner`); the periodic ones are declared for
``rq cron`` in :mod:`dispatch.jobs.cron`, and recorded jobs reach RQ through :mod:`dispatch.jobs.handover`.
"""

from __future__ import annotations

import hashlib
import logging
import typing as t
import uuid
from datetime import date

from dispatch.domain.scheduling import local_now
from dispatch.jobs.context import job_context
from dispatch.jobs.runner import Progress
from dispatch.jobs.runner import Submitted
from dispatch.jobs.runner import submit
from dispatch.jobs.runner import tracked
from dispatch.planning.service import branches_with_work
from dispatch.planning.service import plan_day
from dispatch.requests import standing_orders
from dispatch.returns import pickups as returns
from dispatch.sms import sender
from dispatch.sms.outbox import SMS_JOB

if t.TYPE_CHECKING:
    from dispatch.context import Context

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
