"""The command line (``python -m cli``): one click group per area of the work, thin wrappers around services."""
