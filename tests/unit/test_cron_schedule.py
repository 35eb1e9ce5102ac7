"""The periodic jobs are registered with RQ's cron scheduler as the README says."""

from __future__ import annotations

from couriers.yandex.jobs import periodic
from dispatch.jobs.cron import scheduler


def test_nightly_planning_standing_orders_and_the_sweep_are_scheduled(settings) -> None:
    jobs = {job.func.__name__: job for job in scheduler(settings, periodic(settings)).get_jobs()}
    assert set(jobs) == {"nightly_plan", "standing_orders_daily", "sweep"}
    assert jobs["nightly_plan"].cron == "0 15 * * *"
    assert jobs["sweep"].interval == 600
    assert {job.queue_name for job in jobs.values()} == {settings.jobs.queue}


def test_the_yandex_journal_is_polled_only_when_yandex_is_configured(settings) -> None:
    import dataclasses

    from dispatch.config import YandexSettings

    configured = dataclasses.replace(settings, yandex=YandexSettings(base_url="http://127.0.0.1:9", token="t", sync_every_s=45))
    jobs = {job.func.__name__: job for job in scheduler(configured, periodic(configured)).get_jobs()}
    assert jobs["sync_yandex"].interval == 45
    assert "sync_yandex" not in {job.func.__name__ for job in scheduler(settings, periodic(settings)).get_jobs()}
