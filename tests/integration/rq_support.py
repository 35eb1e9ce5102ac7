"""Real RQ for the integration tests: a context switched to its own queue, and a worker that drains it."""

from __future__ import annotations

import os
import signal
import typing as t
import uuid
from dataclasses import replace

from redis import Redis
from rq import Queue
from rq import Worker

from dispatch.jobs.context import use_context

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from dispatch.context import Context

REDIS_URL = os.environ.get("DISPATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def rq_context(ctx: Context) -> Iterator[Context]:
    """``ctx`` switched to RQ on its own queue, with retries immediate (no waiting in tests); the queue is removed after."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    jobs = replace(ctx.settings.jobs, mode="rq", redis_url=REDIS_URL, queue=queue, retry_intervals_s=(0, 0))
    ctx.settings = replace(ctx.settings, jobs=jobs, planning=replace(ctx.settings.planning, solver_workers=1))
    use_context(ctx)
    connection = Redis.from_url(REDIS_URL)
    try:
        yield ctx
    finally:
        use_context(None)
        for key in connection.scan_iter(f"rq:*{queue}*"):
            connection.delete(key)


def work(ctx: Context) -> None:
    """A real RQ worker (forking a work horse per job) that stops when the queue is empty.

    The worker installs its own SIGINT and SIGTERM handlers in this process; they are put back after,
    or later tests' process pools could no longer terminate their children.
    """
    connection = Redis.from_url(ctx.settings.jobs.redis_url)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        Worker([Queue(ctx.settings.jobs.queue, connection=connection)], connection=connection).work(
            burst=True, with_scheduler=True
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
