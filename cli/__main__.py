"""Entry point for ``python -m cli``."""

from cli.app import main

main()
