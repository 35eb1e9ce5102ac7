"""In-house couriers: who works for which branch, on which days and hours, carrying how much."""
