"""Yandex Delivery cargo-claims v2: client, route-to-claim mapping, journal sync and a local simulator."""
