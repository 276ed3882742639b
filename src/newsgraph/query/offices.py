"""Offices: the roles people were reported in, aggregated per person and office, and who held an
office on a date ("who was Press Secretary on 2024-11-18"), with evidence and the places where the
corpus contradicts itself.

Reports are read through `ROLE_COLUMNS` with rejected ones left out in SQL;
a report counts for the person curation gives it in its article.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, select

from newsgraph.dates import parse_date
from newsgraph.lexicon import DEMONYMS, ENDING_MODIFIERS, ROLE_MODIFIER_WORDS
from newsgraph.names import plain
from newsgraph.query.common import Reader, iso_date
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import not_rejected

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


def role_statement() -> Any:
    """Every role report nobody rejected, as `read_role_rows` reads it."""
    return select(*ROLE_COLUMNS).where(not_rejected(t.roles.c.fact_key))


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
    day = parse_date(on)
    query = {w for w in _words(title) if w not in ROLE_MODIFIER_WORDS}
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
        if reader.curation.splits:
            # a split acts on the reports of one article: read every report
            statement = role_statement().where(t.roles.c.title_key.in_(title_keys)).order_by(t.roles.c.id)
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
        .where(r.c.title_key.in_(title_keys), ~ending, not_rejected(r.c.fact_key))
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
        .where(r.c.title_key.in_(title_keys), ending, not_rejected(r.c.fact_key))
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
            role_statement()
            .where(
                r.c.person_id.in_(reader.members(holder.person_id)),
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
