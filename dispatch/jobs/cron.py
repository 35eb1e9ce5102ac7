"""Periodic work for ``rq cron`` (``python -m cli cron``): times are UTC (Almaty is UTC+5).

* 15:00 UTC (20:00 in Almaty): plan the next working day for every branch with work.
* 01:00 UTC (06:00): create the coming week's standing-order requests.
* every 10 minutes: hand over recorded jobs that never reached RQ (the outbox sweep).

Other areas add their own periodic jobs (the Yandex journal: :func:`couriers.yandex.jobs.periodic`);
the ``cron`` command puts them all on one scheduler.
"""

from __future__ import annotations

import typing as t

from redis import Redis
from rq.cron import CronScheduler

from dispatch.jobs import handover
from dispatch.jobs import tasks

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from dispatch.config import Settings

Periodic = tuple[t.Callable[..., t.Any], dict[str, t.Any]]
"""A job function and when it runs: ``{"cron": "0 15 * * *"}`` or ``{"interval": seconds}``."""

SCHEDULE: tuple[Periodic, ...] = (
    (tasks.nightly_plan, {"cron": "0 15 * * *"}),
    (tasks.standing_orders_daily, {"cron": "0 1 * * *"}),
    (handover.sweep, {"interval": 600}),
)


def scheduler(settings: Settings, extra: Iterable[Periodic] = ()) -> CronScheduler:
    """A cron scheduler with dispatch's periodic jobs and ``extra`` registered on the configured queue."""
    cron = CronScheduler(connection=Redis.from_url(settings.jobs.redis_url))
    for function, when in (*SCHEDULE, *extra):
        cron.register(function, settings.jobs.queue, job_timeout=settings.jobs.timeout_s, **when)
    return cron


def run_cron(settings: Settings, extra: Iterable[Periodic] = ()) -> None:
    """Run until stopped (SIGINT or SIGTERM)."""
    scheduler(settings, extra).start()  # type: ignore[no-untyped-call]
