"""Command-line tools for SMS to readers: the messages and their states, a reader's SMS preference, leaving the branch."""

from __future__ import annotations

import typing as t

import click
from sqlalchemy import select

from dispatch.cli_output import dump
from dispatch.cli_output import fail
from dispatch.errors import DispatchError
from dispatch.models import SmsMessage
from dispatch.services import routes as route_service
from dispatch.sms.suppression import set_preference

if t.TYPE_CHECKING:
    from dispatch.bootstrap import Context


def register(cli: click.Group, pass_state: t.Callable[..., t.Any]) -> None:
    """Add this module's commands to the ``python -m dispatch`` group."""

    @cli.command("sms")
    @click.option("--state", "state_filter", default=None, help="Only messages in this state (waiting, sent, failed…).")
    @click.option("--limit", type=int, default=50)
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def sms_command(state: t.Any, state_filter: str | None, limit: int, as_json: bool) -> None:
        """The latest SMS to readers: event, number, state, Twilio's status and the text."""
        ctx: Context = state.ctx()
        with ctx.uow() as uow:
            query = select(SmsMessage).order_by(SmsMessage.id.desc()).limit(limit)
            if state_filter:
                query = query.where(SmsMessage.state == state_filter)
            rows = [message_document(m) for m in uow.session.scalars(query)]
        if as_json:
            dump(rows)
            return
        for row in rows:
            status = row["status"] or "-"
            click.echo(f"#{row['id']:<5} {row['event']:<20} {row['phone']:<13} {row['state']:<14} {status:<12} {row['body']}")

    @cli.command("sms-preference")
    @click.argument("card")
    @click.argument("choice", type=click.Choice(["on", "off"]))
    @pass_state
    def sms_preference_command(state: t.Any, card: str, choice: str) -> None:
        """Turn a reader's SMS off or on at their request (the operator's desk)."""
        try:
            dump(set_preference(state.ctx(), card, sms=choice == "on", source="operator"))
        except DispatchError as e:
            fail(e, state.lang)

    @cli.command("route-start")
    @click.argument("route_id", type=int)
    @click.option("--actor", default="cli")
    @pass_state
    def route_start_command(state: t.Any, route_id: int, actor: str) -> None:
        """The courier leaves the branch: the route is under way and the first reader is told when to expect them."""
        try:
            dump(route_service.leave_branch(state.ctx(), route_id, actor=actor))
        except DispatchError as e:
            fail(e, state.lang)


def message_document(message: SmsMessage) -> dict[str, t.Any]:
    """An SMS as plain data."""
    return {
        "id": message.id,
        "event": message.event,
        "request_id": message.request_id,
        "phone": message.phone,
        "language": message.language,
        "state": message.state,
        "status": message.status,
        "error_code": message.error_code,
        "segments": message.segments,
        "send_after": message.send_after.isoformat(),
        "body": message.body,
    }
