"""``python -m cli staff …``: staff accounts and their API tokens."""

from __future__ import annotations

import sys

import click

from cli.output import Group
from cli.state import State
from cli.state import pass_state
from dispatch.domain.statuses import StaffRole
from dispatch.staff import accounts


@click.group("staff", cls=Group)
def group() -> None:
    """Staff accounts (administrators, dispatchers, operators, couriers) and API tokens."""


@group.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--role", required=True, type=click.Choice([r.value for r in StaffRole]))
@click.option("--branch", default=None, help="Branch code, for staff who work at one branch.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@pass_state
def add_command(state: State, username: str, full_name: str, role: str, branch: str | None, password_stdin: bool) -> None:
    """Add a staff account; the password is asked twice unless given on standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    view = accounts.add_staff(state.ctx(), username, full_name, role, password, branch_code=branch)
    click.echo(f"staff {view.username} added: {view.role}, branch {view.branch_code or '-'}")


@group.command("token")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for (e.g. console, tablet-3); unique per person.")
@pass_state
def token_command(state: State, username: str, name: str) -> None:
    """Issue an API token and print it; it is shown this once and cannot be read back."""
    click.echo(accounts.issue_token(state.ctx(), username, name))


@group.command("revoke-token")
@click.argument("username")
@click.option("--name", required=True, help="The token's name, as given when it was issued.")
@pass_state
def revoke_token_command(state: State, username: str, name: str) -> None:
    """Revoke a staff member's API token: requests carrying it are refused from now on."""
    count = accounts.revoke_token(state.ctx(), username, name)
    click.echo(f"revoked {count} token(s) named {name!r} of {username}")
