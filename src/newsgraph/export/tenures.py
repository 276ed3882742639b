"""Tenures: one row per person and canonical office, ready for reconciliation.

Reports of a role are read office by office (curated: rejected ones left
out, merged people under the id they now have) and summed up by the tenure
logic `who` answers with (`newsgraph.query.tenures`):

* ``start`` is the first report of the person in office, ``last_reported``
  the last (reports in the past tense, "former" or "then", open nothing);
* ``end`` is the first "former" report on or after the last one in office,
  else, in an office one person holds at a time, the successor's first
  report; ``ended_by`` says which (``former`` or ``successor``) and
  ``successor`` names the successor;
* the evidence is the report the start comes from, else the one the end
  comes from, else the first report: its article (id, title, date, URL or
  else path) and the sentence as written;
* ``reports`` counts every report of the person in the office and
  ``reported_as`` lists how they stand to it (``current``, ``former``,
  ``then``, ``acting``, ...): in an undated corpus the only sign that a
  tenure has ended.

Wikidata ids attached by a curator (`newsgraph.store.wikidata`) fill
``person_wikidata`` and ``office_wikidata``; the other rows are what to
reconcile (OpenRefine matches ``person_name``, ``office`` and ``country``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func

from newsgraph.canonical import STATUSES, Office, country, is_single_holder
from newsgraph.export.common import People, Row, stream
from newsgraph.export.tables import roles_statement
from newsgraph.query.tenures import CLOSING, CURRENT, Reports, Tenure, tenures
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.wikidata import entity_qids, office_qids, wikidata_ids


@dataclass
class _Holder:
    """What the rows need of one person's reports in one office beyond the tenure's dates."""

    name: str
    first: Row | None = None  # the first report in office
    closing: list[Row] = field(default_factory=list)  # "former" reports
    earliest: Row | None = None  # the first report of any kind
    statuses: set[str] = field(default_factory=set)


@dataclass
class OfficeTenure:
    """A tenure with the office and evidence it is exported with."""

    tenure: Tenure
    person_name: str
    office: Row  # office_key, office_title, country_code, office_org of its reports
    evidence: Row | None
    in_office: Row | None  # the first report of the person in office, dated or not
    closed_by: Row | None  # the "former" report that ended it, if one did
    successor_name: str | None
    statuses: list[str]  # how its reports stand to the office ("current", "former", ...)


def _day(row: Row) -> dt.date | None:
    return row["when"]


def _sooner(a: Row | None, b: Row) -> Row:
    """The earlier report of two, a dated one before an undated one."""
    if a is None:
        return b
    day_a, day_b = _day(a), _day(b)
    if day_b is not None and (day_a is None or day_b < day_a):
        return b
    return a


def _statement(curation: Curation, people: set[str] | None, offices: set[str] | None) -> Any:
    r, a = t.roles, t.articles
    when = func.coalesce(r.c.as_of, a.c.date)
    statement = (
        roles_statement(
            [
                when.label("when"),
                a.c.title.label("article_title"),
                a.c.date.label("article_date"),
                a.c.url,
                a.c.path,
                a.c.ingested_at,
            ]
        )
        .join(a, a.c.id == r.c.article_id)
        .where(r.c.office_key.is_not(None))
    )
    if people is not None:
        statement = statement.where(r.c.person_id.in_(curation.members(people)))
    if offices is not None:
        statement = statement.where(r.c.office_key.in_(sorted(offices)))
    # people are put together by their curated id in Python: identity links make too many for SQL
    return statement.order_by(r.c.office_key, when, r.c.article_id, r.c.start, r.c.id)


@dataclass
class _OfficeReports:
    """The reports of one office read so far: its first row stands for the office."""

    office: Row
    reports: list[Reports] = field(default_factory=list)
    holders: dict[str, _Holder] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        status = row["status"] or "current"
        self.reports.append(Reports.one(row["person_id"], row["office_key"], _day(row), status))
        holder = self.holders.setdefault(row["person_id"], _Holder(row["person_name"] or row["person_id"]))
        holder.earliest = _sooner(holder.earliest, row)
        holder.statuses.add(status)
        if status in CURRENT:
            holder.first = _sooner(holder.first, row)
        elif status in CLOSING:
            holder.closing.append(row)

    def tenures(self) -> list[OfficeTenure]:
        single = is_single_holder(self.office["office_title"])
        out = []
        for tenure in tenures(self.reports, lambda _key: single):
            holder = self.holders[tenure.person_id]
            closed_by = None
            if tenure.ended is not None:
                closed_by = next(r for r in holder.closing if _day(r) == tenure.ended)
            evidence = holder.first or closed_by or holder.earliest
            successor = self.holders[tenure.successor].name if tenure.successor in self.holders else None
            out.append(
                OfficeTenure(
                    tenure,
                    holder.name,
                    self.office,
                    evidence,
                    holder.first,
                    closed_by,
                    successor,
                    [status for status in STATUSES if status in holder.statuses],
                )
            )
        return out


def iter_office_tenures(
    conn: Connection,
    size: int,
    curation: Curation,
    *,
    people: set[str] | None = None,
    offices: set[str] | None = None,
) -> Iterator[list[OfficeTenure]]:
    """Tenures office by office (by canonical key), each office's in order of their start;
    one office's reports are held at a time, since a holder's successor is another person's;
    `people` (canonical entity ids) and `offices` (keys) narrow the reports read."""
    names = People(conn, curation)
    current: _OfficeReports | None = None
    for batch in stream(conn, _statement(curation, people, offices), size):
        for item in batch:
            row = dict(item._mapping)
            if current is not None and row["office_key"] != current.office["office_key"]:
                yield current.tenures()
                current = None
            row["person_id"], row["person_name"] = names.resolve(row["person_id"], row["person_name"])
            if current is None:
                current = _OfficeReports(row)
            current.add(row)
    if current is not None:
        yield current.tenures()


def _office(row: Row) -> Office:
    code = row["country_code"]
    return Office(row["office_title"], country(code) if code else None, row["office_org"], "current")


def tenure_row(item: OfficeTenure, person_qids: dict[str, str], office_ids: dict[str, str]) -> Row:
    tenure, office, evidence = item.tenure, item.office, item.evidence
    canonical = _office(office)
    ended_by = None
    if tenure.end is not None:
        ended_by = "former" if tenure.end == tenure.ended else "successor"
    return {
        "person_name": item.person_name,
        "person_id": tenure.person_id,
        "person_wikidata": person_qids.get(tenure.person_id),
        "office": canonical.label,
        "office_key": office["office_key"],
        "office_title": office["office_title"],
        "office_wikidata": office_ids.get(office["office_key"]),
        "country": canonical.country.name if canonical.country else None,
        "country_code": office["country_code"],
        "organisation": office["office_org"],
        "start": tenure.first,
        "end": tenure.end,
        "ended_by": ended_by,
        "successor": item.successor_name if ended_by == "successor" else None,
        "last_reported": tenure.last,
        "reports": tenure.reports,
        "reported_as": item.statuses,
        "evidence_article_id": evidence["article_id"] if evidence else None,
        "evidence_title": evidence["article_title"] if evidence else None,
        "evidence_date": evidence["article_date"] if evidence else None,
        "evidence_url": (evidence["url"] or evidence["path"]) if evidence else None,
        "evidence_text": " ".join(evidence["evidence"].split()) if evidence else None,
    }


def read_tenures(conn: Connection, size: int, **_: Any) -> Iterator[list[Row]]:
    ids, curation = wikidata_ids(conn), Curation.load(conn)
    person_qids, office_ids = entity_qids(ids, curation), office_qids(ids)
    batch: list[Row] = []
    for office in iter_office_tenures(conn, size, curation):
        batch.extend(tenure_row(item, person_qids, office_ids) for item in office)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
