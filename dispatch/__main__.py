"""Entry point for ``python -m dispatch``."""

from dispatch.cli import main

main()
