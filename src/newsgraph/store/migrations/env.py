"""Alembic environment: the connection comes from `newsgraph.store.migrate`, never from an ini file.

`migrate.upgrade(store)` passes its open connection in `config.attributes["connection"]`;
a developer writing a new revision does the same through `migrate.alembic_config(connection)`.
"""

from __future__ import annotations

from alembic import context

from newsgraph.store.migrate import include_name, include_object
from newsgraph.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("run newsgraph migrations through newsgraph.store.migrate with an open connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    include_name=include_name,
    include_object=include_object,
    # SQLite cannot ALTER most things: later revisions use batch mode there
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
