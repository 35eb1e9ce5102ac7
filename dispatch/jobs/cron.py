"""Periodic work for ``rq cron`` (``python -m dispatch cron``): times are UTC (Almaty is UTC+5).

* 15:00 UTC (20:00 in Almaty): plan the next working day for every branch with work.
* 01:00 UTC (06:00): create the coming week's standing-order requests.
* every 10 minutes: hand over recorded jobs that never reached RQ (the outbox sweep).
* every ``DISPATCH_YANDEX_SYNC_EVERY_S`` (60 s): read Yandex Delivery's claims journal, when configured.
"""

from __future__ import annotations

import typing as t

from redis import Redis
from rq.cron import CronScheduler

from dispatch.jobs import tasks
from dispatch.jobs import yandex_jobs

if t.TYPE_CHECKING:
    from dispatch.config import Settings

SCHEDULE: tuple[tuple[t.Callable[..., t.Any], dict[str, t.Any]], ...] = (
    (tasks.nightly_plan, {"cron": "0 15 * * *"}),
    (tasks.standing_orders_daily, {"cron": "0 1 * * *"}),
    (tasks.sweep, {"interval": 600}),
)


def scheduler(settings: Settings) -> CronScheduler:
    """A cron scheduler with every periodic job registered on the configured queue."""
    cron = CronScheduler(connection=Redis.from_url(settings.jobs.redis_url))
    for function, when in SCHEDULE:
        cron.register(function, settings.jobs.queue, job_timeout=settings.jobs.timeout_s, **when)
    if settings.yandex.enabled:
        cron.register(
            yandex_jobs.sync_yandex,
            settings.jobs.queue,
            job_timeout=settings.jobs.timeout_s,
            interval=settings.yandex.sync_every_s,
        )
    return cron


def run_cron(settings: Settings) -> None:
    """Run until stopped (SIGINT or SIGTERM)."""
    scheduler(settings).start()  # type: ignore[no-untyped-call]
