"""Loading the library system's export files (branches, readers, items, loans) row by row."""
