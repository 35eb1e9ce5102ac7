"""Command-line tools for Yandex Delivery: price and book the day's Yandex routes, poll the journal, cancel."""

from __future__ import annotations

import sys
import typing as t

import click
from sqlalchemy import select

from dispatch.cli_days import DAY
from dispatch.cli_days import wait_for_jobs
from dispatch.cli_output import dump
from dispatch.cli_output import fail
from dispatch.errors import DispatchError
from dispatch.jobs import yandex_jobs
from dispatch.jobs.runner import TransientError
from dispatch.models import YandexClaim
from dispatch.yandex import booking
from dispatch.yandex import tracking

if t.TYPE_CHECKING:
    from dispatch.bootstrap import Context


def register(cli: click.Group, pass_state: t.Callable[..., t.Any]) -> None:
    """Add this module's commands to the ``python -m dispatch`` group."""

    @cli.command("dispatch")
    @click.option("--date", "day", required=True, type=DAY, help="Service day, YYYY-MM-DD.")
    @click.option("--branch", default=None, help="Only this branch code.")
    @click.option("--confirm", is_flag=True, help="Book routes estimated above DISPATCH_YANDEX_CONFIRM_ABOVE_KZT too.")
    @click.option("--quote", "quote_only", is_flag=True, help="Only show Yandex's price for each route; book nothing.")
    @pass_state
    def dispatch_command(state: t.Any, day: t.Any, branch: str | None, confirm: bool, quote_only: bool) -> None:
        """Book the day's Yandex routes as Yandex Delivery claims (YANDEX_BASE_URL, YANDEX_TOKEN)."""
        ctx: Context = state.ctx()
        route_ids = yandex_jobs.bookable_routes(ctx, day.date(), branch)
        if not route_ids:
            click.echo(f"{day.date().isoformat()}: no Yandex routes to book")
            return
        try:
            for route_id in route_ids:
                quote = booking.quote_route(ctx, route_id)
                over = "  above the limit: needs --confirm" if quote.needs_confirmation else ""
                click.echo(f"route {route_id}: {quote.claims} claim(s), estimate {quote.estimate_kzt} KZT{over}")
        except (DispatchError, TransientError) as e:
            fail(e if isinstance(e, DispatchError) else DispatchError("yandex_unreachable", detail=str(e)), state.lang)
        if quote_only:
            return
        submitted = yandex_jobs.submit_bookings(ctx, day.date(), branch=branch, confirm=confirm, actor="cli")
        final = wait_for_jobs(ctx, [s.key for s in submitted])
        for run in final:
            if run.state == "succeeded":
                result = run.result
                click.echo(f"route {result['route_id']}: {result['claims']} claim(s) booked, {result['accepted']} accepted")
            else:
                click.echo(f"{run.key}: {run.state}: {run.error}", err=True)
        if any(run.state == "failed" for run in final):
            sys.exit(1)

    @cli.command("sync")
    @pass_state
    def sync_command(state: t.Any) -> None:
        """Read Yandex's claims journal once and apply every change (the cron process does this periodically)."""
        try:
            dump(tracking.sync_journal(state.ctx()))
        except DispatchError as e:
            fail(e, state.lang)

    @cli.command("yandex-cancel")
    @click.argument("route_id", type=int)
    @pass_state
    def cancel_command(state: t.Any, route_id: int) -> None:
        """Cancel a route's Yandex claims (free or paid, as Yandex says) and give its requests back to planning."""
        try:
            dump(booking.cancel_route(state.ctx(), route_id, actor="cli"))
        except DispatchError as e:
            fail(e, state.lang)

    @cli.command("yandex-claims")
    @click.option("--route", "route_id", type=int, default=None)
    @pass_state
    def claims_command(state: t.Any, route_id: int | None) -> None:
        """Claims with every status seen and when (all of them, or one route's)."""
        ctx: Context = state.ctx()
        with ctx.uow() as uow:
            query = select(YandexClaim).order_by(YandexClaim.id)
            if route_id is not None:
                query = query.where(YandexClaim.route_id == route_id)
            dump([claim_document(row) for row in uow.session.scalars(query)])


def claim_document(row: YandexClaim) -> dict[str, t.Any]:
    """A claim row as plain data: ids, status, prices, problem and the statuses seen."""
    return {
        "id": row.id,
        "route_id": row.route_id,
        "direction": row.direction,
        "claim_id": row.claim_id,
        "status": row.status,
        "estimate_kzt": row.estimate_kzt,
        "final_price_kzt": row.final_price_kzt,
        "cancel_state": row.cancel_state,
        "problem": row.problem,
        "tracking_links": row.tracking_links,
        "events": [{"status": e.status, "at": e.seen_at.isoformat(), "source": e.source} for e in row.events],
    }
