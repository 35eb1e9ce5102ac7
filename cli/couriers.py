"""``python -m cli couriers …``: the roster, handing a route to its courier, outcomes at the door, manifests."""

from __future__ import annotations

from pathlib import Path

import click

from cli.output import Group
from cli.output import dump
from cli.state import State
from cli.state import pass_state
from couriers import outcomes
from couriers import roster
from couriers.manifests.build import build_manifest
from couriers.manifests.pdf import render_pdf
from dispatch.jobs import handover


@click.group("couriers", cls=Group)
def group() -> None:
    """In-house couriers and their routes: roster, hand-over, leaving the branch, each door, manifests."""


@group.command("list")
@click.option("--branch", default=None)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def list_command(state: State, branch: str | None, as_json: bool) -> None:
    """List the in-house couriers (load them with ``import couriers``)."""
    found = roster.roster(state.ctx(), branch_code=branch)
    if as_json:
        dump([c.as_dict() for c in found])
        return
    for c in found:
        mark = "" if c.active else "  (off)"
        click.echo(
            f"{c.code:<10} {c.branch_code:<8} {c.shift}  {c.working_days:<20} {c.capacity_books:>3} books {c.capacity_kg:>5.1f} kg  {','.join(c.skills):<12} {c.full_name}{mark}"
        )


@group.command("active")
@click.argument("code")
@click.option("--off", is_flag=True, help="Take the courier off the roster.")
@pass_state
def active_command(state: State, code: str, off: bool) -> None:
    """Put a courier on the roster, or take them off (--off)."""
    view = roster.set_active(state.ctx(), code, active=not off)
    click.echo(f"{view.code}: {'active' if view.active else 'off'}")


@group.command("hand-over")
@click.argument("route_id", type=int)
@click.option("--actor", default="cli")
@pass_state
def hand_over_command(state: State, route_id: int, actor: str) -> None:
    """Hand a planned route to its in-house courier (its stops stay pinned when the day is re-planned)."""
    dump(outcomes.dispatch_route(state.ctx(), route_id, actor=actor))


@group.command("leave")
@click.argument("route_id", type=int)
@click.option("--actor", default="cli")
@pass_state
def leave_command(state: State, route_id: int, actor: str) -> None:
    """The courier leaves the branch: the route is under way and the first reader is told when to expect them."""
    dump(outcomes.leave_branch(state.ctx(), route_id, actor=actor))


@group.command("stops")
@click.argument("route_id", type=int)
@pass_state
def stops_command(state: State, route_id: int) -> None:
    """A route's stops with their ids (to record outcomes)."""
    dump(outcomes.route_stops(state.ctx(), route_id))


@group.command("outcome")
@click.argument("stop_id", type=int)
@click.argument("outcome", type=click.Choice(["delivered", "collected", "failed"]))
@click.option("--reason", type=click.Choice(["not_at_home", "wrong_address", "refused", "no_access", "books_not_ready", "other"]))
@click.option("--actor", default="cli")
@pass_state
def outcome_command(state: State, stop_id: int, outcome: str, reason: str | None, actor: str) -> None:
    """Record what happened at a reader's door."""
    view = outcomes.record_outcome(state.ctx(), stop_id, outcome, reason=reason, actor=actor)
    handover.flush_outbox(state.ctx())
    dump(view.__dict__)


@group.command("manifest")
@click.argument("route_id", type=int)
@click.option(
    "--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the printable PDF here."
)
@pass_state
def manifest_command(state: State, route_id: int, pdf_out: Path | None) -> None:
    """Print a route's manifest as JSON, and write its PDF with --pdf."""
    manifest = build_manifest(state.ctx(), route_id, language=state.lang if state.lang in ("ru", "kk") else "ru")
    if pdf_out is not None:
        pdf_out.parent.mkdir(parents=True, exist_ok=True)
        pdf_out.write_bytes(render_pdf(manifest))
        click.echo(f"PDF written to {pdf_out}", err=True)
    dump(manifest.as_dict())
