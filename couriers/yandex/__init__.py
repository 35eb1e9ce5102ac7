"""Handing routes to Yandex Delivery: claim bodies, booking, following the claims journal, and the jobs that do it."""
