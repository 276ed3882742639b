"""Corpus-wide ids for the entities of each article.

Ids are minted from the key a name was first resolved by, so the same key
always gives the same id on every run and every database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from newsgraph.dates import utc_now
from newsgraph.names import name_key, org_key, surname_key
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.rows import entity_id, insert_ignore


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

    def clear(self) -> None:
        self.aliases.clear()
        self.alias_rows.clear()
        self.entities.clear()
        self.name_words.clear()


class Resolver:
    """Maps an article's local entities to the corpus-wide ids."""

    def __init__(self, conn: Connection, curation: Curation, cache: ResolverCache | None = None) -> None:
        self.conn = conn
        self.curation = curation
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
            global_id = self._person(name)
        else:
            key = org_key(name)
            found = self._lookup(kind, key)
            global_id = found[0] if found else self._mint(kind, key, name)
        split = self.curation.splits.get((global_id, article_id))
        global_id = self.curation.for_article(global_id, article_id)
        if split is None:
            self._remember(kind, entity, global_id)
        return global_id

    def _person(self, name: str) -> str:
        key = name_key(name)
        words = key.split()
        if len(words) >= 2:
            for candidate in (key, f"{words[0]} {words[-1]}"):
                found = self._lookup("PERSON", candidate)
                if len(found) == 1:
                    return found[0]
            return self._mint("PERSON", key, name)
        # A surname alone: the one known person of that surname, else its own entity.
        found = self._lookup("PERSON_SURNAME", key)
        if len(found) == 1:
            return found[0]
        return self._mint("PERSON", key or name.casefold(), name)

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
        names = dict.fromkeys([entity["name"], *(m["text"] for m in entity["mentions"] if m["kind"] == "name")])
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
