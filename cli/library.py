"""``python -m cli import …``: load the library system's exports (branches, readers, items, loans, holds, couriers)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.output import EXIT_REJECTED
from cli.output import Group
from cli.output import dump
from cli.state import State
from cli.state import pass_state
from dispatch.imports.importers import SPECS
from dispatch.imports.importers import FileSpec
from dispatch.imports.importers import run_import
from dispatch.messages import render


@click.group("import", cls=Group)
def group() -> None:
    """Load the library system's CSV exports; a re-import updates by key, bad rows are reported by line."""


def _import_command(spec: FileSpec) -> click.Command:
    text = f"Load the library system's {spec.kind} export (columns: {', '.join(spec.columns)})."
    if spec.place_query is not None:
        text += (
            " Rows without lat/lon are geocoded when DISPATCH_GEOCODING is on; an address that cannot be placed"
            " is imported without coordinates and listed as needing attention (this alone keeps exit status 0)."
        )

    @group.command(spec.kind, help=text)
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
    @pass_state
    def command(state: State, path: Path, as_json: bool) -> None:
        report = run_import(state.ctx(), spec, path)
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


for _spec in SPECS.values():
    _import_command(_spec)
