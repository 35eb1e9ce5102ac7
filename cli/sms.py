"""``python -m cli sms …``: the SMS to readers and their states, and a reader's SMS preference."""

from __future__ import annotations

import click

from cli.output import Group
from cli.output import dump
from cli.state import State
from cli.state import pass_state
from dispatch.sms.outbox import recent_messages
from dispatch.sms.suppression import set_preference


@click.group("sms", cls=Group)
def group() -> None:
    """SMS to readers: what was sent and how it went, and who does not want them."""


@group.command("list")
@click.option("--state", "state_filter", default=None, help="Only messages in this state (waiting, sent, failed…).")
@click.option("--limit", type=int, default=50)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def list_command(state: State, state_filter: str | None, limit: int, as_json: bool) -> None:
    """The latest SMS to readers: event, number, state, Twilio's status and the text."""
    rows = recent_messages(state.ctx(), state=state_filter, limit=limit)
    if as_json:
        dump(rows)
        return
    for row in rows:
        status = row["status"] or "-"
        click.echo(f"#{row['id']:<5} {row['event']:<20} {row['phone']:<13} {row['state']:<14} {status:<12} {row['body']}")


@group.command("preference")
@click.argument("card")
@click.argument("choice", type=click.Choice(["on", "off"]))
@pass_state
def preference_command(state: State, card: str, choice: str) -> None:
    """Turn a reader's SMS off or on at their request (the operator's desk)."""
    dump(set_preference(state.ctx(), card, sms=choice == "on", source="operator"))
