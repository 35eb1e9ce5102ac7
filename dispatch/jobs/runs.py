"""Job runs as the dispatcher sees them, kept in the database: queued, running, retrying, done or failed.

Each change is its own short transaction, so progress is visible while the job's own work is still
uncommitted, and a failure stays on record after Redis has forgotten the job.
"""

from __future__ import annotations

import typing as t
from dataclasses import asdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispatch.domain.statuses import JobState
from dispatch.models import JobRun
from dispatch.uow import OUTBOX

if t.TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from dispatch.context import Context


@dataclass(frozen=True)
class JobView:
    """A job run as plain data (for the CLI, the console and tests)."""

    key: str
    kind: str
    state: str
    stage: str
    percent: int
    attempts: int
    error: str | None
    result: dict[str, t.Any]
    run_at: str | None
    updated_at: str

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)


def view(run: JobRun) -> JobView:
    """A stored run as :class:`JobView`."""
    return JobView(
        key=run.key,
        kind=run.kind,
        state=run.state.value,
        stage=run.stage,
        percent=run.percent,
        attempts=run.attempts,
        error=run.error,
        result=dict(run.result or {}),
        run_at=run.run_at.isoformat() if run.run_at else None,
        updated_at=run.updated_at.isoformat(),
    )


def register(
    ctx: Context, key: str, kind: str, arguments: dict[str, t.Any], run_at: datetime | None = None
) -> tuple[JobView, bool]:
    """Record a job about to be queued; ``False`` when the key is already queued, running or done.

    A key whose last run failed is queued again (a person or the sweeper asked for another try).
    """
    with ctx.uow() as uow:
        run = uow.session.execute(select(JobRun).where(JobRun.key == key).with_for_update()).scalar_one_or_none()
        if run is not None and run.state is not JobState.FAILED:
            return view(run), False
        if run is None:
            run = JobRun(key=key, kind=kind, arguments=arguments, run_at=run_at)
            uow.session.add(run)
        run.state, run.stage, run.percent, run.error = JobState.QUEUED, "", 0, None
        try:
            uow.commit()
        except IntegrityError:  # registered concurrently by someone else
            uow.rollback()
            return get(ctx, key), False
        return view(run), True


def add_in(session: Session, key: str, kind: str, arguments: dict[str, t.Any], run_at: datetime | None) -> bool:
    """Record a job inside the caller's transaction (the outbox): it exists exactly when their change does."""
    exists = session.execute(select(JobRun.id).where(JobRun.key == key)).first()
    if exists is not None:
        return False
    session.add(JobRun(key=key, kind=kind, arguments=arguments, run_at=run_at, state=JobState.QUEUED))
    session.info.setdefault(OUTBOX, []).append(key)
    return True


def get(ctx: Context, key: str) -> JobView:
    """The run recorded under ``key``."""
    with ctx.uow() as uow:
        return view(uow.session.execute(select(JobRun).where(JobRun.key == key)).scalar_one())


def _update(ctx: Context, key: str, **values: t.Any) -> None:
    with ctx.uow() as uow:
        run = uow.session.execute(select(JobRun).where(JobRun.key == key)).scalar_one_or_none()
        if run is None:
            run = JobRun(key=key, kind=values.pop("kind", "job"), arguments={})
            uow.session.add(run)
        values.pop("kind", None)
        attempts = values.pop("add_attempt", False)
        for name, value in values.items():
            setattr(run, name, value)
        if attempts:
            run.attempts += 1
        uow.commit()


def started(ctx: Context, key: str, kind: str) -> None:
    """A worker took the job (again)."""
    _update(ctx, key, kind=kind, state=JobState.RUNNING, stage="started", percent=0, error=None, add_attempt=True)


def progressed(ctx: Context, key: str, stage: str, percent: int) -> None:
    """The job reached ``stage`` (``percent`` of the way)."""
    _update(ctx, key, stage=stage, percent=max(0, min(100, percent)))


def succeeded(ctx: Context, key: str, result: dict[str, t.Any]) -> None:
    """The job finished; ``result`` is what it reports."""
    _update(ctx, key, state=JobState.SUCCEEDED, stage="done", percent=100, result=result, error=None)


def failed(ctx: Context, key: str, error: str, *, final: bool) -> None:
    """The attempt failed; ``final`` when no retry will follow (the dispatcher must look)."""
    _update(ctx, key, state=JobState.FAILED if final else JobState.RETRYING, error=error[:2000])


def recent(ctx: Context, *, limit: int = 50, state: str | None = None) -> list[JobView]:
    """The latest runs, newest first, optionally only those in ``state``."""
    with ctx.uow() as uow:
        query = select(JobRun).order_by(JobRun.updated_at.desc(), JobRun.id.desc()).limit(limit)
        if state:
            query = query.where(JobRun.state == JobState(state))
        return [view(run) for run in uow.session.scalars(query)]
