"""A request's way in and along: intake from every channel, the state machine's moves, status, standing and phone orders."""
