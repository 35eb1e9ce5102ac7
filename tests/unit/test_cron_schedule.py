"""The periodic jobs are registered with RQ's cron scheduler as the README says."""

from __future__ import annotations

from dispatch.jobs.cron import scheduler


def test_nightly_planning_standing_orders_and_the_sweep_are_scheduled(settings) -> None:
    jobs = {job.func.__name__: job for job in scheduler(settings).get_jobs()}
    assert set(jobs) == {"nightly_plan", "standing_orders_daily", "sweep"}
    assert jobs["nightly_plan"].cron == "0 15 * * *"
    assert jobs["sweep"].interval == 600
    assert {job.queue_name for job in jobs.values()} == {settings.jobs.queue}
