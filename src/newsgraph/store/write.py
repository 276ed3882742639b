"""Write extraction records into the store, batch by batch.

Each batch is one transaction: an article is stored with all its facts or
not at all, so a run killed at any moment leaves a consistent store and a
rerun picks up where it stopped. An article whose text (content hash) and
extractor version are already stored is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from newsgraph.article import content_hash
from newsgraph.dates import parse_date, period, utc_now
from newsgraph.errors import Failure
from newsgraph.names import org_key, quote_key, title_key
from newsgraph.record import EXTRACTOR_VERSION, SCHEMA
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.resolve import Resolver, ResolverCache
from newsgraph.store.rows import digest, insert_ignore

FACT_TABLES = (t.mentions, t.roles, t.quote_occurrences, t.times, t.credits)


def _time_day(value: str) -> dt.date | None:
    """The first calendar day of a TIMEX3 DATE value precise to the day or month (2025-01-18, 2025-01)."""
    found = period(value)
    return found[0] if found and found[1] in ("day", "month") else None


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
    text_hash = content_hash(article["text"])
    version = record["extractor"]["version"]
    state = stored_state(conn, article_id)
    if state == (text_hash, version):
        return Written("skipped")
    if state is not None:
        _delete_article(conn, article_id)
    date = parse_date(article.get("date"))
    conn.execute(
        insert(t.articles),
        {
            "id": article_id,
            "content_hash": text_hash,
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
            "ingested_at": utc_now(),
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
                "fact_key": "role:" + digest(article_id, evidence["start"], evidence["end"], role["title"]),
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
        quote_id = "Q" + digest(quote_key(content["text"]))
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
                "fact_key": "quote:" + digest(article_id, content["start"], content["end"]),
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
                started_at=utc_now(),
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
                finished_at=utc_now(),
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
        {"run_id": run_id, "path": failure.path, "reason": failure.reason, "at": utc_now()},
    )


def _record_failure(conn: Connection, summary: Summary, failure: Failure) -> None:
    _store_failure(conn, summary.run_id, failure)
    summary.failed += 1
    summary.failures.append(failure)
