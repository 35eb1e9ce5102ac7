"""Command-line tools for the day's work: couriers, planning, routes, stops, manifests, jobs and workers."""

from __future__ import annotations

import json
import sys
import time
import typing as t
from pathlib import Path

import click

from couriers import roster
from dispatch.cli_output import dump
from dispatch.cli_output import fail
from dispatch.errors import DispatchError
from dispatch.jobs import runs
from dispatch.jobs import tasks
from dispatch.manifests.build import build_manifest
from dispatch.planning import export
from dispatch.services import routes as route_service
from dispatch.services import standing_orders

if t.TYPE_CHECKING:
    from dispatch.bootstrap import Context

DAY = click.DateTime(["%Y-%m-%d"])


def register(cli: click.Group, pass_state: t.Callable[..., t.Any]) -> None:
    """Add this module's commands to the ``python -m dispatch`` group."""

    @cli.command("plan")
    @click.option("--date", "day", required=True, type=DAY, help="Service day, YYYY-MM-DD.")
    @click.option("--branch", default=None, help="Only this branch code (default: every branch with work).")
    @click.option(
        "--time-limit", type=float, default=None, help="Solver seconds per branch (default: DISPATCH_PLAN_TIME_LIMIT_S)."
    )
    @click.option(
        "--json",
        "json_out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the plans to this JSON file.",
    )
    @click.option("--no-wait", is_flag=True, help="With RQ workers: queue the jobs and return at once.")
    @pass_state
    def plan_command(
        state: t.Any, day: t.Any, branch: str | None, time_limit: float | None, json_out: Path | None, no_wait: bool
    ) -> None:
        """Plan a day: one job per branch (inline, or on RQ workers when DISPATCH_JOBS=rq)."""
        ctx: Context = state.ctx()
        try:
            submitted = tasks.submit_plans(ctx, day.date(), branch=branch, time_limit_s=time_limit, actor="cli")
        except DispatchError as e:
            fail(e, state.lang)
        if not submitted:
            click.echo(f"{day.date().isoformat()}: nothing to plan")
        keys = [s.key for s in submitted]
        if no_wait:
            for key in keys:
                click.echo(f"queued {key}")
            return
        final = wait_for_jobs(ctx, keys)
        failed = [run for run in final if run.state == "failed"]
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
        if failed:
            sys.exit(1)

    @cli.command("plan-versions")
    @click.option("--date", "day", required=True, type=DAY)
    @click.option("--branch", required=True)
    @pass_state
    def plan_versions_command(state: t.Any, day: t.Any, branch: str) -> None:
        """Every stored version of a branch's day and what changed in each."""
        dump(export.plan_versions(state.ctx(), day.date(), branch))

    @cli.command("couriers")
    @click.option("--branch", default=None)
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def couriers_command(state: t.Any, branch: str | None, as_json: bool) -> None:
        """List the in-house couriers (import them with import-couriers)."""
        found = roster.roster(state.ctx(), branch_code=branch)
        if as_json:
            dump([c.as_dict() for c in found])
            return
        for c in found:
            mark = "" if c.active else "  (off)"
            click.echo(
                f"{c.code:<10} {c.branch_code:<8} {c.shift}  {c.working_days:<20} {c.capacity_books:>3} books {c.capacity_kg:>5.1f} kg  {','.join(c.skills):<12} {c.full_name}{mark}"
            )

    @cli.command("courier-active")
    @click.argument("code")
    @click.option("--off", is_flag=True, help="Take the courier off the roster.")
    @pass_state
    def courier_active_command(state: t.Any, code: str, off: bool) -> None:
        """Put a courier on the roster, or take them off (--off)."""
        try:
            view = roster.set_active(state.ctx(), code, active=not off)
        except DispatchError as e:
            fail(e, state.lang)
        click.echo(f"{view.code}: {'active' if view.active else 'off'}")

    @cli.command("dispatch-route")
    @click.argument("route_id", type=int)
    @click.option("--actor", default="cli")
    @pass_state
    def dispatch_route_command(state: t.Any, route_id: int, actor: str) -> None:
        """Hand a planned route to its in-house courier (its stops stay pinned when the day is re-planned)."""
        try:
            dump(route_service.dispatch_route(state.ctx(), route_id, actor=actor))
        except DispatchError as e:
            fail(e, state.lang)

    @cli.command("stops")
    @click.argument("route_id", type=int)
    @pass_state
    def stops_command(state: t.Any, route_id: int) -> None:
        """A route's stops with their ids (to record outcomes)."""
        try:
            dump(route_service.route_stops(state.ctx(), route_id))
        except DispatchError as e:
            fail(e, state.lang)

    @cli.command("stop")
    @click.argument("stop_id", type=int)
    @click.argument("outcome", type=click.Choice(["delivered", "collected", "failed"]))
    @click.option(
        "--reason", type=click.Choice(["not_at_home", "wrong_address", "refused", "no_access", "books_not_ready", "other"])
    )
    @click.option("--actor", default="cli")
    @pass_state
    def stop_command(state: t.Any, stop_id: int, outcome: str, reason: str | None, actor: str) -> None:
        """Record what happened at a reader's door."""
        try:
            view = route_service.record_outcome(state.ctx(), stop_id, outcome, reason=reason, actor=actor)
        except DispatchError as e:
            fail(e, state.lang)
        tasks.flush_outbox(state.ctx())
        dump(view.__dict__)

    @cli.command("manifest")
    @click.argument("route_id", type=int)
    @click.option(
        "--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the printable PDF here."
    )
    @pass_state
    def manifest_command(state: t.Any, route_id: int, pdf_out: Path | None) -> None:
        """Print a route's manifest as JSON, and write its PDF with --pdf."""
        from dispatch.manifests.pdf import render_pdf

        try:
            manifest = build_manifest(state.ctx(), route_id, language=state.lang if state.lang in ("ru", "kk") else "ru")
        except DispatchError as e:
            fail(e, state.lang)
        if pdf_out is not None:
            pdf_out.parent.mkdir(parents=True, exist_ok=True)
            pdf_out.write_bytes(render_pdf(manifest))
            click.echo(f"PDF written to {pdf_out}", err=True)
        dump(manifest.as_dict())

    @cli.command("jobs")
    @click.option(
        "--state", "job_state", default=None, type=click.Choice(["queued", "running", "retrying", "succeeded", "failed"])
    )
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def jobs_command(state: t.Any, job_state: str | None, as_json: bool) -> None:
        """Recent background jobs with their stage, attempts and errors."""
        found = runs.recent(state.ctx(), state=job_state)
        if as_json:
            dump([run.as_dict() for run in found])
            return
        for run in found:
            click.echo(
                f"{run.updated_at[:19]}  {run.state:<9} {run.percent:>3}% {run.stage:<10} x{run.attempts}  {run.key}  {run.error or ''}"
            )

    @cli.command("run-due")
    @pass_state
    def run_due_command(state: t.Any) -> None:
        """Hand recorded jobs to RQ again (or run them inline when due): nothing recorded is ever dropped."""
        click.echo(f"handed over: {tasks.flush_outbox(state.ctx())}")

    @cli.command("standing-order")
    @click.option("--card", required=True)
    @click.option("--weekday", required=True, help="mon, tue, ...")
    @click.option("--every", "every_weeks", default=1, show_default=True, help="Every N weeks.")
    @click.option("--from", "first", required=True, type=DAY, help="First visit on or after this date.")
    @click.option("--window", default=None, help="HH:MM-HH:MM")
    @pass_state
    def standing_order_command(state: t.Any, card: str, weekday: str, every_weeks: int, first: t.Any, window: str | None) -> None:
        """Give a reader a regular visit (collect what falls due, bring what is held)."""
        try:
            dump(
                standing_orders.add_standing_order(
                    state.ctx(),
                    card_number=card,
                    weekday=weekday,
                    every_weeks=every_weeks,
                    first_date=first.date(),
                    window=window,
                )
            )
        except DispatchError as e:
            fail(e, state.lang)

    @cli.command("standing-orders")
    @click.option("--run", "run_now", is_flag=True, help="Create the requests of the coming week's visits now.")
    @pass_state
    def standing_orders_command(state: t.Any, run_now: bool) -> None:
        """List standing orders, or (--run) create the coming visits' requests."""
        if run_now:
            dump(standing_orders.create_due(state.ctx()))
            return
        dump(standing_orders.list_standing_orders(state.ctx()))

    @cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    @pass_state
    def worker_command(state: t.Any, burst: bool) -> None:
        """Run an RQ worker, with the scheduler, on the configured queue."""
        from dispatch.jobs.worker import run_worker

        run_worker(state.settings, burst=burst)

    @cli.command("cron")
    @pass_state
    def cron_command(state: t.Any) -> None:
        """Run RQ's cron scheduler with the periodic jobs (nightly planning, standing orders, the sweep)."""
        from dispatch.jobs.cron import run_cron

        run_cron(state.settings)


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
