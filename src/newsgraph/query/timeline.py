"""The timeline: dated time expressions by day, each with its sentence and the statement it is
part of, so that what someone said about the future reads as such.

Days, months, ISO weeks and years are all placed, at their first day; the
same statements (`timeline_statements`) order them in SQL, whether the
timeline is read whole or a page at a time.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Date, case, func, literal, literal_column, or_, select, type_coerce

from newsgraph import dates
from newsgraph.dates import parse_date
from newsgraph.query.common import Page, Reader, chunks, iso_date
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import not_rejected

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*")
_CONTEXT = 400


@dataclass
class TimelineEntry:
    day: str
    precision: str  # day, month, week or year
    value: str
    text: str
    future: bool  # the day is after the article's date
    article_id: str
    article_date: str | None
    start: int
    end: int
    context: str
    quote: dict[str, Any] | None = None  # the statement the time expression is part of


def _week_or_year_day(conn: Connection) -> tuple[Any, Any]:
    """Which time expressions are ISO weeks (2025-W05) or years (2025), which are stored
    without a day, and their first day worked out in SQL."""
    tm = t.times
    if conn.dialect.name == "postgresql":
        week = tm.c.value.regexp_match("^[0-9]{4}-W[0-9]{2}$")
        year = tm.c.value.regexp_match("^[0-9]{4}$")
        day = case(
            (week, func.to_date(tm.c.value, 'IYYY-"W"IW')),
            else_=func.to_date(tm.c.value, "YYYY"),
        )
    else:
        week = tm.c.value.op("GLOB")("[0-9][0-9][0-9][0-9]-W[0-9][0-9]")
        year = tm.c.value.op("GLOB")("[0-9][0-9][0-9][0-9]")
        # SQLite compares dates as YYYY-MM-DD text. The Monday of ISO week 1 is the one on or
        # before 4 January; week N starts 7 * (N - 1) days after it.
        monday = literal_column(
            "date(substr(times.value, 1, 4) || '-01-04', '-6 days', 'weekday 1',"
            " '+' || ((CAST(substr(times.value, 7, 2) AS INTEGER) - 1) * 7) || ' days')"
        )
        day = case((week, monday), else_=tm.c.value + literal("-01-01"))
    return or_(week, year), type_coerce(day, Date)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] (at most about _CONTEXT characters)."""
    left = max(0, start - _CONTEXT)
    begin = left
    for match in _SENTENCE_END.finditer(text, left, start):
        begin = match.end()
    stop = min(len(text), end + _CONTEXT)
    match = _SENTENCE_END.search(text, end, stop)
    finish = (
        match.start() + 1
        if match and not match.group().startswith("\n")
        else (match.start() if match else stop)
    )
    return " ".join(text[begin:finish].split())


def timeline_statements(
    conn: Connection, since: dt.date | None, until: dt.date | None, future_only: bool
) -> tuple[Any, Any]:
    """Dated time expressions in timeline order (by first day, then as stored), as two
    statements: those stored with a day (days and months), which the day index serves, and ISO
    weeks and years, stored without one, whose day is worked out here."""
    tm, a = t.times, t.articles
    base = (
        select(tm.c.id, tm.c.article_id, tm.c.start, tm.c.end, tm.c.text, tm.c.value, a.c.date)
        .join(a, a.c.id == tm.c.article_id)
        .where(tm.c.type == "DATE")
    )
    week_or_year, worked_out = _week_or_year_day(conn)

    def in_order(statement: Any, day: Any) -> Any:
        statement = statement.add_columns(day.label("day"))
        if since is not None:
            statement = statement.where(day >= since)
        if until is not None:
            statement = statement.where(day <= until)
        if future_only:
            statement = statement.where(day > a.c.date)
        # by day, then as stored: an order the day index serves, so a page reads only its rows
        return statement.order_by(day, tm.c.id)

    return (
        in_order(base.where(tm.c.day.is_not(None)), tm.c.day),
        in_order(base.where(tm.c.day.is_(None), week_or_year), worked_out),
    )


def _order(row: Any) -> tuple[Any, ...]:
    """The statements' order, to merge their rows."""
    return (row.day, row.id)


def timeline(
    store: Store,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    future_only: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[TimelineEntry]:
    """Dated time expressions in date order, with their sentence; "future" when after the
    article's date. One inside a quote carries that quote (speaker and statement). Values that
    name a month, week or year stand at their first day."""
    with store.engine.connect() as conn:
        stored, worked_out = timeline_statements(conn, parse_date(since), parse_date(until), future_only)
        # each statement gives at most the rows up to the page's end; merged, the page is a slice
        end = None if limit is None else offset + limit
        merged = heapq.merge(
            *(conn.execute(statement.limit(end)).all() for statement in (stored, worked_out)), key=_order
        )
        entries = []
        for row in islice(merged, offset, end):
            period = dates.period(row.value)
            entries.append(
                TimelineEntry(
                    day=row.day.isoformat(),
                    precision=period[1] if period else "day",
                    value=row.value,
                    text=row.text,
                    future=row.date is not None and row.day > row.date,
                    article_id=row.article_id,
                    article_date=iso_date(row.date),
                    start=row.start,
                    end=row.end,
                    context="",
                )
            )
        add_context(Reader(conn), entries)
    return entries


def timeline_page(
    store: Store,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    future_only: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """`timeline`, one page of it."""
    entries = timeline(
        store, since=since, until=until, future_only=future_only, offset=offset, limit=limit + 1
    )
    return Page(entries[:limit], offset, limit, len(entries) > limit)


def add_context(reader: Reader, entries: list[TimelineEntry]) -> None:
    article_ids = sorted({e.article_id for e in entries})
    texts: dict[str, str] = {}
    statements: dict[str, list[Any]] = defaultdict(list)
    o, q = t.quote_occurrences, t.quotes
    for chunk in chunks(article_ids):
        for row in reader.conn.execute(
            select(t.articles.c.id, t.articles.c.text).where(t.articles.c.id.in_(chunk))
        ):
            texts[row.id] = row.text
        for row in reader.conn.execute(
            select(
                o.c.article_id,
                o.c.fact_key,
                o.c.quote_id,
                o.c.type,
                o.c.start,
                o.c.end,
                o.c.speaker_id,
                q.c.text,
            )
            .join(q, q.c.id == o.c.quote_id)
            .where(o.c.article_id.in_(chunk), not_rejected(o.c.fact_key))
        ):
            statements[row.article_id].append(row)
    for entry in entries:
        entry.context = _sentence(texts.get(entry.article_id, ""), entry.start, entry.end)
        inside = [s for s in statements[entry.article_id] if s.start <= entry.start and entry.end <= s.end]
        if inside:
            s = min(inside, key=lambda s: s.end - s.start)
            speaker = reader.owner(s.speaker_id, s.article_id)
            entry.quote = {
                "quote_id": s.quote_id,
                "text": s.text,
                "type": s.type,
                "speaker_id": speaker,
                "speaker": reader.name(speaker),
                "start": s.start,
                "end": s.end,
            }
