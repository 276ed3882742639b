"""Curation: merge two entities, split one off in an article, reject a fact; and the `Curation`
view of those actions that writers and readers apply.

Each action is one transaction that records a row in the ``curation`` table
(action, subject, target, article id, reason, time) and re-points the rows
already stored, so readers see it at once. The record is what keeps it:
whenever an article is (re-)ingested, the write-time resolver maps ids
through `Curation`, and readers leave rejected fact keys out (`not_rejected`,
one SQL condition for every reader and export).

* merge A into B: A's mentions, roles, quotes and aliases move to B; A's
  entity row stays (ids are never reused) and resolves to B from then on.
* split ENTITY in ARTICLE: the entity's mentions, roles and quotes in that
  article move to a new entity, ``entity_id(type, "split:ENTITY:ARTICLE")``.
* reject FACT_KEY: a role (``role:...``) or quote occurrence (``quote:...``)
  is hidden from exports and queries; the row itself is kept. Rejecting
  ``link:ALIAS:PERSON`` undoes an identity link (below).

Identity links (`newsgraph.store.identity`: "Mr Blair" is Tony Blair) are
read like merges, but nothing is re-pointed: they are recomputed after every
ingest, and the user's word wins over them. A link is not applied when its
alias was merged by hand or its ``link:`` key was rejected.

Entities are named by id or by any name they are known under, resolved by
`newsgraph.store.resolve.resolve_entity` like every reader does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, false, insert, or_, select, update

from newsgraph.dates import utc_now
from newsgraph.errors import CurationError
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.resolve import resolve_entity
from newsgraph.store.rows import entity_id, insert_ignore


def link_key(alias: str, person: str) -> str:
    """The fact key that `reject` takes to undo the identity link of `alias` to `person`."""
    return f"link:{alias}:{person}"


@dataclass
class Curation:
    """Merges, splits and rejections, applied whenever facts are written or read."""

    # merges by hand and the identity links applied, both read as "stands for"
    merged_into: dict[str, str] = field(default_factory=dict)
    splits: dict[tuple[str, str], str] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)
    # alias -> person: the identity links applied, a subset of `merged_into`
    links: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection, *, links: bool = True) -> Curation:
        """The curation table's actions and, with `links`, the identity links they allow.

        A wrong link ("Mr Smith" linked to John Smith) is undone with
        ``newsgraph reject link:ALIAS:PERSON --reason ...`` (the ids are in ``person X --json``
        under ``links``); the alias is then a person of its own again, and stays one when
        `link_people` runs again. To say whom it does mean, merge it by its id after that.
        """
        curation = cls()
        for row in conn.execute(select(t.curation).order_by(t.curation.c.id)):
            if row.action == "merge":
                curation.merged_into[row.subject] = row.target
            elif row.action == "split" and row.article_id:
                curation.splits[(row.subject, row.article_id)] = row.target
            elif row.action == "reject":
                curation.rejected.add(row.subject)
        if links:
            i = t.identity_links
            pairs = conn.execute(select(i.c.alias_id, i.c.person_id).order_by(i.c.id))
            curation.fold_links((row.alias_id, row.person_id) for row in pairs)
        return curation

    def allows(self, alias: str, person: str) -> bool:
        """Whether curation leaves an identity link of `alias` to `person` standing: no merge of
        the alias by hand, no rejection of the link, and no merge of the person into the alias."""
        return (
            alias not in self.merged_into
            and link_key(alias, person) not in self.rejected
            and self.canonical(person) != alias
        )

    def unlinked(self) -> set[str]:
        """Aliases whose identity link a user rejected: people of their own by the user's word."""
        return {key.split(":")[1] for key in self.rejected if key.startswith("link:") and key.count(":") == 2}

    def fold_links(self, pairs: Iterable[tuple[str, str]]) -> None:
        for alias, person in pairs:
            if self.allows(alias, person):
                self.merged_into[alias] = person
                self.links[alias] = person

    def without_links(self) -> Curation:
        """The user's own actions alone."""
        merged = {a: b for a, b in self.merged_into.items() if a not in self.links}
        return Curation(merged, dict(self.splits), set(self.rejected))

    def canonical(self, entity: str) -> str:
        seen = set()
        while entity in self.merged_into and entity not in seen:
            seen.add(entity)
            entity = self.merged_into[entity]
        return entity

    def for_article(self, entity: str, article_id: str) -> str:
        return self.canonical(self.splits.get((entity, article_id), entity))

    def members(self, targets: Iterable[str]) -> list[str]:
        """The ids whose stored facts belong to `targets`: each target and every id merged into
        one, since a row written before a merge (or a merge recorded by hand) may still name it."""
        wanted = set(targets)
        return sorted(wanted | {e for e in self.merged_into if self.canonical(e) in wanted})

    def merged_away(self) -> list[str]:
        """Ids that now stand for another entity."""
        return sorted(e for e in self.merged_into if self.canonical(e) != e)


def not_rejected(fact_key: Any) -> Any:
    """The SQL condition that keeps a fact nobody rejected; every reader and export uses it."""
    rejected = select(t.curation.c.subject).where(t.curation.c.action == "reject")
    return fact_key.not_in(rejected)


@dataclass(frozen=True)
class CurationEntry:
    """One row of the curation table: an action with its reason and time."""

    id: int
    action: str
    subject: str
    target: str | None
    article_id: str | None
    reason: str | None
    at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "subject": self.subject,
            "target": self.target,
            "article_id": self.article_id,
            "reason": self.reason,
            "at": (self.at if self.at.tzinfo else self.at.replace(tzinfo=dt.UTC)).isoformat(),
        }


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CurationError("a reason is required")
    return reason


def _record(
    conn: Connection,
    action: str,
    subject: str,
    reason: str,
    *,
    target: str | None = None,
    article_id: str | None = None,
) -> CurationEntry:
    at = utc_now()
    result = conn.execute(
        insert(t.curation).values(
            action=action, subject=subject, target=target, article_id=article_id, reason=reason, at=at
        )
    )
    return CurationEntry(int(result.inserted_primary_key[0]), action, subject, target, article_id, reason, at)


def _entity(conn: Connection, entity: str) -> Any:
    return conn.execute(select(t.entities).where(t.entities.c.id == entity)).one()


def _repoint(conn: Connection, old: str, new: str, article_id: str | None = None) -> None:
    """Facts about `old` (in one article, or everywhere) now name `new`."""
    for table, column in (
        (t.mentions, "entity_id"),
        (t.roles, "person_id"),
        (t.roles, "org_entity_id"),
        (t.quote_occurrences, "speaker_id"),
    ):
        condition = table.c[column] == old
        if article_id is not None:
            condition = and_(condition, table.c.article_id == article_id)
        conn.execute(update(table).where(condition).values({column: new}))
    condition = t.quotes.c.speaker_id == old
    if article_id is not None:
        condition = and_(condition, t.quotes.c.first_article_id == article_id)
    conn.execute(update(t.quotes).where(condition).values(speaker_id=new))


def merge(store: Store, a: str, b: str, reason: str) -> CurationEntry:
    """Merge entity `a` into `b` (ids or names); raises `NotFound`/`Ambiguous` for a name that
    means nobody or several, `CurationError` for a merge that cannot be."""
    reason = _reason(reason)
    with store.engine.begin() as conn:
        curation = Curation.load(conn)
        source = resolve_entity(conn, a, curation)
        target = resolve_entity(conn, b, curation)
        if source == target:
            raise CurationError(f"{a!r} and {b!r} are already one entity ({target})")
        source_row, target_row = _entity(conn, source), _entity(conn, target)
        if source_row.type != target_row.type:
            raise CurationError(
                f"cannot merge {source} ({source_row.type}) into {target} ({target_row.type})"
            )
        _repoint(conn, source, target)
        # aliases: move those the target lacks, drop the duplicates
        other = t.aliases.alias("other")
        duplicate = exists().where(
            other.c.entity_id == target, other.c.type == t.aliases.c.type, other.c.key == t.aliases.c.key
        )
        conn.execute(delete(t.aliases).where(t.aliases.c.entity_id == source, duplicate))
        conn.execute(update(t.aliases).where(t.aliases.c.entity_id == source).values(entity_id=target))
        return _record(conn, "merge", source, reason, target=target)


def split(store: Store, entity: str, article_id: str, reason: str) -> CurationEntry:
    """The entity's mentions (and roles and quotes) in one article become a new entity."""
    reason = _reason(reason)
    with store.engine.begin() as conn:
        curation = Curation.load(conn)
        source = resolve_entity(conn, entity, curation)
        if (source, article_id) in curation.splits:
            raise CurationError(
                f"{source} is already split in {article_id} (into {curation.splits[(source, article_id)]})"
            )
        mentions = conn.execute(
            select(t.mentions.c.text, t.mentions.c.kind).where(
                t.mentions.c.entity_id == source, t.mentions.c.article_id == article_id
            )
        ).all()
        if not mentions:
            raise CurationError(f"{source} is not mentioned in article {article_id!r}")
        row = _entity(conn, source)
        key = f"split:{source}:{article_id}"
        new_id = entity_id(row.type, key)
        names = [m.text for m in mentions if m.kind == "name"]
        name = max(names, key=lambda n: len(n.split())) if names else row.name
        insert_ignore(
            conn,
            t.entities,
            [{"id": new_id, "type": row.type, "name": name, "key": key, "created_at": utc_now()}],
        )
        _repoint(conn, source, new_id, article_id)
        return _record(conn, "split", source, reason, target=new_id, article_id=article_id)


def reject(store: Store, fact_key: str, reason: str) -> CurationEntry:
    """Hide a role or quote occurrence, or undo an identity link, given by its fact key."""
    reason = _reason(reason)
    fact_key = fact_key.strip()
    with store.engine.begin() as conn:
        i = t.identity_links
        _, alias, person = [*fact_key.split(":"), "", ""][:3]
        known = conn.execute(
            select(
                or_(
                    exists().where(t.roles.c.fact_key == fact_key),
                    exists().where(t.quote_occurrences.c.fact_key == fact_key),
                    exists().where(i.c.alias_id == alias, i.c.person_id == person)
                    if fact_key == link_key(alias, person)
                    else false(),
                )
            )
        ).scalar()
        if not known:
            raise CurationError(f"no role, quote or identity link has the fact key {fact_key!r}")
        if fact_key in Curation.load(conn).rejected:
            raise CurationError(f"{fact_key} is already rejected")
        return _record(conn, "reject", fact_key, reason)


def list_curation(store: Store) -> list[CurationEntry]:
    """Every curation action, oldest first."""
    with store.engine.connect() as conn:
        return [
            CurationEntry(r.id, r.action, r.subject, r.target, r.article_id, r.reason, r.at)
            for r in conn.execute(select(t.curation).order_by(t.curation.c.id))
        ]
