"""Run an RQ worker (with its scheduler, for retries and jobs queued for later) on the configured queue."""

from __future__ import annotations

import typing as t

from redis import Redis
from rq import Queue
from rq import Worker

from dispatch.jobs.context import use_context
from dispatch.jobs.handover import start
from dispatch.planning.streets import warm_up

if t.TYPE_CHECKING:
    from dispatch.config import Settings


def run_worker(settings: Settings, *, burst: bool = False) -> None:
    """Work the queue; the context and the street graph are made first, so every forked job shares them."""
    use_context(start(settings, migrate=False))
    warm_up(settings.osm_path, settings.planning.snap_max_m)
    connection = Redis.from_url(settings.jobs.redis_url)
    worker = Worker([Queue(settings.jobs.queue, connection=connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=True)
