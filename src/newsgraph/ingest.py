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
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.article import Article, content_hash
from newsgraph.batch.manifest import NAME, Manifest
from newsgraph.batch.shards import Output, is_shard_schema
from newsgraph.errors import Failure
from newsgraph.extract import ExtractError, extract_many
from newsgraph.extract.budget import article_seconds
from newsgraph.read import MAX_TEXT_CHARS, MetaTable, Reject, input_files, open_input, printable, read_inputs
from newsgraph.record import EXTRACTOR_VERSION, SCHEMA
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.write import (
    Located,
    Skip,
    Summary,
    described,
    start_run,
    state_of,
    stored_statement,
    write_records,
)

# A record carries its article's text (at most `max_article_chars`, 4 bytes a
# character) and every fact found in it: lines longer than this are refused
# unread rather than held in memory.
RECORD_LINE_BYTES = 64 * 1024 * 1024
# Our records put `schema` first; a file written with sorted keys still has it
# within its article's text's worth of bytes (4 a character) or so.
SNIFF_RECORD_BYTES = 4 * MAX_TEXT_CHARS + (1 << 20)
_RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
# JSON strings (escapes included) and the punctuation that nests them; numbers,
# literals and white space between them need no attention.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]')


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
    for item in _located_shards(path):
        yield item.record if isinstance(item, Located) else item


def _located_shards(path: str) -> Iterator[Located | Failure]:
    """`read_shards`, each record with its `shard.parquet:N` to name in a failure to store it."""
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
            except (TypeError, ValueError, RecursionError) as exc:
                yield Failure(f"{file}:{row}", f"invalid record JSON: {type(exc).__name__}: {exc}")
                continue
            yield Located(record, f"{file}:{row}")


def is_record_file(path: str) -> bool:
    """A JSON Lines file whose first record carries our schema key.

    The first line is scanned, not parsed: a parser recurses, and a hostile
    first line can nest deeper than any stack (the readers then report it).
    """
    if not path.endswith(_RECORD_SUFFIXES) or not os.path.isfile(path):
        return False
    try:
        with open_input(path) as handle:
            while line := handle.readline(SNIFF_RECORD_BYTES):
                if line.strip():
                    schema = top_level_schema(line.decode("utf-8", errors="replace"))
                    return schema is not None and schema.startswith("newsgraph.article/")
    except (Reject, OSError, EOFError, zlib.error):
        return False
    return False


def top_level_schema(line: str) -> str | None:
    """The string value of the `schema` key of the JSON object on `line`, found by a flat scan
    of its tokens (never recursive, linear in the line); None when there is none."""
    if not line.lstrip().startswith("{"):
        return None
    depth = 0
    expect_key = False
    key: str | None = None
    for found in _TOKEN.finditer(line):
        token = found.group(0)
        if token in "{[":
            depth += 1
            expect_key = token == "{" and depth == 1
        elif token in "}]":
            depth -= 1
            if depth == 0:
                return None
        elif token == "," and depth == 1:
            expect_key, key = True, None
        elif token.startswith('"') and depth == 1:
            if expect_key:
                key, expect_key = token, False
            elif key == '"schema"':
                value = json.loads(token)  # one flat string: nothing to recurse into
                return value if isinstance(value, str) else None
    return None


def read_record_file(path: str) -> Iterator[Located | Failure]:
    """The records of a record file, each with its `file.jsonl:N` for any failure to store it."""
    try:
        with open_input(path) as handle:
            yield from _records(handle, path)
    except Reject as exc:
        yield Failure(printable(path), str(exc))
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield Failure(printable(path), f"corrupt gzip: {exc}")
    except OSError as exc:
        yield Failure(printable(path), f"{type(exc).__name__}: {exc}")


def _records(handle: BinaryIO, path: str) -> Iterator[Located | Failure]:
    number = 0
    while line := handle.readline(RECORD_LINE_BYTES + 1):
        number += 1
        where = f"{printable(path)}:{number}"
        if len(line) > RECORD_LINE_BYTES:
            while line and not line.endswith(b"\n"):
                line = handle.readline(RECORD_LINE_BYTES + 1)
            yield Failure(where, f"record line over {RECORD_LINE_BYTES:,} bytes")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Failure(where, f"not valid UTF-8 at byte {exc.start}")
            continue
        except ValueError as exc:
            yield Failure(where, f"invalid JSON: {exc}")
            continue
        except RecursionError:
            yield Failure(where, "invalid JSON: nested too deeply")
            continue
        if not isinstance(record, dict) or record.get("schema") != SCHEMA:
            yield Failure(where, f"not a {SCHEMA} record")
            continue
        yield Located(record, where)


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
    # Counted in chunks, never a line at a time: one gzip-bombed line would be held whole.
    count = 0
    content = False  # the line read so far has more than white space
    try:
        with open_input(path) as handle:
            while chunk := handle.read(1 << 20):
                *ended, rest = chunk.split(b"\n")
                for line in ended:
                    count += content or bool(line.strip())
                    content = False
                content = content or bool(rest.strip())
    except (Reject, OSError, EOFError, zlib.error):
        return 1
    return max(1, count + content)


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
    max_chars: int = MAX_TEXT_CHARS,
    date_from_path: bool = False,
    meta: MetaTable | None = None,
) -> Summary:
    """Ingest inputs into the store and return what happened.

    `date`, `date_from_path` and `meta` are `read_inputs`'s options (they date
    and describe articles read from raw inputs, not stored records).

    Raises `StoreWriteError` when the store cannot be written; the run is
    then closed as failed, and what was committed before stays.
    """
    run_id = start_run(store, command)
    side: list[Any] = []  # failures, skips and ready records, passed along beside extraction

    lookups = store.engine.connect()

    def stored(article: Article) -> tuple[str, str, tuple[str | None, ...]] | None:
        # One connection for every look-up; ending its read transaction at once
        # keeps it from holding back the writer's checkpoints.
        row = lookups.execute(stored_statement().where(t.articles.c.id == article.id)).first()
        lookups.rollback()
        return state_of(row)

    record_files = [item for item in inputs if is_record_file(item)]
    batch_outputs = [item for item in inputs if is_batch_output(item) or is_shard_file(item)]
    raw_inputs = [item for item in inputs if item not in record_files and item not in batch_outputs]

    def to_extract() -> Iterator[Article]:
        for item in raw_inputs:
            found_all = read_inputs(
                [item],
                date=date,
                stdin=stdin,
                max_chars=max_chars,
                date_from_path=date_from_path,
                meta=meta,
            )
            for found in found_all:
                if isinstance(found, Failure):
                    side.append(found)
                    continue
                state = stored(found)
                unchanged = (
                    state is not None
                    and state[0] == content_hash(found.text)
                    and state[2] == described(found.to_dict())
                )
                # --reextract redoes articles an older extractor version stored
                if unchanged and (state[1] == EXTRACTOR_VERSION or not reextract):
                    side.append(Skip(found.id))
                    continue
                yield found

    def on_error(error: ExtractError) -> None:
        side.append(Failure(printable(error.article.where()), error.reason))

    def stream() -> Iterator[Any]:
        for path in record_files:
            yield from read_record_file(path)
        for path in batch_outputs:
            yield from _located_shards(path)
        if not raw_inputs:
            return
        # Always under the per-article budget: one pathological text must not hold up a whole ingest.
        for record in extract_many(
            to_extract(), workers=workers, model=model, on_error=on_error, seconds=article_seconds()
        ):
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
