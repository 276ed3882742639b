"""Wikidata item ids for people, organisations and offices, attached by a curator.

The QuickStatements export writes a statement only between things that carry
an id, so that nothing it produces can create a duplicate item or a
string-valued "position held". An id is attached to:

* an entity (a person or organisation, named by id or by any of its names,
  resolved like every reader does, people first: a campaign or a company
  named after a person does not make the name ambiguous), under its entity
  id; an id merged away later still answers through `Curation.canonical`;
* a canonical office (named as text, "British Prime Minister"), under
  ``"office:" + its canonical key``, so every way of writing the office shares it.

Each change is also a row of the curation log (action ``"wikidata"``,
target the id, or none where it was removed), so the record says who was
given which id, when and why, like every other curation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from newsgraph.canonical import Office, country, office_query
from newsgraph.dates import utc_now
from newsgraph.errors import CurationError, NotFound
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, CurationEntry
from newsgraph.store.resolve import resolve_entity

ACTION = "wikidata"
OFFICE = "office:"
_QID = re.compile(r"Q[1-9][0-9]{0,14}")
# what a curator may paste: the item's page or entity URL
_URL = re.compile(r"https?://(?:www\.|m\.)?wikidata\.org/(?:wiki|entity)/(Q[0-9]+)/?", re.IGNORECASE)


@dataclass(frozen=True)
class WikidataLink:
    """A subject's Wikidata id after a change: `qid` None where it was removed."""

    subject: str
    name: str
    qid: str | None
    previous: str | None
    entry: CurationEntry

    def sentence(self) -> str:
        who = f"{self.name} ({self.subject})"
        if self.qid is None:
            return f"{who} no longer has a Wikidata id (it was {self.previous})."
        if self.previous and self.previous != self.qid:
            return f"{who} is now {self.qid} on Wikidata (it was {self.previous})."
        return f"{who} is now {self.qid} on Wikidata."

    def as_dict(self) -> dict[str, Any]:
        return {**self.entry.as_dict(), "name": self.name, "qid": self.qid, "previous": self.previous}


def parse_qid(value: str) -> str:
    """The item id in `value` ("Q9545", "q9545" or its wikidata.org URL); raises `CurationError`
    naming the expected form for anything else (a property "P39", a label, a lexeme)."""
    text = (value or "").strip()
    url = _URL.fullmatch(text)
    qid = (url.group(1) if url else text).upper()
    if not _QID.fullmatch(qid):
        raise CurationError(
            f"{value!r} is not a Wikidata item id: expected Q followed by digits (e.g. Q9545)"
        )
    return qid


def office_subject(conn: Connection, text: str, *, known: bool = True) -> tuple[str, str]:
    """The subject an office given as text ("British Prime Minister", or "office:KEY") is kept
    under, and its label. With `known`, raises `CurationError` where no role in the store is of
    that office, so that a misspelt office is not given an id nothing will ever use."""
    query = text.strip()
    if query.startswith(OFFICE):
        key = query[len(OFFICE) :]
    else:
        asked = office_query(query)
        key = Office(asked.title, asked.country, asked.org, "current").key
    r = t.roles
    found = conn.execute(
        select(r.c.office_title, r.c.country_code, r.c.office_org).where(r.c.office_key == key).limit(1)
    ).first()
    if found is None:
        if known:
            raise CurationError(f"no role in the store is of the office {query!r} (key {key!r})")
        return OFFICE + key, key
    code = found.country_code
    office = Office(found.office_title, country(code) if code else None, found.office_org, "current")
    return OFFICE + key, office.label


def _subject(
    conn: Connection, ref: str, office: bool, curation: Curation, *, known: bool = True
) -> tuple[str, str]:
    if office or ref.strip().startswith(OFFICE):
        return office_subject(conn, ref, known=known)
    try:
        # a name a person and an organisation share ("Barack Obama", a campaign) means the person
        entity = resolve_entity(conn, ref, curation, kind="PERSON")
    except NotFound:
        entity = resolve_entity(conn, ref, curation)
    name = conn.execute(select(t.entities.c.name).where(t.entities.c.id == entity)).scalar()
    return entity, name or entity


def _record(conn: Connection, subject: str, qid: str | None, reason: str | None) -> CurationEntry:
    at = utc_now()
    reason = (reason or "").strip() or None
    result = conn.execute(
        insert(t.curation).values(action=ACTION, subject=subject, target=qid, reason=reason, at=at)
    )
    return CurationEntry(int(result.inserted_primary_key[0]), ACTION, subject, qid, None, reason, at)


def _current(conn: Connection, subject: str) -> str | None:
    w = t.wikidata_ids
    return conn.execute(select(w.c.qid).where(w.c.subject == subject)).scalar()


def attach_wikidata(
    store: Store, subject: str, qid: str, reason: str | None = None, *, office: bool = False
) -> WikidataLink:
    """Give `subject` (an entity id or name; an office's text with `office`, or "office:KEY") the
    Wikidata item `qid`, replacing any it had. Raises `CurationError` for an id that is no item id
    or that another entity already carries (the two are then one person: merge them),
    `NotFound`/`Ambiguous` for a name that means nobody or several."""
    qid = parse_qid(qid)
    with store.engine.begin() as conn:
        curation = Curation.load(conn)
        key, name = _subject(conn, subject, office, curation)
        if not key.startswith(OFFICE):
            holders = {
                curation.canonical(other)
                for other, other_qid in wikidata_ids(conn).items()
                if other_qid == qid and not other.startswith(OFFICE)
            } - {key}
            if holders:
                raise CurationError(
                    f"{qid} is already the Wikidata id of {', '.join(sorted(holders))}; "
                    f"if that is {name}, merge the two"
                )
        previous = _current(conn, key)
        conn.execute(delete(t.wikidata_ids).where(t.wikidata_ids.c.subject == key))
        conn.execute(insert(t.wikidata_ids).values(subject=key, qid=qid, at=utc_now()))
        return WikidataLink(key, name, qid, previous, _record(conn, key, qid, reason))


def detach_wikidata(
    store: Store, subject: str, reason: str | None = None, *, office: bool = False
) -> WikidataLink:
    """Remove the Wikidata id of `subject` (named as for `attach_wikidata`); raises
    `CurationError` where it has none."""
    with store.engine.begin() as conn:
        curation = Curation.load(conn)
        # an office no report is of any more (offices re-derived since) can still lose its id
        key, name = _subject(conn, subject, office, curation, known=False)
        previous = _current(conn, key)
        if previous is None:
            raise CurationError(f"{name} ({key}) has no Wikidata id")
        conn.execute(delete(t.wikidata_ids).where(t.wikidata_ids.c.subject == key))
        return WikidataLink(key, name, None, previous, _record(conn, key, None, reason))


def wikidata_ids(conn: Connection) -> dict[str, str]:
    """Every attached id, by subject (entity id or "office:KEY"), as stored."""
    w = t.wikidata_ids
    return {row.subject: row.qid for row in conn.execute(select(w.c.subject, w.c.qid))}


def entity_qids(ids: dict[str, str], curation: Curation) -> dict[str, str]:
    """The ids of `wikidata_ids` by the entity curation gives each subject now: an entity's own id
    wins over one attached to an entity merged into it before the merge."""
    found: dict[str, str] = {}
    for subject, qid in sorted(ids.items()):
        if subject.startswith(OFFICE):
            continue
        canonical = curation.canonical(subject)
        if canonical == subject or canonical not in found:
            found[canonical] = qid
    return found


def office_qids(ids: dict[str, str]) -> dict[str, str]:
    """The ids of `wikidata_ids` by canonical office key."""
    return {subject[len(OFFICE) :]: qid for subject, qid in ids.items() if subject.startswith(OFFICE)}
