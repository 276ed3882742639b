"""Migration 0004 gives an existing store canonical offices without losing its curation."""

from __future__ import annotations

from sqlalchemy import inspect, select

from newsgraph import query
from newsgraph.dates import utc_now
from newsgraph.store import migrate, open_store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, reject
from newsgraph.store.write import write_records


def _roles(store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(select(t.roles).order_by(t.roles.c.id)).all()


def test_an_old_store_gains_canonical_offices_and_keeps_its_curation(store_url, sample_record):
    store = open_store(store_url)
    try:
        assert write_records(store, [sample_record]).added == 1
        written = {row.fact_key: row for row in _roles(store)}
        assert all(row.office_title for row in written.values())

        # the store as release 0003 left it: no office columns, a curator's rejection recorded
        migrate.downgrade(store, "0003")
        with store.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("roles")}
        assert "office_title" not in columns
        rejected = next(key for key, row in written.items() if row.title == "Director General")
        with store.engine.begin() as conn:
            conn.execute(
                t.curation.insert(),
                [{"action": "reject", "subject": rejected, "reason": "test", "at": utc_now()}],
            )
    finally:
        store.close()

    upgraded = open_store(store_url)
    try:
        with upgraded.engine.connect() as conn:
            assert migrate.current(conn) == migrate.HEAD
            assert rejected in Curation.load(conn).rejected
        derived = {row.fact_key: row for row in _roles(upgraded)}
        assert derived.keys() == written.keys()
        for key, row in derived.items():
            before = written[key]
            assert (row.office_title, row.country_code, row.office_org, row.office_key, row.status) == (
                before.office_title,
                before.country_code,
                before.office_org,
                before.office_key,
                before.status,
            )
        answer = query.who(upgraded, "Press Secretary", on="2024-11-18")
        assert [h.person for h in answer.holders] == ["Dmitry Peskov"]
        assert "Director General" not in {h.title for h in query.who(upgraded, "Director General").holders}
    finally:
        upgraded.close()


def test_rejecting_through_the_api_survives_the_upgrade(store, sample_record):
    write_records(store, [sample_record])
    key = _roles(store)[0].fact_key
    reject(store, key, reason="wrong")
    migrate.downgrade(store, "0003")
    migrate.upgrade(store)
    with store.engine.connect() as conn:
        assert key in Curation.load(conn).rejected
        assert conn.execute(select(t.roles.c.office_key).where(t.roles.c.fact_key == key)).scalar()
