"""From inputs to the store: read, skip what is already stored, extract, write.

Inputs are anything the readers take, plus record files (`.jsonl` of
`newsgraph.article/1` records written elsewhere, recognised by their
`schema` key) and the output of `newsgraph batch` (its directory, whose
manifest names the complete shards, or single shard `.parquet` files), which
are stored without extracting again.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select

from newsgraph.article import Article, content_hash
from newsgraph.batch.manifest import NAME, Manifest
from newsgraph.batch.shards import Output, is_shard_schema
from newsgraph.errors import Failure
from newsgraph.extract import ExtractError, extract_many
from newsgraph.read import input_files, read_inputs
from newsgraph.record import EXTRACTOR_VERSION, SCHEMA
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.write import Skip, Summary, start_run, write_records


def is_batch_output(path: str) -> bool:
    """A `newsgraph batch` output directory (it has the batch manifest)."""
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, NAME))


def is_shard_file(path: str) -> bool:
    """A Parquet shard written by `newsgraph batch` (recognised by its schema metadata)."""
    if not path.endswith(".parquet") or not os.path.isfile(path):
        return False
    try:
        return is_shard_schema(pq.read_schema(path))
    except (OSError, pa.ArrowException):
        return False


def _shard_files(path: str) -> list[str]:
    """The shard files a batch input stands for: a directory's complete shards, or the file itself."""
    if not os.path.isdir(path):
        return [path]
    manifest = Manifest.load(Output(path))
    return [os.path.join(path, name) for name in manifest.complete_files()] if manifest else []


def read_shards(path: str) -> Iterator[dict[str, Any] | Failure]:
    """Records of a batch output directory or shard file, shard by shard."""
    try:
        files = _shard_files(path)
    except (OSError, ValueError) as exc:
        yield Failure(path, f"unreadable batch manifest: {type(exc).__name__}: {exc}")
        return
    for file in files:
        try:
            table = pq.read_table(file)
        except (OSError, pa.ArrowException) as exc:
            yield Failure(file, f"{type(exc).__name__}: {exc}")
            continue
        for row, value in enumerate(table.column("record").to_pylist(), 1):
            try:
                record = json.loads(value)
            except (TypeError, ValueError) as exc:
                yield Failure(f"{file}:{row}", f"invalid record JSON: {exc}")
                continue
            yield record


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
    """How many articles the inputs hold, cheaply; None when unknowable (stdin).

    Directories and globs count the files the readers read (the read
    package's `FORMATS` decides which), so the total matches what is read.
    """
    total = 0
    for item in inputs:
        if item == "-":
            return None
        # A pattern matching nothing stays: the reader reports it as one failure.
        paths = (glob.glob(item, recursive=True) if glob.has_magic(item) else None) or [item]
        for path in paths:
            if is_batch_output(path) or is_shard_file(path):
                total += _shard_rows(path)
                continue
            # A path that names no file still counts: it is reported as one failure.
            total += sum(
                _articles_in(found) if isinstance(found, str) else 1 for found in input_files([path])
            )
    return total


def _articles_in(path: str) -> int:
    if not path.removesuffix(".gz").endswith((".jsonl", ".ndjson")):
        return 1
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 1


def _shard_rows(path: str) -> int:
    try:
        return sum(pq.ParquetFile(file).metadata.num_rows for file in _shard_files(path))
    except (OSError, ValueError):
        return 0


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
    batch_outputs = [item for item in inputs if is_batch_output(item) or is_shard_file(item)]
    raw_inputs = [item for item in inputs if item not in record_files and item not in batch_outputs]

    def to_extract() -> Iterator[Article]:
        for item in raw_inputs:
            for found in read_inputs([item], date=date, stdin=stdin):
                if isinstance(found, Failure):
                    side.append(found)
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
        for path in batch_outputs:
            yield from read_shards(path)
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
