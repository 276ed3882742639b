"""Names to corpus-wide ids: at write time for the entities of each article (`Resolver`), and at
read time for a name or id someone asks about (`candidates`, `resolve_entity`).

Ids are minted from the key a name was first resolved by, so the same key
always gives the same id on every run and every database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, func, or_, select, update

from newsgraph.canonical import place_country
from newsgraph.dates import utc_now
from newsgraph.errors import Ambiguous, NotFound
from newsgraph.names import (
    first_name_gender,
    honorific_gender,
    initials_fit,
    is_peerage,
    looks_like_a_name,
    name_key,
    org_key,
    short_key,
    spelt_alike,
    surname_key,
)
from newsgraph.store import schema as t
from newsgraph.store.rows import entity_id, insert_ignore

if TYPE_CHECKING:
    # a type only: store.curation resolves names through this module
    from newsgraph.store.curation import Curation

PERSON = "PERSON"
# A namesake mentioned this many times more than the next (and at least MIN_MENTIONS times) is
# the one a surname alone means, for readers and for `store.identity` alike.
MENTION_MARGIN = 3
MIN_MENTIONS = 5
SURNAME = "PERSON_SURNAME"


@dataclass
class ResolverCache:
    """What a run already knows of names and ids, so each name costs one look-up a run.

    Ids are minted from keys, so a cached answer is the one the database
    would give; the cache is dropped whenever a transaction rolls back.
    """

    aliases: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    alias_rows: set[tuple[str, str, str]] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    name_words: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def clear(self) -> None:
        self.aliases.clear()
        self.alias_rows.clear()
        self.entities.clear()
        self.name_words.clear()
        self.names.clear()


def entity_gender(entity: dict[str, Any]) -> str | None:
    """What an article says of a person's gender: extraction's `gender`, else an honorific
    written in one of its names ("Mrs Blair")."""
    if entity.get("gender") in ("male", "female"):
        return str(entity["gender"])
    names = [entity["name"], *(m["text"] for m in entity["mentions"] if m["kind"] == "name")]
    said = {g for g in map(honorific_gender, names) if g}
    return said.pop() if len(said) == 1 else None


def compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


class Resolver:
    """Maps an article's local entities to the corpus-wide ids."""

    def __init__(self, conn: Connection, curation: Curation, cache: ResolverCache | None = None) -> None:
        self.conn = conn
        # Facts are written under the entity an article names: an identity link is a reading
        # of the corpus, recomputed after each ingest, and rows written under the linked
        # person could not follow a link that is later dropped or rejected.
        self.curation = curation.without_links()
        self.cache = cache if cache is not None else ResolverCache()
        self._split_off = set(curation.splits.values())

    def _lookup(self, kind: str, key: str) -> list[str]:
        found = self.cache.aliases.get((kind, key))
        if found is None:
            rows = self.conn.execute(
                select(t.aliases.c.entity_id).where(t.aliases.c.type == kind, t.aliases.c.key == key)
            )
            found = self.cache.aliases[(kind, key)] = {r.entity_id for r in rows}
        # an entity split off for one article answers to no name elsewhere
        return sorted({self.curation.canonical(e) for e in found if e not in self._split_off})

    def _mint(self, kind: str, key: str, name: str) -> str:
        new_id = entity_id(kind, key)
        if new_id not in self.cache.entities:
            insert_ignore(
                self.conn,
                t.entities,
                [{"id": new_id, "type": kind, "name": name, "key": key, "created_at": utc_now()}],
            )
            self.cache.entities.add(new_id)
        return new_id

    def resolve(self, entity: dict[str, Any], article_id: str) -> str:
        kind, name = entity["type"], entity["name"]
        if kind == "PERSON":
            global_id = self._person(entity)
        else:
            key = org_key(name)
            found = self._lookup(kind, key)
            global_id = found[0] if found else self._mint(kind, key, name)
        split = self.curation.splits.get((global_id, article_id))
        global_id = self.curation.for_article(global_id, article_id)
        if split is None:
            self._remember(kind, entity, global_id)
        return global_id

    def _person(self, entity: dict[str, Any]) -> str:
        name = entity["name"]
        key = name_key(name)
        words = key.split()
        if len(words) >= 2:
            for candidate in (key, f"{words[0]} {words[-1]}"):
                found = self._lookup("PERSON", candidate)
                if len(found) == 1:
                    return found[0]
            return self._mint("PERSON", key, name)
        # A surname alone: the one known person of that surname who may be of the gender the
        # article says, else its own entity (which `store.identity` may link to one later).
        gender = entity_gender(entity)
        # "England said": a country the tagger took for a person is nobody's surname; a peer
        # ("Lord Woolf") is joined only by `store.identity`, on a shared office or time
        if place_country(name) is None and not is_peerage(name):
            found = [
                p
                for p in self._lookup("PERSON_SURNAME", key)
                if compatible(gender, first_name_gender(self._name(p)))
                and initials_fit(name, self._name(p))
                and spelt_alike(name, self._name(p))
                and looks_like_a_name(self._name(p))
            ]
            if len(found) == 1:
                return found[0]
        return self._mint("PERSON", short_key(key, gender) or name.casefold(), name)

    def _name(self, person: str) -> str:
        if person not in self.cache.names:
            name = self.conn.execute(select(t.entities.c.name).where(t.entities.c.id == person)).scalar()
            self.cache.names[person] = name or ""
        return self.cache.names[person]

    def _alias_rows(self, kind: str, alias: str, global_id: str) -> list[dict[str, str]]:
        if kind != "PERSON":
            return [{"entity_id": global_id, "type": kind, "key": org_key(alias), "alias": alias}]
        key = name_key(alias)
        words = key.split()
        rows = [{"entity_id": global_id, "type": "PERSON", "key": key, "alias": alias}]
        if len(words) >= 2:
            rows.append(
                {"entity_id": global_id, "type": "PERSON", "key": f"{words[0]} {words[-1]}", "alias": alias}
            )
            rows.append(
                {"entity_id": global_id, "type": "PERSON_SURNAME", "key": surname_key(alias), "alias": alias}
            )
        return rows

    def _remember(self, kind: str, entity: dict[str, Any], global_id: str) -> None:
        # In a fixed order, the entity's name first, so that the spelling stored
        # for a key is the same on every run (a set's order changes with the hash seed).
        names = dict.fromkeys(
            [entity["name"], *(m["text"] for m in entity["mentions"] if m["kind"] == "name")]
        )
        new: dict[tuple[str, str], dict[str, str]] = {}
        for alias in names:
            for row in self._alias_rows(kind, alias, global_id):
                marker = (row["type"], row["key"], global_id)
                if row["key"] and marker not in self.cache.alias_rows:
                    new.setdefault((row["type"], row["key"]), row)
        insert_ignore(self.conn, t.aliases, list(new.values()))
        for (alias_type, key), _row in new.items():
            self.cache.alias_rows.add((alias_type, key, global_id))
            if (alias_type, key) in self.cache.aliases:
                self.cache.aliases[(alias_type, key)].add(global_id)
        if kind == "PERSON":
            # The fullest name seen becomes the display name.
            words = len(entity["name"].split())
            current = self.cache.name_words.get(global_id)
            if current is None:
                name = self.conn.execute(
                    select(t.entities.c.name).where(t.entities.c.id == global_id)
                ).scalar()
                current = len(name.split()) if name is not None else words
            if words > current:
                self.conn.execute(
                    update(t.entities).where(t.entities.c.id == global_id).values(name=entity["name"])
                )
                current = words
            self.cache.name_words[global_id] = current


# ---------------------------------------------------------------------------- names asked about


def _rules(ref: str, kind: str | None) -> list[Any]:
    """The look-ups of `candidates`, in order, as conditions on the aliases table."""
    a = t.aliases
    words = name_key(ref).split()
    full_name = a.c.type == PERSON if kind in (None, PERSON) else None
    other = a.c.type.notin_([PERSON, SURNAME]) if kind is None else a.c.type == kind
    exact = []
    if full_name is not None and words:
        exact.append(and_(full_name, a.c.key == " ".join(words)))
    if kind != PERSON and org_key(ref):
        exact.append(and_(other, a.c.key == org_key(ref)))
    rules: list[Any] = []
    if exact:
        rules.append(or_(*exact))
    if len(words) >= 2 and full_name is not None:
        rules.append(and_(full_name, a.c.key == f"{words[0]} {words[-1]}"))
    return rules


def _one_word(conn: Connection, ref: str, word: str, curation: Curation, split_off: set[str]) -> list[str]:
    """Rule 2 of `candidates`: a surname alone, or with an honorific ("Mr Blair")."""
    e = t.entities
    gender = honorific_gender(ref)
    minted = conn.execute(
        select(e.c.id).where(e.c.type == PERSON, e.c.key == short_key(word, gender))
    ).scalars()
    own = [i for i in minted if i not in split_off]
    linked = sorted({curation.canonical(i) for i in own if curation.canonical(i) != i})
    if linked:
        return linked
    if own:
        # the entity actually named so, which `store.identity` (or the user) left apart: the
        # corpus did not say which namesake it is, so no reader guesses either
        return own
    rows = conn.execute(
        select(t.aliases.c.entity_id).where(t.aliases.c.type == SURNAME, t.aliases.c.key == word).distinct()
    )
    known = {curation.canonical(row.entity_id) for row in rows} - split_off
    names = entity_names(conn, sorted(known))
    known = {
        p
        for p in known
        if compatible(gender, first_name_gender(names.get(p, ""))) and initials_fit(ref, names.get(p, ""))
    }
    # "Mr Kennedy" is how the press refers to an established figure; a bare surname may be
    # anyone of that name, and the reader is shown them all
    return _dominant(conn, curation, sorted(known)) if gender is not None else sorted(known)


def _dominant(conn: Connection, curation: Curation, people: list[str]) -> list[str]:
    """The one of several namesakes the corpus mostly means ("Mr Kennedy" in a store where
    Charles Kennedy is named far more often than any other Kennedy), else all of them."""
    if len(people) < 2:
        return people
    m = t.mentions
    counted: dict[str, int] = dict.fromkeys(people, 0)
    rows = conn.execute(
        select(m.c.entity_id, func.count())
        .where(m.c.entity_id.in_(curation.members(people)), m.c.kind != "pronoun")
        .group_by(m.c.entity_id)
    )
    for entity, count in rows:
        owner = curation.canonical(entity)
        if owner in counted:
            counted[owner] += count
    ranked = sorted(people, key=lambda p: -counted[p])
    best, runner_up = counted[ranked[0]], counted[ranked[1]]
    return ranked[:1] if best >= MIN_MENTIONS and best >= MENTION_MARGIN * runner_up else people


def candidates(conn: Connection, ref: str, curation: Curation, *, kind: str | None = None) -> list[str]:
    """The current (merged or linked) ids an entity id or a name may mean; the first rule that
    finds any wins:

    1. an entity id: that entity;
    2. a one-word name, honorifics aside ("Mr Blair", "Blair"): the person that the entity
       minted for the name (`newsgraph.names.short_key`, "Mrs Blair" apart) is merged into or
       linked to by `newsgraph.store.identity`; else that entity itself, left apart; else (no
       entity of that name) the people known by that surname (folded for transliteration:
       "Peskoff") who may be of the honorific's gender;
    3. the whole name: aliases with the name's key (people, folded for transliteration) or the
       organisation key (every other type);
    4. a name of two words or more: people known by its first and last word (middle names aside);
    5. the key an entity was minted for (a name never stored as an alias).

    Rules 3 to 5 give ids sorted by id. `kind` (an entity type such as "PERSON") narrows every
    rule. An entity split off for one article answers to no name where others do. Every reader and curation command resolves
    names here, so `person`, `quotes --speaker`, `merge` and the web agree on whom a name means.
    """
    ref = ref.strip()
    e = t.entities
    by_id = select(e.c.id).where(e.c.id == ref)
    if kind is not None:
        by_id = by_id.where(e.c.type == kind)
    if conn.execute(by_id).first() is not None:
        return [curation.canonical(ref)]
    split_off = set(curation.splits.values())
    words = name_key(ref).split()
    if len(words) == 1 and kind in (None, PERSON):
        found = _one_word(conn, ref, words[0], curation, split_off)
        # an honorific says a person of that gender: never an organisation or another name
        if found or honorific_gender(ref) is not None:
            return found
    for rule in _rules(ref, kind):
        rows = conn.execute(select(t.aliases.c.entity_id).where(rule).distinct())
        found = {curation.canonical(row.entity_id) for row in rows}
        if found:
            return sorted(found - split_off or found)
    keys = {name_key(ref), org_key(ref)} - {""}
    minted = select(e.c.id).where(e.c.key.in_(keys))
    if kind is not None:
        minted = minted.where(e.c.type == kind)
    found = {curation.canonical(row.id) for row in conn.execute(minted)} if keys else set()
    return sorted(found - split_off or found)


def entity_names(conn: Connection, ids: list[str]) -> dict[str, str]:
    rows = conn.execute(select(t.entities.c.id, t.entities.c.name).where(t.entities.c.id.in_(ids)))
    return {row.id: row.name for row in rows}


def resolve_entity(conn: Connection, ref: str, curation: Curation, *, kind: str | None = None) -> str:
    """The one current id `ref` (an id or a name) means, by the rules of `candidates`; raises
    `NotFound` when nothing matches and `Ambiguous` (with the candidates) when several do."""
    found = candidates(conn, ref, curation, kind=kind)
    if not found:
        what = "person" if kind == PERSON else "entity"
        raise NotFound(f"no {what} matches {ref!r}")
    if len(found) > 1:
        names = entity_names(conn, found)
        raise Ambiguous(ref.strip(), [(i, names.get(i, i)) for i in found])
    return found[0]
