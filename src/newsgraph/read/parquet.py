"""Parquet: one article a row, from the columns `Columns` names; item i is row i."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date as _date
from datetime import datetime
from typing import Any

from newsgraph.errors import Failure
from newsgraph.read.common import Options, Reject, Result, is_gzip_name, open_regular
from newsgraph.read.jsonl import jsonl_article


def _plain_value(value: Any) -> Any:
    # Parquet dates and timestamps arrive as date/datetime objects; the
    # article fields want ISO strings, as JSON Lines gives them.
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, _date):
        return value.isoformat()
    return value


def _refuse_gzip(path: str) -> None:
    if is_gzip_name(path):
        raise Reject("gzip-compressed Parquet is not supported (Parquet compresses its own pages)")


def read_parquet(path: str, options: Options) -> Iterator[Result]:
    _refuse_gzip(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    with open_regular(path) as fh:
        try:
            pf = pq.ParquetFile(fh)
        except (OSError, pa.ArrowException) as exc:
            raise Reject(f"invalid Parquet: {exc}") from None
        yield from _rows(pf, path, options)


def _rows(pf: Any, path: str, options: Options) -> Iterator[Result]:
    import pyarrow as pa

    names = set(pf.schema_arrow.names)
    columns = options.columns
    wanted: dict[str, str] = {}  # article field -> column
    for field_name, given in (("text", columns.text), ("date", columns.date), ("id", columns.id)):
        if given is not None and given not in names:
            raise Reject(f"no column {given!r}")
        column = given or (field_name if field_name in names else None)
        if column is not None:
            wanted[field_name] = column
    for field_name in ("title", "source", "url"):
        if field_name in names:
            wanted[field_name] = field_name
    first, stop = options.item_range()
    meta = pf.metadata
    if meta.num_rows == 0 and first == 0:
        raise Reject("empty")
    # Read only the row groups that overlap the slice.
    groups, offsets, row = [], [], 0
    for index in range(meta.num_row_groups):
        size = meta.row_group(index).num_rows
        if row + size > first and (stop is None or row < stop):
            groups.append(index)
            offsets.append(row)
        row += size
    if not groups:
        return
    row = offsets[0]
    try:
        for batch in pf.iter_batches(
            batch_size=1024, row_groups=groups, columns=sorted(set(wanted.values()))
        ):
            values = {key: batch.column(column).to_pylist() for key, column in wanted.items()}
            for i in range(batch.num_rows):
                number, row = row, row + 1
                if number < first or (stop is not None and number >= stop):
                    continue
                fields = {key: _plain_value(values[key][i]) for key in wanted}
                yield jsonl_article(fields, f"{path}:{number + 1}", path, options.fallback, options.max_chars)
    except (OSError, pa.ArrowException) as exc:
        yield Failure(path, f"invalid Parquet: {exc}")


def count_rows(path: str) -> int:
    _refuse_gzip(path)
    import pyarrow.parquet as pq

    with open_regular(path) as fh:
        return int(pq.ParquetFile(fh).metadata.num_rows)
