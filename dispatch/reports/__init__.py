"""Reports for the library and the city administration: a month's figures per branch, and their downloads."""
