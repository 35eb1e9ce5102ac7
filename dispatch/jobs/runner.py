"""Submit jobs (to RQ, or inline for the demo) and run them tracked: progress, retries, final failure.

A job is a plain function taking a ``key`` and JSON-ready keyword arguments. :func:`tracked` records
each attempt in :mod:`dispatch.jobs.runs`; a transient error (database or Redis unreachable, a
timeout) is raised again so RQ retries it with backoff, while any other error ends the job at once.
A worker killed mid-job leaves its job in RQ's started registry; RQ's maintenance finds it abandoned
and retries it, and the job, being idempotent by its key, completes exactly once.
"""

from __future__ import annotations

import functools
import logging
import typing as t
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Callback
from rq import Queue
from rq import Retry
from rq import get_current_job
from rq.exceptions import AbandonedJobError
from sqlalchemy.exc import OperationalError

from dispatch.jobs import runs
from dispatch.jobs.context import job_context
from dispatch.jobs.context import running_in

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from rq.job import Job

    from dispatch.context import Context

log = logging.getLogger(__name__)
JobFunction = t.Callable[..., dict[str, t.Any]]


class TransientError(Exception):
    """A failure worth trying again later (a service briefly away), raised by job code on purpose."""


TRANSIENT: tuple[type[BaseException], ...] = (
    TransientError,
    OperationalError,
    RedisConnectionError,
    RedisTimeoutError,
    TimeoutError,
    ConnectionError,
)


class Progress:
    """Reports a job's stage and percent to the database (the console) and to RQ's job meta."""

    def __init__(self, ctx: Context, key: str) -> None:
        self.ctx, self.key = ctx, key

    def __call__(self, stage: str, percent: int) -> None:
        runs.progressed(self.ctx, self.key, stage, percent)
        job = get_current_job()
        if job is not None:
            job.meta.update({"stage": stage, "percent": percent})
            job.save_meta()  # type: ignore[no-untyped-call]


def tracked(kind: str) -> Callable[[Callable[..., dict[str, t.Any]]], JobFunction]:
    """Wrap a job body ``f(ctx, *, key, progress, **kwargs)`` into an RQ job function ``f(*, key, **kwargs)``."""

    def decorate(body: Callable[..., dict[str, t.Any]]) -> JobFunction:
        @functools.wraps(body)
        def run(*, key: str, **kwargs: t.Any) -> dict[str, t.Any]:
            ctx = job_context()
            runs.started(ctx, key, kind)
            try:
                result = body(ctx, key=key, progress=Progress(ctx, key), **kwargs)
            except Exception as e:
                transient = isinstance(e, TRANSIENT)
                job = get_current_job()
                if job is not None and not transient:
                    job.retries_left = 0  # a bad input does not get better by waiting
                final = not transient or job is None or not job.retries_left
                runs.failed(ctx, key, f"{type(e).__name__}: {e}", final=final)
                raise
            runs.succeeded(ctx, key, result)
            return result

        return run

    return decorate


def _abandoned(job: Job, connection: Redis, exc_type: type[BaseException], value: BaseException, tb: t.Any) -> None:
    """RQ's maintenance found the job's worker dead: record it (it is retried while retries are left)."""
    if not issubclass(exc_type, AbandonedJobError):
        return  # ordinary failures were recorded by the job itself
    key = job.kwargs.get("key")
    if key:
        runs.failed(job_context(), key, "worker died during the job (abandoned)", final=not job.retries_left)


@dataclass(frozen=True)
class Submitted:
    """A submitted job: its key, whether this call queued it, and its state now."""

    key: str
    queued: bool
    run: runs.JobView


def queue_for(ctx: Context) -> Queue:
    """The RQ queue named in the settings, on the configured Redis."""
    return Queue(ctx.settings.jobs.queue, connection=Redis.from_url(ctx.settings.jobs.redis_url))


def submit(ctx: Context, function: JobFunction, *, key: str, kind: str, at: datetime | None = None, **kwargs: t.Any) -> Submitted:
    """Queue ``function(key=key, **kwargs)`` once per key; inline mode runs it here and now (or records it for later)."""
    run, fresh = runs.register(ctx, key, kind, kwargs, run_at=at)
    if not fresh:
        return Submitted(key, queued=False, run=run)
    enqueue(ctx, function, key=key, at=at, **kwargs)
    return Submitted(key, queued=True, run=runs.get(ctx, key))


def enqueue(ctx: Context, function: JobFunction, *, key: str, at: datetime | None = None, **kwargs: t.Any) -> None:
    """Hand an already recorded job to RQ (or run it inline when it is due and the mode is inline)."""
    settings = ctx.settings.jobs
    if settings.mode == "inline":
        if at is None or at <= ctx.clock():
            try:
                with running_in(ctx):
                    function(key=key, **kwargs)
            except Exception:  # recorded by tracked(); the caller reads the run's state
                log.exception("job %s failed", key)
        return
    options: dict[str, t.Any] = {
        "job_id": rq_job_id(key),
        "kwargs": {"key": key, **kwargs},
        "retry": Retry(max=len(settings.retry_intervals_s), interval=list(settings.retry_intervals_s)),
        "job_timeout": settings.timeout_s,
        "on_failure": Callback(_abandoned),
        "failure_ttl": 30 * 24 * 3600,
        "result_ttl": 7 * 24 * 3600,
    }
    queue = queue_for(ctx)
    if at is not None and at > ctx.clock():
        queue.enqueue_at(at, function, **options)
    else:
        queue.enqueue(function, **options)


def rq_job_id(key: str) -> str:
    """RQ's id for our job key (RQ allows letters, digits, dashes and underscores)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in key)[:180]
