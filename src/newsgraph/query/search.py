"""Search: quotes matching some words (or the newest), one row per quote, with facet counts by
speaker, source and month, and the best-matching articles."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from newsgraph.dates import month_range
from newsgraph.query.articles import ArticleSummary
from newsgraph.query.common import Reader, chunks, iso_date
from newsgraph.query.quotes import QuoteHit, hits, hits_statement, newest_first
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.fts import search_articles, search_quotes

# Search results and their facets are worked out over this many best-ranked quotes
# (or, with no search words, this many newest reports).
SEARCH_WINDOW = 300


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class QuoteResult:
    """One quote in a result list, shown by its first report that passes the filters."""

    hit: QuoteHit
    reports: int  # reports of it in the window that pass the filters


@dataclass
class SearchResult:
    q: str
    results: list[QuoteResult]  # this page
    total: int  # results in the window
    window_full: bool  # the window was full: there may be more matches than counted
    facets: dict[str, list[Facet]]  # speaker, source, month
    articles: list[ArticleSummary]


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
    span = month_range(month) if month else None
    with store.engine.connect() as conn:
        reader = Reader(conn)
        statement = hits_statement()
        if speaker:
            statement = statement.where(o.c.speaker_id.in_(reader.members(speaker)))
        if source:
            statement = statement.where(t.articles.c.source == source)
        if span:
            statement = statement.where(o.c.date >= span[0], o.c.date <= span[1])
        words = q.strip()
        if words:
            ranked = list(dict.fromkeys(search_quotes(conn, words, limit=SEARCH_WINDOW)))
            window_full = len(ranked) >= SEARCH_WINDOW
            rows: list[Any] = []
            for chunk in chunks(ranked):
                rows.extend(conn.execute(statement.where(o.c.quote_id.in_(chunk))).all())
            rank = {quote_id: n for n, quote_id in enumerate(ranked)}
        else:
            rows = conn.execute(statement.order_by(*newest_first(conn)).limit(SEARCH_WINDOW)).all()
            window_full = len(rows) >= SEARCH_WINDOW
            rank = {}
        found_hits = hits(reader, rows)
        grouped: dict[str, list[QuoteHit]] = defaultdict(list)
        for hit in found_hits:
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
            ArticleSummary(r.id, iso_date(r.date), r.title, r.source)
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
