"""``python -m cli requests …``: take a request, move it along its state machine, read its trail, standing orders."""

from __future__ import annotations

import sys
import typing as t

import click

from cli.output import EXIT_REJECTED
from cli.output import Group
from cli.output import dump
from cli.state import DAY
from cli.state import State
from cli.state import pass_state
from dispatch.requests import standing_orders
from dispatch.requests import transitions
from dispatch.requests.intake import submit_request

if t.TYPE_CHECKING:
    from datetime import datetime


@click.group("requests", cls=Group)
def group() -> None:
    """Readers' requests: take one, change its status, read its audit trail, standing orders."""


@group.command("add")
@click.option("--card", required=True, help="Reader's card number.")
@click.option("--items", default="", help="Barcodes, comma-separated.")
@click.option("--date", "wished", default=None, help="Wished date, YYYY-MM-DD (default: the earliest possible).")
@click.option("--window", default=None, help="Time window HH:MM-HH:MM (default: DISPATCH_DEFAULT_WINDOW).")
@click.option("--kind", default="delivery", type=click.Choice(["delivery", "return_pickup"]), show_default=True)
@click.option("--channel", default="operator", show_default=True, help="web, operator, phone, api, standing_order.")
@click.option("--key", default=None, help="Idempotency key: the same key never creates a second request.")
@click.option("--actor", default="cli", show_default=True, help="Who takes the request (for the audit trail).")
@click.option("--json", "as_json", is_flag=True, help="Print the request as JSON.")
@pass_state
def add_command(
    state: State,
    card: str,
    items: str,
    wished: str | None,
    window: str | None,
    kind: str,
    channel: str,
    key: str | None,
    actor: str,
    as_json: bool,
) -> None:
    """Take a delivery or return-pickup request through the intake service.

    Exit status: 0 scheduled (or a repeat of a stored request), 1 stored as rejected, 2 not stored.
    """
    result = submit_request(
        state.ctx(),
        card_number=card,
        barcodes=items.split(","),
        wished_date=wished,
        window=window,
        kind=kind,
        channel=channel,
        idempotency_key=key,
        actor=actor,
    )
    if as_json:
        dump(result.as_dict())
    else:
        repeat = " (repeat)" if result.duplicate else ""
        click.echo(
            f"request {result.id}{repeat}: {result.status}, branch {result.branch_code}, day {result.service_date}, window {result.window}"
        )
        for reason in result.reasons:
            click.echo(f"  - {reason['code']}: {reason.get('message_' + state.lang, reason['message_ru'])}")
    if result.status == "rejected":
        sys.exit(EXIT_REJECTED)


@group.command("status")
@click.argument("request_id", type=int)
@click.argument("target")
@click.option("--reason", default=None, help="Why (kept in the audit trail).")
@click.option("--actor", default="cli", show_default=True)
@pass_state
def status_command(state: State, request_id: int, target: str, reason: str | None, actor: str) -> None:
    """Move a request to another status, if the state machine allows it."""
    try:
        entry = transitions.change_status(state.ctx(), request_id, target, actor=actor, reason=reason)
    except ValueError as e:  # not a status at all: a usage error, not a refused transition
        raise click.BadParameter(str(e), param_hint="TARGET") from e
    click.echo(f"request {request_id}: {entry['from']} -> {entry['to']}")


@group.command("history")
@click.argument("request_id", type=int)
@pass_state
def history_command(state: State, request_id: int) -> None:
    """Show a request's audit trail: who moved it, when, from what to what, and why."""
    for entry in transitions.history(state.ctx(), request_id):
        click.echo(f"{entry['at']}  {entry['actor']:<20} {entry['from'] or '-':>10} -> {entry['to']:<10} {entry['reason'] or ''}")


@group.command("standing-order")
@click.option("--card", required=True)
@click.option("--weekday", required=True, help="mon, tue, ...")
@click.option("--every", "every_weeks", default=1, show_default=True, help="Every N weeks.")
@click.option("--from", "first", required=True, type=DAY, help="First visit on or after this date.")
@click.option("--window", default=None, help="HH:MM-HH:MM")
@pass_state
def standing_order_command(state: State, card: str, weekday: str, every_weeks: int, first: datetime, window: str | None) -> None:
    """Give a reader a regular visit (collect what falls due, bring what is held)."""
    dump(
        standing_orders.add_standing_order(
            state.ctx(), card_number=card, weekday=weekday, every_weeks=every_weeks, first_date=first.date(), window=window
        )
    )


@group.command("standing-orders")
@click.option("--run", "run_now", is_flag=True, help="Create the requests of the coming week's visits now.")
@pass_state
def standing_orders_command(state: State, run_now: bool) -> None:
    """List standing orders, or (--run) create the coming visits' requests."""
    if run_now:
        dump(standing_orders.create_due(state.ctx()))
        return
    dump(standing_orders.list_standing_orders(state.ctx()))
