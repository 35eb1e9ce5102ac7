"""``python -m cli jobs …``: background jobs as the dispatcher follows them, the RQ worker and the cron process."""

from __future__ import annotations

import time
import typing as t

import click

from cli.output import Group
from cli.output import dump
from cli.state import State
from cli.state import pass_state
from couriers.yandex.jobs import periodic as yandex_periodic
from dispatch.jobs import handover
from dispatch.jobs import runs
from dispatch.jobs.cron import run_cron
from dispatch.jobs.worker import run_worker

if t.TYPE_CHECKING:
    from dispatch.context import Context


@click.group("jobs", cls=Group)
def group() -> None:
    """Background jobs: follow them, hand recorded ones over again, run a worker or the cron process."""


@group.command("list")
@click.option("--state", "job_state", default=None, type=click.Choice(["queued", "running", "retrying", "succeeded", "failed"]))
@click.option("--json", "as_json", is_flag=True)
@pass_state
def list_command(state: State, job_state: str | None, as_json: bool) -> None:
    """Recent background jobs with their stage, attempts and errors."""
    found = runs.recent(state.ctx(), state=job_state)
    if as_json:
        dump([run.as_dict() for run in found])
        return
    for run in found:
        click.echo(
            f"{run.updated_at[:19]}  {run.state:<9} {run.percent:>3}% {run.stage:<10} x{run.attempts}  {run.key}  {run.error or ''}"
        )


@group.command("run-due")
@pass_state
def run_due_command(state: State) -> None:
    """Hand recorded jobs to RQ again (or run them inline when due): nothing recorded is ever dropped."""
    click.echo(f"handed over: {handover.flush_outbox(state.ctx())}")


@group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@pass_state
def worker_command(state: State, burst: bool) -> None:
    """Run an RQ worker, with the scheduler, on the configured queue."""
    run_worker(state.settings, burst=burst)


@group.command("cron")
@pass_state
def cron_command(state: State) -> None:
    """Run RQ's cron scheduler: nightly planning, standing orders, the sweep, and the Yandex journal when configured."""
    run_cron(state.settings, yandex_periodic(state.settings))


def wait_for_jobs(ctx: Context, keys: list[str]) -> list[runs.JobView]:
    """Follow the jobs until each succeeded or finally failed, printing stage changes."""
    seen: dict[str, tuple[str, int]] = {}
    while True:
        current = [runs.get(ctx, key) for key in keys]
        for run in current:
            mark = (run.stage, run.percent)
            if seen.get(run.key) != mark:
                seen[run.key] = mark
                click.echo(f"  {run.key}: {run.state} {run.stage} {run.percent}%", err=True)
        if all(run.state in ("succeeded", "failed") for run in current):
            return current
        time.sleep(0.5)
