"""Reads for browsing the knowledge base page by page: one article with every fact, one
quote with every article that carries it, paged quotes, search with facets, a person's
page and the timeline.

`newsgraph.query` answers whole questions ("every quote of X"); on a store of hundreds
of thousands of articles a person or the timeline is too big to read whole for one
page. Everything here is bounded: paged in SQL (stable order, then offset) or worked
out over a fixed window of the best matches. Curation is applied as in `query`:
rejected fact keys are left out, and facts are read under the ids curation re-pointed
them to (merged ids count as the person they were merged into).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, true

from newsgraph import query
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.fts import search_articles, search_quotes

# Search results and their facets are worked out over this many best-ranked quotes
# (or, with no search words, this many newest reports).
SEARCH_WINDOW = 300
# A person's roles carry their first few reports as evidence (and the count of all).
EVIDENCE_PER_ROLE = 5
# "Mentioned with" counts over a person's newest articles only.
CO_MENTION_ARTICLES = 300
_PERSON = "PERSON"


# ---------------------------------------------------------------------------- results


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


@dataclass
class QuoteView:
    id: str
    text: str
    speaker_id: str | None
    speaker: str | None
    first_seen: str | None
    first_article_id: str | None
    total: int  # reports of it, rejected ones aside
    occurrences: list[query.QuoteHit]  # this page of them, first seen first


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class QuoteResult:
    """One quote in a result list, shown by its first report that passes the filters."""

    hit: query.QuoteHit
    reports: int  # reports of it in the window that pass the filters


@dataclass
class SearchResult:
    q: str
    results: list[QuoteResult]  # this page
    total: int  # results in the window
    window_full: bool  # the window was full: there may be more matches than counted
    facets: dict[str, list[Facet]]  # speaker, source, month
    articles: list[ArticleSummary]


@dataclass
class PersonView:
    id: str
    type: str
    name: str
    aliases: list[str]
    merged: list[str]
    roles: list[query.RoleSpan]  # evidence: the first EVIDENCE_PER_ROLE reports of each
    quote_count: int
    quotes: list[query.QuoteHit]  # this page, newest first
    co_mentioned: list[query.CoMention]
    co_mention_articles: int  # how many of the person's newest articles the counts cover


@dataclass
class Page:
    """A list page: its items, and whether another page follows."""

    items: list[Any]
    offset: int
    limit: int
    more: bool


# ---------------------------------------------------------------------------- helpers


def _members(curation: Curation, person_id: str) -> list[str]:
    """The id and every id merged into it: stored rows may still name a merged id."""
    return sorted({person_id} | {e for e in curation.merged_into if curation.canonical(e) == person_id})


def _not_rejected(column: Any, curation: Curation) -> Any:
    return column.notin_(sorted(curation.rejected)) if curation.rejected else true()


def _hits_statement(curation: Curation) -> Any:
    return query.quote_hits_statement().where(_not_rejected(t.quote_occurrences.c.fact_key, curation))


def _hits(reader: query.Reader, rows: Iterable[Any]) -> list[query.QuoteHit]:
    hits = [query.quote_hit(row, reader.owner(row.speaker_id, row.article_id)) for row in rows]
    query.name_speakers(reader, hits)
    return hits


def _by_id(conn: Connection, table: Any, key: str, what: str) -> Any:
    row = conn.execute(select(table).where(table.c.id == key)).first()
    if row is None:
        raise query.NotFound(f"no {what} has the id {key!r}")
    return row


def _descending(conn: Connection, column: Any) -> Any:
    """Newest first, undated last, in a form the date index serves: SQLite sorts NULL lowest,
    so a plain DESC puts it last already; an `IS NULL` term first would sort the whole table."""
    return column.desc() if conn.dialect.name == "sqlite" else column.desc().nulls_last()


def _newest_first(conn: Connection) -> tuple[Any, ...]:
    o = t.quote_occurrences
    return (_descending(conn, o.c.date), o.c.article_id, o.c.start, o.c.id)


# ---------------------------------------------------------------------------- articles


def article(store: Store, article_id: str) -> ArticleView:
    """An article's text with every fact stored for it; raises `query.NotFound`."""
    a, m, r, o, tm, c = t.articles, t.mentions, t.roles, t.quote_occurrences, t.times, t.credits
    with store.engine.connect() as conn:
        row = _by_id(conn, a, article_id, "article")
        reader = query.Reader(conn)
        curation = reader.curation
        entities: dict[str, EntityFact] = {}
        mention_rows = conn.execute(
            select(m.c.entity_id, m.c.start, m.c.end, m.c.text, m.c.kind)
            .where(m.c.article_id == article_id)
            .order_by(m.c.start, m.c.id)
        ).all()
        role_rows = conn.execute(
            select(r)
            .where(r.c.article_id == article_id, _not_rejected(r.c.fact_key, curation))
            .order_by(r.c.start)
        ).all()
        quote_rows = conn.execute(
            select(o, t.quotes.c.text)
            .join(t.quotes, t.quotes.c.id == o.c.quote_id)
            .where(o.c.article_id == article_id, _not_rejected(o.c.fact_key, curation))
            .order_by(o.c.start)
        ).all()
        owner = {
            e: curation.for_article(e, article_id)
            for e in {x.entity_id for x in mention_rows}
            | {x.person_id for x in role_rows}
            | {x.speaker_id for x in quote_rows if x.speaker_id}
        }
        kinds = {
            row.id: row.type
            for row in conn.execute(
                select(t.entities.c.id, t.entities.c.type).where(t.entities.c.id.in_(owner.values()))
            )
        }
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
                as_of=query.iso_date(x.as_of),
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
        date=query.iso_date(row.date),
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
            .order_by(_descending(conn, a.c.date), a.c.id)
            .limit(limit + 1)
            .offset(offset)
        ).all()
    items = [ArticleSummary(r.id, query.iso_date(r.date), r.title, r.source) for r in rows[:limit]]
    return Page(items, offset, limit, len(rows) > limit)


# ---------------------------------------------------------------------------- quotes


def latest_quotes(
    store: Store,
    *,
    speaker_id: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Page:
    """Reports of quotes, newest first, paged in SQL."""
    o = t.quote_occurrences
    with store.engine.connect() as conn:
        reader = query.Reader(conn)
        curation = reader.curation
        statement = _hits_statement(curation)
        if speaker_id is not None:
            statement = statement.where(o.c.speaker_id.in_(_members(curation, speaker_id)))
        if since is not None:
            statement = statement.where(o.c.date >= since)
        if until is not None:
            statement = statement.where(o.c.date <= until)
        rows = conn.execute(statement.order_by(*_newest_first(conn)).limit(limit + 1).offset(offset)).all()
        return Page(_hits(reader, rows[:limit]), offset, limit, len(rows) > limit)


def speaker_search(
    store: Store,
    speaker_id: str,
    text: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Page:
    """One person's reports of quotes whose words hold all of `text`'s, best match first, then newest.

    `query.quotes(speaker=..., search=...)` walks the ranked matches of the
    whole store until the speaker's turn up, slow for a common word and a
    rarely quoted person; here the person's own quotes (few, through the
    speaker index) are intersected with every match instead.
    """
    o = t.quote_occurrences
    with store.engine.connect() as conn:
        reader = query.Reader(conn)
        curation = reader.curation
        ids = _members(curation, speaker_id)
        theirs = {
            r.quote_id for r in conn.execute(select(o.c.quote_id).where(o.c.speaker_id.in_(ids)).distinct())
        }
        ranked = [quote_id for quote_id in dict.fromkeys(search_quotes(conn, text)) if quote_id in theirs]
        rank = {quote_id: n for n, quote_id in enumerate(ranked)}
        statement = _hits_statement(curation).where(o.c.speaker_id.in_(ids))
        if since is not None:
            statement = statement.where(o.c.date >= since)
        if until is not None:
            statement = statement.where(o.c.date <= until)
        rows: list[Any] = []
        for chunk in query.chunks(ranked):
            rows.extend(conn.execute(statement.where(o.c.quote_id.in_(chunk))).all())
        rows.sort(
            key=lambda r: (
                rank[r.quote_id],
                r.date is None,
                -(r.date.toordinal() if r.date else 0),
                r.article_id,
                r.start,
            )
        )
        return Page(_hits(reader, rows[offset : offset + limit]), offset, limit, len(rows) > offset + limit)


def quote(store: Store, quote_id: str, *, offset: int = 0, limit: int = 50) -> QuoteView:
    """A quote and the articles that carry it, first seen first; raises `query.NotFound`."""
    o, q = t.quote_occurrences, t.quotes
    with store.engine.connect() as conn:
        row = _by_id(conn, q, quote_id, "quote")
        reader = query.Reader(conn)
        curation = reader.curation
        statement = _hits_statement(curation).where(o.c.quote_id == quote_id)
        total = conn.execute(
            select(func.count())
            .select_from(o)
            .where(o.c.quote_id == quote_id, _not_rejected(o.c.fact_key, curation))
        ).scalar_one()
        rows = conn.execute(
            statement.order_by(o.c.date.is_(None), o.c.date, o.c.article_id, o.c.start, o.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
        hits = _hits(reader, rows)
        speaker = curation.for_article(row.speaker_id, row.first_article_id or "") if row.speaker_id else None
        return QuoteView(
            id=row.id,
            text=row.text,
            speaker_id=speaker,
            speaker=reader.names([speaker]).get(speaker or "", speaker),
            first_seen=query.iso_date(row.first_seen),
            first_article_id=row.first_article_id,
            total=int(total),
            occurrences=hits,
        )


def _month_range(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a YYYY-MM month; ValueError when it is not one."""
    first = dt.date.fromisoformat(month + "-01")
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def search(
    store: Store,
    q: str = "",
    *,
    speaker: str | None = None,
    source: str | None = None,
    month: str | None = None,
    offset: int = 0,
    limit: int = 20,
    articles: int = 10,
) -> SearchResult:
    """Quotes matching `q` (all its words, best first; newest first with no words), with facets.

    Results and facets cover the `SEARCH_WINDOW` best-ranked quotes (or newest
    reports): a common word matches thousands, and only the best are worth a
    facet count. `speaker` (an entity id), `source` and `month` (YYYY-MM) narrow
    the results; each quote shows its first report that passes them. Raises
    ValueError for a malformed month.
    """
    o = t.quote_occurrences
    span = _month_range(month) if month else None
    with store.engine.connect() as conn:
        reader = query.Reader(conn)
        curation = reader.curation
        statement = _hits_statement(curation)
        if speaker:
            statement = statement.where(o.c.speaker_id.in_(_members(curation, speaker)))
        if source:
            statement = statement.where(t.articles.c.source == source)
        if span:
            statement = statement.where(o.c.date >= span[0], o.c.date <= span[1])
        words = q.strip()
        if words:
            ranked = list(dict.fromkeys(search_quotes(conn, words, limit=SEARCH_WINDOW)))
            window_full = len(ranked) >= SEARCH_WINDOW
            rows: list[Any] = []
            for chunk in query.chunks(ranked):
                rows.extend(conn.execute(statement.where(o.c.quote_id.in_(chunk))).all())
            rank = {quote_id: n for n, quote_id in enumerate(ranked)}
        else:
            rows = conn.execute(statement.order_by(*_newest_first(conn)).limit(SEARCH_WINDOW)).all()
            window_full = len(rows) >= SEARCH_WINDOW
            rank = {}
        hits = _hits(reader, rows)
        grouped: dict[str, list[query.QuoteHit]] = defaultdict(list)
        for hit in hits:
            grouped[hit.quote_id].append(hit)
        results = []
        for reports in grouped.values():
            reports.sort(key=lambda h: (h.date is None, h.date or "", h.article_id, h.start))
            results.append(QuoteResult(reports[0], len(reports)))
        if words:
            results.sort(key=lambda r: rank.get(r.hit.quote_id, len(rank)))
        else:
            results.sort(key=lambda r: (r.hit.date is None, _day_key(r.hit.date), r.hit.quote_id))
        found = [
            ArticleSummary(r.id, query.iso_date(r.date), r.title, r.source)
            for r in _article_rows(conn, search_articles(conn, words, limit=articles) if words else [])
        ]
    return SearchResult(
        q=words,
        results=results[offset : offset + limit],
        total=len(results),
        window_full=window_full,
        facets=_facets(results),
        articles=found,
    )


def _day_key(day: str | None) -> int:
    return -dt.date.fromisoformat(day).toordinal() if day else 0


def _article_rows(conn: Connection, ids: list[str]) -> list[Any]:
    if not ids:
        return []
    a = t.articles
    rows = {
        r.id: r for r in conn.execute(select(a.c.id, a.c.date, a.c.title, a.c.source).where(a.c.id.in_(ids)))
    }
    return [rows[i] for i in ids if i in rows]


def _facets(results: list[QuoteResult], size: int = 12) -> dict[str, list[Facet]]:
    speakers: Counter[str] = Counter()
    labels: dict[str, str] = {}
    sources: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for result in results:
        hit = result.hit
        if hit.speaker_id:
            speakers[hit.speaker_id] += 1
            labels[hit.speaker_id] = hit.speaker or hit.speaker_id
        if hit.source:
            sources[hit.source] += 1
        if hit.date:
            months[hit.date[:7]] += 1
    return {
        "speaker": [
            Facet(k, labels[k], n)
            for k, n in sorted(speakers.items(), key=lambda x: (-x[1], labels[x[0]]))[:size]
        ],
        "source": [Facet(k, k, n) for k, n in sorted(sources.items(), key=lambda x: (-x[1], x[0]))[:size]],
        "month": [Facet(k, k, n) for k, n in sorted(months.items(), reverse=True)[:size]],
    }


# ---------------------------------------------------------------------------- people


def find_people(store: Store, name: str) -> list[tuple[str, str]]:
    """(id, name) of the people a name or id may mean, as `newsgraph person` resolves it."""
    with store.engine.connect() as conn:
        reader = query.Reader(conn)
        found = reader.resolve_person(name)
        names = reader.names(found)
        return [(pid, names.get(pid, pid)) for pid in found]


def people(store: Store, *, offset: int = 0, limit: int = 50) -> Page:
    """People by name (then id); ids merged into another person are left out."""
    e = t.entities
    with store.engine.connect() as conn:
        curation = Curation.load(conn)
        statement = select(e.c.id, e.c.name).where(e.c.type == _PERSON)
        merged = sorted(x for x in curation.merged_into if curation.canonical(x) != x)
        if merged:
            statement = statement.where(e.c.id.notin_(merged))
        rows = conn.execute(statement.order_by(e.c.name, e.c.id).limit(limit + 1).offset(offset)).all()
    return Page([{"id": r.id, "name": r.name} for r in rows[:limit]], offset, limit, len(rows) > limit)


def canonical(store: Store, entity_id: str) -> str | None:
    """The id an entity id stands for now (after merges); None when no entity has it."""
    with store.engine.connect() as conn:
        if conn.execute(select(t.entities.c.id).where(t.entities.c.id == entity_id)).first() is None:
            return None
        return Curation.load(conn).canonical(entity_id)


def person(store: Store, person_id: str, *, offset: int = 0, limit: int = 20) -> PersonView:
    """A person's names, role timeline, a page of quotes and the people most often mentioned with them.

    `person_id` is an entity id (see `canonical` for merged ids); raises `query.NotFound`.
    """
    e, m, o = t.entities, t.mentions, t.quote_occurrences
    with store.engine.connect() as conn:
        row = _by_id(conn, e, person_id, "entity")
        reader = query.Reader(conn)
        curation = reader.curation
        ids = _members(curation, person_id)
        aliases = sorted(
            {
                r.alias
                for r in conn.execute(
                    select(t.aliases.c.alias).where(t.aliases.c.entity_id.in_(ids)).distinct()
                )
            }
            | {row.name}
        )
        role_rows = [
            r
            for r in query.read_role_rows(
                reader,
                select(*query.ROLE_COLUMNS).where(t.roles.c.person_id.in_(ids)).order_by(t.roles.c.id),
            )
            if r.person == person_id
        ]
        roles = query.role_spans(reader, role_rows)
        for span in roles:
            # the count says how many; a page shows the first few
            del span.evidence[EVIDENCE_PER_ROLE:]
        quote_count = conn.execute(
            select(func.count())
            .select_from(o)
            .where(o.c.speaker_id.in_(ids), _not_rejected(o.c.fact_key, curation))
        ).scalar_one()
        quote_rows = conn.execute(
            _hits_statement(curation)
            .where(o.c.speaker_id.in_(ids))
            .order_by(*_newest_first(conn))
            .limit(limit)
            .offset(offset)
        ).all()
        quotes = _hits(reader, quote_rows)
        # the person's newest articles, then everyone else mentioned in them
        a = t.articles
        own = [
            r.id
            for r in conn.execute(
                select(a.c.id)
                .where(a.c.id.in_(select(m.c.article_id).where(m.c.entity_id.in_(ids))))
                .order_by(_descending(conn, a.c.date), a.c.id)
                .limit(CO_MENTION_ARTICLES)
            )
        ]
        # counted here, not in SQL: a GROUP BY there starts from every person in the store
        together: dict[str, set[str]] = defaultdict(set)
        for chunk in query.chunks(own):
            for r in conn.execute(
                select(m.c.entity_id, m.c.article_id).where(m.c.article_id.in_(chunk)).distinct()
            ):
                entity = curation.for_article(r.entity_id, r.article_id)
                if entity not in ids:
                    together[entity].add(r.article_id)
        kinds: dict[str, str] = {}
        for chunk in query.chunks(sorted(together)):
            kinds.update(
                (r.id, r.type) for r in conn.execute(select(e.c.id, e.c.type).where(e.c.id.in_(chunk)))
            )
        ranked = sorted(
            (entity for entity in together if kinds.get(entity) == _PERSON),
            key=lambda entity: (-len(together[entity]), entity),
        )[:10]
        co_names = reader.names(ranked)
        co_mentioned = [query.CoMention(x, co_names.get(x, x), len(together[x])) for x in ranked]
    return PersonView(
        id=row.id,
        type=row.type,
        name=row.name,
        aliases=aliases,
        merged=[i for i in ids if i != person_id],
        roles=roles,
        quote_count=int(quote_count),
        quotes=quotes,
        co_mentioned=co_mentioned,
        co_mention_articles=len(own),
    )


# ---------------------------------------------------------------------------- timeline


def timeline(
    store: Store,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    future_only: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Dated time expressions by day, each with its sentence and the quote it is part of.

    Paged in SQL over the expressions that name a day or a month (stored with a
    day); week and year values are left to `query.timeline`, which reads them all.
    """
    tm, a = t.times, t.articles
    statement = (
        select(tm.c.article_id, tm.c.start, tm.c.end, tm.c.text, tm.c.value, tm.c.day, a.c.date)
        .join(a, a.c.id == tm.c.article_id)
        .where(tm.c.type == "DATE", tm.c.day.is_not(None))
    )
    if since is not None:
        statement = statement.where(tm.c.day >= since)
    if until is not None:
        statement = statement.where(tm.c.day <= until)
    if future_only:
        statement = statement.where(tm.c.day > a.c.date)
    statement = statement.order_by(tm.c.day, tm.c.id).limit(limit + 1).offset(offset)
    with store.engine.connect() as conn:
        rows = conn.execute(statement).all()
        entries = []
        for row in rows[:limit]:
            period = query.date_period(row.value)
            entries.append(
                query.TimelineEntry(
                    day=row.day.isoformat(),
                    precision=period[1] if period else "day",
                    value=row.value,
                    text=row.text,
                    future=row.date is not None and row.day > row.date,
                    article_id=row.article_id,
                    article_date=query.iso_date(row.date),
                    start=row.start,
                    end=row.end,
                    context="",
                )
            )
        query.add_context(query.Reader(conn), entries)
    return Page(entries, offset, limit, len(rows) > limit)
