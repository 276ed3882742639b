"""A person's roles: every report of them read once, aggregated per person and office.

`read_role_rows` reads reports through `ROLE_COLUMNS` (rejected ones left out in SQL, a report
counting for the person curation gives it in its article); `role_spans` sums them up per
person and office as meant (`newsgraph.canonical`: "premier" and "Prime Minister of Japan" one
office), with "former" closing an office and "then" placing the person in it before, never
after. `who` (`newsgraph.query.offices`) reads the same rows for the evidence it shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from newsgraph.canonical import PAST_STATUSES, canonical_office
from newsgraph.lexicon import DEMONYMS, ENDING_MODIFIERS
from newsgraph.names import plain
from newsgraph.query.common import Reader, iso_date
from newsgraph.store import schema as t
from newsgraph.store.curation import not_rejected

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
    office: str = ""  # the canonical office, labelled: "Prime Minister (United Kingdom)"
    country: str | None = None  # the canonical office's country, by name


def _words(text: str | None) -> list[str]:
    """Plain words with stop words dropped and demonyms as their country ("Russian" -> russia)."""
    words: list[str] = []
    for word in plain(text or "").split():
        if word in _STOPWORDS:
            continue
        words.extend(plain(DEMONYMS[word]).split() if word in DEMONYMS else [word])
    return words


def _org_fold(org_key: str | None) -> str | None:
    """Organisation key that "Russian President" and "President of Russia" share."""
    if not org_key:
        return None
    return " ".join(sorted(set(_words(org_key)))) or None


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
    t.roles.c.country_code,
    t.roles.c.office_org,
    t.roles.c.office_title,
    t.roles.c.status,
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
    country_code: str | None = None  # the canonical office's, where the report names one
    office_org: str | None = None
    status: str | None = None  # the canonical standing ("current", "former", "then", ...)

    @property
    def ending(self) -> bool:
        """A "former" report: the office had ended by its date."""
        if self.status is not None:
            return self.status == "former"
        return (self.modifier or "").lower() in ENDING_MODIFIERS

    @property
    def past(self) -> bool:
        """Evidence of the past ("former", "then"): never of holding the office on its date."""
        return self.status in PAST_STATUSES if self.status is not None else self.ending


def read_role_rows(reader: Reader, statement: Any) -> list[RoleRow]:
    rows = []
    for row in reader.conn.execute(statement):
        # Reports group by the office they mean where it is known ("premier" is "prime minister"),
        # by the words they were written in where a store predates canonical offices.
        canonical = row.office_title is not None
        rows.append(
            RoleRow(
                person=reader.owner(row.person_id, row.article_id) or row.person_id,
                title=row.title,
                title_key=row.office_title if canonical else row.title_key,
                org=row.org,
                org_key=" ".join(filter(None, (row.country_code, row.office_org))) or None
                if canonical
                else row.org_key,
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
                country_code=row.country_code,
                office_org=row.office_org,
                status=row.status,
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
        if row.past:
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
    _fold_unplaced(spans)
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
        # "then" places the person in office before its date without saying it has ended
        closes = row.ending and ended is not None and (span.last_seen is None or ended >= span.last_seen)
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
        meant = canonical_office(span.title, span.org, None)
        span.office, span.country = meant.label, meant.country.name if meant.country else None
    result.sort(key=lambda s: (s.first_seen or s.ended_by or "9999", s.title_key, s.org_key or ""))
    return result


def _fold_unplaced(spans: dict[tuple[str, str, str | None], RoleSpan]) -> None:
    """A person's reports of a title that name no country or organisation ("Prime Minister Tony
    Blair") join the one office of that title the person's other reports place ("British Prime
    Minister"), as `who` reads them; with two such offices they stay apart."""
    placed: dict[tuple[str, str], list[tuple[str, str, str | None]]] = defaultdict(list)
    for key in spans:
        if key[2] is not None:
            placed[(key[0], key[1])].append(key)
    for key in [k for k in spans if k[2] is None]:
        targets = placed.get((key[0], key[1]), [])
        if len(targets) != 1:
            continue
        loose, into = spans.pop(key), spans[targets[0]]
        firsts = [d for d in (loose.first_seen, into.first_seen) if d]
        lasts = [d for d in (loose.last_seen, into.last_seen) if d]
        into.first_seen = min(firsts) if firsts else None
        into.last_seen = max(lasts) if lasts else None
        into.evidence_count += loose.evidence_count
        into.inferred = into.inferred and loose.inferred
        into.evidence = sorted(
            [*into.evidence, *loose.evidence], key=lambda e: (e.date or "", e.article_id, e.start)
        )
