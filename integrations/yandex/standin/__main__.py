"""The command line, ``python -m integrations.yandex.standin``: serve the stand-in until interrupted, for a demo or by hand."""

from __future__ import annotations

import argparse

from integrations.local_server import serve_until_interrupted
from integrations.yandex.standin.control import CONTROL_PREFIX
from integrations.yandex.standin.routes import API_PREFIX
from integrations.yandex.standin.server import YandexSimulator
from integrations.yandex.standin.settings import DEFAULT_TOKEN


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m integrations.yandex.standin", description="A local stand-in for Yandex Delivery's cargo-claims v2 API."
    )
    parser.add_argument("--port", type=int, default=0, help="Port on 127.0.0.1 (default: a free one).")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help=f"Bearer token requests must carry (default {DEFAULT_TOKEN!r}).")
    parser.add_argument("--any-token", action="store_true", help="Accept any Bearer token.")
    parser.add_argument("--step-s", type=float, default=None, help="Advance every claim one status this often (seconds).")
    args = parser.parse_args(argv)
    sim = YandexSimulator(token=None if args.any_token else args.token).start(args.port, step_s=args.step_s)
    serve_until_interrupted(
        sim, f"Yandex Delivery stand-in on {sim.url}{API_PREFIX} (hooks under {CONTROL_PREFIX}); Ctrl-C stops it"
    )


if __name__ == "__main__":
    main()
