"""How every ``python -m cli`` command prints data, refuses input and reports errors, in one place."""

from __future__ import annotations

import json
import sys
import typing as t

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dispatch.config import Settings
from dispatch.errors import DispatchError

EXIT_REJECTED = 1
"""The input was read and stored, but refused (a rejected request, an import with rejected rows)."""
EXIT_INPUT_ERROR = 2
"""The input was refused and nothing was stored (a domain error, or click's own usage errors)."""
EXIT_ENVIRONMENT = 3
"""The machine is not ready: the database is unreachable or a file is missing."""


def dump(data: t.Any) -> None:
    """Print ``data`` as indented JSON, Cyrillic as it is."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def fail(error: DispatchError, lang: str, *, as_json: bool = False) -> t.NoReturn:
    """Report ``error`` in ``lang`` (as JSON when asked) and exit with status 2."""
    if as_json:
        dump({"error": error.as_dict(lang)})
    else:
        click.echo(error.message(lang), err=True)
    sys.exit(EXIT_INPUT_ERROR)


class Command(click.Command):
    """A command whose domain errors are reported in the user's language (JSON with ``--json``), never as a traceback.

    This is the command line's one error handler: commands call services and let their
    :class:`~dispatch.errors.DispatchError` through.
    """

    def invoke(self, ctx: click.Context) -> t.Any:
        try:
            return super().invoke(ctx)
        except DispatchError as e:
            lang = getattr(ctx.find_root().obj, "lang", "ru")
            fail(e, lang, as_json=bool(ctx.params.get("as_json")))


class Group(click.Group):
    """A command group whose commands and subgroups report errors through :class:`Command`."""

    command_class = Command
    group_class = type  # subgroups are of this class too


def run_reporting_environment(command: click.Command, *, prog_name: str) -> None:
    """Run ``group``; an unreachable database or a missing file is one clear line and exit status 3."""
    try:
        command.main(prog_name=prog_name)
    except OperationalError as e:
        click.echo(f"База данных недоступна / database unreachable: {_database_url()}: {str(e.orig).strip()}", err=True)
        sys.exit(EXIT_ENVIRONMENT)
    except FileNotFoundError as e:
        click.echo(f"Файл не найден / file not found: {e}", err=True)
        sys.exit(EXIT_ENVIRONMENT)


def _database_url() -> str:
    return make_url(Settings.from_env().database_url).render_as_string(hide_password=True)
