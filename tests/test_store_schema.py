"""The migrated schema is exactly `schema.metadata` (plus full-text search), on SQLite and PostgreSQL."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from newsgraph.store import migrate, open_store
from newsgraph.store.schema import metadata


def _differences(conn) -> list:
    context = MigrationContext.configure(
        conn,
        opts={
            "compare_type": True,
            "include_name": migrate.include_name,
            "include_object": migrate.include_object,
        },
    )
    return compare_metadata(context, metadata)


def _snapshot(store) -> dict:
    """Tables, columns, indexes, foreign keys and (SQLite) triggers, as the database reports them."""
    with store.engine.connect() as conn:
        inspector = inspect(conn)
        tables = sorted(inspector.get_table_names())
        shape = {
            name: (
                [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
                sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(name)),
                sorted(str(fk) for fk in inspector.get_foreign_keys(name)),
            )
            for name in tables
            if not name.startswith(("quotes_fts", "articles_fts"))
        }
        if conn.dialect.name == "sqlite":
            shape["sqlite_master"] = conn.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
            ).all()
        shape["alembic_version"] = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        return {"tables": tables, **shape}


def test_schema_matches_metadata(store):
    with store.engine.connect() as conn:
        assert _differences(conn) == []
        assert migrate.current(conn) == migrate.head() == migrate.HEAD


def test_every_table_is_created(store):
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(metadata.tables) | {"alembic_version"} <= tables


def test_full_text_objects_exist(store):
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
            assert {"quotes_fts", "articles_fts"} <= names
            assert {f"{t}_fts_{s}" for t in ("quotes", "articles") for s in ("ai", "ad", "au")} <= names
        else:
            inspector = inspect(conn)
            for table in ("quotes", "articles"):
                assert "tsv" in {c["name"] for c in inspector.get_columns(table)}
                assert f"ix_{table}_tsv" in {i["name"] for i in inspector.get_indexes(table)}


def test_upgrading_twice_is_a_no_op(store_url):
    first = open_store(store_url)
    try:
        before = _snapshot(first)
        # both the fast path (already at head) and a full `alembic upgrade head`
        open_store(store_url).close()
        with first.engine.connect() as conn:
            command.upgrade(migrate.alembic_config(conn), "head")
            conn.commit()
        migrate.upgrade(first)
        assert _snapshot(first) == before
        assert before["alembic_version"] == [(migrate.HEAD,)]
    finally:
        first.close()


def test_downgrade_to_base_and_back(store):
    migrate.downgrade(store, "base")
    with store.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        assert migrate.current(conn) is None
    migrate.upgrade(store)
    with store.engine.connect() as conn:
        assert _differences(conn) == []


def test_migrations_ship_inside_the_package():
    folder = resources.files("newsgraph.store") / "migrations"
    assert (folder / "env.py").is_file()
    assert (folder / "script.py.mako").is_file()
    initial = (folder / "versions" / "0001_initial.py").read_text(encoding="utf-8")
    # a frozen snapshot: later edits of schema.py must not change what revision 0001 creates
    assert "import newsgraph" not in initial and "from newsgraph" not in initial
    assert "create_all" not in initial
