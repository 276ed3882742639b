"""Alembic migrations of the knowledge base, run by `newsgraph.store.migrate`."""
