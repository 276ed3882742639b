"""Writers: rows in batches to JSON Lines, CSV or Parquet, each row written as it comes."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, TextIO

from newsgraph.export.common import Row


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def write_jsonl(batches: Iterable[list[Row]], out: TextIO) -> int:
    written = 0
    for batch in batches:
        for row in batch:
            out.write(json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
        written += len(batch)
    return written


def write_csv(batches: Iterable[list[Row]], names: list[str], out: TextIO) -> int:
    """CSV with a header; lists joined with "|", booleans as true/false, nulls empty."""
    writer = csv.writer(out)
    writer.writerow(names)
    written = 0
    for batch in batches:
        writer.writerows([_csv_value(row.get(name)) for name in names] for row in batch)
        written += len(batch)
    return written


def write_parquet(batches: Iterable[list[Row]], schema: Any, out: Any) -> int:
    """One row group per batch; `out` is a path or a binary file object."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in batches:
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written += len(batch)
        if not written:
            writer.write_table(schema.empty_table())
    return written
