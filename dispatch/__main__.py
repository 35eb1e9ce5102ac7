"""Entry point for ``python -m dispatch``."""

from dispatch.cli import cli

cli(prog_name="python -m dispatch")
