"""The knowledge base: an embedded SQLite file by default, PostgreSQL by URL.

`open_store(url)` gives a `Store` whose schema is up to date; `store.write`
turns extraction records into rows, `store.resolve` gives entities their
corpus-wide ids, `store.curation` applies merges, splits and rejections, and
`newsgraph.query` reads it all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

from newsgraph import settings
from newsgraph.store.migrate import upgrade


def database_url(db: str | None = None) -> str:
    """`--db` wins over $NEWSGRAPH_DB, which wins over ./newsgraph.db; a path means SQLite."""
    value = db or str(settings.value("db"))
    if "://" in value:
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we install; plain postgresql:// would ask for psycopg2
            return "postgresql+psycopg://" + value[len("postgresql://") :]
        return value
    return f"sqlite:///{Path(value).expanduser()}"


@dataclass
class Store:
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # First, so that every statement below waits for another process's lock rather than failing.
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL lets readers (the web app, queries) run while an ingest writes;
    # synchronous=NORMAL is still crash-safe in WAL mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class StoreOpenError(RuntimeError):
    """The store cannot be opened (not a database, unreadable, a server that refuses): one line."""


def _upgrade_when_free(store: Store, attempts: int = 5) -> None:
    """Migrate, trying again when SQLite reports a lock at once: two processes creating one new
    store together (two ingests started at the same moment) can each hold the lock the other
    needs to switch the file to WAL, and SQLite then fails one of them without waiting."""
    for attempt in range(1, attempts + 1):
        try:
            upgrade(store)
            return
        except OperationalError as exc:
            if store.dialect != "sqlite" or "locked" not in str(exc.orig) or attempt == attempts:
                raise
            time.sleep(0.2 * attempt)


def open_store(db: str | None = None, *, migrate: bool = True) -> Store:
    """The store at `db`, migrated; raises `StoreOpenError` with a one-line reason when it
    cannot be opened."""
    url = database_url(db)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine)
    if migrate:
        try:
            _upgrade_when_free(store)
        except DBAPIError as exc:
            engine.dispose()
            # The driver's own message; SQLAlchemy's adds the statement and a link on more lines.
            reason = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc).strip() else ""
            where = engine.url.render_as_string(hide_password=True)
            raise StoreOpenError(
                f"cannot open the store at {where}: {reason or type(exc).__name__}"
            ) from None
    return store
