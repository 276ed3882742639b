"""newsgraph curate commands."""
