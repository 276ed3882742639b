"""newsgraph query commands."""
