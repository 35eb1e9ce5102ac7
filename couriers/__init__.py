"""Couriers, shifts and manifests: who carries which books where."""
