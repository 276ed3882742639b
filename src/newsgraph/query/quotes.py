"""Quotes: every report of a statement with its speaker as of that article, newest first or
best match first; one quote with the articles that carry it.

One statement builder (`hits_statement`) serves every list, read whole or a
page at a time; rejected reports are left out in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from newsgraph.dates import parse_date
from newsgraph.query.common import Page, Reader, by_id, chunks, descending, iso_date
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import not_rejected
from newsgraph.store.fts import search_quotes

# Search without a speaker walks the ranked matches this many quotes at a time, in windows
# of this many (growing eightfold) until a page is full: a common word matches thousands of
# quotes and only the best few are ever shown.
SEARCH_CHUNK = 16
SEARCH_WINDOW = 256


@dataclass
class QuoteHit:
    quote_id: str
    fact_key: str
    text: str
    type: str
    confidence: float
    speaker_id: str | None
    speaker: str | None
    speaker_title: str | None
    date: str | None
    article_id: str
    article_title: str | None
    source: str | None
    start: int
    end: int
    cue: str | None
    speaker_mention: str | None


@dataclass
class QuoteView:
    id: str
    text: str
    speaker_id: str | None
    speaker: str | None
    first_seen: str | None
    first_article_id: str | None
    total: int  # reports of it, rejected ones aside
    occurrences: list[QuoteHit]  # this page of them, first seen first


_o = t.quote_occurrences


def hits_statement() -> Any:
    """Every report of a quote nobody rejected, with the quote's text and the article's title
    and source."""
    return (
        select(
            _o.c.id,
            _o.c.quote_id,
            _o.c.fact_key,
            t.quotes.c.text,
            _o.c.type,
            _o.c.confidence,
            _o.c.speaker_id,
            _o.c.speaker_title,
            _o.c.date,
            _o.c.article_id,
            t.articles.c.title,
            t.articles.c.source,
            _o.c.start,
            _o.c.end,
            _o.c.cue,
            _o.c.speaker_mention,
        )
        .join(t.quotes, t.quotes.c.id == _o.c.quote_id)
        .join(t.articles, t.articles.c.id == _o.c.article_id)
        .where(not_rejected(_o.c.fact_key))
    )


def newest_first(conn: Connection) -> tuple[Any, ...]:
    """The order of every newest-first list of reports (undated last)."""
    return (descending(conn, _o.c.date), _o.c.article_id, _o.c.start, _o.c.id)


def _newest_key(row: Any) -> tuple[Any, ...]:
    """`newest_first` for rows already read (those of a set of ranked quotes)."""
    return (row.date is None, -(row.date.toordinal() if row.date else 0), row.article_id, row.start, row.id)


def hits(reader: Reader, rows: Iterable[Any]) -> list[QuoteHit]:
    """Rows of `hits_statement` as hits, under the speaker curation gives each in its article."""
    found = []
    for row in rows:
        speaker = reader.owner(row.speaker_id, row.article_id)
        found.append(
            QuoteHit(
                quote_id=row.quote_id,
                fact_key=row.fact_key,
                text=row.text,
                type=row.type,
                confidence=row.confidence,
                speaker_id=speaker,
                speaker=None,
                speaker_title=row.speaker_title,
                date=iso_date(row.date),
                article_id=row.article_id,
                article_title=row.title,
                source=row.source,
                start=row.start,
                end=row.end,
                cue=row.cue,
                speaker_mention=row.speaker_mention,
            )
        )
    names = reader.names(h.speaker_id for h in found)
    for hit in found:
        hit.speaker = names.get(hit.speaker_id, hit.speaker_id) if hit.speaker_id else None
    return found


def _dated(statement: Any, since: dt.date | None, until: dt.date | None) -> Any:
    if since is not None:
        statement = statement.where(_o.c.date >= since)
    if until is not None:
        statement = statement.where(_o.c.date <= until)
    return statement


def _ranked_rows(reader: Reader, statement: Any, ranked: list[str]) -> list[Any]:
    """The reports of `ranked` quotes that `statement` keeps: best quote first, then newest."""
    rank = {quote_id: n for n, quote_id in enumerate(ranked)}
    rows: list[Any] = []
    for chunk in chunks(ranked):
        rows.extend(reader.conn.execute(statement.where(_o.c.quote_id.in_(chunk))).all())
    rows.sort(key=lambda r: (rank[r.quote_id], *_newest_key(r)))
    return rows


def _speaker_matches(reader: Reader, statement: Any, ids: list[str], text: str) -> list[Any]:
    """One person's matches: their own quotes (few, through the speaker index) intersected
    with every match, instead of walking the whole store's ranking until theirs turn up."""
    theirs = {
        r.quote_id
        for r in reader.conn.execute(select(_o.c.quote_id).where(_o.c.speaker_id.in_(ids)).distinct())
    }
    ranked = [q for q in dict.fromkeys(search_quotes(reader.conn, text)) if q in theirs]
    return _ranked_rows(reader, statement, ranked)


def _matches(reader: Reader, statement: Any, text: str, wanted: int | None) -> list[Any]:
    """Reports of the best-matching quotes, until `wanted` of them pass the filters."""
    rows: list[Any] = []
    done = 0
    window = SEARCH_WINDOW if wanted is not None else None
    size = SEARCH_CHUNK if wanted is not None else 500
    while True:
        ranked = list(dict.fromkeys(search_quotes(reader.conn, text, limit=window)))
        for chunk in chunks(ranked[done:], size):
            done += len(chunk)
            rows.extend(_ranked_rows(reader, statement, chunk))
            if wanted is not None and len(rows) >= wanted:
                return rows
        if window is None or len(ranked) < window:
            return rows
        window *= 8


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    search: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[QuoteHit]:
    """Reports of quotes with speaker, the speaker's title at the time, date, article, type and
    confidence: newest first, or best match first (then newest) with `search` words.

    `speaker` is an id or a name, resolved by `newsgraph.store.resolve` (raises
    `NotFound` or `Ambiguous`); their reports include those of ids merged into them.
    """
    with store.engine.connect() as conn:
        reader = Reader(conn)
        statement = _dated(hits_statement(), parse_date(since), parse_date(until))
        ids = None
        if speaker is not None:
            ids = reader.members(reader.person(speaker))
            statement = statement.where(_o.c.speaker_id.in_(ids))
        end = None if limit is None else offset + limit
        if not search:
            rows = conn.execute(statement.order_by(*newest_first(conn)).offset(offset).limit(limit)).all()
        elif ids is not None:
            rows = _speaker_matches(reader, statement, ids, search)[offset:end]
        else:
            rows = _matches(reader, statement, search, end)[offset:end]
        return hits(reader, rows)


def quote_page(
    store: Store,
    *,
    speaker: str | None = None,
    search: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Page:
    """`quotes`, one page of them."""
    found = quotes(
        store, speaker=speaker, search=search, since=since, until=until, offset=offset, limit=limit + 1
    )
    return Page(found[:limit], offset, limit, len(found) > limit)


def quote(store: Store, quote_id: str, *, offset: int = 0, limit: int = 50) -> QuoteView:
    """A quote and the articles that carry it, first seen first; raises `NotFound`."""
    with store.engine.connect() as conn:
        row = by_id(conn, t.quotes, quote_id, "quote")
        reader = Reader(conn)
        statement = hits_statement().where(_o.c.quote_id == quote_id)
        total = conn.execute(
            select(func.count()).select_from(_o).where(_o.c.quote_id == quote_id, not_rejected(_o.c.fact_key))
        ).scalar_one()
        rows = conn.execute(
            statement.order_by(_o.c.date.is_(None), _o.c.date, _o.c.article_id, _o.c.start, _o.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
        speaker = reader.owner(row.speaker_id, row.first_article_id or "")
        return QuoteView(
            id=row.id,
            text=row.text,
            speaker_id=speaker,
            speaker=reader.name(speaker),
            first_seen=iso_date(row.first_seen),
            first_article_id=row.first_article_id,
            total=int(total),
            occurrences=hits(reader, rows),
        )
