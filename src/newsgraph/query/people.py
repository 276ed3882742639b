"""People: one person's names, role timeline, quotes and the people most often mentioned with
them; people listed by name; the people a name may mean."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from newsgraph.names import NOT_PEOPLE
from newsgraph.query.common import PERSON, Page, Reader, chunks, descending
from newsgraph.query.quotes import QuoteHit, hits, hits_statement, newest_first
from newsgraph.query.roles import RoleSpan, read_role_rows, role_spans, role_statement
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, link_key, not_rejected

# A person's roles carry their first few reports as evidence (and the count of all).
EVIDENCE_PER_ROLE = 5
# "Mentioned with" counts over a person's newest articles only: a person in 100,000
# articles would otherwise cost a scan of every mention in all of them.
CO_MENTION_ARTICLES = 300
CO_MENTIONED = 10


@dataclass
class CoMention:
    id: str
    name: str
    articles: int


@dataclass
class NameLink:
    """Why another entity's name is this person's: an identity link (`newsgraph.store.identity`)
    or a merge by hand; `undo` is the fact key `newsgraph reject` takes to undo a link."""

    id: str
    name: str
    kind: str  # "identity link" or "merge"
    reason: str
    evidence: dict[str, Any]
    undo: str | None


@dataclass
class PersonView:
    id: str
    type: str
    name: str
    aliases: list[str]
    merged: list[str]  # ids merged into this person
    roles: list[RoleSpan]  # evidence: the first EVIDENCE_PER_ROLE reports of each
    quote_count: int
    quotes: list[QuoteHit]  # this page, newest first
    co_mentioned: list[CoMention]
    co_mention_articles: int  # how many of the person's newest articles the counts cover
    links: list[NameLink]  # why each id in `merged` is this person


def resolve_person(store: Store, ref: str) -> str:
    """The current id of the one person an id or name means; raises `NotFound` or `Ambiguous`."""
    with store.engine.connect() as conn:
        return Reader(conn).person(ref)


def find_people(store: Store, ref: str) -> list[tuple[str, str]]:
    """(id, name) of every person an id or name may mean, in the resolver's order."""
    with store.engine.connect() as conn:
        reader = Reader(conn)
        found = reader.people(ref)
        names = reader.names(found)
        return [(pid, names.get(pid, pid)) for pid in found]


def people(store: Store, *, offset: int = 0, limit: int = 50) -> Page:
    """People by name (then id); ids merged into or linked to another person are left out, and
    so are parties, demonyms and group nouns that older extractors took for people."""
    e = t.entities
    with store.engine.connect() as conn:
        statement = select(e.c.id, e.c.name).where(
            e.c.type == PERSON, func.lower(e.c.name).notin_(sorted(NOT_PEOPLE))
        )
        merged = Curation.load(conn).merged_away()
        if merged:
            statement = statement.where(e.c.id.notin_(merged))
        rows = conn.execute(statement.order_by(e.c.name, e.c.id).limit(limit + 1).offset(offset)).all()
    return Page([{"id": r.id, "name": r.name} for r in rows[:limit]], offset, limit, len(rows) > limit)


def person(store: Store, ref: str, *, offset: int = 0, limit: int = 20) -> PersonView:
    """A person's names, role timeline, a page of quotes (newest first) and the people most
    often mentioned in the same articles.

    `ref` is an id or a name (`newsgraph.store.resolve`); a merged id answers with the
    person it was merged into. Raises `NotFound` or `Ambiguous`.
    """
    e, o = t.entities, t.quote_occurrences
    with store.engine.connect() as conn:
        reader = Reader(conn)
        pid = reader.person(ref)
        ids = reader.members(pid)
        m = t.mentions
        # every spelling: an alias row keeps one spelling of each name key
        aliases = {
            r.alias
            for r in conn.execute(select(t.aliases.c.alias).where(t.aliases.c.entity_id.in_(ids)).distinct())
        } | {
            r.text
            for r in conn.execute(
                select(m.c.text).where(m.c.entity_id.in_(ids), m.c.kind == "name").distinct()
            )
        }
        names = reader.names(ids)
        aliases.update(names[i] for i in ids if i in names)
        role_rows = [
            r
            for r in read_role_rows(
                reader, role_statement().where(t.roles.c.person_id.in_(ids)).order_by(t.roles.c.id)
            )
            if r.person == pid
        ]
        roles = role_spans(reader, role_rows)
        for span in roles:
            # the count says how many; a page shows the first few
            del span.evidence[EVIDENCE_PER_ROLE:]
        quote_count = conn.execute(
            select(func.count()).select_from(o).where(o.c.speaker_id.in_(ids), not_rejected(o.c.fact_key))
        ).scalar_one()
        page = conn.execute(
            hits_statement()
            .where(o.c.speaker_id.in_(ids))
            .order_by(*newest_first(conn))
            .limit(limit)
            .offset(offset)
        ).all()
        own, co_mentioned = _co_mentioned(reader, ids)
        kind = conn.execute(select(e.c.type).where(e.c.id == pid)).scalar_one()
        return PersonView(
            id=pid,
            type=kind,
            name=names.get(pid, pid),
            aliases=sorted(aliases),
            merged=[i for i in ids if i != pid],
            roles=roles,
            quote_count=int(quote_count),
            quotes=hits(reader, page),
            co_mentioned=co_mentioned,
            co_mention_articles=own,
            links=_links(reader, pid, ids, names),
        )


def _links(reader: Reader, pid: str, ids: list[str], names: dict[str, str]) -> list[NameLink]:
    """Why each id merged into or linked to `pid` is the same person."""
    conn, curation = reader.conn, reader.curation
    others = [i for i in ids if i != pid]
    found: list[NameLink] = []
    i, c = t.identity_links, t.curation
    linked = [a for a in others if a in curation.links]
    for chunk in chunks(linked):
        for row in conn.execute(select(i).where(i.c.alias_id.in_(chunk)).order_by(i.c.id)):
            if curation.links[row.alias_id] == row.person_id:
                found.append(
                    NameLink(
                        row.alias_id,
                        names.get(row.alias_id, row.alias_id),
                        "identity link",
                        row.reason,
                        dict(row.evidence),
                        link_key(row.alias_id, row.person_id),
                    )
                )
    merged = [a for a in others if a not in curation.links]
    for chunk in chunks(merged):
        rows = conn.execute(
            select(c).where(c.c.action == "merge", c.c.subject.in_(chunk)).order_by(c.c.id)
        ).all()
        # the latest merge of an id is the one in force
        for row in {r.subject: r for r in rows}.values():
            found.append(
                NameLink(
                    row.subject,
                    names.get(row.subject, row.subject),
                    "merge",
                    f"merged by hand: {row.reason}" if row.reason else "merged by hand",
                    {"curation_id": row.id, "into": row.target},
                    None,
                )
            )
    return sorted(found, key=lambda link: (link.kind, link.name, link.id))


def _co_mentioned(reader: Reader, ids: list[str]) -> tuple[int, list[CoMention]]:
    """How many of the person's newest articles were looked at, and the people most often
    mentioned in them (most articles first, then by name)."""
    m, a = t.mentions, t.articles
    conn = reader.conn
    own = [
        r.id
        for r in conn.execute(
            select(a.c.id)
            .where(a.c.id.in_(select(m.c.article_id).where(m.c.entity_id.in_(ids))))
            .order_by(descending(conn, a.c.date), a.c.id)
            .limit(CO_MENTION_ARTICLES)
        )
    ]
    # counted here, not in SQL: a GROUP BY there starts from every person in the store
    together: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks(own):
        for r in conn.execute(
            select(m.c.entity_id, m.c.article_id).where(m.c.article_id.in_(chunk)).distinct()
        ):
            entity: Any = reader.owner(r.entity_id, r.article_id)
            if entity not in ids:
                together[entity].add(r.article_id)
    kinds = reader.entity_types(together)
    found = [entity for entity in together if kinds.get(entity) == PERSON]
    names = reader.names(found)
    found.sort(key=lambda entity: (-len(together[entity]), names.get(entity, entity), entity))
    return len(own), [
        CoMention(entity, names.get(entity, entity), len(together[entity])) for entity in found[:CO_MENTIONED]
    ]
