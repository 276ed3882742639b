"""What every export reads through: rows streamed in batches and people under their curated ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from newsgraph.store import schema as t
from newsgraph.store.curation import Curation

BATCH = 1000

Row = dict[str, Any]


def stream(conn: Connection, statement: Any, size: int) -> Iterator[list[Any]]:
    result = conn.execution_options(yield_per=size).execute(statement)
    for partition in result.partitions():
        yield list(partition)


class People:
    """Canonical ids and display names, looked up once each."""

    def __init__(self, conn: Connection, curation: Curation) -> None:
        self.conn = conn
        self.curation = curation
        self.names: dict[str, str | None] = {}

    def resolve(self, entity: str | None, name: str | None) -> tuple[str | None, str | None]:
        if entity is None:
            return None, name
        canonical = self.curation.canonical(entity)
        if canonical == entity:
            return entity, name
        if canonical not in self.names:
            self.names[canonical] = self.conn.execute(
                select(t.entities.c.name).where(t.entities.c.id == canonical)
            ).scalar()
        return canonical, self.names[canonical]
