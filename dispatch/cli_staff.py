"""Command-line tools for staff accounts and their API tokens."""

from __future__ import annotations

import sys
import typing as t

import click

from dispatch.cli_output import fail
from dispatch.domain.statuses import StaffRole
from dispatch.errors import DispatchError
from dispatch.services import staff


def register(cli: click.Group, pass_state: t.Callable[..., t.Any]) -> None:
    """Add this module's commands to the ``python -m dispatch`` group."""

    @cli.command("staff-add")
    @click.argument("username")
    @click.option("--name", "full_name", required=True, help="Full name.")
    @click.option("--role", required=True, type=click.Choice([r.value for r in StaffRole]))
    @click.option("--branch", default=None, help="Branch code, for staff who work at one branch.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
    @pass_state
    def staff_add_command(
        state: t.Any, username: str, full_name: str, role: str, branch: str | None, password_stdin: bool
    ) -> None:
        """Add a staff account; the password is asked twice unless given on standard input."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            view = staff.add_staff(state.ctx(), username, full_name, role, password, branch_code=branch)
        except DispatchError as e:
            fail(e, state.lang)
        click.echo(f"staff {view.username} added: {view.role}, branch {view.branch_code or '-'}")

    @cli.command("api-token")
    @click.argument("username")
    @click.option("--name", required=True, help="What the token is for (e.g. console, tablet-3); unique per person.")
    @pass_state
    def api_token_command(state: t.Any, username: str, name: str) -> None:
        """Issue an API token and print it; it is shown this once and cannot be read back."""
        try:
            token = staff.issue_token(state.ctx(), username, name)
        except DispatchError as e:
            fail(e, state.lang)
        click.echo(token)

    @cli.command("api-token-revoke")
    @click.argument("username")
    @click.option("--name", required=True, help="The token's name, as given when it was issued.")
    @pass_state
    def api_token_revoke_command(state: t.Any, username: str, name: str) -> None:
        """Revoke a staff member's API token: requests carrying it are refused from now on."""
        try:
            count = staff.revoke_token(state.ctx(), username, name)
        except DispatchError as e:
            fail(e, state.lang)
        click.echo(f"revoked {count} token(s) named {name!r} of {username}")
