"""The geocoder's local stand-in (the client is ``routing.geocoding``, which design.md gives to routing)."""
