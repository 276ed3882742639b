"""Write extraction records into the store, batch by batch.

Each batch is one transaction: an article is stored with all its facts or
not at all, so a run killed at any moment leaves a consistent store and a
rerun picks up where it stopped. An article whose text (content hash) and
extractor version are already stored is skipped.

A run holds a lock while it writes (a PostgreSQL advisory lock, or a lock
file beside a SQLite store): the next run to start closes as failed every
run left unfinished whose lock is free, that is, whose process was killed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from newsgraph.article import content_hash
from newsgraph.dates import parse_date, period, utc_now
from newsgraph.errors import Failure
from newsgraph.names import org_key, quote_key, title_key
from newsgraph.record import EXTRACTOR_VERSION, SCHEMA
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.identity import link_people
from newsgraph.store.offices import office_columns, record_context_country
from newsgraph.store.resolve import Resolver, ResolverCache
from newsgraph.store.rows import digest, insert_ignore

FACT_TABLES = (t.mentions, t.roles, t.quote_occurrences, t.times, t.credits)
_ARTICLE_STRINGS = ("id", "text", "path", "title", "source", "url")
# PostgreSQL refuses NUL in text; UTF-8 (every store's encoding) cannot hold a lone surrogate.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_RUN_LOCKS = 0x6E67  # advisory-lock namespace of ingest runs ("ng")


@dataclass(frozen=True)
class Located:
    """A record read from a file, with where it was read (`file.jsonl:N`) to name in a failure."""

    record: dict[str, Any]
    where: str


def _time_day(value: str) -> dt.date | None:
    """The first calendar day of a TIMEX3 DATE value precise to the day or month (2025-01-18, 2025-01)."""
    found = period(value)
    return found[0] if found and found[1] in ("day", "month") else None


_DESCRIBED_BY = ("date", "title", "source", "url")


def described(article: dict[str, Any]) -> tuple[str | None, ...]:
    """What an article is said to be beyond its text: a new date (a sidecar, a `--meta` row,
    `--date-from-path`) re-dates its facts and relative times, so it counts as a change."""
    day = parse_date(article.get("date"))
    return (day.isoformat() if day else None, *(article.get(key) for key in _DESCRIBED_BY[1:]))


def stored_statement() -> Any:
    a = t.articles.c
    return select(a.content_hash, a.extractor_version, a.date, a.title, a.source, a.url)


def state_of(row: Any) -> tuple[str, str, tuple[str | None, ...]] | None:
    """(text hash, extractor version, `described`) of a stored article row, None for no row."""
    if row is None:
        return None
    day = row.date.isoformat() if row.date else None
    return row.content_hash, row.extractor_version, (day, row.title, row.source, row.url)


def stored_state(conn: Connection, article_id: str) -> tuple[str, str, tuple[str | None, ...]] | None:
    return state_of(conn.execute(stored_statement().where(t.articles.c.id == article_id)).first())


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
    for key in _ARTICLE_STRINGS:
        value = article.get(key)
        if isinstance(value, str) and (bad := _UNSTORABLE.search(value)):
            what = "a NUL character" if bad.group(0) == "\x00" else "a lone surrogate"
            raise ValueError(
                f"article {key} contains {what} at character {bad.start()}, which no store keeps"
            )
    article_id = article["id"]
    text_hash = content_hash(article["text"])
    version = record["extractor"]["version"]
    state = stored_state(conn, article_id)
    if state == (text_hash, version, described(article)):
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
    article_country = record_context_country(record) if record["roles"] else None
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
                **office_columns(role["title"], org_name, role["modifier"]),
                "context_country": article_country,
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
    links: int = 0  # identity links in the store after the run (`store.identity`)


class _RunLock:
    """Held by a run while it writes; free once its process is gone, however it ended."""

    def __init__(self, store: Store, run_id: int) -> None:
        self.store = store
        self.run_id = run_id
        self._conn: Connection | None = None
        self._fd: int | None = None

    def path(self) -> str | None:
        url = self.store.engine.url
        database = url.database
        if not database or database == ":memory:":
            return None
        if url.query.get("uri") == "true":
            database = database.removeprefix("file:")
        return f"{database}-run{self.run_id}.lock"

    def acquire(self, *, wait: bool) -> bool:
        if self.store.dialect == "postgresql":
            conn = self.store.engine.connect()
            call = func.pg_advisory_lock if wait else func.pg_try_advisory_lock
            got = conn.execute(select(call(_RUN_LOCKS, self.run_id))).scalar() is not False
            conn.commit()  # the lock is the session's; no transaction stays open
            if got:
                self._conn = conn
            else:
                conn.close()
            return got
        path = self.path()
        if path is None:
            return True
        if not wait and not os.path.exists(path):
            return True  # never taken, or released: no process holds the run
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute(select(func.pg_advisory_unlock(_RUN_LOCKS, self.run_id)))
            self._conn.close()
            self._conn = None
        if self._fd is not None:
            path = self.path()
            # A directory made read-only meanwhile keeps the file; unlocked, it marks no live run.
            with contextlib.suppress(OSError):
                os.unlink(path or "")
            os.close(self._fd)
            self._fd = None


_HELD: dict[tuple[str, int], _RunLock] = {}


def start_run(store: Store, command: str) -> int:
    """A new run's id; first, runs left unfinished by a killed process are closed as failed.

    Raises `StoreWriteError` when the store cannot be written.
    """
    try:
        _close_abandoned(store)
        with store.engine.begin() as conn:
            result = conn.execute(
                insert(t.runs).values(
                    started_at=utc_now(),
                    command=_UNSTORABLE.sub("\ufffd", command),
                    extractor_version=EXTRACTOR_VERSION,
                    added=0,
                    replaced=0,
                    skipped=0,
                    failed=0,
                )
            )
            run_id = int(result.inserted_primary_key[0])
            # Locked before the run is committed: no other process ever sees it unfinished and unlocked.
            _hold(store, run_id)
    except DBAPIError as exc:
        raise StoreWriteError(f"the store could not be written: {one_line(exc.orig or exc)}") from exc
    return run_id


def _hold(store: Store, run_id: int) -> None:
    lock = _RunLock(store, run_id)
    try:
        lock.acquire(wait=True)
    except OSError:
        # No lock file beside the store (a read-only directory, say): the run goes on
        # unlocked, and should it be killed, the next run closes it all the same.
        return
    _HELD[(str(store.engine.url), run_id)] = lock


def _close_abandoned(store: Store) -> None:
    with store.engine.connect() as conn:
        open_runs = conn.execute(select(t.runs.c.id).where(t.runs.c.finished_at.is_(None))).scalars().all()
    for run_id in open_runs:
        if (str(store.engine.url), run_id) in _HELD:
            continue  # running in this very process
        lock = _RunLock(store, run_id)
        try:
            if not lock.acquire(wait=False):
                continue  # its process is still writing
        except OSError:
            continue
        try:
            with store.engine.begin() as conn:
                closed = conn.execute(
                    update(t.runs)
                    .where(t.runs.c.id == run_id, t.runs.c.finished_at.is_(None))
                    .values(finished_at=utc_now(), failed=t.runs.c.failed + 1)
                )
                if closed.rowcount:
                    _store_failure(
                        conn,
                        run_id,
                        Failure(f"run {run_id}", "interrupted: the run stopped before it finished"),
                    )
        finally:
            lock.release()


def _finish_run(store: Store, summary: Summary, error: str | None = None) -> None:
    try:
        with store.engine.begin() as conn:
            conn.execute(
                update(t.runs)
                .where(t.runs.c.id == summary.run_id)
                .values(
                    finished_at=utc_now(),
                    added=summary.added,
                    replaced=summary.replaced,
                    skipped=summary.skipped,
                    failed=summary.failed + (error is not None),
                )
            )
            if error is not None:
                _store_failure(conn, summary.run_id, Failure(f"run {summary.run_id}", f"aborted: {error}"))
    finally:
        lock = _HELD.pop((str(store.engine.url), summary.run_id), None)
        if lock is not None:
            lock.release()


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
    items: Iterable[dict[str, Any] | Located | Failure | Skip],
    *,
    run_id: int | None = None,
    command: str = "",
    batch_size: int = 50,
    on_progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Store a stream of records (and failures met on the way), one transaction per batch.

    A store that cannot be written (disk full, read-only, gone) raises
    `StoreWriteError` after closing the run as failed where it still can;
    every batch committed before stays, so a rerun completes the work.
    """
    summary = Summary(run_id=run_id if run_id is not None else start_run(store, command))
    try:
        _write_all(store, items, summary, batch_size, on_progress)
        if summary.added or summary.replaced:
            # A new article can make "Mr Blair" mean one man, or two; links follow the corpus.
            with store.engine.begin() as conn:
                summary.links = link_people(conn).links
        _finish_run(store, summary)
    except BaseException as exc:
        reason = one_line(exc) if isinstance(exc, Exception) else type(exc).__name__
        # A store that failed the run may not record it either; the next run closes it then.
        with contextlib.suppress(DBAPIError):
            _finish_run(store, summary, error=reason)
        if isinstance(exc, DBAPIError):
            raise StoreWriteError(f"the store could not be written: {one_line(exc.orig or exc)}") from exc
        raise
    return summary


class StoreWriteError(RuntimeError):
    """The store refused a write (disk full, read-only, connection lost): no input's fault."""


def one_line(exc: BaseException) -> str:
    """An error as one line: a driver's message without the SQL statement and parameters it quotes."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _write_all(
    store: Store,
    items: Iterable[dict[str, Any] | Located | Failure | Skip],
    summary: Summary,
    batch_size: int,
    on_progress: Callable[[Summary], None] | None,
) -> None:
    cache = ResolverCache()
    for batch in _batched(items, batch_size):
        try:
            # One transaction for the batch; a record that fails sends the
            # batch down the careful path below, record by record.
            outcomes, failures = _write_batch(store, batch, summary, cache)
        except OperationalError:
            raise  # the store, not a record: writing the batch record by record cannot help
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


# Two runs writing at once may each hold what the other waits for (PostgreSQL: new entities
# minted in different orders); the database cancels one transaction, which is tried again.
_DEADLOCK_RETRIES = 5


def _write_batch(
    store: Store, batch: list[Any], summary: Summary, cache: ResolverCache
) -> tuple[list[tuple[Any, Written]], list[Failure]]:
    attempt = 0
    while True:
        try:
            with store.engine.begin() as conn:
                resolver = Resolver(conn, Curation.load(conn), cache)
                outcomes = [
                    (item, write_record(conn, _record(item), resolver, summary.run_id))
                    for item in batch
                    if isinstance(item, dict | Located)
                ]
                failures = [item for item in batch if isinstance(item, Failure)]
                for failure in failures:
                    _store_failure(conn, summary.run_id, failure)
            return outcomes, failures
        except OperationalError as exc:
            cache.clear()  # what the rolled-back transaction minted is gone
            attempt += 1
            if not _deadlock(exc) or attempt > _DEADLOCK_RETRIES:
                raise
            time.sleep(0.05 * attempt)


def _deadlock(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in {"40P01", "40001"}  # deadlock detected, serialization failure


def _record(item: dict[str, Any] | Located) -> dict[str, Any]:
    return item.record if isinstance(item, Located) else item


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
                    outcomes.append((item, write_record(conn, _record(item), resolver, summary.run_id)))
            except OperationalError:
                raise
            except Exception as exc:  # one bad record must not lose the batch
                cache.clear()
                _record_failure(conn, summary, Failure(_where(item), one_line(exc)))
    return outcomes


def _where(item: Any) -> str:
    """What names a record in a failure: where it was read, else its article's path or id."""
    if isinstance(item, Located):
        return item.where
    article = item.get("article") if isinstance(item, dict) else None
    article = article if isinstance(article, dict) else {}
    where = article.get("path") or article.get("id") or "<record>"
    return _UNSTORABLE.sub("\ufffd", str(where))


def _store_failure(conn: Connection, run_id: int, failure: Failure) -> None:
    # An input that fails again is one bad input, not one more: its older reports give way.
    path = _UNSTORABLE.sub("\ufffd", failure.path)
    conn.execute(
        delete(t.ingest_errors).where(t.ingest_errors.c.path == path, t.ingest_errors.c.run_id != run_id)
    )
    conn.execute(
        insert(t.ingest_errors),
        {
            "run_id": run_id,
            "path": path,
            "reason": _UNSTORABLE.sub("\ufffd", failure.reason),
            "at": utc_now(),
        },
    )


def _record_failure(conn: Connection, summary: Summary, failure: Failure) -> None:
    _store_failure(conn, summary.run_id, failure)
    summary.failed += 1
    summary.failures.append(failure)
