"""Offices: who held an office as meant on a date (`who`: "who was Press Secretary on
2024-11-18"), with evidence and the places where the corpus contradicts itself. Reports are
summed up in SQL per person and office; the tenure logic itself is `newsgraph.query.tenures`,
a person's own roles `newsgraph.query.roles`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, or_, select, union_all

from newsgraph.canonical import (
    Country,
    Office,
    OfficeQuery,
    country,
    match_strength,
    office_query,
)
from newsgraph.dates import parse_date
from newsgraph.errors import NotFound
from newsgraph.names import plain
from newsgraph.query.common import Reader, chunks, iso_date
from newsgraph.query.roles import Evidence, RoleRow, read_role_rows, role_statement
from newsgraph.query.tenures import (
    IN_OFFICE,
    LATER_PAST,
    NEAR_DAYS,
    NEXT_REPORTED,
    SUCCEEDED,
    Clash,
    Reports,
    Standing,
    Tenure,
    clashes,
    on_day,
    rank,
    tenures,
    undated_status,
)
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import not_rejected

# Holders and conflicts an answer lists (with evidence each): a title asked without its country
# ("Prime Minister") can have hundreds of holders and thousands of conflicts.
MAX_HOLDERS = 50
MAX_CONFLICTS = 10
# Terms of one UNION ALL (SQLite allows 500).
_TERMS = 200


@dataclass
class Holder:
    """One person in an office as `who` answers: the tenure, and how it stands on the asked day."""

    person_id: str
    person: str
    title: str  # canonical title ("prime minister")
    org: str | None  # canonical organisation other than a country
    # on a day: "in office", "last reported" (before it, not succeeded since), "later reported as
    # former"; without one: "reported", "ended", "succeeded by NAME on DATE"
    status: str
    first_seen: str | None  # first report in office
    last_seen: str | None  # last report in office
    ended_by: str | None  # the tenure had ended by then ("former" or the successor's first report)
    evidence: list[Evidence]
    office: str = ""  # "Prime Minister (United Kingdom)"
    office_key: str = ""
    country: Country | None = None
    country_inferred: bool = False  # from the person's other reports of the office, or the article
    stale_days: int | None = None  # days from the asked day to the nearest report in office
    successor: str | None = None
    successor_id: str | None = None
    succeeded_on: str | None = None
    evidence_count: int = 0  # every report of the person in the office
    evidence_near: int = 0  # reports in office within `NEAR_DAYS` of the asked day


@dataclass
class Conflict:
    """Holders of an office one person holds at a time, reported in it over the same days."""

    title: str
    org: str | None
    overlap_from: str
    overlap_to: str
    holders: list[Holder]  # more evidence near the asked day first
    office: str = ""
    office_key: str = ""
    country: Country | None = None
    evidence_near: int = 0


@dataclass
class WhoAnswer:
    title: str  # as asked
    on: str | None
    holders: list[Holder]
    conflicts: list[Conflict]
    office: str = ""  # what it was read as: "Prime Minister (United Kingdom)"
    country: Country | None = None
    org: str | None = None
    holders_total: int = 0  # holders found; `holders` holds the first `MAX_HOLDERS`
    conflicts_total: int = 0  # conflicts found; `conflicts` holds the first `MAX_CONFLICTS`


@dataclass
class _Group:
    """Reports summed up in SQL: one person, one country and organisation as written (or not),
    one standing, one article country (`context`, used where the report names no country)."""

    person_id: str
    country_code: str | None
    org: str | None
    status: str
    context: str | None
    first: dt.date | None
    last: dt.date | None
    count: int
    near: int
    before: dt.date | None
    after: dt.date | None


def _day(value: dt.date | str | None) -> dt.date | None:
    """SQLite may hand an aggregate's date back as text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _summed_up(reader: Reader, title: str, day: dt.date | None) -> list[_Group]:
    """Reports of a canonical title summed up per person, country, organisation and standing in
    SQL, with how many lie near `day` and the nearest on either side; a merged person's reports
    count for whom they were merged into. Where curation splits a person in some articles, a
    report's owner depends on its article, so reports are read one by one."""
    r = t.roles
    where = (r.c.office_title == title, not_rejected(r.c.fact_key))
    if reader.curation.splits:
        statement = select(
            r.c.person_id,
            r.c.article_id,
            r.c.country_code,
            r.c.office_org,
            r.c.status,
            r.c.context_country,
            r.c.as_of,
        ).where(*where)
        groups = []
        for row in reader.conn.execute(statement):
            one = Reports.one("", "", row.as_of, on=day)
            person = reader.owner(row.person_id, row.article_id) or row.person_id
            groups.append(
                _Group(
                    person,
                    row.country_code,
                    row.office_org,
                    row.status or "current",
                    row.context_country,
                    one.first,
                    one.last,
                    1,
                    one.near,
                    one.before,
                    one.after,
                )
            )
        return groups
    # in the order of a covering index (office_title, person_id, country_code, office_org, status,
    # context_country, as_of, fact_key), where one exists, so groups stream without a sort
    keys = (r.c.person_id, r.c.country_code, r.c.office_org, r.c.status, r.c.context_country)
    sums = [func.min(r.c.as_of), func.max(r.c.as_of), func.count()]
    if day is not None:
        low, high = day - dt.timedelta(days=NEAR_DAYS), day + dt.timedelta(days=NEAR_DAYS)
        sums += [
            func.sum(case((r.c.as_of.between(low, high), 1), else_=0)),
            func.max(case((r.c.as_of <= day, r.c.as_of), else_=None)),
            func.min(case((r.c.as_of >= day, r.c.as_of), else_=None)),
        ]
    statement = select(*keys, *sums).where(*where).group_by(*keys)
    groups = []
    for row in reader.conn.execute(statement):
        person_id, code, org, status, ctx, first, last, count, *near = row
        near_count, before, after = near if near else (0, None, None)
        groups.append(
            _Group(
                reader.curation.canonical(person_id),
                code,
                org,
                status or "current",
                ctx,
                _day(first),
                _day(last),
                int(count),
                int(near_count or 0),
                _day(before),
                _day(after),
            )
        )
    return groups


@dataclass
class _Placed:
    """Tenures of one office key, with what the office is and how it was found."""

    office: Office
    strength: int  # `match_strength` of the office for the query
    explicit: set[str] = field(default_factory=set)  # people whose reports name the country


def _strength(asked: OfficeQuery, office: Office) -> int:
    """`match_strength`, where an organisation that one of the other's words name in full
    ("Trump" for "Trump campaign", "Pennzoil Co" for "Pennzoil") is a weak match, not none:
    the press shortens organisations more than the lexicon knows."""
    strength = match_strength(asked, office)
    if strength or asked.org is None or office.org is None:
        return strength
    loose = Office(office.title, office.country, asked.org, office.status)
    if match_strength(asked, loose) == 0:
        return 0
    ours, theirs = set(plain(office.org).split()), set(plain(asked.org).split())
    return 1 if ours <= theirs or theirs <= ours else 0


def _place(groups: list[_Group], title: str, asked: OfficeQuery) -> tuple[list[Reports], dict[str, _Placed]]:
    """Each group as reports of an office key, its country and organisation inferred where the
    report names none: from the same person's other reports of the title, else (the country
    only) from the report's article, else from the other articles the person is reported in;
    then matched against the query."""
    countries: dict[str, Counter[str]] = defaultdict(Counter)
    orgs: dict[str, Counter[str]] = defaultdict(Counter)
    contexts: dict[str, Counter[str]] = defaultdict(Counter)
    for group in groups:
        if group.country_code:
            countries[group.person_id][group.country_code] += group.count
        elif group.context:
            contexts[group.person_id][group.context] += group.count
        if group.org:
            orgs[group.person_id][group.org] += group.count
    their_country = {person: counted.most_common(1)[0][0] for person, counted in countries.items()}
    their_org = {person: counted.most_common(1)[0][0] for person, counted in orgs.items()}
    their_context = {person: counted.most_common(1)[0][0] for person, counted in contexts.items()}
    reports: list[Reports] = []
    offices: dict[str, _Placed] = {}
    # a common title has many groups but few offices: each is made and matched once
    by_parts: dict[tuple[str | None, str | None], _Placed] = {}

    def place(code: str | None, org: str | None) -> _Placed:
        placed = by_parts.get((code, org))
        if placed is None:
            office = Office(title=title, country=country(code) if code else None, org=org, status="current")
            placed = offices.setdefault(office.key, _Placed(office, _strength(asked, office)))
            by_parts[(code, org)] = placed
        return placed

    for group in groups:
        org = group.org or their_org.get(group.person_id)
        code = group.country_code or their_country.get(group.person_id)
        hinted = code is None
        if hinted:
            code = group.context or their_context.get(group.person_id)
        placed = place(code, org)
        if placed.strength == 0 and hinted and code is not None:
            # what an article is about is a hint, not a jurisdiction: against the question's
            # country it leaves the report as one naming none (Kerry in a story about Iran)
            code = None
            placed = place(None, org)
        if placed.strength == 0:
            continue
        if group.country_code or not code:
            placed.explicit.add(group.person_id)
        reports.append(
            Reports(
                group.person_id,
                placed.office.key,
                group.status,
                group.first,
                group.last,
                group.count,
                group.near,
                group.before,
                group.after,
            )
        )
    return reports, {key: placed for key, placed in offices.items() if placed.strength}


def who(
    store: Store,
    title: str,
    *,
    on: str | dt.date | None = None,
    country: str | None = None,
    org: str | None = None,
) -> WhoAnswer:
    """Who held an office on a date, with evidence, and where the corpus contradicts itself.

    `title` is read as a canonical office (`newsgraph.canonical.office_query`):
    "British Prime Minister", "Prime Minister of the United Kingdom" and
    "premier" with `country="UK"` all ask for ("prime minister", GB); a
    report counts when its canonical title is the one asked (SQL on
    `roles.office_title`, summed up per person). A report that names a
    country must name the one asked; one that names none takes the country
    of the same person's other reports of the title, else its article's,
    else that of the person's other articles (marked `country_inferred`),
    and only then is compared; an article's country that contradicts the
    question leaves the report as naming none. The organisation likewise,
    from the person's other reports. Offices lacking the asked country or
    organisation answer only where no holder of the office asked for is
    reported near the day (without a day: where there is none).

    Tenures and the answer on a day follow `newsgraph.query.tenures`: with
    `on`, the holders in office that day (first <= day <= last report; more
    evidence near it first), else those last reported before it whom nobody
    succeeded (the freshest first), each with `stale_days`; holders with a
    report within `NEAR_DAYS` of the day come before stale ones; each
    person once. Conflicts are those of one-holder offices that involve a
    holder named and overlap near the day. Without `on`, every tenure,
    first reported first. At most `MAX_HOLDERS` holders and `MAX_CONFLICTS`
    conflicts, with the totals. An unknown country raises `NotFound`.
    """
    day = parse_date(on)
    try:
        asked = office_query(title, country=country, org=org)
    except ValueError as exc:
        raise NotFound(str(exc)) from exc
    shown = Office(title=asked.title, country=asked.country, org=asked.org, status="current")
    answer = WhoAnswer(
        title=title,
        on=iso_date(day),
        holders=[],
        conflicts=[],
        office=shown.label if asked.title else "",
        country=asked.country,
        org=asked.org,
    )
    if not asked.title:
        return answer
    with store.engine.connect() as conn:
        reader = Reader(conn)
        reports, offices = _place(_summed_up(reader, asked.title, day), asked.title, asked)
        if day is None and any(p.strength == 2 for p in offices.values()):
            offices = {key: p for key, p in offices.items() if p.strength == 2}
        held = tenures((r for r in reports if r.office_key in offices), _single_holder(offices))
        by_office: dict[str, list[Tenure]] = defaultdict(list)
        for tenure in held:
            by_office[tenure.office_key].append(tenure)
        names = reader.names(tn.person_id for tn in held)
        holder = _holder_maker(offices, names, day)
        if day is None:
            # the best-reported tenures when there are too many to show, in the order they began
            shown_ones = set(map(id, sorted(held, key=lambda tn: -tn.reports)[:MAX_HOLDERS]))
            answer.holders = [holder(tn, undated_status(tn), None) for tn in held if id(tn) in shown_ones]
            answer.holders_total = len(held)
        else:
            standings = [s for ts in by_office.values() for s in on_day(ts, day)]
            if any(s.status != LATER_PAST for s in standings):
                # a later "former" report is a last resort, not an answer beside real ones
                standings = [s for s in standings if s.status != LATER_PAST]
            standings = _admitted(standings, offices)
            standings.sort(key=lambda s: (_tier(s), *_order(offices[s.tenure.office_key], asked), *rank(s)))
            # one person once: the same title under a stray organisation is no second answer
            best: dict[str, Standing] = {}
            for standing in standings:
                best.setdefault(standing.tenure.person_id, standing)
            standings = list(best.values())
            answer.holders = [holder(s.tenure, s.status, s.stale_days) for s in standings[:MAX_HOLDERS]]
            answer.holders_total = len(standings)
        found = _relevant_clashes(by_office, offices, answer.holders, day)
        answer.conflicts_total = len(found)
        answer.conflicts = [_conflict(c, offices, holder) for c in found[:MAX_CONFLICTS]]
        _fill_evidence(reader, answer, day)
    return answer


def _order(placed: _Placed, asked: OfficeQuery) -> tuple[int, bool]:
    """Exact offices first; among weak ones, those with an organisation like the one asked
    ("Trump" for "Trump campaign") before those with none."""
    return (-placed.strength, asked.org is not None and placed.office.org is None)


def _fresh(standing: Standing) -> bool:
    """Reported in the office near the day (not only as a former holder)."""
    return (
        standing.status != LATER_PAST and standing.stale_days is not None and standing.stale_days <= NEAR_DAYS
    )


def _tier(standing: Standing) -> int:
    """How directly a standing speaks of the day: in office that day; last reported within a
    year before; reported as a former holder after; first reported within a year after; stale."""
    if standing.status == IN_OFFICE:
        return 0
    if standing.status == LATER_PAST:
        return 2
    if standing.status == NEXT_REPORTED:
        return 3
    return 1 if _fresh(standing) else 4


def _admitted(standings: list[Standing], offices: dict[str, _Placed]) -> list[Standing]:
    """Holders of offices that lack the asked country or organisation answer only where no
    holder of the office asked for is in office or last reported within a year before the day;
    otherwise those of them in office or reported just before it answer too ("President Bush"
    in August 1990 beats "US President Reagan" of 1987, and a bare "Secretary of State Kerry"
    that day beats a state's secretary of state first reported months later)."""
    exact = [s for s in standings if offices[s.tenure.office_key].strength == 2]
    if not exact:
        return standings
    if min(map(_tier, exact)) <= 1:
        return exact
    # only an office that names no other place or body ("Secretary of State", not "Premier of
    # Alberta") may be the one asked, written without its country
    return exact + [
        s
        for s in standings
        if offices[s.tenure.office_key].strength == 1
        and offices[s.tenure.office_key].office.org is None
        and _tier(s) <= 1
    ]


def _relevant_clashes(
    by_office: dict[str, list[Tenure]],
    offices: dict[str, _Placed],
    holders: list[Holder],
    day: dt.date | None,
) -> list[Clash]:
    """Conflicts in one-holder offices, most evidence first. On a day, only those that involve a
    holder of the answer and overlap near the day: a clash decades away says nothing of it."""
    found = [c for key, ts in by_office.items() if offices[key].office.single_holder for c in clashes(ts)]
    if day is None:
        found.sort(key=lambda c: (-sum(tn.reports for tn in c.tenures), c.overlap_from))
        return found
    named = {(h.person_id, h.office_key) for h in holders}
    low, high = day - dt.timedelta(days=NEAR_DAYS), day + dt.timedelta(days=NEAR_DAYS)
    found = [
        c
        for c in found
        if c.overlap_from <= high
        and c.overlap_to >= low
        and any((tn.person_id, tn.office_key) in named for tn in c.tenures)
    ]
    found.sort(key=lambda c: (-c.near, c.overlap_from))
    return found


def _single_holder(offices: dict[str, _Placed]) -> Any:
    return lambda key: offices[key].office.single_holder


def _holder_maker(offices: dict[str, _Placed], names: dict[str, str], day: dt.date | None) -> Any:
    def make(tenure: Tenure, status: str, stale: int | None) -> Holder:
        office = offices[tenure.office_key].office
        successor = names.get(tenure.successor, tenure.successor) if tenure.successor else None
        if status == SUCCEEDED:
            status = f"succeeded by {successor} on {iso_date(tenure.succeeded_on)}"
        return Holder(
            person_id=tenure.person_id,
            person=names.get(tenure.person_id, tenure.person_id),
            title=office.title,
            org=office.org,
            status=status,
            first_seen=iso_date(tenure.first),
            last_seen=iso_date(tenure.last),
            ended_by=iso_date(tenure.end),
            evidence=[],
            office=office.label,
            office_key=office.key,
            country=office.country,
            country_inferred=office.country is not None
            and tenure.person_id not in offices[tenure.office_key].explicit,
            stale_days=stale,
            successor=successor,
            successor_id=tenure.successor,
            succeeded_on=iso_date(tenure.succeeded_on),
            evidence_count=tenure.reports,
            evidence_near=tenure.near if day is not None else 0,
        )

    return make


def _conflict(clash: Clash, offices: dict[str, _Placed], holder: Any) -> Conflict:
    office = offices[clash.office_key].office
    return Conflict(
        title=office.title,
        org=office.org,
        overlap_from=clash.overlap_from.isoformat(),
        overlap_to=clash.overlap_to.isoformat(),
        holders=[holder(tn, "reported", None) for tn in clash.tenures],
        office=office.label,
        office_key=office.key,
        country=office.country,
        evidence_near=clash.near,
    )


def _fill_evidence(reader: Reader, answer: WhoAnswer, day: dt.date | None, per_holder: int = 5) -> None:
    """The reports of each named holder nearest the asked day (the first ones without a day):
    those of the office's title that name its country, or none (inferred), and its
    organisation or none.

    Each holder's latest reports up to a year after the day are an index seek on
    (office_title, country_code, person_id, as_of); all holders go in one statement, so a
    long answer costs one round trip, not one per holder."""
    holders = [*answer.holders, *(h for c in answer.conflicts for h in c.holders)]
    r = t.roles
    terms = []
    for holder in {(h.person_id, h.office_key): h for h in holders}.values():
        code = holder.country.code if holder.country else None
        country_matches = r.c.country_code.is_(None)
        if code is not None:
            country_matches = or_(r.c.country_code == code, country_matches)
        for person in reader.members(holder.person_id):
            statement = role_statement().where(
                r.c.office_title == holder.title, country_matches, r.c.person_id == person
            )
            if day is None:
                terms.append(statement.order_by(r.c.as_of, r.c.id).limit(per_holder))
            else:
                until = day + dt.timedelta(days=NEAR_DAYS)
                terms.append(
                    statement.where(r.c.as_of <= until).order_by(r.c.as_of.desc()).limit(2 * per_holder)
                )
    found: dict[str, list[RoleRow]] = defaultdict(list)
    for chunk in chunks(terms, _TERMS):
        inner = [term.subquery() for term in chunk]
        statement = union_all(*(select(*sub.c) for sub in inner)) if len(inner) > 1 else select(*inner[0].c)
        for row in read_role_rows(reader, statement):
            found[row.person].append(row)
    for holder in holders:
        rows = [
            row
            for row in found[holder.person_id]
            if row.office_org is None or holder.org is None or plain(row.office_org) == plain(holder.org)
        ]
        if day is not None:
            rows.sort(key=lambda row: (abs((row.as_of - day).days), row.evidence.article_id))  # type: ignore[operator]
        else:
            rows.sort(key=lambda row: (row.as_of or dt.date.max, row.evidence.article_id))
        unique = {(e.article_id, e.start): e for e in (row.evidence for row in rows)}
        holder.evidence = sorted(
            list(unique.values())[:per_holder], key=lambda e: (e.date or "", e.article_id, e.start)
        )
