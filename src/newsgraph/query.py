"""The read side of the knowledge base: quotes, people, office holders, timeline, counts.

Every function takes a `Store` (from `newsgraph.store.open_store`) and returns
plain dataclasses whose fields are JSON-ready (dates as ISO strings);
`to_jsonable` turns a result into lists and dicts.

Curation is applied on read, so a merge, split or rejection recorded after an
article was ingested shows at once: rejected fact keys are left out, and a
merged (or split) entity's facts show under the entity they now belong to.
Only SQLAlchemy Core with bound parameters is used, and date logic is done in
Python, so the same code serves SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, case, distinct, func, or_, select

from newsgraph.errors import Ambiguous, NotFound
from newsgraph.lexicon import DEMONYMS, ROLE_MODIFIERS
from newsgraph.names import name_key, plain
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation

# A role with one of these modifiers ended on or before its date: it closes a role, never opens one.
ENDING_MODIFIERS = frozenset({"former", "ex", "late", "retired"})

# Offices one person holds at a time (per organisation); two holders whose dates overlap conflict.
SINGLE_HOLDER_TITLES = frozenset(
    [
        "president",
        "prime minister",
        "premier",
        "press secretary",
        "chancellor",
        "vice chancellor",
        "governor",
        "mayor",
        "chairman",
        "chairwoman",
        "chairperson",
        "chair",
        "ceo",
        "chief executive",
        "chief executive officer",
        "director general",
        "director",
        "executive director",
        "speaker",
        "secretary general",
        "general secretary",
        "king",
        "queen",
        "emperor",
        "pope",
        "monarch",
        "commander in chief",
        "attorney general",
        "foreign minister",
        "defence minister",
        "defense minister",
        "finance minister",
        "interior minister",
        "minister of foreign affairs",
        "minister of defence",
        "minister of defense",
        "minister of finance",
        "minister of the interior",
    ]
)

_STOPWORDS = frozenset("of the a an and for to in on at s".split())
_MODIFIER_WORDS = frozenset(word for words in ROLE_MODIFIERS for word in words)
_PERSON = "PERSON"
_PLACES = ("GPE", "LOC", "FAC")


# ---------------------------------------------------------------------------- results


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
class Evidence:
    article_id: str
    date: str | None
    text: str
    start: int
    end: int
    modifier: str | None = None
    inferred: bool = False
    fact_key: str | None = None


@dataclass
class RoleSpan:
    """One office of one person, aggregated over every report of it."""

    person_id: str
    person: str
    title: str
    org: str | None
    title_key: str
    org_key: str | None
    first_seen: str | None  # earliest report of the person in office
    last_seen: str | None  # latest report of the person in office
    ended_by: str | None  # the office had ended by this date ("former ...")
    evidence_count: int
    inferred: bool  # every report of it is inferred
    modifier: str | None  # the commonest modifier of its reports ("acting", ...)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class CoMention:
    id: str
    name: str
    articles: int


@dataclass
class PersonSummary:
    id: str
    name: str
    aliases: list[str]
    merged: list[str]  # ids merged into this person
    roles: list[RoleSpan]
    quote_count: int
    latest_quotes: list[QuoteHit]
    co_mentioned: list[CoMention]


@dataclass
class Holder:
    person_id: str
    person: str
    title: str
    org: str | None
    status: str  # "in office" (on the date), "last reported" (before it), "reported" / "ended" (no date)
    first_seen: str | None
    last_seen: str | None
    ended_by: str | None
    evidence: list[Evidence]
    title_key: str = ""

    @property
    def evidence_count(self) -> int:
        """As on a `RoleSpan`, so that one chart draws either."""
        return len(self.evidence)


@dataclass
class Conflict:
    title: str
    org: str | None
    overlap_from: str
    overlap_to: str
    holders: list[Holder]


@dataclass
class WhoAnswer:
    title: str
    on: str | None
    holders: list[Holder]
    conflicts: list[Conflict]


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


def to_jsonable(value: Any) -> Any:
    """Dataclasses (and lists of them) as plain dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------- helpers


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Reader:
    """One connection with the curation and entity names it needs."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.curation = Curation.load(conn)
        self._names: dict[str, str] = {}

    def owner(self, entity: str | None, article_id: str) -> str | None:
        """Whom an entity's fact in an article belongs to now, after merges and splits."""
        return self.curation.for_article(entity, article_id) if entity else None

    def members(self, targets: set[str]) -> set[str]:
        """Every stored id whose facts may now belong to one of `targets`."""
        found = set(targets)
        found.update(e for e in self.curation.merged_into if self.curation.canonical(e) in targets)
        found.update(
            subject
            for (subject, _article), target in self.curation.splits.items()
            if self.curation.canonical(target) in targets
        )
        return found

    def names(self, ids: Iterable[str | None]) -> dict[str, str]:
        missing = sorted({i for i in ids if i and i not in self._names})
        for chunk in chunks(missing):
            for row in self.conn.execute(
                select(t.entities.c.id, t.entities.c.name).where(t.entities.c.id.in_(chunk))
            ):
                self._names[row.id] = row.name
        return self._names

    def name(self, entity: str | None) -> str | None:
        if entity is None:
            return None
        return self.names([entity]).get(entity, entity)

    def resolve_person(self, name: str) -> list[str]:
        """People a name (or an entity id) may mean, after merges: full name first, then surname."""
        name = name.strip()
        row = self.conn.execute(
            select(t.entities.c.id).where(t.entities.c.id == name, t.entities.c.type == _PERSON)
        ).first()
        if row is not None:
            return [self.curation.canonical(row.id)]
        key = name_key(name)
        words = key.split()
        if not words:
            return []
        if len(words) >= 2:
            lookups = [(_PERSON, key), (_PERSON, f"{words[0]} {words[-1]}")]
        else:
            lookups = [("PERSON_SURNAME", key), (_PERSON, key)]
        for kind, alias_key in lookups:
            rows = self.conn.execute(
                select(t.aliases.c.entity_id).where(t.aliases.c.type == kind, t.aliases.c.key == alias_key)
            )
            found = sorted({self.curation.canonical(r.entity_id) for r in rows})
            if found:
                return found
        return []

    def one_person(self, name: str) -> str:
        found = self.resolve_person(name)
        if not found:
            raise NotFound(f"no person matches {name!r}")
        if len(found) > 1:
            names = self.names(found)
            raise Ambiguous(name, [(i, names.get(i, i)) for i in found])
        return found[0]


# ---------------------------------------------------------------------------- quotes


_SEARCH_CHUNK = 16
_SEARCH_WINDOW = 256


QUOTE_HIT_COLUMNS = (
    t.quote_occurrences.c.quote_id,
    t.quote_occurrences.c.fact_key,
    t.quotes.c.text,
    t.quote_occurrences.c.type,
    t.quote_occurrences.c.confidence,
    t.quote_occurrences.c.speaker_id,
    t.quote_occurrences.c.speaker_title,
    t.quote_occurrences.c.date,
    t.quote_occurrences.c.article_id,
    t.articles.c.title,
    t.articles.c.source,
    t.quote_occurrences.c.start,
    t.quote_occurrences.c.end,
    t.quote_occurrences.c.cue,
    t.quote_occurrences.c.speaker_mention,
)


def quote_hits_statement() -> Any:
    """Every report of a quote, with the quote's text and the article's title and source, unfiltered."""
    o = t.quote_occurrences
    return (
        select(*QUOTE_HIT_COLUMNS)
        .join(t.quotes, t.quotes.c.id == o.c.quote_id)
        .join(t.articles, t.articles.c.id == o.c.article_id)
    )


def quote_hit(row: Any, speaker_id: str | None) -> QuoteHit:
    """A row of `quote_hits_statement` as a hit; `speaker_id` is its owner after curation and
    `name_speakers` fills in the name."""
    return QuoteHit(
        quote_id=row.quote_id,
        fact_key=row.fact_key,
        text=row.text,
        type=row.type,
        confidence=row.confidence,
        speaker_id=speaker_id,
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


def name_speakers(reader: Reader, hits: list[QuoteHit]) -> None:
    names = reader.names(h.speaker_id for h in hits)
    for hit in hits:
        hit.speaker = names.get(hit.speaker_id, hit.speaker_id) if hit.speaker_id else None


def _newest_first(row: Any) -> tuple[Any, ...]:
    """The SQL order (undated last, newest first, then position) for rows sorted in Python."""
    return (
        row.date is None,
        -(row.date.toordinal() if row.date else 0),
        row.article_id,
        row.start,
        row.fact_key,
    )


def _quote_hits(
    reader: Reader,
    *,
    speakers: set[str] | None = None,
    quote_ids: list[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
) -> list[QuoteHit]:
    o = t.quote_occurrences
    statement = quote_hits_statement()
    if speakers is not None:
        statement = statement.where(o.c.speaker_id.in_(sorted(reader.members(speakers))))
    if quote_ids is not None:
        statement = statement.where(o.c.quote_id.in_(quote_ids))
    if since is not None:
        statement = statement.where(o.c.date >= since)
    if until is not None:
        statement = statement.where(o.c.date <= until)
    order = (o.c.date.is_(None), o.c.date.desc(), o.c.article_id, o.c.start, o.c.id)
    rank = {quote_id: n for n, quote_id in enumerate(quote_ids or [])}
    rejected = reader.curation.rejected
    hits: list[QuoteHit] = []
    # For a set of quotes the rows are few and the quote index finds them;
    # ordering in SQL there makes SQLite walk the date index over every
    # occurrence instead.
    filtered = quote_ids is not None
    page = max(limit or 0, 200)
    offset = 0
    # Curation filters in Python; page through so a limit still returns `limit` kept rows.
    while True:
        if filtered:
            rows = reader.conn.execute(statement).all()
            rows.sort(key=_newest_first)
        else:
            rows = reader.conn.execute(statement.order_by(*order).limit(page).offset(offset)).all()
        offset += len(rows)
        for row in rows:
            if row.fact_key in rejected:
                continue
            speaker = reader.owner(row.speaker_id, row.article_id)
            if speakers is not None and speaker not in speakers:
                continue
            hits.append(quote_hit(row, speaker))
        if filtered or len(rows) < page or (limit is not None and len(hits) >= limit):
            break
    if quote_ids is not None:
        hits.sort(key=lambda h: rank.get(h.quote_id, len(rank)))
    if limit is not None:
        hits = hits[:limit]
    name_speakers(reader, hits)
    return hits


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    search: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    limit: int | None = None,
) -> list[QuoteHit]:
    """Quotes with speaker, the speaker's title at the time, date, article, type and confidence.

    `speaker` is a name (full name, or a surname alone) or an entity id, matched
    through the aliases; a name nobody has raises `NotFound`. `search` ranks by
    full-text relevance (`newsgraph.store.fts`); otherwise the newest come first.
    """
    with store.engine.connect() as conn:
        reader = Reader(conn)
        speakers = None
        if speaker is not None:
            speakers = set(reader.resolve_person(speaker))
            if not speakers:
                raise NotFound(f"no person matches {speaker!r}")
        if search is None:
            return _quote_hits(reader, speakers=speakers, since=_day(since), until=_day(until), limit=limit)
        from newsgraph.store.fts import search_quotes

        # Walk the ranked quotes a few at a time until `limit` occurrences pass
        # the filters: a common phrase matches thousands of quotes, each
        # reported many times, and only the best few are ever shown.
        hits: list[QuoteHit] = []
        done = 0
        window: int | None = _SEARCH_WINDOW if limit is not None else None
        while True:
            ranked = list(dict.fromkeys(search_quotes(conn, search, limit=window)))
            for chunk in chunks(ranked[done:], _SEARCH_CHUNK):
                done += len(chunk)
                hits.extend(
                    _quote_hits(
                        reader, speakers=speakers, quote_ids=chunk, since=_day(since), until=_day(until)
                    )
                )
                if limit is not None and len(hits) >= limit:
                    return hits[:limit]
            if window is None or len(ranked) < window:
                return hits
            window *= 8


# ---------------------------------------------------------------------------- roles


def _words(text: str | None) -> list[str]:
    """Plain words with stop words dropped and demonyms as their country ("Russian" -> russia)."""
    words: list[str] = []
    for word in plain(text or "").split():
        if word in _STOPWORDS:
            continue
        words.extend(plain(DEMONYMS[word]).split() if word in DEMONYMS else [word])
    return words


@lru_cache(maxsize=65536)
def _word_set(text: str | None) -> frozenset[str]:
    return frozenset(_words(text))


def _org_fold(org_key: str | None) -> str | None:
    """Organisation key that "Russian President" and "President of Russia" share."""
    if not org_key:
        return None
    return " ".join(sorted(set(_words(org_key)))) or None


def _is_single_holder(title_key: str) -> bool:
    return title_key in SINGLE_HOLDER_TITLES


ROLE_COLUMNS = (
    t.roles.c.fact_key,
    t.roles.c.article_id,
    t.roles.c.person_id,
    t.roles.c.title,
    t.roles.c.title_key,
    t.roles.c.org,
    t.roles.c.org_key,
    t.roles.c.modifier,
    t.roles.c.as_of,
    t.roles.c.inferred,
    t.roles.c.start,
    t.roles.c.end,
    t.roles.c.evidence,
)


@dataclass
class RoleRow:
    person: str
    title: str
    title_key: str
    org: str | None
    org_key: str | None
    modifier: str | None
    as_of: dt.date | None
    evidence: Evidence

    @property
    def ending(self) -> bool:
        return (self.modifier or "").lower() in ENDING_MODIFIERS


def read_role_rows(reader: Reader, statement: Any) -> list[RoleRow]:
    rows = []
    for row in reader.conn.execute(statement):
        if row.fact_key in reader.curation.rejected:
            continue
        rows.append(
            RoleRow(
                person=reader.owner(row.person_id, row.article_id) or row.person_id,
                title=row.title,
                title_key=row.title_key,
                org=row.org,
                org_key=row.org_key,
                modifier=row.modifier,
                as_of=row.as_of,
                evidence=Evidence(
                    article_id=row.article_id,
                    date=iso_date(row.as_of),
                    text=row.evidence,
                    start=row.start,
                    end=row.end,
                    modifier=row.modifier,
                    inferred=bool(row.inferred),
                    fact_key=row.fact_key,
                ),
            )
        )
    return rows


def _commonest(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def role_spans(reader: Reader, rows: list[RoleRow]) -> list[RoleSpan]:
    """Aggregate reports per person and office; "former X" closes the matching office."""
    opening: dict[tuple[str, str, str | None], list[RoleRow]] = defaultdict(list)
    endings: list[RoleRow] = []
    for row in rows:
        if row.ending:
            endings.append(row)
        else:
            opening[(row.person, row.title_key, _org_fold(row.org_key))].append(row)
    spans: dict[tuple[str, str, str | None], RoleSpan] = {}
    for key, group in opening.items():
        dates = [r.as_of for r in group if r.as_of is not None]
        spans[key] = RoleSpan(
            person_id=key[0],
            person="",
            title=_commonest(r.title for r in group) or group[0].title,
            org=_commonest(r.org for r in group),
            title_key=key[1],
            org_key=_commonest(r.org_key for r in group),
            first_seen=iso_date(min(dates)) if dates else None,
            last_seen=iso_date(max(dates)) if dates else None,
            ended_by=None,
            evidence_count=len(group),
            inferred=all(r.evidence.inferred for r in group),
            modifier=_commonest(r.modifier for r in group),
            evidence=sorted((r.evidence for r in group), key=lambda e: (e.date or "", e.article_id, e.start)),
        )
    by_office: dict[tuple[str, str], list[tuple[str | None, RoleSpan]]] = defaultdict(list)
    for (person, title_key, org), span in spans.items():
        by_office[(person, title_key)].append((org, span))
    touched: dict[int, RoleSpan] = {}
    for row in sorted(endings, key=lambda r: (r.as_of or dt.date.max, r.evidence.article_id)):
        fold = _org_fold(row.org_key)
        candidates = [
            span
            for org, span in by_office[(row.person, row.title_key)]
            if (fold is None or org is None or org == fold) and span.first_seen is not None
        ]
        # the office with the same organisation first, then the one seen last before this report
        candidates.sort(key=lambda s: (_org_fold(s.org_key) == fold, s.last_seen or ""), reverse=True)
        span = candidates[0] if candidates else None
        if span is None:
            key = (row.person, row.title_key, fold)
            span = spans.get(key)
            if span is None:
                span = spans[key] = RoleSpan(
                    person_id=row.person,
                    person="",
                    title=row.title,
                    org=row.org,
                    title_key=row.title_key,
                    org_key=row.org_key,
                    first_seen=None,
                    last_seen=None,
                    ended_by=None,
                    evidence_count=0,
                    inferred=True,
                    modifier=row.modifier,
                )
        ended = iso_date(row.as_of)
        closes = ended is not None and (span.last_seen is None or ended >= span.last_seen)
        if closes and (span.ended_by is None or ended < span.ended_by):  # type: ignore[operator]
            span.ended_by = ended
        span.evidence_count += 1
        span.inferred = span.inferred and row.evidence.inferred
        span.evidence.append(row.evidence)
        touched[id(span)] = span
    for span in touched.values():
        span.evidence.sort(key=lambda e: (e.date or "", e.article_id, e.start))
    names = reader.names(s.person_id for s in spans.values())
    result = list(spans.values())
    for span in result:
        span.person = names.get(span.person_id, span.person_id)
    result.sort(key=lambda s: (s.first_seen or s.ended_by or "9999", s.title_key, s.org_key or ""))
    return result


# ---------------------------------------------------------------------------- person


def person(store: Store, name: str, *, latest: int = 5, co_limit: int = 10) -> PersonSummary:
    """Names, role timeline, quote count, latest quotes and the people most often in the same articles.

    Raises `NotFound` for an unknown name and `Ambiguous` when several people match it.
    """
    with store.engine.connect() as conn:
        reader = Reader(conn)
        pid = reader.one_person(name)
        members = reader.members({pid})
        ids = sorted(members)
        aliases = sorted(
            {
                row.alias
                for row in conn.execute(
                    select(t.aliases.c.alias).where(t.aliases.c.entity_id.in_(ids)).distinct()
                )
            }
            | {n for i, n in reader.names(ids).items() if i in members}
            | {
                row.text
                for row in conn.execute(
                    select(t.mentions.c.text, t.mentions.c.entity_id, t.mentions.c.article_id)
                    .where(t.mentions.c.entity_id.in_(ids), t.mentions.c.kind == "name")
                    .distinct()
                )
                if reader.owner(row.entity_id, row.article_id) == pid
            }
        )
        role_rows = [
            r
            for r in read_role_rows(
                reader, select(*ROLE_COLUMNS).where(t.roles.c.person_id.in_(ids)).order_by(t.roles.c.id)
            )
            if r.person == pid
        ]
        all_quotes = _quote_hits(reader, speakers={pid})
        return PersonSummary(
            id=pid,
            name=reader.name(pid) or pid,
            aliases=aliases,
            merged=sorted(members - {pid}),
            roles=role_spans(reader, role_rows),
            quote_count=len(all_quotes),
            latest_quotes=all_quotes[:latest],
            co_mentioned=_co_mentioned(reader, pid, ids, co_limit),
        )


def _co_mentioned(reader: Reader, pid: str, ids: list[str], limit: int) -> list[CoMention]:
    m = t.mentions
    own = {
        row.article_id
        for row in reader.conn.execute(select(m.c.entity_id, m.c.article_id).where(m.c.entity_id.in_(ids)))
        if reader.owner(row.entity_id, row.article_id) == pid
    }
    if not own:
        return []
    other = m.alias("other")
    statement = (
        select(other.c.entity_id, other.c.article_id)
        .distinct()
        .select_from(m.join(other, other.c.article_id == m.c.article_id))
        .join(t.entities, t.entities.c.id == other.c.entity_id)
        .where(m.c.entity_id.in_(ids), t.entities.c.type == _PERSON)
    )
    articles: dict[str, set[str]] = defaultdict(set)
    for row in reader.conn.execute(statement):
        if row.article_id not in own:
            continue
        entity = reader.owner(row.entity_id, row.article_id)
        if entity and entity != pid:
            articles[entity].add(row.article_id)
    names = reader.names(articles)
    ranked = sorted(articles.items(), key=lambda item: (-len(item[1]), names.get(item[0], item[0])))
    return [CoMention(id=e, name=names.get(e, e), articles=len(a)) for e, a in ranked[:limit]]


# ---------------------------------------------------------------------------- who


def _holder(span: RoleSpan, status: str) -> Holder:
    return Holder(
        person_id=span.person_id,
        person=span.person,
        title=span.title,
        org=span.org,
        status=status,
        first_seen=span.first_seen,
        last_seen=span.last_seen,
        ended_by=span.ended_by,
        evidence=span.evidence,
        title_key=span.title_key,
    )


def who(store: Store, title: str, *, on: str | dt.date | None = None) -> WhoAnswer:
    """Who held an office on a date, with evidence, and where the corpus contradicts itself.

    The words of `title` (stop words and modifiers aside, demonyms as countries)
    must hold every word of a role's title, and the rest must be words of its
    organisation: "Press Secretary", "Russian President" and "President of
    Russia" all work. With `on`, holders reported in office on that day come
    first (first_seen <= on <= last_seen); an office with none there gives its
    latest holder reported before the day ("last reported"), unless that holder
    is known to have left by then. Without `on`, every holder is listed.
    """
    day = _day(on)
    query = {w for w in _words(title) if w not in _MODIFIER_WORDS}
    answer = WhoAnswer(title=title, on=iso_date(day), holders=[], conflicts=[])
    if not query:
        return answer
    with store.engine.connect() as conn:
        reader = Reader(conn)
        title_keys = [
            key
            for (key,) in conn.execute(select(t.roles.c.title_key).distinct())
            if (words := _word_set(key)) and words <= query
        ]
        if not title_keys:
            return answer
        curated = reader.curation.splits or any(k.startswith("role:") for k in reader.curation.rejected)
        if curated:
            # rejections and splits act on single reports: read every report
            statement = (
                select(*ROLE_COLUMNS).where(t.roles.c.title_key.in_(title_keys)).order_by(t.roles.c.id)
            )
            rows, counts = read_role_rows(reader, statement), None
        else:
            rows, counts = _summarised_role_rows(reader, title_keys)
        spans = [
            s
            for s in role_spans(reader, rows)
            if query - _word_set(s.title_key) <= _word_set(s.org_key)
            and (s.first_seen is not None or not (query - _word_set(s.title_key)))
        ]
        if counts is not None:
            for span in spans:
                span.evidence_count = counts.get((span.person_id, span.title_key, _org_fold(span.org_key)), 0)
        answer = _who_answer(answer, spans, day)
        if counts is not None:
            _fill_evidence(reader, answer)
    return answer


def _who_answer(answer: WhoAnswer, spans: list[RoleSpan], day: dt.date | None) -> WhoAnswer:
    offices: dict[tuple[str, str | None], list[RoleSpan]] = defaultdict(list)
    for span in spans:
        offices[(span.title_key, _org_fold(span.org_key))].append(span)
    for office_spans in offices.values():
        opened = [s for s in office_spans if s.first_seen is not None]
        if day is None:
            answer.holders.extend(_holder(s, "ended" if s.ended_by else "reported") for s in office_spans)
            continue
        iso = day.isoformat()
        current = [s for s in opened if s.first_seen <= iso <= s.last_seen]  # type: ignore[operator]
        if current:
            answer.holders.extend(_holder(s, "in office") for s in current)
            continue
        before = []
        for span in opened:
            if span.ended_by is not None and span.ended_by <= iso:
                continue
            dates = [e.date for e in span.evidence if e.date and e.date <= iso and not _ends(e)]
            if dates:
                before.append((max(dates), span))
        if before:
            latest = max(d for d, _ in before)
            answer.holders.extend(_holder(s, "last reported") for d, s in before if d == latest)
    status_rank = {"in office": 0, "last reported": 1, "reported": 2, "ended": 2}
    answer.holders.sort(
        key=lambda h: (status_rank.get(h.status, 3), h.first_seen or "9999", h.title, h.org or "", h.person)
    )
    answer.conflicts = _conflicts(offices)
    return answer


def _stand_in(row: Any, person: str, day: dt.date | None) -> RoleRow:
    """A summed-up group of reports, standing in for them on one of their dates."""
    return RoleRow(
        person=person,
        title=row.title,
        title_key=row.title_key,
        org=row.org,
        org_key=row.org_key,
        modifier=row.modifier,
        as_of=day,
        evidence=Evidence(
            article_id="",
            date=iso_date(day),
            text="",
            start=0,
            end=0,
            modifier=row.modifier,
            inferred=bool(row.inferred),
        ),
    )


def _summarised_role_rows(
    reader: Reader, title_keys: list[str]
) -> tuple[list[RoleRow], dict[tuple[str, str, str | None], int]]:
    """Reports of some offices summed up in SQL: the earliest and latest report of each
    person and office stand for all of them, with the count beside; reports that end an
    office ("former ...") are few and read one by one. Evidence is read later, only for
    the people an answer names."""
    r = t.roles
    ending = func.lower(func.coalesce(r.c.modifier, "")).in_(sorted(ENDING_MODIFIERS))
    statement = (
        select(
            r.c.person_id,
            r.c.title_key,
            r.c.org_key,
            func.min(r.c.as_of).label("first"),
            func.max(r.c.as_of).label("last"),
            func.count().label("reports"),
            func.min(r.c.title).label("title"),
            func.min(r.c.org).label("org"),
            func.min(r.c.modifier).label("modifier"),
            func.min(case((r.c.inferred, 1), else_=0)).label("inferred"),
        )
        .where(r.c.title_key.in_(title_keys), ~ending)
        .group_by(r.c.person_id, r.c.title_key, r.c.org_key)
    )
    rows: list[RoleRow] = []
    counts: dict[tuple[str, str, str | None], int] = defaultdict(int)
    for row in reader.conn.execute(statement):
        person = reader.curation.canonical(row.person_id)
        counts[(person, row.title_key, _org_fold(row.org_key))] += row.reports
        rows.extend(_stand_in(row, person, day) for day in {row.first, row.last})
    # Each distinct date an office is reported ended counts: "former" closes it from then on.
    endings = (
        select(
            r.c.person_id,
            r.c.title_key,
            r.c.org_key,
            r.c.as_of,
            func.count().label("reports"),
            func.min(r.c.title).label("title"),
            func.min(r.c.org).label("org"),
            func.min(r.c.modifier).label("modifier"),
            func.min(case((r.c.inferred, 1), else_=0)).label("inferred"),
        )
        .where(r.c.title_key.in_(title_keys), ending)
        .group_by(r.c.person_id, r.c.title_key, r.c.org_key, r.c.as_of)
    )
    for row in reader.conn.execute(endings):
        person = reader.curation.canonical(row.person_id)
        counts[(person, row.title_key, _org_fold(row.org_key))] += row.reports
        rows.append(_stand_in(row, person, row.as_of))
    return rows, counts


def _fill_evidence(reader: Reader, answer: WhoAnswer, per_holder: int = 5) -> None:
    """Real reports for the holders an answer names, in place of the summary's stand-ins."""
    holders = {
        id(h.evidence): h for h in [*answer.holders, *(h for c in answer.conflicts for h in c.holders)]
    }
    r = t.roles
    for holder in holders.values():
        statement = (
            select(*ROLE_COLUMNS)
            .where(
                r.c.person_id.in_(sorted(reader.members({holder.person_id}))),
                r.c.title_key == holder.title_key,
            )
            .order_by(r.c.as_of, r.c.id)
            .limit(per_holder)
        )
        holder.evidence[:] = [row.evidence for row in read_role_rows(reader, statement)]


def _ends(evidence: Evidence) -> bool:
    return (evidence.modifier or "").lower() in ENDING_MODIFIERS


def _conflicts(offices: dict[tuple[str, str | None], list[RoleSpan]]) -> list[Conflict]:
    conflicts = []
    for (title_key, org), office_spans in offices.items():
        if org is None or not _is_single_holder(title_key):
            continue
        dated = sorted(
            (s for s in office_spans if s.first_seen and s.last_seen), key=lambda s: (s.first_seen, s.person)
        )
        for i, first in enumerate(dated):
            for second in dated[i + 1 :]:
                if first.person_id == second.person_id:
                    continue
                start = max(first.first_seen, second.first_seen)  # type: ignore[type-var]
                end = min(first.last_seen, second.last_seen)  # type: ignore[type-var]
                if start <= end:
                    conflicts.append(
                        Conflict(
                            title=first.title,
                            org=first.org,
                            overlap_from=start,
                            overlap_to=end,
                            holders=[_holder(first, "reported"), _holder(second, "reported")],
                        )
                    )
    return conflicts


# ---------------------------------------------------------------------------- timeline

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*")
_CONTEXT = 400


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


def date_period(value: str) -> tuple[dt.date, str] | None:
    """First day and precision of a TIMEX3 DATE value: 2025-01-18, 2025-01, 2025-W05, 2025."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value), "day"
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return dt.date(int(value[:4]), int(value[5:7]), 1), "month"
        if re.fullmatch(r"\d{4}-W\d{2}", value):
            return dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1), "week"
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), "year"
    except ValueError:
        return None
    return None


def timeline(
    store: Store,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    future_only: bool = False,
    limit: int | None = None,
) -> list[TimelineEntry]:
    """Dated time expressions in date order, with their sentence; "future" when after the article's date.

    A time expression inside a quote carries that quote (speaker and statement),
    so statements about the future read as such. Values that name a month,
    week or year stand at their first day.
    """
    start, stop = _day(since), _day(until)
    tm, a = t.times, t.articles
    columns = (tm.c.article_id, tm.c.start, tm.c.end, tm.c.text, tm.c.value, tm.c.day, a.c.date)
    base = select(*columns).join(a, a.c.id == tm.c.article_id).where(tm.c.type == "DATE")
    dated = base.where(tm.c.day.is_not(None))
    if start is not None:
        dated = dated.where(tm.c.day >= start)
    if stop is not None:
        dated = dated.where(tm.c.day <= stop)
    # week and year values have no stored day; their first day is worked out here
    undated = base.where(tm.c.day.is_(None), or_(tm.c.value.like("%-W%"), func.length(tm.c.value) == 4))
    entries: list[TimelineEntry] = []
    with store.engine.connect() as conn:
        reader = Reader(conn)
        for statement in (dated, undated):
            for row in conn.execute(statement):
                period = date_period(row.value)
                if period is None:
                    if row.day is None:
                        continue
                    period = (row.day, "day")
                day, precision = period
                if row.day is not None and day != row.day:
                    day = row.day
                if (start is not None and day < start) or (stop is not None and day > stop):
                    continue
                future = row.date is not None and day > row.date
                if future_only and not future:
                    continue
                entries.append(
                    TimelineEntry(
                        day=day.isoformat(),
                        precision=precision,
                        value=row.value,
                        text=row.text,
                        future=future,
                        article_id=row.article_id,
                        article_date=iso_date(row.date),
                        start=row.start,
                        end=row.end,
                        context="",
                    )
                )
        entries.sort(key=lambda e: (e.day, e.article_date or "", e.article_id, e.start))
        if limit is not None:
            entries = entries[:limit]
        add_context(reader, entries)
    return entries


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
            .where(o.c.article_id.in_(chunk))
        ):
            if row.fact_key not in reader.curation.rejected:
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


# ---------------------------------------------------------------------------- stats


def stats(store: Store) -> Stats:
    """How much the store holds, and the span of article dates."""
    with store.engine.connect() as conn:
        curation = Curation.load(conn)

        def count(table: Any, *where: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0)

        merged = sorted(e for e in curation.merged_into if curation.canonical(e) != e)

        def entities(*types: str) -> int:
            # an entity merged into another one counts once, as the other one
            kind = t.entities.c.type.in_(types)
            gone = sum(count(t.entities, kind, t.entities.c.id.in_(chunk)) for chunk in chunks(merged))
            return count(t.entities, kind) - gone

        first, last = conn.execute(select(func.min(t.articles.c.date), func.max(t.articles.c.date))).one()
        return Stats(
            articles=count(t.articles),
            people=entities(_PERSON),
            organisations=entities("ORG"),
            places=entities(*_PLACES),
            quotes=int(conn.execute(select(func.count(distinct(t.quotes.c.id)))).scalar() or 0),
            occurrences=count(t.quote_occurrences),
            roles=count(t.roles),
            runs=count(t.runs),
            ingest_errors=count(t.ingest_errors),
            first_date=iso_date(_day(first) if isinstance(first, str) else first),
            last_date=iso_date(_day(last) if isinstance(last, str) else last),
        )


# ---------------------------------------------------------------------------- overview


@dataclass
class Overview:
    stats: Stats
    people: list[PersonSummary]


def overview(store: Store, *, limit: int = 20) -> Overview:
    """What the store knows at a glance: its counts and its most quoted people with their roles."""
    with store.engine.connect() as conn:
        reader = Reader(conn)
        quoted = Counter(
            reader.curation.canonical(row.speaker_id)
            for row in conn.execute(
                select(t.quote_occurrences.c.speaker_id, t.quote_occurrences.c.fact_key).where(
                    t.quote_occurrences.c.speaker_id.is_not(None)
                )
            )
            if row.fact_key not in reader.curation.rejected
        )
        with_roles = {
            reader.curation.canonical(row.person_id)
            for row in conn.execute(select(t.roles.c.person_id, t.roles.c.fact_key))
            if row.fact_key not in reader.curation.rejected
        }
        kinds = dict(
            conn.execute(
                select(t.entities.c.id, t.entities.c.type).where(
                    t.entities.c.id.in_(list(set(quoted) | with_roles))
                )
            ).all()
        )
    ranked = sorted(
        (pid for pid in set(quoted) | with_roles if kinds.get(pid) == _PERSON),
        key=lambda pid: (-quoted.get(pid, 0), pid),
    )
    return Overview(stats=stats(store), people=[person(store, pid, latest=1) for pid in ranked[:limit]])
