"""``python -m cli planning …``: a day's batches per branch, planning them into routes, and the stored versions."""

from __future__ import annotations

import json
import sys
import typing as t
from pathlib import Path

import click

from cli.jobs import wait_for_jobs
from cli.output import Group
from cli.output import dump
from cli.state import DAY
from cli.state import State
from cli.state import pass_state
from dispatch.jobs import tasks
from dispatch.planning import batches as batch_service
from dispatch.planning import export

if t.TYPE_CHECKING:
    from datetime import date
    from datetime import datetime


@click.group("planning", cls=Group)
def group() -> None:
    """A day's work per branch, planned into courier routes by the solver."""


@group.command("batches")
@click.option("--date", "day", required=True, type=DAY, help="Service day, YYYY-MM-DD.")
@click.option("--branch", default=None, help="Only this branch code.")
@click.option("--json", "as_json", is_flag=True, help="Print the batches as JSON.")
@pass_state
def batches_command(state: State, day: datetime, branch: str | None, as_json: bool) -> None:
    """List, per branch, the requests to be planned on a day."""
    found = batch_service.batches_for(state.ctx(), day.date(), branch_code=branch)
    if as_json:
        dump({"date": day.date().isoformat(), "branches": batch_service.as_dicts(found)})
        return
    print_batches(day.date(), found)


def print_batches(day: date, found: list[batch_service.BranchBatch]) -> None:
    """Human-readable listing of a day's batches."""
    total = sum(len(batch.requests) for batch in found)
    click.echo(f"{day.isoformat()}: {total} requests in {len(found)} branches")
    for batch in found:
        click.echo(
            f"\n{batch.branch_code}  {batch.branch_name}: {batch.deliveries} deliveries, {batch.pickups} pickups, {batch.items} books"
        )
        for entry in batch.requests:
            click.echo(
                f"  #{entry.id:<5} {entry.kind:<13} {entry.window}  {entry.card_number}  {entry.reader_name}, {entry.address}  [{', '.join(entry.items)}]"
            )


@group.command("plan")
@click.option("--date", "day", required=True, type=DAY, help="Service day, YYYY-MM-DD.")
@click.option("--branch", default=None, help="Only this branch code (default: every branch with work).")
@click.option("--time-limit", type=float, default=None, help="Solver seconds per branch (default: DISPATCH_PLAN_TIME_LIMIT_S).")
@click.option(
    "--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the plans to this JSON file."
)
@click.option("--no-wait", is_flag=True, help="With RQ workers: queue the jobs and return at once.")
@pass_state
def plan_command(
    state: State, day: datetime, branch: str | None, time_limit: float | None, json_out: Path | None, no_wait: bool
) -> None:
    """Plan a day: one job per branch (inline, or on RQ workers when DISPATCH_JOBS=rq)."""
    ctx = state.ctx()
    submitted = tasks.submit_plans(ctx, day.date(), branch=branch, time_limit_s=time_limit, actor="cli")
    if not submitted:
        click.echo(f"{day.date().isoformat()}: nothing to plan")
    keys = [s.key for s in submitted]
    if no_wait:
        for key in keys:
            click.echo(f"queued {key}")
        return
    final = wait_for_jobs(ctx, keys)
    for run in final:
        result = run.result
        if run.state == "succeeded":
            status = "new version" if result.get("created") else "unchanged"
            click.echo(
                f"{result.get('branch_code')}: v{result.get('version')} ({status}), {result.get('routes')} routes, "
                f"{result.get('stops')} stops, {result.get('unassigned')} unassigned"
            )
        else:
            click.echo(f"{run.key}: {run.state}: {run.error}", err=True)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        document = export.day_document(ctx, day.date(), branch_code=branch)
        json_out.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        click.echo(f"plans written to {json_out}")
    if any(run.state == "failed" for run in final):
        sys.exit(1)


@group.command("versions")
@click.option("--date", "day", required=True, type=DAY)
@click.option("--branch", required=True)
@pass_state
def versions_command(state: State, day: datetime, branch: str) -> None:
    """Every stored version of a branch's day and what changed in each."""
    dump(export.plan_versions(state.ctx(), day.date(), branch))
