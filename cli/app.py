"""The root of ``python -m cli``: the language option, the schema upgrade, and one group per area of the work."""

from __future__ import annotations

import logging

import click

from cli import couriers
from cli import jobs
from cli import library
from cli import planning
from cli import requests
from cli import sms
from cli import staff
from cli import yandex
from cli.output import Group
from cli.output import run_reporting_environment
from cli.state import State
from cli.state import pass_state
from dispatch.messages import LANGUAGES


@click.group(cls=Group)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of messages (default: DISPATCH_LANGUAGE or ru).")
@click.pass_context
def cli(click_ctx: click.Context, lang: str | None) -> None:
    """Home delivery of library books in Almaty: the library's records, requests, planning, couriers and jobs."""
    # geopy logs every retried request with a traceback; the import report already says what failed.
    logging.getLogger("geopy").setLevel(logging.ERROR)
    try:
        state = State(lang)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    click_ctx.obj = state
    click_ctx.call_on_close(state.close)


@cli.command("db-upgrade")
@pass_state
def db_upgrade(state: State) -> None:
    """Create the database schema or bring it up to date."""
    state.ctx()
    click.echo(f"schema up to date: {state.settings.database_url}")


for _area in (library, requests, planning, couriers, yandex, sms, staff, jobs):
    cli.add_command(_area.group)


def main() -> None:
    """Run the command line; an unreachable database or a missing map file is one clear line, not a traceback."""
    run_reporting_environment(cli, prog_name="python -m cli")
