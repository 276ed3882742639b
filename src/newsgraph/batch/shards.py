"""Shard files: records as a flat Arrow table, written to and read from any pyarrow filesystem.

Every row is one article: a few scalar columns to filter and inspect shards
with any Parquet tool, and the whole record as one JSON string (`record`),
so a record read back is exactly the record written and ingestion needs no
reassembly of nested columns.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from newsgraph.article import content_hash
from newsgraph.record import SCHEMA

FORMAT = "newsgraph.shard/1"
_FORMAT_KEY = b"newsgraph.format"
_RECORD_KEY = b"newsgraph.record"

ARROW_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("path", pa.string()),
        ("date", pa.string()),
        ("title", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("content_hash", pa.string()),
        ("extractor_version", pa.string()),
        ("entities", pa.int32()),
        ("roles", pa.int32()),
        ("quotes", pa.int32()),
        ("record", pa.string()),
    ],
    metadata={_FORMAT_KEY: FORMAT.encode(), _RECORD_KEY: SCHEMA.encode()},
)


def to_table(records: Iterable[dict[str, Any]]) -> pa.Table:
    rows: dict[str, list[Any]] = {name: [] for name in ARROW_SCHEMA.names}
    for record in records:
        article = record["article"]
        for key in ("id", "path", "date", "title", "source", "url"):
            rows[key].append(article.get(key))
        rows["content_hash"].append(content_hash(article["text"]))
        rows["extractor_version"].append(record["extractor"]["version"])
        for key in ("entities", "roles", "quotes"):
            rows[key].append(len(record[key]))
        rows["record"].append(json.dumps(record, ensure_ascii=False))
    return pa.table(rows, schema=ARROW_SCHEMA)


def is_shard_schema(schema: pa.Schema) -> bool:
    return (schema.metadata or {}).get(_FORMAT_KEY) == FORMAT.encode()


class Output:
    """The job's output directory: a local path or any URI pyarrow opens (s3://, gs://, file://)."""

    def __init__(self, location: str) -> None:
        self.location = location
        if "://" in location:
            self.fs, self.root = pafs.FileSystem.from_uri(location)
        else:
            self.fs, self.root = pafs.LocalFileSystem(), os.path.abspath(location)
        self.root = self.root.rstrip("/")

    def path(self, name: str) -> str:
        return f"{self.root}/{name}"

    def ensure(self) -> None:
        self.fs.create_dir(self.root, recursive=True)

    def names(self) -> set[str]:
        """File names directly in the output directory (one listing, also on object stores)."""
        selector = pafs.FileSelector(self.root, allow_not_found=True)
        return {info.base_name for info in self.fs.get_file_info(selector) if info.type == pafs.FileType.File}

    def read_bytes(self, name: str) -> bytes | None:
        try:
            with self.fs.open_input_stream(self.path(name)) as stream:
                return stream.read()
        except FileNotFoundError:
            return None

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write under a temporary name, then move into place: readers never see half a file."""
        temp = self.path(f"{name}.tmp-{uuid.uuid4().hex[:12]}")
        with self.fs.open_output_stream(temp) as stream:
            stream.write(data)
        # A rename on local and shared filesystems; object stores copy, and
        # the object appears whole once the copy completes.
        self.fs.move(temp, self.path(name))

    def delete(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.delete_file(self.path(name))

    def write_table(self, name: str, table: pa.Table) -> None:
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        self.write_bytes(name, sink.getvalue().to_pybytes())
