"""Benchmark harness: Solomon, Gehring-Homberger and Li & Lim instances, checked against best-known results."""

from __future__ import annotations
