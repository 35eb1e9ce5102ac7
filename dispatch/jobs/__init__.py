"""Background jobs: planning, return pickups and standing orders, run by RQ workers or inline for the demo."""
