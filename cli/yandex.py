"""``python -m cli yandex …``: price and book the day's Yandex routes, read the claims journal, cancel, list claims."""

from __future__ import annotations

import sys
import typing as t

import click

from cli.jobs import wait_for_jobs
from cli.output import Group
from cli.output import dump
from cli.state import DAY
from cli.state import State
from cli.state import pass_state
from couriers.yandex import booking
from couriers.yandex import jobs as yandex_jobs
from couriers.yandex import tracking
from dispatch.errors import DispatchError
from dispatch.jobs.runner import TransientError

if t.TYPE_CHECKING:
    from datetime import datetime


@click.group("yandex", cls=Group)
def group() -> None:
    """Yandex Delivery (YANDEX_BASE_URL, YANDEX_TOKEN): book routes as claims, follow them, cancel them."""


@group.command("book")
@click.option("--date", "day", required=True, type=DAY, help="Service day, YYYY-MM-DD.")
@click.option("--branch", default=None, help="Only this branch code.")
@click.option("--confirm", is_flag=True, help="Book routes estimated above DISPATCH_YANDEX_CONFIRM_ABOVE_KZT too.")
@click.option("--quote", "quote_only", is_flag=True, help="Only show Yandex's price for each route; book nothing.")
@pass_state
def book_command(state: State, day: datetime, branch: str | None, confirm: bool, quote_only: bool) -> None:
    """Book the day's Yandex routes as Yandex Delivery claims, after showing each one's price."""
    ctx = state.ctx()
    route_ids = yandex_jobs.bookable_routes(ctx, day.date(), branch)
    if not route_ids:
        click.echo(f"{day.date().isoformat()}: no Yandex routes to book")
        return
    for route_id in route_ids:
        try:
            quote = booking.quote_route(ctx, route_id)
        except TransientError as e:  # a job would retry; a person at the terminal is told at once
            raise DispatchError("yandex_unreachable", detail=str(e)) from e
        over = "  above the limit: needs --confirm" if quote.needs_confirmation else ""
        click.echo(f"route {route_id}: {quote.claims} claim(s), estimate {quote.estimate_kzt} KZT{over}")
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


@group.command("sync")
@pass_state
def sync_command(state: State) -> None:
    """Read Yandex's claims journal once and apply every change (the cron process does this periodically)."""
    dump(tracking.sync_journal(state.ctx()))


@group.command("cancel")
@click.argument("route_id", type=int)
@pass_state
def cancel_command(state: State, route_id: int) -> None:
    """Cancel a route's Yandex claims (free or paid, as Yandex says) and give its requests back to planning."""
    dump(booking.cancel_route(state.ctx(), route_id, actor="cli"))


@group.command("claims")
@click.option("--route", "route_id", type=int, default=None)
@pass_state
def claims_command(state: State, route_id: int | None) -> None:
    """Claims with every status seen and when (all of them, or one route's)."""
    dump(tracking.claims(state.ctx(), route_id=route_id))
