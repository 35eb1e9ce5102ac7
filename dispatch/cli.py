"""Command line: thin click wrappers that call one service each and print text or JSON."""

from __future__ import annotations

import logging
import sys
import typing as t
from datetime import date
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dispatch.bootstrap import Context
from dispatch.bootstrap import bootstrap
from dispatch.cli_output import dump
from dispatch.cli_output import fail
from dispatch.config import Settings
from dispatch.errors import DispatchError
from dispatch.imports.importers import SPECS
from dispatch.imports.importers import run_import
from dispatch.jobs.context import use_context
from dispatch.messages import LANGUAGES
from dispatch.messages import render
from dispatch.services import batches as batch_service
from dispatch.services import transitions
from dispatch.services.intake import submit_request

EXIT_REJECTED = 1
EXIT_ENVIRONMENT = 3


class _State:
    """Settings read once, and a context opened only when a command needs the database."""

    def __init__(self, lang: str | None) -> None:
        self.settings = Settings.from_env()
        self.lang = lang or self.settings.language
        self._ctx: Context | None = None

    def ctx(self) -> Context:
        if self._ctx is None:
            self._ctx = bootstrap(self.settings)
            use_context(self._ctx)  # jobs run inline by this command share its context
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            use_context(None)
            self._ctx.close()


pass_state = click.make_pass_decorator(_State)


def _fail(state: _State, error: DispatchError, as_json: bool) -> t.NoReturn:
    fail(error, state.lang, as_json=as_json)


@click.group()
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of messages (default: DISPATCH_LANGUAGE or ru).")
@click.pass_context
def cli(click_ctx: click.Context, lang: str | None) -> None:
    """Home delivery of library books in Almaty: imports, intake, batches and the demo."""
    # geopy logs every retried request with a traceback; the import report already says what failed.
    logging.getLogger("geopy").setLevel(logging.ERROR)
    try:
        state = _State(lang)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    click_ctx.obj = state
    click_ctx.call_on_close(state.close)


@cli.command("db-upgrade")
@pass_state
def db_upgrade(state: _State) -> None:
    """Create the database schema or bring it up to date."""
    state.ctx()
    click.echo(f"schema up to date: {state.settings.database_url}")


def _import_command(kind: str) -> click.Command:
    spec = SPECS[kind]

    text = f"Load the library system's {kind} export (columns: {', '.join(spec.columns)})."
    if spec.place_query is not None:
        text += (
            " Rows without lat/lon are geocoded when DISPATCH_GEOCODING is on; an address that cannot be placed"
            " is imported without coordinates and listed as needing attention (this alone keeps exit status 0)."
        )

    @click.command(f"import-{kind}", help=text)
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
    @pass_state
    def command(state: _State, path: Path, as_json: bool) -> None:
        try:
            report = run_import(state.ctx(), spec, path)
        except DispatchError as e:
            _fail(state, e, as_json)
        if as_json:
            dump(report.as_dict(state.lang))
        else:
            for row in report.rejected:
                click.echo(row.message(state.lang), err=True)
            for noted in report.needs_attention:
                click.echo(render("import_needs_attention", state.lang, {"row": noted.message(state.lang)}), err=True)
            click.echo(report.summary(state.lang))
        if not report.ok:
            sys.exit(EXIT_REJECTED)

    return command


for _kind in SPECS:
    cli.add_command(_import_command(_kind))


@cli.command("request")
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
def request_command(
    state: _State,
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
    try:
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
    except DispatchError as e:
        _fail(state, e, as_json)
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


@cli.command("batches")
@click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Service day, YYYY-MM-DD.")
@click.option("--branch", default=None, help="Only this branch code.")
@click.option("--json", "as_json", is_flag=True, help="Print the batches as JSON.")
@pass_state
def batches_command(state: _State, day: t.Any, branch: str | None, as_json: bool) -> None:
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


@cli.command("status")
@click.argument("request_id", type=int)
@click.argument("target")
@click.option("--reason", default=None, help="Why (kept in the audit trail).")
@click.option("--actor", default="cli", show_default=True)
@pass_state
def status_command(state: _State, request_id: int, target: str, reason: str | None, actor: str) -> None:
    """Move a request to another status, if the state machine allows it."""
    try:
        entry = transitions.change_status(state.ctx(), request_id, target, actor=actor, reason=reason)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="TARGET") from e
    except DispatchError as e:
        _fail(state, e, as_json=False)
    click.echo(f"request {request_id}: {entry['from']} -> {entry['to']}")


@cli.command("history")
@click.argument("request_id", type=int)
@pass_state
def history_command(state: _State, request_id: int) -> None:
    """Show a request's audit trail: who moved it, when, from what to what, and why."""
    try:
        entries = transitions.history(state.ctx(), request_id)
    except DispatchError as e:
        _fail(state, e, as_json=False)
    for entry in entries:
        click.echo(f"{entry['at']}  {entry['actor']:<20} {entry['from'] or '-':>10} -> {entry['to']:<10} {entry['reason'] or ''}")


@cli.command("demo")
@click.option("--readers", default=300, show_default=True, help="How many readers to create.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (the same seed gives the same city).")
@click.option("--plan-seconds", default=1.0, show_default=True, help="Solver seconds per branch when planning the day.")
@click.option("--json", "as_json", is_flag=True, help="Print the batches as JSON.")
@pass_state
def demo_command(state: _State, readers: int, seed: int, plan_seconds: float, as_json: bool) -> None:
    """Build a realistic demo day on the Almaty map, plan it, and print its batches."""
    from dispatch.demo.run import run_demo

    echo = (lambda _msg: None) if as_json else click.echo
    outcome = run_demo(state.ctx(), readers=readers, seed=seed, echo=echo, plan_seconds=plan_seconds)
    found = batch_service.batches_for(state.ctx(), outcome.service_day)
    if as_json:
        dump({"date": outcome.service_day.isoformat(), "summary": outcome.summary, "branches": batch_service.as_dicts(found)})
        return
    print_batches(outcome.service_day, found)


def main() -> None:
    """Run the command line; an unreachable database or a missing map file is one clear line, not a traceback."""
    try:
        cli.main(prog_name="python -m dispatch")
    except OperationalError as e:
        url = make_url(Settings.from_env().database_url).render_as_string(hide_password=True)
        click.echo(f"База данных недоступна / database unreachable: {url}: {str(e.orig).strip()}", err=True)
        sys.exit(EXIT_ENVIRONMENT)
    except FileNotFoundError as e:
        click.echo(f"Файл не найден / file not found: {e}", err=True)
        sys.exit(EXIT_ENVIRONMENT)


from dispatch.cli_days import register as _register_day_commands  # noqa: E402 - needs cli and pass_state above

_register_day_commands(cli, pass_state)
from dispatch.cli_staff import register as _register_staff_commands  # noqa: E402 - needs cli and pass_state above

_register_staff_commands(cli, pass_state)
from dispatch.cli_yandex import register as _register_yandex_commands  # noqa: E402 - needs cli and pass_state above

_register_yandex_commands(cli, pass_state)
from dispatch.cli_sms import register as _register_sms_commands  # noqa: E402 - needs cli and pass_state above

_register_sms_commands(cli, pass_state)
