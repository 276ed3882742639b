"""Corpus-level identity: the one full-name person that a surname alone or a name with an
honorific ("Mr Blair", "Lord Falconer", "Romano") stands for, with the reason in words.

The write-time resolver joins a surname to a full name only when the store knows one person
of that surname (and of the gender the article says); where it knows several, the short name
is an entity of its own. `link_people` reads the whole corpus and links each such entity to
the one person it can mean, or leaves it alone:

* the same name: the short name is the person's surname or, when no surname fits and no
  honorific goes with it, the start of their name, for a known first name or after initials
  ("Romano" -> "Romano Prodi", "H.D. Deve" -> "H.D. Deve Gowda"); initials written with it
  are the person's, and so are a first name written right before it and a surname right
  after it, which the extractor may have cut off ("Howard Baker" stored as "Baker" is not
  James Baker); a short entity also written with a full name of its own is left alone:
  never another first name;
* a person: the short name has an honorific, an office, a gendered pronoun or a quote
  somewhere in the corpus (a bare "Johnson" in business wires is as often a firm);
* the same gender where both are known: from honorifics written in the articles (Mr, Mrs,
  Lord, Dame...), for the person then from their first name, then from pronouns;
* of those left, each measure in turn keeps those with more than half the best one's count:
  reported within 30 days of the short name's articles, within a year, sharing its offices,
  mentioned most. The measure that leaves one decides; two still close after all of them are
  refused as ambiguous.

Links go to `identity_links` and are read like merges (`Curation.load`); no fact is
re-pointed, so every run recomputes all links from what is stored and replaces them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, select

from newsgraph.canonical import place_country
from newsgraph.dates import utc_now
from newsgraph.lexicon import HONORIFICS, PRONOUNS_FEMALE, PRONOUNS_MALE
from newsgraph.names import (
    first_name_gender,
    given_name,
    honorific_gender,
    initials,
    initials_fit,
    is_peerage,
    looks_like_a_name,
    name_key,
    not_a_person,
    plain,
    short_key,
    spelt_alike,
)
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, not_rejected
from newsgraph.store.resolve import MENTION_MARGIN, MIN_MENTIONS
from newsgraph.store.rows import entity_id

PERSON = "PERSON"
_LINKS_LOCK = 0x6E67_6C696E6B  # pg_advisory_xact_lock key of `link_people` ("ng" "link")
# A gender is what at least this share of the evidence says; less is mixed.
CLEAR_SHARE = 0.8
# A candidate stays in the running while it has more than 1/MARGIN of the best one's count;
# mentions, the weakest sign, must differ more and be counted on enough of them.
MARGIN = 2
NEAR_DAYS = 30
YEAR_DAYS = 365
# Characters around a mention searched for what the extractor left out of it: an honorific
# or a first name before it ("Mr Blair", "Howard Baker"), a surname after it ("Jose Sarney").
BEFORE = 24
AFTER = 16
_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)\s+$")
_WORD_AFTER = re.compile(r"^\s+([A-Z][a-z]+)")
ARTICLES_SHOWN = 10
# Capitalised only: "they will miss Blair" says nothing of Blair.
_HONORIFIC_BEFORE = re.compile(
    r"(?:^|[^\w])("
    + "|".join(sorted({re.escape(h.rstrip(".").capitalize()) for h in HONORIFICS}, key=len)[::-1])
    + r")\.?\s+$"
)
_NOUN = {"male": "man", "female": "woman", None: "person"}


@dataclass
class LinkSummary:
    """What one run of `link_people` did."""

    links: int
    considered: int  # short-name people with at least one candidate of that name
    refused: dict[str, int]  # why -> how many short names were left alone
    seconds: float


@dataclass
class _Person:
    id: str
    name: str
    words: list[str]
    ids: set[str] = field(default_factory=set)
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    dates: list[dt.date] = field(default_factory=list)
    honorifics: Counter[str] = field(default_factory=Counter)  # gender -> mentions
    labels: Counter[str] = field(default_factory=Counter)  # "Mr Blair" -> mentions
    pronouns: Counter[str] = field(default_factory=Counter)
    titles: dict[str, str] = field(default_factory=dict)  # office title -> title as written
    full_names: int = 0  # mentions written with two names or more
    first_before: set[str] = field(default_factory=set)  # first names written right before it
    word_after: set[str] = field(default_factory=set)  # capitalised words right after it
    cut: int = 0  # mentions followed by a capitalised word: a first name cut from a full name
    quotes: int = 0

    def gender(self, *, full_name: bool) -> tuple[str | None, str | None]:
        """(gender, what says so): honorifics, "mixed" when they disagree; for a full name then
        the first name, then pronouns. A short name's pronouns are left out: a pronoun the
        extractor resolved to a surname alone is too often another person's."""
        said = _clear(self.honorifics)
        if said is not None:
            return said, "honorific"
        if not full_name:
            return None, None
        if (by_name := first_name_gender(self.name)) is not None:
            return by_name, "first name"
        if sum(self.pronouns.values()) >= 2 and (by_pronoun := _clear(self.pronouns)) not in (None, "mixed"):
            return by_pronoun, "pronoun"
        return None, None

    def acts_as_a_person(self) -> bool:
        """An honorific, an office, a gendered pronoun or a quote: a surname alone with none of
        them is as often a firm ("Johnson and Johnson"), a place or a headline word."""
        return bool(self.honorifics or self.titles or self.pronouns or self.quotes)

    def near(self, dates: list[dt.date], days: int) -> int:
        """How many of `dates` lie within `days` of one of this person's reports."""
        count = 0
        for day in dates:
            i = bisect.bisect_left(self.dates, day - dt.timedelta(days=days))
            if i < len(self.dates) and self.dates[i] <= day + dt.timedelta(days=days):
                count += 1
        return count

    def label(self) -> str:
        return self.labels.most_common(1)[0][0] if self.labels else self.name


def _clear(counts: Counter[str]) -> str | None:
    total = sum(counts.values())
    if not total:
        return None
    gender, top = counts.most_common(1)[0]
    return gender if top >= CLEAR_SHARE * total else "mixed"


def link_people(conn: Connection) -> LinkSummary:
    """Recompute every identity link from the stored entities, mentions, roles and articles and
    replace the `identity_links` rows with them; run it inside one transaction
    (``with store.engine.begin() as conn``). Curation by hand wins: an alias merged by hand, or
    a link rejected (``link:ALIAS:PERSON``), is not linked."""
    started = time.perf_counter()
    if conn.dialect.name == "postgresql":
        # Two ingests ending at once would replace the links row by row in different orders
        # and deadlock; they take turns (SQLite's one writer already makes them).
        conn.execute(select(func.pg_advisory_xact_lock(_LINKS_LOCK)))
    curation = Curation.load(conn, links=False)
    short, full = _people(conn, curation)
    by_last: dict[str, list[_Person]] = {}
    by_first: dict[str, list[_Person]] = {}
    for person in full.values():
        by_last.setdefault(person.words[-1], []).append(person)
        by_first.setdefault(person.words[0], []).append(person)
    twins = _twins(short, by_last, by_first)
    short = {i: p for i, p in short.items() if p.words[0] in by_last or p.words[0] in by_first}
    wanted = dict(short)
    for word in {p.words[0] for p in short.values()}:
        wanted.update((p.id, p) for p in by_last.get(word, []) + by_first.get(word, []))
    _read_facts(conn, curation, wanted)

    refused: Counter[str] = Counter()
    links: list[dict[str, Any]] = []
    for alias in sorted(short.values(), key=lambda p: p.id):
        if not alias.mentions:
            continue
        found = _decide(alias, by_last.get(alias.words[0], []), by_first.get(alias.words[0], []))
        if isinstance(found, str):
            refused[found] += 1
        elif not curation.allows(alias.id, found["person_id"]):
            refused["undone by curation"] += 1
        else:
            links.append(found)
    for alias, twin in twins:
        if curation.allows(alias.id, twin.id):
            links.append(_twin_link(alias, twin))
        else:
            refused["undone by curation"] += 1
    _replace(conn, links)
    return LinkSummary(
        links=len(links),
        considered=sum(1 for p in short.values() if p.mentions) + len(twins),
        refused=dict(sorted(refused.items())),
        seconds=round(time.perf_counter() - started, 3),
    )


def _people(conn: Connection, curation: Curation) -> tuple[dict[str, _Person], dict[str, _Person]]:
    """Person entities as they stand after curation by hand, short names and full names apart;
    parties, demonyms, group nouns and honorifics alone are neither."""
    e = t.entities
    rows = conn.execute(select(e.c.id, e.c.name, e.c.key).where(e.c.type == PERSON)).all()
    names = {r.id: r.name for r in rows}
    split_off = set(curation.splits.values())
    short: dict[str, _Person] = {}
    full: dict[str, _Person] = {}
    for row in rows:
        owner = curation.canonical(row.id)
        if owner in split_off or owner not in names:
            continue
        name = names[owner]
        words = name_key(name).split()
        if not words or not_a_person(name):
            continue
        group = short if len(words) == 1 else full
        person = group.setdefault(owner, _Person(owner, name, words))
        person.ids.add(row.id)
        if row.key.endswith(" (female)"):
            # minted apart because its article said she is a woman (`names.short_key`)
            person.honorifics["female"] += 1
    return short, full


def _twins(
    short: dict[str, _Person], by_last: dict[str, list[_Person]], by_first: dict[str, list[_Person]]
) -> list[tuple[_Person, _Person]]:
    """Short names that no full name can mean, minted apart by an older extractor under a key
    that kept an honorific ("lord falconer"), each with the entity that its name mints now
    ("Lord Falconer" and "Falconer")."""
    found = []
    for alias in short.values():
        word = alias.words[0]
        if word in by_last or word in by_first:
            continue
        twin = short.get(entity_id(PERSON, short_key(word, honorific_gender(alias.name))))
        if twin is not None and twin.id != alias.id and twin.id not in alias.ids:
            found.append((alias, twin))
    return sorted(found, key=lambda pair: pair[0].id)


def _twin_link(alias: _Person, twin: _Person) -> dict[str, Any]:
    return {
        "alias_id": alias.id,
        "person_id": twin.id,
        "reason": f"{alias.name!r} is {twin.name}: the same name, its honorific aside, that an older "
        "extractor stored apart",
        "evidence": {"match": "same name", "decided_by": "only", "alias_name": alias.name},
    }


def _before(m: Any, a: Any) -> Any:
    """The characters before a mention, in SQL (substr counts from 1 on every database)."""
    start = case((m.c.start >= BEFORE, m.c.start - BEFORE + 1), else_=1)
    length = case((m.c.start >= BEFORE, BEFORE), else_=m.c.start)
    return func.substr(a.c.text, start, length)


def _after(m: Any, a: Any) -> Any:
    return func.substr(a.c.text, m.c.end + 1, AFTER)


def _read_facts(conn: Connection, curation: Curation, people: dict[str, _Person]) -> None:
    """Mentions (with honorifics and pronouns), article dates, offices and quotes of `people`."""
    owner = {i: p for p in people.values() for i in p.ids}
    ids = sorted(owner)
    m, a, r, o = t.mentions, t.articles, t.roles, t.quote_occurrences
    dated: dict[str, set[tuple[str, dt.date]]] = {}
    for chunk in _chunks(ids):
        statement = (
            select(
                m.c.entity_id,
                m.c.article_id,
                m.c.kind,
                m.c.text,
                a.c.date,
                _before(m, a).label("before"),
                _after(m, a).label("after"),
            )
            .join(a, a.c.id == m.c.article_id)
            .where(m.c.entity_id.in_(chunk))
        )
        for row in conn.execute(statement):
            person = owner[row.entity_id]
            if curation.for_article(row.entity_id, row.article_id) != person.id:
                continue
            person.articles.add(row.article_id)
            if row.date is not None:
                dated.setdefault(person.id, set()).add((row.article_id, row.date))
            if row.kind == "pronoun":
                word = row.text.casefold()
                gender = "male" if word in PRONOUNS_MALE else "female" if word in PRONOUNS_FEMALE else None
                if gender:
                    person.pronouns[gender] += 1
                continue
            person.mentions += 1
            # "The Tory leader" (a title-only mention) is no full name of the person
            person.full_names += row.kind != "title" and len(name_key(row.text).split()) > 1
            _honorific(person, row.text, row.before or "")
            if (first := _WORD_BEFORE.search(row.before or "")) and given_name(first.group(1)):
                person.first_before.add(plain(first.group(1)))
            if after := _WORD_AFTER.match(row.after or ""):
                person.word_after.add(plain(after.group(1)))
                person.cut += 1
        for row in conn.execute(
            # the office the title means where it is known ("premier" is "prime minister")
            select(
                r.c.person_id,
                r.c.article_id,
                r.c.title,
                func.coalesce(r.c.office_title, r.c.title_key).label("office"),
            ).where(r.c.person_id.in_(chunk), not_rejected(r.c.fact_key))
        ):
            person = owner[row.person_id]
            if curation.for_article(row.person_id, row.article_id) == person.id:
                person.titles.setdefault(row.office, row.title)
        for row in conn.execute(
            select(o.c.speaker_id, o.c.article_id).where(
                o.c.speaker_id.in_(chunk), not_rejected(o.c.fact_key)
            )
        ):
            person = owner[row.speaker_id]
            person.quotes += curation.for_article(row.speaker_id, row.article_id) == person.id
    for pid, pairs in dated.items():
        people[pid].dates = sorted(day for _, day in pairs)


def _honorific(person: _Person, text: str, before: str) -> None:
    gender = honorific_gender(text)
    label = text
    if gender is None and (found := _HONORIFIC_BEFORE.search(before)):
        gender = honorific_gender(found.group(1))
        label = f"{found.group(1)} {text}"
    if gender is not None:
        person.honorifics[gender] += 1
    person.labels[label] += 1


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _decide(alias: _Person, same_last: list[_Person], same_first: list[_Person]) -> dict[str, Any] | str:
    """The link of `alias` to one person, or why there is none."""
    if alias.full_names:
        return "written with a full name too"
    if not alias.acts_as_a_person():
        return "no sign of a person"
    if place_country(alias.name) is not None:
        # "England said", "Britain's": a country the tagger took for a person
        return "a place"
    gender, gender_from = alias.gender(full_name=False)
    if gender == "mixed":
        return "mixed gender"
    ruled_out: list[dict[str, str]] = []

    def fits(person: _Person) -> bool:
        if person.id == alias.id:
            return False
        why = None
        if not (person.acts_as_a_person() or given_name(person.name.split()[0]) or initials(person.name)):
            # a "full name" with no known first name and no honorific, office, pronoun or quote
            # is as often a tagging slip ("Supplier Gazprom", "Busan Roadmap") as a person
            why = "no sign of a person"
        elif not looks_like_a_name(person.name):
            why = "not a name"
        elif not spelt_alike(alias.name, person.name):
            # keys fold transliterations, which also folds "Scot" into "Scott", "Yi" into "II"
            why = "spelling"
        elif not initials_fit(alias.name, person.name):
            why = "initials"
        elif alias.first_before and plain(person.name).split()[0] not in alias.first_before:
            # "Howard Baker" cut to "Baker" is not James Baker
            why = "first name"
        elif gender is not None and person.gender(full_name=True)[0] not in (None, "mixed", gender):
            why = "gender"
        if why:
            ruled_out.append({"id": person.id, "name": person.name, "why": why})
        return why is None

    # mostly followed by another name ("Lee Iacocca" cut to "Lee"): a first name, not a surname
    by_surname = [p for p in same_last if 2 * alias.cut <= alias.mentions and fits(p)]
    # an honorific goes with a surname: "Mr Romano" is nobody's first name
    by_start = [
        p
        for p in same_first
        if p not in same_last
        and not alias.honorifics
        and (given_name(alias.name) or initials(alias.name))
        # "Jose" cut from "Jose Sarney" is not Jose Melicias
        and not alias.word_after - {plain(w) for w in p.name.split()[1:]}
        and fits(p)
    ]
    if by_surname and by_start:
        return "ambiguous"
    if len(by_start) > 1:
        return "ambiguous"
    if not by_surname and not by_start:
        return "every candidate ruled out" if ruled_out else "no candidate"
    if len(by_start + by_surname) == 1:
        (only,) = by_start + by_surname
        # one name, but never reported near the other: perhaps another person; a first name
        # alone ("Andy", "Tony") is common enough to ask for the same month
        window = NEAR_DAYS if by_start else YEAR_DAYS
        if alias.dates and only.dates and not only.near(alias.dates, window):
            return "far in time"
        # A peer's title is often not the surname he was born with ("Lord Woolf" is no Wolff):
        # being the only namesake is not enough without an office or a date to share.
        if (
            alias.honorifics
            and is_peerage(alias.name)
            and not (
                alias.titles.keys() & only.titles.keys() or (alias.dates and only.near(alias.dates, window))
            )
        ):
            return "peerage without shared office or time"
        match = "name start" if by_start else "surname"
        return _link(alias, only, match, "only", gender, gender_from, [], ruled_out)
    ranked, decided_by = _rank(alias, by_surname)
    if decided_by is None:
        return "ambiguous"
    return _link(alias, ranked[0], "surname", decided_by, gender, gender_from, ranked[1:], ruled_out)


def _measures(alias: _Person) -> list[tuple[str, Callable[[_Person], int], int, int]]:
    """(name, measure, margin, the least best count that tells anything), in the order tried."""
    timed = [
        ("near_30_days", lambda p: p.near(alias.dates, NEAR_DAYS), MARGIN, 1),
        ("near_365_days", lambda p: p.near(alias.dates, YEAR_DAYS), MARGIN, 1),
    ]
    # A name read mostly in undated articles (an archive without dates) says little by the few
    # dated ones: time would favour whoever happens to be dated over the one it means.
    return [
        *(timed if 2 * len(alias.dates) >= len(alias.articles) else []),
        ("shared_roles", lambda p: len(alias.titles.keys() & p.titles.keys()), MARGIN, 1),
        ("mentions", lambda p: p.mentions, MENTION_MARGIN, MIN_MENTIONS),
    ]


def _rank(alias: _Person, people: list[_Person]) -> tuple[list[_Person], str | None]:
    """Narrow the candidates measure by measure, each keeping those within its margin of the
    best (a measure whose best count is too small keeps all): the measure that leaves one
    decides. Returns that one first, then the others that measure had to tell apart, best
    first, then the rest; None when two remain close after every measure."""
    pool = sorted(people, key=lambda p: p.id)
    for key, measure, margin, least in _measures(alias):
        values = {p.id: measure(p) for p in pool}
        best = max(values.values())
        kept = [p for p in pool if margin * values[p.id] > best] if best >= least else pool
        if len(kept) == 1:
            told_apart = sorted(pool, key=lambda p: -values[p.id])
            return told_apart + [p for p in people if p not in pool], key
        pool = kept
    return pool, None


def _link(
    alias: _Person,
    person: _Person,
    match: str,
    decided_by: str,
    gender: str | None,
    gender_from: str | None,
    rivals: list[_Person],
    ruled_out: list[dict[str, str]],
) -> dict[str, Any]:
    person_gender, person_gender_from = person.gender(full_name=True)
    noun = _NOUN[gender if gender in _NOUN else None]
    label, written = alias.label(), person.name.split()[-1]
    shared = sorted(person.titles[k] for k in alias.titles.keys() & person.titles.keys())
    near, year = person.near(alias.dates, NEAR_DAYS), person.near(alias.dates, YEAR_DAYS)
    dated = len(alias.dates)
    if match == "name start":
        why = f"the only person whose name starts with {alias.name!r}"
    elif decided_by == "only":
        why = f"the only {noun} named {written} in the corpus"
        if near:
            why += f", reported within {NEAR_DAYS} days of {near} of its {dated} dated articles"
    else:
        runner = rivals[0]
        if decided_by == "near_30_days":
            why = (
                f"the {noun} named {written} reported within {NEAR_DAYS} days of {near} of its "
                f"{dated} dated articles ({runner.name}: {runner.near(alias.dates, NEAR_DAYS)})"
            )
        elif decided_by == "near_365_days":
            why = (
                f"the {noun} named {written} reported within a year of {year} of its {dated} dated "
                f"articles ({runner.name}: {runner.near(alias.dates, YEAR_DAYS)})"
            )
        elif decided_by == "shared_roles":
            why = f"the {noun} named {written} who holds its offices"
        else:
            why = (
                f"the {noun} named {written} mentioned most ({person.mentions} mentions; "
                f"{runner.name}: {runner.mentions})"
            )
    if shared:
        why += f", both {', '.join(shared)}"
    measures = _measures(alias)
    evidence = {
        "match": match,
        "decided_by": decided_by,
        "honorifics": dict(alias.labels.most_common(5)),
        "alias_gender": gender,
        "alias_gender_from": gender_from,
        "person_gender": person_gender,
        "person_gender_from": person_gender_from,
        "shared_roles": shared,
        "near_30_days": near,
        "near_365_days": year,
        "alias_dated_articles": dated,
        "alias_dates": [d.isoformat() for d in alias.dates[:1] + alias.dates[-1:]],
        "person_dates": [d.isoformat() for d in person.dates[:1] + person.dates[-1:]],
        "mentions": {"alias": alias.mentions, "person": person.mentions},
        "alias_articles": sorted(alias.articles)[:ARTICLES_SHOWN],
        "rivals": [
            {"id": p.id, "name": p.name, **{key: measure(p) for key, measure, _, _ in measures}}
            for p in rivals
        ],
        "ruled_out": ruled_out,
    }
    return {
        "alias_id": alias.id,
        "person_id": person.id,
        "reason": f"{label!r} is {person.name}: {why}",
        "evidence": evidence,
    }


def _replace(conn: Connection, links: list[dict[str, Any]]) -> None:
    """All links replaced; a link found again keeps the time it was first made."""
    i = t.identity_links
    made = {(r.alias_id, r.person_id): r.created_at for r in conn.execute(select(i))}
    conn.execute(delete(i))
    now = utc_now()
    rows = [{**link, "created_at": made.get((link["alias_id"], link["person_id"]), now)} for link in links]
    if rows:
        conn.execute(insert(i), rows)


__all__ = ["LinkSummary", "link_people"]
