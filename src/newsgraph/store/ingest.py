"""Write extraction records into the store, batch by batch.

Each batch is one transaction: an article is stored with all its facts or
not at all, so a run killed at any moment leaves a consistent store and a
rerun picks up where it stopped. An article whose text (content hash) and
extractor version are already stored is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsgraph.article import parse_date
from newsgraph.record import EXTRACTOR_VERSION, SCHEMA
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.names import name_key, org_key, quote_key, surname_key, title_key

FACT_TABLES = (t.mentions, t.roles, t.quote_occurrences, t.times, t.credits)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _digest(*parts: object, size: int = 16) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:size]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _time_day(value: str) -> dt.date | None:
    """The first calendar day a TIMEX3 value names, for DATE values like 2025-01-18 or 2025-01."""
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        if len(value) == 7 and value[4] == "-":
            return dt.date(int(value[:4]), int(value[5:7]), 1)
    except ValueError:
        return None
    return None


_ID_PREFIX = {"PERSON": "P", "ORG": "O", "GPE": "G", "LOC": "L", "NORP": "N", "EVENT": "E", "FAC": "F"}


def entity_id(kind: str, key: str) -> str:
    """Ids are minted from the key they were first resolved by; the same key always gives the same id."""
    return _ID_PREFIX.get(kind, "X") + _digest(kind, key, size=12)


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those that clash with a unique key (another loader may have won)."""
    if not rows:
        return
    dialect = conn.dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(table)
    conn.execute(statement, rows)


@dataclass
class Curation:
    """Merges, splits and rejections, applied whenever facts are written or read."""

    merged_into: dict[str, str] = field(default_factory=dict)
    splits: dict[tuple[str, str], str] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, conn: Connection) -> Curation:
        curation = cls()
        for row in conn.execute(select(t.curation).order_by(t.curation.c.id)):
            if row.action == "merge":
                curation.merged_into[row.subject] = row.target
            elif row.action == "split" and row.article_id:
                curation.splits[(row.subject, row.article_id)] = row.target
            elif row.action == "reject":
                curation.rejected.add(row.subject)
        return curation

    def canonical(self, entity: str) -> str:
        seen = set()
        while entity in self.merged_into and entity not in seen:
            seen.add(entity)
            entity = self.merged_into[entity]
        return entity

    def for_article(self, entity: str, article_id: str) -> str:
        return self.canonical(self.splits.get((entity, article_id), entity))


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
                [{"id": new_id, "type": kind, "name": name, "key": key, "created_at": _now()}],
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


def stored_state(conn: Connection, article_id: str) -> tuple[str, str] | None:
    row = conn.execute(
        select(t.articles.c.content_hash, t.articles.c.extractor_version).where(t.articles.c.id == article_id)
    ).first()
    return (row.content_hash, row.extractor_version) if row else None


def _delete_article(conn: Connection, article_id: str) -> None:
    for table in FACT_TABLES:
        conn.execute(delete(table).where(table.c.article_id == article_id))
    conn.execute(delete(t.articles).where(t.articles.c.id == article_id))


@dataclass
class Written:
    outcome: str  # "added", "replaced" or "skipped"
    people: set[str] = field(default_factory=set)
    quotes: int = 0
    roles: int = 0


def write_record(conn: Connection, record: dict[str, Any], resolver: Resolver, run_id: int | None) -> Written:
    """Store one record with all its facts, replacing an older version of the article."""
    if record.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} record")
    article = record["article"]
    article_id = article["id"]
    digest = content_hash(article["text"])
    version = record["extractor"]["version"]
    state = stored_state(conn, article_id)
    if state == (digest, version):
        return Written("skipped")
    if state is not None:
        _delete_article(conn, article_id)
    date = parse_date(article.get("date"))
    conn.execute(
        insert(t.articles),
        {
            "id": article_id,
            "content_hash": digest,
            "path": article.get("path"),
            "date": date,
            "title": article.get("title"),
            "source": article.get("source"),
            "url": article.get("url"),
            "text": article["text"],
            "meta": article.get("meta") or {},
            "extractor_version": version,
            "model": record["extractor"].get("model", ""),
            "run_id": run_id,
            "ingested_at": _now(),
        },
    )
    local_to_global: dict[str, str] = {}
    mention_rows = []
    for entity in record["entities"]:
        global_id = resolver.resolve(entity, article_id)
        local_to_global[entity["id"]] = global_id
        for mention in entity["mentions"]:
            mention_rows.append(
                {
                    "article_id": article_id,
                    "entity_id": global_id,
                    "local_id": entity["id"],
                    "start": mention["start"],
                    "end": mention["end"],
                    "text": mention["text"],
                    "kind": mention["kind"],
                }
            )
    if mention_rows:
        conn.execute(insert(t.mentions), mention_rows)

    names = {e["id"]: e["name"] for e in record["entities"]}
    role_rows = []
    for role in record["roles"]:
        org_name = role.get("org_name") or (names.get(role["org"]) if role["org"] else None) or role["org"]
        evidence = role["evidence"]
        role_rows.append(
            {
                "fact_key": "role:" + _digest(article_id, evidence["start"], evidence["end"], role["title"]),
                "article_id": article_id,
                "person_id": local_to_global[role["person"]],
                "title": role["title"],
                "title_key": title_key(role["title"]),
                "org": org_name,
                "org_key": org_key(org_name) if org_name else None,
                "org_entity_id": local_to_global.get(role["org"] or ""),
                "modifier": role["modifier"],
                "as_of": parse_date(role["as_of"]) or date,
                "inferred": bool(role["inferred"]),
                "start": evidence["start"],
                "end": evidence["end"],
                "evidence": evidence["text"],
                "extractor_version": version,
            }
        )
    if role_rows:
        conn.execute(insert(t.roles), role_rows)

    occurrence_rows = []
    for quote in record["quotes"]:
        content = quote["content"]
        quote_id = "Q" + _digest(quote_key(content["text"]))
        speaker = local_to_global.get(quote["speaker"] or "")
        insert_ignore(
            conn,
            t.quotes,
            [
                {
                    "id": quote_id,
                    "text": content["text"],
                    "first_seen": date,
                    "first_article_id": article_id,
                    "speaker_id": speaker,
                }
            ],
        )
        if date is not None:
            # An earlier report of the same words becomes its first appearance.
            conn.execute(
                update(t.quotes)
                .where(t.quotes.c.id == quote_id)
                .where((t.quotes.c.first_seen.is_(None)) | (t.quotes.c.first_seen > date))
                .values(first_seen=date, first_article_id=article_id, speaker_id=speaker)
            )
        cue = quote["cue"]
        mention = quote["speaker_mention"]
        occurrence_rows.append(
            {
                "fact_key": "quote:" + _digest(article_id, content["start"], content["end"]),
                "quote_id": quote_id,
                "article_id": article_id,
                "date": date,
                "type": quote["type"],
                "start": content["start"],
                "end": content["end"],
                "cue_start": cue["start"] if cue else None,
                "cue_end": cue["end"] if cue else None,
                "cue": cue["text"] if cue else None,
                "speaker_id": speaker,
                "speaker_mention_start": mention["start"] if mention else None,
                "speaker_mention_end": mention["end"] if mention else None,
                "speaker_mention": mention["text"] if mention else None,
                "speaker_title": quote["speaker_title"],
                "confidence": quote["confidence"],
                "extractor_version": version,
            }
        )
    if occurrence_rows:
        conn.execute(insert(t.quote_occurrences), occurrence_rows)

    time_rows = [
        {
            "article_id": article_id,
            "start": time["start"],
            "end": time["end"],
            "text": time["text"],
            "type": time["type"],
            "value": time["value"],
            "day": _time_day(time["value"]) if time["type"] == "DATE" else None,
        }
        for time in record["times"]
    ]
    if time_rows:
        conn.execute(insert(t.times), time_rows)
    credit_rows = [
        {
            "article_id": article_id,
            "kind": credit["kind"],
            "name": credit["name"],
            "agency": credit.get("agency"),
            "start": credit["start"],
            "end": credit["end"],
        }
        for credit in record["credits"]
    ]
    if credit_rows:
        conn.execute(insert(t.credits), credit_rows)
    people = {local_to_global[e["id"]] for e in record["entities"] if e["type"] == "PERSON"}
    return Written(
        "replaced" if state is not None else "added",
        people=people,
        quotes=len(occurrence_rows),
        roles=len(role_rows),
    )


@dataclass(frozen=True)
class Skip:
    """An input already stored unchanged: counted, not written."""

    article_id: str


@dataclass
class Failure:
    path: str
    reason: str


@dataclass
class Summary:
    run_id: int
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    failed: int = 0
    quotes: int = 0
    roles: int = 0
    people: set[str] = field(default_factory=set)
    failures: list[Failure] = field(default_factory=list)


def start_run(store: Store, command: str) -> int:
    with store.engine.begin() as conn:
        result = conn.execute(
            insert(t.runs).values(
                started_at=_now(),
                command=command,
                extractor_version=EXTRACTOR_VERSION,
                added=0,
                replaced=0,
                skipped=0,
                failed=0,
            )
        )
        return int(result.inserted_primary_key[0])


def _finish_run(store: Store, summary: Summary) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(t.runs)
            .where(t.runs.c.id == summary.run_id)
            .values(
                finished_at=_now(),
                added=summary.added,
                replaced=summary.replaced,
                skipped=summary.skipped,
                failed=summary.failed,
            )
        )


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_records(
    store: Store,
    items: Iterable[dict[str, Any] | Failure | Skip],
    *,
    run_id: int | None = None,
    command: str = "",
    batch_size: int = 50,
    on_progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Store a stream of records (and failures met on the way), one transaction per batch."""
    summary = Summary(run_id=run_id if run_id is not None else start_run(store, command))
    cache = ResolverCache()
    for batch in _batched(items, batch_size):
        try:
            # One transaction for the batch; a record that fails sends the
            # batch down the careful path below, record by record.
            with store.engine.begin() as conn:
                resolver = Resolver(conn, Curation.load(conn), cache)
                outcomes = [
                    (item, write_record(conn, item, resolver, summary.run_id))
                    for item in batch
                    if isinstance(item, dict)
                ]
                failures = [item for item in batch if isinstance(item, Failure)]
                for failure in failures:
                    _store_failure(conn, summary.run_id, failure)
        except Exception:
            cache.clear()
            outcomes = _write_carefully(store, batch, summary, cache)
        else:
            summary.skipped += sum(1 for item in batch if isinstance(item, Skip))
            summary.failed += len(failures)
            summary.failures.extend(failures)
        for _item, written in outcomes:
            setattr(summary, written.outcome, getattr(summary, written.outcome) + 1)
            summary.quotes += written.quotes
            summary.roles += written.roles
            summary.people.update(written.people)
        if on_progress is not None:
            on_progress(summary)
    _finish_run(store, summary)
    return summary


def _write_carefully(
    store: Store, batch: list[Any], summary: Summary, cache: ResolverCache
) -> list[tuple[Any, Written]]:
    """A batch with a bad record in it: each record in a savepoint of its own."""
    outcomes = []
    with store.engine.begin() as conn:
        resolver = Resolver(conn, Curation.load(conn), cache)
        for item in batch:
            if isinstance(item, Failure):
                _record_failure(conn, summary, item)
                continue
            if isinstance(item, Skip):
                summary.skipped += 1
                continue
            try:
                with conn.begin_nested():
                    outcomes.append((item, write_record(conn, item, resolver, summary.run_id)))
            except Exception as exc:  # one bad record must not lose the batch
                cache.clear()
                article = item.get("article") if isinstance(item, dict) else None
                path = (article or {}).get("path") or (article or {}).get("id") or "<record>"
                _record_failure(conn, summary, Failure(str(path), f"{type(exc).__name__}: {exc}"))
    return outcomes


def _store_failure(conn: Connection, run_id: int, failure: Failure) -> None:
    conn.execute(
        insert(t.ingest_errors),
        {"run_id": run_id, "path": failure.path, "reason": failure.reason, "at": _now()},
    )


def _record_failure(conn: Connection, summary: Summary, failure: Failure) -> None:
    _store_failure(conn, summary.run_id, failure)
    summary.failed += 1
    summary.failures.append(failure)
