"""How every ``python -m dispatch`` command prints data and refuses input, in one place."""

from __future__ import annotations

import json
import sys
import typing as t

import click

if t.TYPE_CHECKING:
    from dispatch.errors import DispatchError

EXIT_INPUT_ERROR = 2


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
