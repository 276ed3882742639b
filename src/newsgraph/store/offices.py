"""The office a role report means, as stored beside the words it was written in.

A report keeps its title, organisation and modifier as written (the
evidence); `office_columns` adds the canonical office from
`newsgraph.canonical`, and `context_country` the country an article is
mostly about, a weak hint for a report that names none ("Prime Minister
John Major" in a wire about Britain). Both are derived, never curated, so
`rederive_offices` can compute them again for a whole store whenever the
lexicon improves; curation lives elsewhere and is untouched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from newsgraph.canonical import canonical_office, place_country
from newsgraph.store import schema as t

# Entity types whose names can be a country: places and the adjectives of peoples.
_COUNTRY_TYPES = frozenset({"GPE", "NORP", "LOC"})
# The article must be mostly about one country for it to stand in for a missing one.
_CONTEXT_SHARE = 0.5
_CONTEXT_MENTIONS = 2


def office_columns(title: str, org: str | None, modifier: str | None) -> dict[str, Any]:
    office = canonical_office(title, org, modifier)
    return {
        "office_title": office.title,
        "country_code": office.country.code if office.country else None,
        "office_org": office.org,
        "office_key": office.key,
        "status": office.status,
    }


def context_country(mentions: Iterable[tuple[str, str]]) -> str | None:
    """ISO code of the country most of an article's (type, text) place mentions name, if one dominates."""
    counted: Counter[str] = Counter()
    for kind, text in mentions:
        if kind in _COUNTRY_TYPES and (found := place_country(text)) is not None:
            counted[found.code] += 1
    if not counted:
        return None
    code, count = counted.most_common(1)[0]
    total = sum(counted.values())
    return code if count >= _CONTEXT_MENTIONS and count / total >= _CONTEXT_SHARE else None


def record_context_country(record: dict[str, Any]) -> str | None:
    return context_country(
        (entity["type"], mention["text"]) for entity in record["entities"] for mention in entity["mentions"]
    )


def rederive_offices(conn: Connection, batch: int = 2000) -> int:
    """Compute the canonical office and article country of every stored role report again."""
    r = t.roles
    countries = _stored_context_countries(conn)
    changed = 0
    rows = conn.execute(select(r.c.id, r.c.article_id, r.c.title, r.c.org, r.c.modifier)).all()
    statement = (
        update(r)
        .where(r.c.id == bindparam("row_id"))
        .values(
            office_title=bindparam("office_title"),
            country_code=bindparam("country_code"),
            office_org=bindparam("office_org"),
            office_key=bindparam("office_key"),
            status=bindparam("status"),
            context_country=bindparam("context_country"),
        )
    )
    for start in range(0, len(rows), batch):
        values = [
            {
                "row_id": row.id,
                **office_columns(row.title, row.org, row.modifier),
                "context_country": countries.get(row.article_id),
            }
            for row in rows[start : start + batch]
        ]
        conn.execute(statement, values)
        changed += len(values)
    return changed


def _stored_context_countries(conn: Connection) -> dict[str, str]:
    m, e = t.mentions, t.entities
    per_article: dict[str, list[tuple[str, str]]] = {}
    statement = (
        select(m.c.article_id, e.c.type, m.c.text)
        .join(e, e.c.id == m.c.entity_id)
        .where(e.c.type.in_(sorted(_COUNTRY_TYPES)))
        .where(m.c.article_id.in_(select(t.roles.c.article_id).distinct()))
    )
    for row in conn.execute(statement):
        per_article.setdefault(row.article_id, []).append((row.type, row.text))
    return {article: code for article, mentions in per_article.items() if (code := context_country(mentions))}
