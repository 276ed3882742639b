"""Bring a store's schema up to date: Alembic revisions shipped inside the package.

No alembic.ini is involved: the configuration is built here and the open
connection handed to `migrations/env.py`. A new revision is written by hand
(or drafted with `alembic.command.revision(alembic_config(conn), msg,
autogenerate=True)` against an up-to-date store) in `migrations/versions/`,
as a frozen snapshot that never imports `schema.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, text

from newsgraph.store.fts import is_fts_name, is_fts_object

if TYPE_CHECKING:
    from alembic.config import Config

    from newsgraph.store import Store

SCRIPT_LOCATION = "newsgraph.store:migrations"
# The newest revision in migrations/versions (a test checks Alembic agrees): opening a store that is
# already there reads one row and never imports Alembic, which costs more than the query itself.
HEAD = "0004"
# pg_advisory_xact_lock key: concurrent migrators of one PostgreSQL database take turns
_PG_LOCK_KEY = 0x6E657773_6772


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def head() -> str | None:
    """The newest revision shipped with this version of newsgraph, as Alembic finds it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(conn: Connection) -> str | None:
    """The revision a database is at; None for an empty database."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Autogenerate filter: full-text search objects are not part of `schema.metadata`."""
    return not (type_ == "table" and name is not None and is_fts_name(name))


# Indexes whose definition differs per database (a NULLS LAST that only PostgreSQL needs) are made
# by their migration alone: `schema.metadata` cannot state them once for both.
MIGRATION_ONLY_INDEXES = frozenset({"ix_quote_occurrences_newest"})


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    table = getattr(getattr(obj, "table", None), "name", None)
    if reflected and compare_to is None and type_ == "index" and name in MIGRATION_ONLY_INDEXES:
        return False
    return not (reflected and compare_to is None and is_fts_object(name, type_, table))


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # one writer at a time: a second process waits (busy_timeout), then finds the schema at head
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def upgrade(store: Store, revision: str = "head") -> None:
    """Run `alembic upgrade REVISION` in one transaction; a store already there is left untouched."""
    if revision == "head":
        with store.engine.connect() as conn:
            if current(conn) == HEAD:
                return
    from alembic import command

    with store.engine.connect() as conn:
        _lock(conn)
        command.upgrade(alembic_config(conn), revision)
        conn.commit()


def downgrade(store: Store, revision: str) -> None:
    from alembic import command

    with store.engine.connect() as conn:
        _lock(conn)
        command.downgrade(alembic_config(conn), revision)
        conn.commit()
