"""Street graph, snapping, travel-time matrices and the OR-Tools solver: plain data in, plain data out."""
