"""From inputs to the store: read, skip what is already stored, extract, write.

Inputs are anything the readers take, plus record files (`.jsonl` of
`newsgraph.article/1` records written elsewhere, recognised by their
`schema` key), which are stored without extracting again.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import select

from newsgraph.article import Article
from newsgraph.record import EXTRACTOR_VERSION, SCHEMA
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.ingest import Failure, Skip, Summary, content_hash, start_run, write_records

_READABLE = (".txt", ".jsonl", ".ndjson", ".json", ".html", ".htm", ".tml")


def is_record_file(path: str) -> bool:
    """A JSON Lines file whose first record carries our schema key."""
    if not path.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")) or not os.path.isfile(path):
        return False
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    first = json.loads(line)
                    return isinstance(first, dict) and str(first.get("schema", "")).startswith(
                        "newsgraph.article/"
                    )
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return False


def read_record_file(path: str) -> Iterator[dict[str, Any] | Failure]:
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    yield Failure(f"{path}:{number}", f"invalid JSON: {exc}")
                    continue
                if not isinstance(record, dict) or record.get("schema") != SCHEMA:
                    yield Failure(f"{path}:{number}", f"not a {SCHEMA} record")
                    continue
                yield record
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        yield Failure(path, f"{type(exc).__name__}: {exc}")


def estimate_total(inputs: Iterable[str]) -> int | None:
    """How many articles the inputs hold, cheaply; None when unknowable (stdin)."""
    total = 0
    for item in inputs:
        if item == "-":
            return None
        paths = glob.glob(item, recursive=True) if glob.has_magic(item) else [item]
        for path in paths:
            if os.path.isdir(path):
                for _root, dirs, files in os.walk(path):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]
                    total += sum(
                        1
                        for name in files
                        if not name.startswith(".") and name.removesuffix(".gz").endswith(_READABLE)
                    )
            elif path.removesuffix(".gz").endswith((".jsonl", ".ndjson")):
                opener = gzip.open if path.endswith(".gz") else open
                try:
                    with opener(path, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def load(
    store: Store,
    inputs: list[str],
    *,
    workers: int = 1,
    model: str | None = None,
    date: str | None = None,
    reextract: bool = False,
    batch_size: int = 50,
    command: str = "ingest",
    stdin: Any = None,
    on_progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Ingest inputs into the store and return what happened."""
    from newsgraph.extract import ExtractError, extract_many
    from newsgraph.read import ReadFailure, read_inputs

    run_id = start_run(store, command)
    side: list[Any] = []  # failures, skips and ready records, passed along beside extraction

    lookups = store.engine.connect()

    def stored(article: Article) -> tuple[str, str] | None:
        # One connection for every look-up; ending its read transaction at once
        # keeps it from holding back the writer's checkpoints.
        columns = select(t.articles.c.content_hash, t.articles.c.extractor_version)
        row = lookups.execute(columns.where(t.articles.c.id == article.id)).first()
        lookups.rollback()
        return (row.content_hash, row.extractor_version) if row else None

    record_files = [item for item in inputs if is_record_file(item)]
    raw_inputs = [item for item in inputs if item not in record_files]

    def to_extract() -> Iterator[Article]:
        for item in raw_inputs:
            for found in read_inputs([item], date=date, stdin=stdin):
                if isinstance(found, ReadFailure):
                    side.append(Failure(found.path, found.reason))
                    continue
                state = stored(found)
                unchanged = state is not None and state[0] == content_hash(found.text)
                # --reextract redoes articles an older extractor version stored
                if unchanged and (state[1] == EXTRACTOR_VERSION or not reextract):
                    side.append(Skip(found.id))
                    continue
                yield found

    def on_error(error: ExtractError) -> None:
        side.append(Failure(error.article.path or error.article.id, error.reason))

    def stream() -> Iterator[Any]:
        for path in record_files:
            yield from read_record_file(path)
        if not raw_inputs:
            return
        for record in extract_many(to_extract(), workers=workers, model=model, on_error=on_error):
            yield from _drain(side)
            yield record
        yield from _drain(side)

    try:
        return write_records(
            store, stream(), run_id=run_id, command=command, batch_size=batch_size, on_progress=on_progress
        )
    finally:
        lookups.close()


def _drain(side: list[Any]) -> Iterator[Any]:
    while side:
        yield side.pop(0)
