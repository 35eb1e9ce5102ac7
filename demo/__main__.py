"""``python -m demo``: build a realistic demo day on the Almaty map, plan it, and print its batches."""

from __future__ import annotations

import click

from cli.output import dump
from cli.output import run_reporting_environment
from cli.planning import print_batches
from cli.state import State
from demo.run import run_demo
from dispatch.messages import LANGUAGES
from dispatch.planning import batches as batch_service


@click.command()
@click.option("--readers", default=300, show_default=True, help="How many readers to create.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (the same seed gives the same city).")
@click.option("--plan-seconds", default=1.0, show_default=True, help="Solver seconds per branch when planning the day.")
@click.option("--json", "as_json", is_flag=True, help="Print the batches as JSON.")
@click.option(
    "--leave-yandex-routes",
    is_flag=True,
    help="Leave the day's Yandex routes for the dispatcher to book in the served demo (make demo).",
)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of messages (default: DISPATCH_LANGUAGE or ru).")
def demo(readers: int, seed: int, plan_seconds: float, as_json: bool, leave_yandex_routes: bool, lang: str | None) -> None:
    """Build a realistic demo day on the Almaty map, plan it, and print its batches."""
    state = State(lang)
    try:
        ctx = state.ctx()
        echo = (lambda _msg: None) if as_json else click.echo
        outcome = run_demo(
            ctx, readers=readers, seed=seed, echo=echo, plan_seconds=plan_seconds, play_yandex=not leave_yandex_routes
        )
        found = batch_service.batches_for(ctx, outcome.service_day)
        if as_json:
            dump({"date": outcome.service_day.isoformat(), "summary": outcome.summary, "branches": batch_service.as_dicts(found)})
        else:
            print_batches(outcome.service_day, found)
    finally:
        state.close()


run_reporting_environment(demo, prog_name="python -m demo")
