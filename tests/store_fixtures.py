"""Store fixtures: every store test runs on a SQLite file and on PostgreSQL.

PostgreSQL is the server named by $NEWSGRAPH_TEST_PG_URL (`.ci/run` starts a
throwaway one); each test gets a database of its own, dropped afterwards.
Without the variable, or when the server does not answer, the PostgreSQL
variants skip with the reason.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

PG_ENV = "NEWSGRAPH_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


@functools.cache
def _pg_server() -> tuple[URL | None, str]:
    """The admin URL of the test server, or None and why not."""
    from newsgraph.store import database_url

    value = os.environ.get(PG_ENV)
    if not value:
        return None, f"PostgreSQL tests need ${PG_ENV} (e.g. postgresql://postgres@127.0.0.1:54329/postgres)"
    url = make_url(database_url(value))
    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"PostgreSQL server at ${PG_ENV} unreachable: {reason}"
    finally:
        engine.dispose()
    return url, ""


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL (or SQLite path) of an empty database, one per test."""
    if request.param == "sqlite":
        yield str(tmp_path / "newsgraph.db")
        return
    admin_url, reason = _pg_server()
    if admin_url is None:
        pytest.skip(reason)
    name = f"newsgraph_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(store_url: str):
    """`open_store(store_url)`: an empty, migrated store on each backend."""
    from newsgraph.store import open_store

    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
