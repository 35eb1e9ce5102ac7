"""One solver's answer to one instance, as every runner (OR-Tools and the anchors) returns it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """A solver's plan as node-id routes (depot excluded), the solve call's wall time (seconds), and remarks."""

    routes: list[list[int]]
    seconds: float
    note: str = ""
