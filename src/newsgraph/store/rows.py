"""Ids and inserts shared by every writer of the store."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, insert


def digest(*parts: object, size: int = 16) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:size]


_ID_PREFIX = {"PERSON": "P", "ORG": "O", "GPE": "G", "LOC": "L", "NORP": "N", "EVENT": "E", "FAC": "F"}


def entity_id(kind: str, key: str) -> str:
    """Ids are minted from the key they were first resolved by; the same key always gives the same id."""
    return _ID_PREFIX.get(kind, "X") + digest(kind, key, size=12)


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those that clash with a unique key (another loader may have won)."""
    if not rows:
        return
    # The dialects' own inserts are imported here: a command that only reads never needs them.
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = conn.dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(table)
    conn.execute(statement, rows)
