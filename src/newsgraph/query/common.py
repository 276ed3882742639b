"""What every reader shares: one connection with its curation and entity names, the one
person look-up, newest-first dates, pages and JSON conversion.

Curation is applied one way, in SQL: rejected facts are left out by
`newsgraph.store.curation.not_rejected`, and a person's facts are read under
`Curation.members` (the id and every id merged into it); facts are then shown
under the id curation gives them in their article (`Reader.owner`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from newsgraph.errors import NotFound
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.resolve import PERSON, candidates, entity_names, resolve_entity

__all__ = ["PERSON", "Page", "Reader", "by_id", "chunks", "descending", "iso_date", "to_jsonable"]


@dataclass
class Page:
    """A list page: its items, and whether another page follows."""

    items: list[Any]
    offset: int
    limit: int | None
    more: bool


def to_jsonable(value: Any) -> Any:
    """Dataclasses (and lists of them) as plain dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def iso_date(value: dt.date | str | None) -> str | None:
    """A date as YYYY-MM-DD (SQLite may hand back an aggregate's date as text already)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """Slices small enough for an IN (...) list on every database."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def descending(conn: Connection, column: Any) -> Any:
    """Newest first, undated last, in a form the date index serves: SQLite sorts NULL lowest,
    so a plain DESC puts it last already; an `IS NULL` term first would sort the whole table."""
    return column.desc() if conn.dialect.name == "sqlite" else column.desc().nulls_last()


def by_id(conn: Connection, table: Any, key: str, what: str) -> Any:
    row = conn.execute(select(table).where(table.c.id == key)).first()
    if row is None:
        raise NotFound(f"no {what} has the id {key!r}")
    return row


class Reader:
    """One connection with the curation and the entity names a read needs."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.curation = Curation.load(conn)
        self._names: dict[str, str] = {}

    def owner(self, entity: str | None, article_id: str) -> str | None:
        """Whom an entity's fact in an article belongs to now, after merges and splits."""
        return self.curation.for_article(entity, article_id) if entity else None

    def members(self, *targets: str) -> list[str]:
        return self.curation.members(targets)

    def names(self, ids: Iterable[str | None]) -> dict[str, str]:
        missing = sorted({i for i in ids if i and i not in self._names})
        for chunk in chunks(missing):
            self._names.update(entity_names(self.conn, chunk))
        return self._names

    def name(self, entity: str | None) -> str | None:
        if entity is None:
            return None
        return self.names([entity]).get(entity, entity)

    def person(self, ref: str) -> str:
        """The one person an id or name means (`newsgraph.store.resolve`); raises `NotFound` or
        `Ambiguous`."""
        return resolve_entity(self.conn, ref, self.curation, kind=PERSON)

    def people(self, ref: str) -> list[str]:
        """Every person an id or name may mean, in the resolver's order."""
        return candidates(self.conn, ref, self.curation, kind=PERSON)

    def entity_types(self, ids: Iterable[str]) -> dict[str, str]:
        kinds: dict[str, str] = {}
        e = t.entities
        for chunk in chunks(sorted(set(ids))):
            kinds.update(
                (r.id, r.type) for r in self.conn.execute(select(e.c.id, e.c.type).where(e.c.id.in_(chunk)))
            )
        return kinds
