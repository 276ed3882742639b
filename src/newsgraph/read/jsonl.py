"""JSON Lines: one article object a line (`text` required; id, date, title, source, url taken;
other keys kept as metadata). Item i of a file is its line i + 1.

The outlet is `source`, else the first of `publisher`, `outlet`, `site_name`,
`media` that is given, each a string or an object with a `name` (NewsAPI's
`{"id": ..., "name": ...}`)."""

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
    MAX_TEXT_CHARS,
    SNIFF_BYTES,
    Options,
    Reject,
    Result,
    body_problem,
    looks_binary,
    normalise_date,
    open_input,
    os_reason,
    oversized,
    unstorable,
)

_FIELDS = ("id", "date", "title", "source", "url")
# Where exports other than ours name the outlet, after `source`; kept in `meta` as given too.
_SOURCE_KEYS = ("publisher", "outlet", "site_name", "media")


def read_jsonl(path: str, options: Options) -> Iterator[Result]:
    with open_input(path) as fh:
        try:
            yield from stream_jsonl(fh, path, options)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            yield Failure(path, f"corrupt gzip: {exc}")
        except OSError as exc:
            yield Failure(path, os_reason(exc))


def stream_jsonl(fh: BinaryIO, path: str, options: Options) -> Iterator[Result]:
    """The articles of a JSON Lines stream, each line read with a bound (gzip is unpacked as it
    is read, so a bomb costs time, never memory)."""
    offset = 0
    lineno = 0
    seen_content = False
    # Item i is line i + 1; a slice that leaves out line 1 cannot judge the file empty.
    first, stop = options.item_range()
    limit = options.max_bytes
    while stop is None or lineno < stop:
        # Bounded reads: one runaway line must not exhaust memory.
        line = fh.readline(limit + 1)
        if not line:
            break
        lineno += 1
        start = offset
        offset += len(line)
        too_long = len(line) > limit
        if too_long:
            tail = line
            while tail and not tail.endswith(b"\n"):
                tail = fh.readline(limit + 1)
                offset += len(tail)
        if lineno <= first:
            continue
        where = f"{path}:{lineno}"
        if lineno == 1:
            if looks_binary(line[:SNIFF_BYTES]):
                raise Reject("binary")
            if line.startswith(BOM):
                line, start = line[len(BOM) :], start + len(BOM)
        if too_long:
            seen_content = True
            yield Failure(where, oversized(options.max_chars))
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
            yield jsonl_article(record, where, path, options.fallback, options.max_chars)
    if not seen_content and first == 0:
        raise Reject("empty")


def jsonl_object(line: str) -> dict[str, Any] | str:
    """The line's JSON object, or a failure reason."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc}"
    except RecursionError:
        return "invalid JSON: nested too deeply"
    if not isinstance(value, dict):
        return "not a JSON object"
    return value


def jsonl_article(
    record: dict[str, Any], where: str, path: str, fallback: str | None, max_chars: int = MAX_TEXT_CHARS
) -> Result:
    """The article of one JSON object (a JSONL line, a Parquet row); `where` names it in a failure."""
    text = record.get("text")
    if not isinstance(text, str):
        return Failure(where, "missing or non-string 'text'")
    if (problem := body_problem(text, max_chars)) is not None:
        return Failure(where, problem)
    fields: dict[str, str | None] = {}
    for key in _FIELDS:
        value = _outlet(record) if key == "source" else record.get(key)
        # Numeric ids are common in exports; accept them as their decimal string.
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if key == "date" and value is not None and normalise_date(value) is None:
            # A date given but unreadable is reported, whatever its JSON type: silently
            # falling back to --date (or none) would misdate every fact of the article.
            shown = json.dumps(value, ensure_ascii=True)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            return Failure(where, f"invalid 'date' {shown}: expected an ISO YYYY-MM-DD string")
        if value is not None and not isinstance(value, str):
            return Failure(where, f"'{key}' must be a string")
        if isinstance(value, str) and (problem := unstorable(value)) is not None:
            return Failure(where, f"'{key}' {problem}")
        fields[key] = value or None
    meta = {k: v for k, v in record.items() if k != "text" and k not in _FIELDS}
    try:
        # Records are written as UTF-8 JSON: metadata that cannot be is refused here, not there.
        json.dumps(meta, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return Failure(where, "metadata contains a lone surrogate")
    except (RecursionError, ValueError):
        return Failure(where, "metadata nested too deeply")
    day = normalise_date(fields["date"])
    return Article(
        text=text,
        id=fields["id"] or "",
        path=path,
        date=day or fallback,
        title=fields["title"],
        source=fields["source"],
        url=fields["url"],
        meta=meta,
        origin=where,
    )


def _outlet(record: dict[str, Any]) -> Any:
    """The value naming the article's outlet: `source` when given (checked as a field), else
    the first outlet key holding a name."""
    for key in ("source", *_SOURCE_KEYS):
        value = record.get(key)
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            value = value["name"]
        if key == "source" and value not in (None, ""):
            return value
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def count_lines(path: str) -> int:
    count = 0
    last = b"\n"
    with open_input(path) as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    # A final line without a newline is a line too, as readline sees it.
    return count + (last != b"\n")
