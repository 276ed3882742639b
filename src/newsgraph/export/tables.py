"""The exported tables: their columns and Arrow types, and the readers of quotes, people, roles and
articles (tenures are read in `newsgraph.export.tenures`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, func, select

from newsgraph.export.common import People, Row, stream
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, not_rejected
from newsgraph.store.wikidata import entity_qids, wikidata_ids

KINDS = ("quotes", "people", "roles", "tenures", "articles")

_QUOTES = [
    ("fact_key", "string"),
    ("quote_id", "string"),
    ("text", "string"),
    ("speaker_id", "string"),
    ("speaker_name", "string"),
    ("speaker_title", "string"),
    ("speaker_mention", "string"),
    ("speaker_mention_start", "int"),
    ("speaker_mention_end", "int"),
    ("article_id", "string"),
    ("date", "date"),
    # where the quote can be read and cited, without a second look-up in the articles export
    ("article_title", "string"),
    ("source", "string"),
    ("url", "string"),
    ("type", "string"),
    ("cue", "string"),
    ("cue_start", "int"),
    ("cue_end", "int"),
    ("start", "int"),
    ("end", "int"),
    ("confidence", "float"),
    ("extractor_version", "string"),
]

_PEOPLE = [
    ("id", "string"),
    ("name", "string"),
    ("wikidata", "string"),
    ("aliases", "list"),
    ("quote_count", "int"),
    ("roles", "list"),
]

_ROLES = [
    ("fact_key", "string"),
    ("person_id", "string"),
    ("person_name", "string"),
    ("title", "string"),
    ("org", "string"),
    ("org_entity_id", "string"),
    ("modifier", "string"),
    ("status", "string"),
    ("as_of", "date"),
    ("inferred", "bool"),
    ("office_key", "string"),
    ("office_title", "string"),
    ("country_code", "string"),
    ("office_org", "string"),
    ("evidence", "string"),
    ("start", "int"),
    ("end", "int"),
    ("article_id", "string"),
    ("extractor_version", "string"),
]

# Named for OpenRefine's reconciliation: one column per thing to match (person, office, country).
_TENURES = [
    ("person_name", "string"),
    ("person_id", "string"),
    ("person_wikidata", "string"),
    ("office", "string"),
    ("office_key", "string"),
    ("office_title", "string"),
    ("office_wikidata", "string"),
    ("country", "string"),
    ("country_code", "string"),
    ("organisation", "string"),
    ("start", "date"),
    ("end", "date"),
    ("ended_by", "string"),
    ("successor", "string"),
    ("last_reported", "date"),
    ("reports", "int"),
    ("reported_as", "list"),
    ("evidence_article_id", "string"),
    ("evidence_title", "string"),
    ("evidence_date", "date"),
    ("evidence_url", "string"),
    ("evidence_text", "string"),
]

_ARTICLES = [
    ("id", "string"),
    ("date", "date"),
    ("title", "string"),
    ("source", "string"),
    ("url", "string"),
    ("path", "string"),
    ("extractor_version", "string"),
    ("model", "string"),
]


def typed_columns(kind: str, with_text: bool = False) -> list[tuple[str, str]]:
    """Column names and their Arrow types ("string", "int", "float", "bool", "date", "list")."""
    if kind == "articles":
        return [*_ARTICLES, ("text", "string")] if with_text else list(_ARTICLES)
    known = {"quotes": _QUOTES, "people": _PEOPLE, "roles": _ROLES, "tenures": _TENURES}
    if kind not in known:
        raise ValueError(f"unknown export {kind!r}; one of {', '.join(KINDS)}")
    return list(known[kind])


def columns(kind: str, with_text: bool = False) -> list[str]:
    return [name for name, _ in typed_columns(kind, with_text)]


def arrow_schema(kind: str, with_text: bool = False) -> Any:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind_]) for name, kind_ in typed_columns(kind, with_text)])


def read_quotes(conn: Connection, size: int, **_: Any) -> Iterator[list[Row]]:
    o, a, e = t.quote_occurrences, t.articles, t.entities
    statement = (
        select(
            o.c.fact_key,
            o.c.quote_id,
            func.substr(a.c.text, o.c.start + 1, o.c.end - o.c.start).label("text"),
            o.c.speaker_id,
            e.c.name.label("speaker_name"),
            o.c.speaker_title,
            o.c.speaker_mention,
            o.c.speaker_mention_start,
            o.c.speaker_mention_end,
            o.c.article_id,
            o.c.date,
            a.c.title.label("article_title"),
            a.c.source,
            a.c.url,
            o.c.type,
            o.c.cue,
            o.c.cue_start,
            o.c.cue_end,
            o.c.start,
            o.c.end,
            o.c.confidence,
            o.c.extractor_version,
        )
        .select_from(o.join(a, a.c.id == o.c.article_id).outerjoin(e, e.c.id == o.c.speaker_id))
        .where(not_rejected(o.c.fact_key))
        .order_by(o.c.date, o.c.article_id, o.c.start, o.c.id)
    )
    people = People(conn, Curation.load(conn))
    for batch in stream(conn, statement, size):
        rows = []
        for item in batch:
            row = dict(item._mapping)
            row["speaker_id"], row["speaker_name"] = people.resolve(row["speaker_id"], row["speaker_name"])
            rows.append(row)
        yield rows


def roles_statement(extra: Iterable[Any] = ()) -> Any:
    r, e = t.roles, t.entities
    return (
        select(
            r.c.fact_key,
            r.c.person_id,
            e.c.name.label("person_name"),
            r.c.title,
            r.c.org,
            r.c.org_entity_id,
            r.c.modifier,
            r.c.status,
            r.c.as_of,
            r.c.inferred,
            r.c.office_key,
            r.c.office_title,
            r.c.country_code,
            r.c.office_org,
            r.c.evidence,
            r.c.start,
            r.c.end,
            r.c.article_id,
            r.c.extractor_version,
            *extra,
        )
        .select_from(r.join(e, e.c.id == r.c.person_id))
        .where(not_rejected(r.c.fact_key))
    )


def read_roles(conn: Connection, size: int, **_: Any) -> Iterator[list[Row]]:
    r = t.roles
    statement = roles_statement().order_by(r.c.person_id, r.c.as_of, r.c.article_id, r.c.start, r.c.id)
    curation = Curation.load(conn)
    people = People(conn, curation)
    for batch in stream(conn, statement, size):
        rows = []
        for item in batch:
            row = dict(item._mapping)
            row["person_id"], row["person_name"] = people.resolve(row["person_id"], row["person_name"])
            if row["org_entity_id"]:
                row["org_entity_id"] = curation.canonical(row["org_entity_id"])
            row["inferred"] = bool(row["inferred"])
            rows.append(row)
        yield rows


def _role_label(title: str, org: str | None) -> str:
    return f"{title}, {org}" if org else title


def read_people(conn: Connection, size: int, **_: Any) -> Iterator[list[Row]]:
    e = t.entities
    curation = Curation.load(conn)
    qids = entity_qids(wikidata_ids(conn), curation)
    statement = select(e.c.id, e.c.name).where(e.c.type == "PERSON").order_by(e.c.id)
    for batch in stream(conn, statement, size):
        kept = [row for row in batch if curation.canonical(row.id) == row.id]
        if not kept:
            continue
        # facts may still name an id merged into a kept one
        owner = {row.id: row.id for row in kept}
        owner.update(
            {old: new for old in curation.merged_away() if (new := curation.canonical(old)) in owner}
        )
        ids = list(owner)
        aliases: dict[str, list[str]] = {row.id: [] for row in kept}
        for item in conn.execute(
            select(t.aliases.c.entity_id, t.aliases.c.alias)
            .where(t.aliases.c.entity_id.in_(ids), t.aliases.c.type == "PERSON")
            .distinct()
            .order_by(t.aliases.c.alias)
        ):
            names = aliases[owner[item.entity_id]]
            if item.alias not in names:
                names.append(item.alias)
        counts = dict.fromkeys(aliases, 0)
        o = t.quote_occurrences
        for item in conn.execute(
            select(o.c.speaker_id, func.count())
            .where(o.c.speaker_id.in_(ids), not_rejected(o.c.fact_key))
            .group_by(o.c.speaker_id)
        ):
            counts[owner[item[0]]] += int(item[1])
        roles: dict[str, list[str]] = {row.id: [] for row in kept}
        r = t.roles
        for item in conn.execute(
            select(r.c.person_id, r.c.title, r.c.org)
            .where(r.c.person_id.in_(ids), not_rejected(r.c.fact_key))
            .order_by(r.c.as_of, r.c.article_id, r.c.start)
        ):
            label = _role_label(item.title, item.org)
            labels = roles[owner[item.person_id]]
            if label not in labels:
                labels.append(label)
        yield [
            {
                "id": row.id,
                "name": row.name,
                "wikidata": qids.get(row.id),
                "aliases": [a for a in aliases[row.id] if a != row.name],
                "quote_count": counts[row.id],
                "roles": roles[row.id],
            }
            for row in kept
        ]


def read_articles(conn: Connection, size: int, *, with_text: bool = False, **_: Any) -> Iterator[list[Row]]:
    a = t.articles
    chosen = [getattr(a.c, name) for name in columns("articles", with_text)]
    statement = select(*chosen).order_by(a.c.date, a.c.id)
    for batch in stream(conn, statement, size):
        yield [dict(item._mapping) for item in batch]
