"""``python -m demo.serve``: run the whole system on this machine under honcho, wired as production; Ctrl-C stops all.

Run ``python -m demo`` first (``make demo`` does both): it builds the demo day in the database the
processes then serve.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import sys
import typing as t

import click
from honcho.manager import Manager  # type: ignore[import-untyped]
from honcho.printer import Printer  # type: ignore[import-untyped]
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import make_url

from demo.processes import HOST
from demo.processes import YANDEX_STEP_S
from demo.processes import Ports
from demo.processes import demo_environment
from demo.processes import demo_processes
from dispatch.config import Settings
from dispatch.jobs import handover

if t.TYPE_CHECKING:
    from demo.processes import Process


@click.command()
@click.option("--port", type=int, default=None, help="Port of the web app (default: PORT or 8000).")
@click.option("--yandex-port", type=int, default=None, help="Port of the local Yandex (default: the web port + 1).")
@click.option("--twilio-port", type=int, default=None, help="Port of the local Twilio (default: the web port + 2).")
@click.option(
    "--yandex-step-s",
    type=click.FloatRange(min=0.1),
    default=YANDEX_STEP_S,
    show_default=True,
    help="Seconds between two statuses of a claim at the local Yandex.",
)
def serve(port: int | None, yandex_port: int | None, twilio_port: int | None, yandex_step_s: float) -> None:
    """Run the web app, the RQ worker, cron, the local Yandex and the local Twilio until Ctrl-C."""
    web = port or int(os.environ.get("PORT") or 8000)
    ports = Ports.from_web(web, yandex_port, twilio_port)
    env = demo_environment(ports, os.environ)
    settings = Settings.from_env(env)
    _check_ports(ports)
    _check_redis(settings.jobs.redis_url)
    _prepare_sqlite(settings.database_url)
    handed = _hand_over_recorded_jobs(settings)
    processes = demo_processes(ports, yandex_step_s=yandex_step_s)
    click.echo(describe(processes, ports, handed))
    manager = Manager(Printer(sys.stdout))
    for process in processes:
        manager.add_process(process.name, process.command, env=env)
    manager.loop()
    sys.exit(manager.returncode)


def describe(processes: list[Process], ports: Ports, handed: int) -> str:
    """What runs where, and where to start: printed once when the demo starts."""
    lines = ["", "The demo runs (Ctrl-C stops everything):"]
    lines += [f"  {p.name:<7} {ports.url(p.port) if p.port else '':<24} {p.what}" for p in processes]
    lines += [
        "",
        f"Open {ports.url(ports.web)}/ (readers) or {ports.url(ports.web)}/staff/sign-in "
        "(admin, dispatcher, operator; password demo-password).",
        f"Readers' texts, sign-in codes among them: {ports.url(ports.web)}/demo/sms (signed in as staff).",
        f"Recorded jobs handed to the worker now: {handed}. Another port: make demo PORT=8080.",
        "",
    ]
    return "\n".join(lines)


def _hand_over_recorded_jobs(settings: Settings) -> int:
    """Jobs the demo day recorded for later (return pickups, SMS) go to RQ now, not at cron's next sweep."""
    ctx = handover.start(settings, migrate=True)
    try:
        return handover.flush_outbox(ctx)
    finally:
        ctx.close()


def _check_ports(ports: Ports) -> None:
    """Stop before starting anything when a port is taken, naming it (another demo still running?)."""
    for name, port in (("web", ports.web), ("local Yandex", ports.yandex), ("local Twilio", ports.twilio)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # As the servers do: a port left in TIME_WAIT by the last demo is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((HOST, port))
            except OSError as error:
                msg = f"Port {port} for the {name} is taken ({error.strerror}); choose others: make demo PORT=8080"
                raise click.ClickException(msg) from error


def _check_redis(url: str) -> None:
    try:
        Redis.from_url(url, socket_connect_timeout=3).ping()
    except RedisError as error:
        msg = f"Redis does not answer at {url} ({error}); start it with: make services"
        raise click.ClickException(msg) from error


def _prepare_sqlite(url: str) -> None:
    """On SQLite, write-ahead logging: the web app keeps reading while the worker writes (the mode stays with the file)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    with contextlib.closing(sqlite3.connect(parsed.database)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


if __name__ == "__main__":
    serve(prog_name="python -m demo.serve")
