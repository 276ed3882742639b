"""The formats newsgraph reads, by file extension: the one list of what is readable.

Directory listings, `read_file`'s dispatch, `item_count` and the ingest
progress estimate all ask `FORMATS` (through `format_of`), so they cannot
disagree about which files hold articles. A `.gz` of any format is read
through gzip (Parquet excepted: it compresses its own pages).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newsgraph.read.common import Options, Result
from newsgraph.read.html import read_html
from newsgraph.read.jsonl import count_lines, read_jsonl
from newsgraph.read.parquet import count_rows, read_parquet
from newsgraph.read.plain import read_plain
from newsgraph.read.sgml import count_wires, read_sgml
from newsgraph.read.timeml import read_timeml
from newsgraph.read.warc import count_records, read_warc

Reader = Callable[[str, Options], Iterator[Result]]


@dataclass(frozen=True)
class Format:
    """A readable format: its reader and, for archives (many articles a file, readable a
    slice of items at a time), how many items a file holds."""

    name: str
    read: Reader
    count: Callable[[str], int] | None = None


_TXT = Format("txt", read_plain)
_JSONL = Format("jsonl", read_jsonl, count_lines)
_HTML = Format("html", read_html)

FORMATS: dict[str, Format] = {
    ".txt": _TXT,
    ".jsonl": _JSONL,
    ".ndjson": _JSONL,
    ".html": _HTML,
    ".htm": _HTML,
    ".tml": Format("timeml", read_timeml),
    ".parquet": Format("parquet", read_parquet, count_rows),
    ".warc": Format("warc", read_warc, count_records),
    ".sgm": Format("sgml", read_sgml, count_wires),
}


def format_of(name: str) -> Format | None:
    """The format a file name's extension (under an optional `.gz`) names; None when unknown."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return FORMATS.get(os.path.splitext(lower)[1])
