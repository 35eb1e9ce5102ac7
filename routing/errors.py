"""Errors raised by the routing package; each is a ValueError so callers can treat bad input alike."""

from __future__ import annotations


class RoutingError(ValueError):
    """Base of every routing error."""


class GraphError(RoutingError):
    """The street graph cannot be built or loaded from its source."""


class SnapError(RoutingError):
    """A point cannot be placed on the street graph (off the map or too far from any road)."""

    def __init__(self, message: str, *, reason: str, index: int | None = None, distance_m: float | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.index = index
        self.distance_m = distance_m


class ProblemError(RoutingError):
    """A routing problem that is inconsistent (bad indices, windows, capacities)."""
