"""Daily planning: a branch's batch and couriers in, versioned routes with ordered stops out."""
