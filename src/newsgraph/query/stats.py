"""How much the store holds, and an overview: its counts with the most quoted people."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, distinct, func, select

from newsgraph.dates import parse_date
from newsgraph.query.common import PERSON, Reader, chunks, iso_date
from newsgraph.query.people import PersonView, person
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, not_rejected

_PLACES = ("GPE", "LOC", "FAC")


@dataclass
class Stats:
    articles: int
    people: int
    organisations: int
    places: int
    quotes: int
    occurrences: int
    roles: int
    runs: int
    ingest_errors: int
    first_date: str | None
    last_date: str | None


@dataclass
class Overview:
    stats: Stats
    people: list[PersonView]


def _count(conn: Connection, table: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0)


def stats(store: Store) -> Stats:
    """How much the store holds, and the span of article dates."""
    with store.engine.connect() as conn:
        merged = Curation.load(conn).merged_away()

        def entities(*types: str) -> int:
            # an entity merged into another one counts once, as the other one
            kind = t.entities.c.type.in_(types)
            gone = sum(_count(conn, t.entities, kind, t.entities.c.id.in_(chunk)) for chunk in chunks(merged))
            return _count(conn, t.entities, kind) - gone

        first, last = conn.execute(select(func.min(t.articles.c.date), func.max(t.articles.c.date))).one()
        return Stats(
            articles=_count(conn, t.articles),
            people=entities(PERSON),
            organisations=entities("ORG"),
            places=entities(*_PLACES),
            quotes=int(conn.execute(select(func.count(distinct(t.quotes.c.id)))).scalar() or 0),
            occurrences=_count(conn, t.quote_occurrences),
            roles=_count(conn, t.roles),
            runs=_count(conn, t.runs),
            ingest_errors=_count(conn, t.ingest_errors),
            first_date=iso_date(parse_date(first)),
            last_date=iso_date(parse_date(last)),
        )


def overview(store: Store, *, limit: int = 20) -> Overview:
    """What the store knows at a glance: its counts and its most quoted people with their roles."""
    o, r = t.quote_occurrences, t.roles
    with store.engine.connect() as conn:
        reader = Reader(conn)
        canonical = reader.curation.canonical
        quoted = Counter(
            canonical(row.speaker_id)
            for row in conn.execute(
                select(o.c.speaker_id).where(o.c.speaker_id.is_not(None), not_rejected(o.c.fact_key))
            )
        )
        with_roles = {
            canonical(row.person_id)
            for row in conn.execute(select(r.c.person_id).where(not_rejected(r.c.fact_key)).distinct())
        }
        kinds = reader.entity_types(set(quoted) | with_roles)
    ranked = sorted(
        (pid for pid in set(quoted) | with_roles if kinds.get(pid) == PERSON),
        key=lambda pid: (-quoted.get(pid, 0), pid),
    )
    return Overview(stats=stats(store), people=[person(store, pid, limit=1) for pid in ranked[:limit]])
