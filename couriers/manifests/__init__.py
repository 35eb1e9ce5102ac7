"""What a courier carries: the manifest of a route as data and as a printable PDF."""
