"""newsgraph ingest commands."""
