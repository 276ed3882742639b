"""JSON Lines: one article object a line (`text` required; id, date, title, source, url taken;
other keys kept as metadata). Item i of a file is its line i + 1."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.read.common import (
    BOM,
    MAX_BYTES,
    MAX_TEXT_CHARS,
    SNIFF_BYTES,
    Options,
    Reject,
    Result,
    is_gzip_name,
    looks_binary,
    normalise_date,
    os_reason,
)

_FIELDS = ("id", "date", "title", "source", "url")


def read_jsonl(path: str, options: Options) -> Iterator[Result]:
    opener: Any = gzip.open if is_gzip_name(path) else open
    try:
        fh = opener(path, "rb")
    except OSError as exc:
        raise Reject(os_reason(exc)) from None
    with fh:
        try:
            yield from _stream(fh, path, options)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            yield Failure(path, f"corrupt gzip: {exc}")
        except OSError as exc:
            yield Failure(path, os_reason(exc))


def _stream(fh: BinaryIO, path: str, options: Options) -> Iterator[Result]:
    offset = 0
    lineno = 0
    seen_content = False
    # Item i is line i + 1; a slice that leaves out line 1 cannot judge the file empty.
    first, stop = options.item_range()
    while stop is None or lineno < stop:
        # Bounded reads: one runaway line must not exhaust memory.
        line = fh.readline(MAX_BYTES + 1)
        if not line:
            break
        lineno += 1
        start = offset
        offset += len(line)
        oversized = len(line) > MAX_BYTES
        if oversized:
            tail = line
            while tail and not tail.endswith(b"\n"):
                tail = fh.readline(MAX_BYTES + 1)
                offset += len(tail)
        if lineno <= first:
            continue
        where = f"{path}:{lineno}"
        if lineno == 1:
            if looks_binary(line[:SNIFF_BYTES]):
                raise Reject("binary")
            if line.startswith(BOM):
                line, start = line[len(BOM) :], start + len(BOM)
        if oversized:
            seen_content = True
            yield Failure(where, "oversized")
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            seen_content = True
            yield Failure(where, f"not valid UTF-8 at byte {start + exc.start}")
            continue
        if not decoded.strip():
            continue
        seen_content = True
        record = jsonl_object(decoded)
        if isinstance(record, str):
            yield Failure(where, record)
        else:
            yield jsonl_article(record, where, path, options.fallback)
    if not seen_content and first == 0:
        raise Reject("empty")


def jsonl_object(line: str) -> dict[str, Any] | str:
    """The line's JSON object, or a failure reason."""
    try:
        value = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return f"invalid JSON: {exc}"
    if not isinstance(value, dict):
        return "not a JSON object"
    return value


def jsonl_article(record: dict[str, Any], where: str, path: str, fallback: str | None) -> Result:
    """The article of one JSON object (a JSONL line, a Parquet row); `where` names it in a failure."""
    text = record.get("text")
    if not isinstance(text, str):
        return Failure(where, "missing or non-string 'text'")
    if not text.strip():
        return Failure(where, "empty")
    if len(text) > MAX_TEXT_CHARS:
        return Failure(where, "oversized")
    fields: dict[str, str | None] = {}
    for key in _FIELDS:
        value = record.get(key)
        # Numeric ids are common in exports; accept them as their decimal string.
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            return Failure(where, f"'{key}' must be a string")
        fields[key] = value or None
    meta = {k: v for k, v in record.items() if k != "text" and k not in _FIELDS}
    day = normalise_date(fields["date"])
    if fields["date"] is not None and day is None:
        # Keep the article (its text is fine) but do not lose what was given.
        meta["date_raw"] = fields["date"]
    return Article(
        text=text,
        id=fields["id"] or "",
        path=path,
        date=day or fallback,
        title=fields["title"],
        source=fields["source"],
        url=fields["url"],
        meta=meta,
    )


def count_lines(path: str) -> int:
    opener: Any = gzip.open if is_gzip_name(path) else open
    count = 0
    last = b"\n"
    with opener(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    # A final line without a newline is a line too, as readline sees it.
    return count + (last != b"\n")
