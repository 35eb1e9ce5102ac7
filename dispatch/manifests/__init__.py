"""Courier manifests: what to load at the branch and what to do at each stop, as data, JSON and PDF."""
