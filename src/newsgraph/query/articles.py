"""Articles: one article with every fact stored for it, and articles listed newest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from newsgraph.query.common import Page, Reader, by_id, descending, iso_date
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import not_rejected


@dataclass
class MentionFact:
    start: int
    end: int
    text: str
    kind: str


@dataclass
class EntityFact:
    id: str
    type: str
    name: str
    mentions: list[MentionFact] = field(default_factory=list)


@dataclass
class RoleFact:
    fact_key: str
    person_id: str
    person: str
    title: str
    org: str | None
    modifier: str | None
    as_of: str | None
    inferred: bool
    start: int
    end: int
    evidence: str


@dataclass
class QuoteFact:
    fact_key: str
    quote_id: str
    type: str
    start: int
    end: int
    text: str
    cue_start: int | None
    cue_end: int | None
    cue: str | None
    speaker_id: str | None
    speaker: str | None
    speaker_title: str | None
    speaker_mention_start: int | None
    speaker_mention_end: int | None
    confidence: float


@dataclass
class TimeFact:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class CreditFact:
    kind: str
    name: str
    agency: str | None
    start: int
    end: int


@dataclass
class ArticleSummary:
    id: str
    date: str | None
    title: str | None
    source: str | None


@dataclass
class ArticleView:
    id: str
    date: str | None
    title: str | None
    source: str | None
    url: str | None
    path: str | None
    text: str
    extractor_version: str
    model: str
    entities: list[EntityFact]
    roles: list[RoleFact]
    quotes: list[QuoteFact]
    times: list[TimeFact]
    credits: list[CreditFact]


def article(store: Store, article_id: str) -> ArticleView:
    """An article's text with every fact stored for it; raises `NotFound`."""
    a, m, r, o, tm, c = t.articles, t.mentions, t.roles, t.quote_occurrences, t.times, t.credits
    with store.engine.connect() as conn:
        row = by_id(conn, a, article_id, "article")
        reader = Reader(conn)
        curation = reader.curation
        entities: dict[str, EntityFact] = {}
        mention_rows = conn.execute(
            select(m.c.entity_id, m.c.start, m.c.end, m.c.text, m.c.kind)
            .where(m.c.article_id == article_id)
            .order_by(m.c.start, m.c.id)
        ).all()
        role_rows = conn.execute(
            select(r).where(r.c.article_id == article_id, not_rejected(r.c.fact_key)).order_by(r.c.start)
        ).all()
        quote_rows = conn.execute(
            select(o, t.quotes.c.text)
            .join(t.quotes, t.quotes.c.id == o.c.quote_id)
            .where(o.c.article_id == article_id, not_rejected(o.c.fact_key))
            .order_by(o.c.start)
        ).all()
        owner = {
            e: curation.for_article(e, article_id)
            for e in {x.entity_id for x in mention_rows}
            | {x.person_id for x in role_rows}
            | {x.speaker_id for x in quote_rows if x.speaker_id}
        }
        kinds = reader.entity_types(owner.values())
        names = reader.names(owner.values())
        for mention in mention_rows:
            entity = owner[mention.entity_id]
            fact = entities.setdefault(
                entity, EntityFact(entity, kinds.get(entity, ""), names.get(entity, entity))
            )
            fact.mentions.append(MentionFact(mention.start, mention.end, mention.text, mention.kind))
        roles = [
            RoleFact(
                fact_key=x.fact_key,
                person_id=owner[x.person_id],
                person=names.get(owner[x.person_id], owner[x.person_id]),
                title=x.title,
                org=x.org,
                modifier=x.modifier,
                as_of=iso_date(x.as_of),
                inferred=bool(x.inferred),
                start=x.start,
                end=x.end,
                evidence=x.evidence,
            )
            for x in role_rows
        ]
        quotes = [
            QuoteFact(
                fact_key=x.fact_key,
                quote_id=x.quote_id,
                type=x.type,
                start=x.start,
                end=x.end,
                text=x.text,
                cue_start=x.cue_start,
                cue_end=x.cue_end,
                cue=x.cue,
                speaker_id=owner[x.speaker_id] if x.speaker_id else None,
                speaker=names.get(owner[x.speaker_id]) if x.speaker_id else None,
                speaker_title=x.speaker_title,
                speaker_mention_start=x.speaker_mention_start,
                speaker_mention_end=x.speaker_mention_end,
                confidence=x.confidence,
            )
            for x in quote_rows
        ]
        times = [
            TimeFact(x.start, x.end, x.text, x.type, x.value)
            for x in conn.execute(select(tm).where(tm.c.article_id == article_id).order_by(tm.c.start))
        ]
        credits = [
            CreditFact(x.kind, x.name, x.agency, x.start, x.end)
            for x in conn.execute(select(c).where(c.c.article_id == article_id).order_by(c.c.start))
        ]
    return ArticleView(
        id=row.id,
        date=iso_date(row.date),
        title=row.title,
        source=row.source,
        url=row.url,
        path=row.path,
        text=row.text,
        extractor_version=row.extractor_version,
        model=row.model,
        entities=sorted(entities.values(), key=lambda e: (e.mentions[0].start, e.id)),
        roles=roles,
        quotes=quotes,
        times=times,
        credits=credits,
    )


def article_list(store: Store, *, offset: int = 0, limit: int = 20) -> Page:
    """Articles, newest first (undated last), then by id."""
    a = t.articles
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(a.c.id, a.c.date, a.c.title, a.c.source)
            .order_by(descending(conn, a.c.date), a.c.id)
            .limit(limit + 1)
            .offset(offset)
        ).all()
    items = [ArticleSummary(r.id, iso_date(r.date), r.title, r.source) for r in rows[:limit]]
    return Page(items, offset, limit, len(rows) > limit)
