"""Services: each takes ids and plain values with a context, runs one unit of work, returns plain data."""
