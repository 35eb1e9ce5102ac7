"""Daily planning: a branch's batch and couriers in, versioned routes with ordered stops out."""

from dispatch.planning import pins as pins  # the pins' table belongs to the schema Alembic compares
