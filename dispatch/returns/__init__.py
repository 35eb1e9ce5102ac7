"""Books coming back: return pickups created before loans fall due, and books lent at the door."""
