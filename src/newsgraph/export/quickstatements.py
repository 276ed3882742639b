"""Tenures as Wikidata statements in the QuickStatements V1 syntax.

Only what Wikidata can take without a person reviewing each line is
written: a "position held" (P39) statement between a person and an office
that both carry a Wikidata item id attached by a curator (`newsgraph
wikidata NAME QID`, `newsgraph wikidata OFFICE QID --office`). Nothing here
creates an item (a person newsgraph knows is likely already on Wikidata,
and a second item is a duplicate to merge by hand) and no P39 value is a
string (the property takes an item). Everything else is in the tenures
export, ready to reconcile. Columns are separated by ``|`` (which the tool
accepts in place of tabs)::

    Q9545|P39|Q14211|P580|+1997-05-02T00:00:00Z/11|S854|"https://..."|S1476|en:"..."|S577|+1997-05-02T00:00:00Z/11|S813|+2024-11-20T00:00:00Z/11
    Q9545|P39|Q14211|P582|+2007-06-28T00:00:00Z/11|S1683|en:"former prime minister Tony Blair"|S577|+2007-06-28T00:00:00Z/11

* ``P580`` (start time) is the first report of the person in office: the
  first attestation in the corpus, not necessarily the day the office was
  taken; ``P582`` (end time) is the first "former" report on or after the
  last report in office. The end a successor implies is left out: no
  article says it. Times are ``+YYYY-MM-DDT00:00:00Z/11`` (day).
* Each date is cited by the report it comes from, so a tenure with both is
  two lines for one statement: QuickStatements adds a line's qualifier and
  reference to the statement of the same value where there is one. A
  tenure with neither date is one line, cited by its first report in office
  (else its "former" one); one known only from "then", "designate" and the
  like is not written.
* A reference (the ``S`` columns of a line form one) is ``S854``
  (reference URL) where the article has a URL, else ``S1683`` (quotation)
  with the sentence reported; then ``S1476`` (title) where the article has
  one, ``S577`` (publication date) where it is dated and, with a URL,
  ``S813`` (retrieved: the day it was ingested).
* ``P642`` ("of") is never written: the office item says whose office it is.

Strings are put on one line with ``"`` turned into ``'`` and ``|`` into
``/``, since QuickStatements V1 has no escapes; a quotation is cut to the
1,500 characters a monolingual text may have.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from newsgraph.export.common import BATCH, Row
from newsgraph.export.tenures import OfficeTenure, iter_office_tenures
from newsgraph.query.tenures import Tenure
from newsgraph.store import Store
from newsgraph.store.curation import Curation
from newsgraph.store.wikidata import entity_qids, office_qids, wikidata_ids

MAX_TEXT = 1500


def _string(text: str, limit: int | None = None) -> str:
    text = " ".join(text.split()).replace('"', "'").replace("|", "/")
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return f'"{text}"'


def _time(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"+{day.isoformat()}T00:00:00Z/11"


def _reference(report: Row) -> list[str]:
    if report["url"]:
        parts = ["S854", _string(report["url"])]
    else:
        parts = ["S1683", "en:" + _string(report["evidence"], MAX_TEXT)]
    if report["article_title"]:
        parts += ["S1476", "en:" + _string(report["article_title"], MAX_TEXT)]
    if report["article_date"]:
        parts += ["S577", _time(report["article_date"])]
    if report["url"] and report["ingested_at"]:
        parts += ["S813", _time(report["ingested_at"])]
    return parts


def _began(tenure: Tenure) -> dt.date:
    return tenure.first or tenure.ended or dt.date.max


def statements(person: str, office: str, item: OfficeTenure) -> list[str]:
    """The P39 lines of one tenure, `person` and `office` being item ids (see the module
    docstring)."""
    head = [person, "P39", office]
    tenure, lines = item.tenure, []
    if tenure.first is not None and item.in_office is not None:
        lines.append([*head, "P580", _time(tenure.first), *_reference(item.in_office)])
    if tenure.ended is not None and item.closed_by is not None:
        lines.append([*head, "P582", _time(tenure.ended), *_reference(item.closed_by)])
    cited = item.in_office or item.closed_by
    if not lines and cited is not None:
        lines.append([*head, *_reference(cited)])
    return ["|".join(line) for line in lines]


def export_quickstatements(store: Store, out: TextIO, *, batch_size: int = BATCH) -> int:
    """P39 statements for the people and offices with Wikidata ids (see the module docstring);
    returns the number of lines written."""
    chosen: dict[tuple[str, str], OfficeTenure] = {}
    with store.engine.connect() as conn:
        ids, curation = wikidata_ids(conn), Curation.load(conn)
        people, offices = entity_qids(ids, curation), office_qids(ids)
        if not people or not offices:
            return 0
        tenures = iter_office_tenures(conn, batch_size, curation, people=set(people), offices=set(offices))
        for group in tenures:
            for item in group:
                if item.in_office is None and item.closed_by is None:
                    continue
                pair = (people[item.tenure.person_id], offices[item.office["office_key"]])
                # two office keys given one item would be qualifiers of one statement, two starts:
                # the earlier tenure speaks for both
                if pair not in chosen or _began(item.tenure) < _began(chosen[pair].tenure):
                    chosen[pair] = item
    written = 0
    for (person, office), item in sorted(chosen.items()):
        lines = statements(person, office, item)
        out.writelines(line + "\n" for line in lines)
        written += len(lines)
    return written
