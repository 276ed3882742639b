"""Input readers: turn files, directories, globs and stdin into Articles.

Every reader yields `Article | ReadFailure` and never raises for bad input, so
one broken file cannot stop a batch. `Article.text` is the body exactly as
decoded (only a wire header or markup is removed), because every offset that
later stages emit indexes that string.

Archive formats hold many articles a file: JSON Lines, Parquet (a text
column), WARC (HTML responses) and Reuters-21578 SGML. Their items (lines,
rows, records, wires) are numbered from 0 and `read_file(items=(start, stop))`
reads a slice of them, so a batch job can split one large file into shards.
"""

from __future__ import annotations

import glob
import gzip
import html
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date as _date
from datetime import datetime
from html.entities import name2codepoint
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from newsgraph.article import Article

__all__ = [
    "MAX_TEXT_CHARS",
    "Columns",
    "ReadFailure",
    "input_files",
    "item_count",
    "parse_wire",
    "read_file",
    "read_inputs",
    "timeml_gold",
]

MAX_TEXT_CHARS = 5_000_000  # "over 5 MB of text" is rejected

# UTF-8 needs at most 4 bytes a character: a file larger than this cannot
# decode to an acceptable body, so we refuse it before holding it in memory.
_MAX_BYTES = 4 * MAX_TEXT_CHARS + 4
_SNIFF_BYTES = 8192
_BOM = b"\xef\xbb\xbf"

_WIRE_HEADER = re.compile(r" date ([0-9]{4}-[0-9]{2}-[0-9]{2}) ")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_TXT, _JSONL, _HTML, _TIMEML = "txt", "jsonl", "html", "timeml"
_PARQUET, _WARC, _SGML = "parquet", "warc", "sgml"
_FORMATS = {
    ".txt": _TXT,
    ".jsonl": _JSONL,
    ".ndjson": _JSONL,
    ".html": _HTML,
    ".htm": _HTML,
    ".tml": _TIMEML,
    ".parquet": _PARQUET,
    ".warc": _WARC,
    ".sgm": _SGML,
}
# Formats holding many articles a file, readable a slice of items at a time.
_ARCHIVES = (_JSONL, _PARQUET, _WARC, _SGML)
_JSONL_FIELDS = ("id", "date", "title", "source", "url")

Items = tuple[int, int]  # [start, stop) item numbers of an archive file


@dataclass(frozen=True)
class Columns:
    """Which Parquet columns hold an article's text, date and id.

    `date` and `id` left as None mean the columns named `date` and `id` when
    present; a name given explicitly must exist. Columns `title`, `source` and
    `url` are taken when present.
    """

    text: str = "text"
    date: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ReadFailure:
    """One input (or one JSONL line, as `file.jsonl:LINENO`) that gave no article."""

    path: str
    reason: str


class _Reject(Exception):
    """Internal: abort one input with a ReadFailure reason."""


Result = Article | ReadFailure


# --------------------------------------------------------------------------- entry points


def read_inputs(
    inputs: Iterable[str],
    *,
    date: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    columns: Columns | None = None,
) -> Iterator[Result]:
    """Read every input in order: files, directories (recursive), globs, `-` for stdin.

    `date` (the `--date` option, ISO) is the fallback for articles whose format
    carries no date; `columns` names Parquet columns. Raises ValueError only for
    an invalid `date` argument.
    """
    fallback = _fallback_date(date)
    for spec in inputs:
        spec = str(spec)
        if spec == "-":
            yield from _guard("-", lambda: _read_stdin(stdin, fallback))
            continue
        for found in input_files([spec]):
            if isinstance(found, ReadFailure):
                yield found
            else:
                yield from _guard(found, lambda found=found: _read_one(found, fallback, columns))


def input_files(inputs: Iterable[str]) -> Iterator[str | ReadFailure]:
    """The files `read_inputs` reads, in its order, and the inputs that name none.

    Directories give their readable files (recursively, hidden ones left out,
    sorted by path components); globs their sorted matches; a file named
    explicitly is kept whatever its extension. `-` (stdin) is not a file and
    is reported as a failure here.
    """
    for spec in inputs:
        spec = str(spec)
        if spec == "-":
            yield ReadFailure(spec, "stdin is not a file")
        elif os.path.lexists(spec):
            yield from _path_files(spec)
        elif glob.has_magic(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield ReadFailure(spec, "no files match pattern")
            for match in matches:
                yield from _path_files(match)
        else:
            yield ReadFailure(spec, "no such file or directory")


def read_file(
    path: str | Path,
    *,
    date: str | None = None,
    columns: Columns | None = None,
    items: Items | None = None,
) -> Iterator[Result]:
    """Read one file, chosen by extension (`.gz` of any); unknown ones are auto-detected.

    `items=(start, stop)` reads only those items of an archive file (see
    `item_count`); other formats ignore it.
    """
    fallback = _fallback_date(date)
    name = str(path)
    yield from _guard(name, lambda: _read_one(name, fallback, columns, items))


def item_count(path: str | Path) -> int | None:
    """How many items an archive file holds (JSONL lines, Parquet rows, WARC records, SGML wires).

    None for one-article formats and for files that cannot be counted; reading
    such a file whole reports why.
    """
    name = str(path)
    fmt = _format_of(name)
    try:
        if fmt == _JSONL:
            return _count_lines(name)
        if fmt == _PARQUET and not name.lower().endswith(".gz"):
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(name).metadata.num_rows)
        if fmt == _WARC:
            return _count_warc(name)
        if fmt == _SGML:
            return len(_SGML_WIRE.findall(_read_bytes(name).decode("latin-1")))
    except Exception:  # counting is an optimisation: the reader reports the real problem
        return None
    return None


def parse_wire(text: str) -> tuple[str | None, str]:
    """Split the ` date YYYY-MM-DD ` wire header off `text`: (date, body).

    Exactly the header is removed; text without a valid header comes back whole.
    """
    match = _WIRE_HEADER.match(text)
    if match is None or _normalise_date(match.group(1)) is None:
        return None, text
    return match.group(1), text[match.end() :]


def timeml_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold TIMEX3 spans of a TimeML file as offsets into the body `read_file` yields.

    The document-creation-time TIMEX3 is excluded (it is not in the body).
    Each span: start, end, text, type, value, tid. Raises ValueError or OSError
    when the file cannot be read, unlike the streaming readers.
    """
    name = str(path)
    try:
        text = _decode(_read_bytes(name))
        doc = _parse_timeml(text)
    except _Reject as exc:
        raise ValueError(f"{name}: {exc}") from None
    return [dict(span) for span in doc.spans]


# --------------------------------------------------------------------------- dispatch


def _guard(where: str, produce: Any) -> Iterator[Result]:
    # Last line of defence: a reader bug on one input must not end the stream.
    try:
        yield from produce()
    except _Reject as exc:
        yield ReadFailure(where, str(exc))
    except Exception as exc:
        yield ReadFailure(where, f"unexpected error: {type(exc).__name__}: {exc}")


def _path_files(path: str) -> Iterator[str | ReadFailure]:
    if os.path.isdir(path):
        yield from _dir_files(path)
    else:
        yield path


def _dir_files(root: str) -> Iterator[str | ReadFailure]:
    found: list[tuple[tuple[str, ...], str]] = []
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        # Hidden directories (.git, .cache) are never article collections.
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or _format_of(name) is None:
                continue
            full = os.path.join(dirpath, name)
            found.append((Path(os.path.relpath(full, root)).parts, full))
    for err in errors:
        yield ReadFailure(str(err.filename or root), _os_reason(err))
    # Sort by path components so the order is the same on every machine.
    for _, full in sorted(found):
        yield full


def _format_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return _FORMATS.get(os.path.splitext(lower)[1])


def _read_one(
    path: str, fallback: str | None, columns: Columns | None = None, items: Items | None = None
) -> Iterator[Result]:
    fmt = _format_of(path)
    if os.path.isdir(path):
        raise _Reject("is a directory")
    if fmt == _JSONL:
        yield from _read_jsonl_file(path, fallback, items)
        return
    if fmt == _PARQUET:
        yield from _read_parquet(path, fallback, columns or Columns(), items)
        return
    if fmt == _WARC:
        yield from _read_warc(path, fallback, items)
        return
    if fmt == _SGML:
        yield from _read_sgml(path, fallback, items)
        return
    text = _decode(_read_bytes(path))
    if fmt == _TXT:
        yield _wire_or_plain(text, path, fallback)
    elif fmt == _HTML:
        yield _from_html(text, path, fallback)
    elif fmt == _TIMEML:
        yield _from_timeml(text, path, fallback)
    else:
        # Named explicitly with an unknown extension: the user wants it read,
        # so sniff it like stdin rather than refuse it.
        yield from _auto(text, path, fallback)


def _read_stdin(stdin: TextIO | BinaryIO | None, fallback: str | None) -> Iterator[Result]:
    stream: Any = sys.stdin if stdin is None else stdin
    # Prefer bytes so our own UTF-8 checks apply, as for files.
    raw = getattr(stream, "buffer", stream).read()
    if isinstance(raw, bytes):
        if raw[:2] == b"\x1f\x8b":
            raw = _gunzip(raw)
        text = _decode(raw)
    else:
        text = raw.removeprefix("\ufeff")
        if "\x00" in text[:_SNIFF_BYTES]:
            raise _Reject("binary")
    yield from _auto(text, "-", fallback)


def _auto(text: str, where: str, fallback: str | None) -> Iterator[Result]:
    # JSONL only if every non-empty line is an article object, so prose that
    # merely contains a JSON-looking line stays prose.
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    records = [_jsonl_object(line) for _, line in lines]
    if records and all(isinstance(r, dict) and isinstance(r.get("text"), str) for r in records):
        for (lineno, _), record in zip(lines, records, strict=True):
            yield _jsonl_article(record, f"{where}:{lineno}", where, fallback)
    else:
        yield _wire_or_plain(text, where, fallback)


# --------------------------------------------------------------------------- bytes and decoding


def _os_reason(err: OSError) -> str:
    return err.strerror.lower() if err.strerror else str(err)


def _read_bytes(path: str) -> bytes:
    try:
        if path.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(_MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(_MAX_BYTES + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise _Reject(f"corrupt gzip: {exc}") from None
    except OSError as exc:
        raise _Reject(_os_reason(exc)) from None
    if len(data) > _MAX_BYTES:
        raise _Reject("oversized")
    return data


def _gunzip(raw: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            return fh.read()
    except (gzip.BadGzipFile, EOFError, zlib.error, OSError) as exc:
        raise _Reject(f"corrupt gzip: {exc}") from None


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    chars = sample.decode("utf-8", errors="replace")
    junk = sum(1 for c in chars if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f\v\x1b"))
    # A few stray bytes mean a mis-encoded text file (reported as such);
    # a large share means it was never text.
    return junk > 0.3 * len(chars)


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _Reject("not valid UTF-8 at byte 0 (UTF-16 byte order mark)")
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise _Reject("binary")
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Reject(f"not valid UTF-8 at byte {exc.start + skip}") from None


def _check_body(text: str) -> None:
    if not text.strip():
        raise _Reject("empty")
    if len(text) > MAX_TEXT_CHARS:
        raise _Reject("oversized")


# --------------------------------------------------------------------------- dates


def _normalise_date(value: object) -> str | None:
    """ISO date or datetime string -> YYYY-MM-DD; anything else -> None.

    The calendar day is kept as written: converting a timezone would move
    articles published near midnight to another day.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return _date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    # TimeML values such as 1998-01-08TMO (a part of day) carry a valid day prefix.
    prefix = _ISO_DAY.match(value)
    if prefix:
        try:
            return _date.fromisoformat(prefix.group(0)).isoformat()
        except ValueError:
            return None
    return None


def _fallback_date(date: str | None) -> str | None:
    if date is None:
        return None
    normal = _normalise_date(date)
    if normal is None:
        raise ValueError(f"invalid date {date!r}: expected ISO YYYY-MM-DD")
    return normal


# --------------------------------------------------------------------------- wire / plain text


def _wire_or_plain(text: str, path: str, fallback: str | None) -> Article:
    day, body = parse_wire(text)
    _check_body(body)
    # No title for plain text: guessing the first line would be wrong for wire bodies.
    return Article(text=body, path=path, date=day or fallback)


# --------------------------------------------------------------------------- JSON Lines


def _read_jsonl_file(path: str, fallback: str | None, items: Items | None = None) -> Iterator[Result]:
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    try:
        fh = opener(path, "rb")
    except OSError as exc:
        raise _Reject(_os_reason(exc)) from None
    with fh:
        try:
            yield from _jsonl_stream(fh, path, fallback, items)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            yield ReadFailure(path, f"corrupt gzip: {exc}")
        except OSError as exc:
            yield ReadFailure(path, _os_reason(exc))


def _jsonl_stream(
    fh: BinaryIO, path: str, fallback: str | None, items: Items | None = None
) -> Iterator[Result]:
    offset = 0
    lineno = 0
    seen_content = False
    # Item i is line i + 1; a slice that leaves out line 1 cannot judge the file empty.
    first, stop = items if items is not None else (0, None)
    while stop is None or lineno < stop:
        # Bounded reads: one runaway line must not exhaust memory.
        line = fh.readline(_MAX_BYTES + 1)
        if not line:
            break
        lineno += 1
        start = offset
        offset += len(line)
        oversized = len(line) > _MAX_BYTES
        if oversized:
            tail = line
            while tail and not tail.endswith(b"\n"):
                tail = fh.readline(_MAX_BYTES + 1)
                offset += len(tail)
        if lineno <= first:
            continue
        where = f"{path}:{lineno}"
        if lineno == 1:
            if _looks_binary(line[:_SNIFF_BYTES]):
                raise _Reject("binary")
            if line.startswith(_BOM):
                line, start = line[len(_BOM) :], start + len(_BOM)
        if oversized:
            seen_content = True
            yield ReadFailure(where, "oversized")
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            seen_content = True
            yield ReadFailure(where, f"not valid UTF-8 at byte {start + exc.start}")
            continue
        if not decoded.strip():
            continue
        seen_content = True
        record = _jsonl_object(decoded)
        if isinstance(record, str):
            yield ReadFailure(where, record)
        else:
            yield _jsonl_article(record, where, path, fallback)
    if not seen_content and first == 0:
        raise _Reject("empty")


def _jsonl_object(line: str) -> dict[str, Any] | str:
    """The line's JSON object, or a failure reason."""
    try:
        value = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return f"invalid JSON: {exc}"
    if not isinstance(value, dict):
        return "not a JSON object"
    return value


def _jsonl_article(record: dict[str, Any], where: str, path: str, fallback: str | None) -> Result:
    text = record.get("text")
    if not isinstance(text, str):
        return ReadFailure(where, "missing or non-string 'text'")
    if not text.strip():
        return ReadFailure(where, "empty")
    if len(text) > MAX_TEXT_CHARS:
        return ReadFailure(where, "oversized")
    fields: dict[str, str | None] = {}
    for key in _JSONL_FIELDS:
        value = record.get(key)
        # Numeric ids are common in exports; accept them as their decimal string.
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            return ReadFailure(where, f"'{key}' must be a string")
        fields[key] = value or None
    meta = {k: v for k, v in record.items() if k != "text" and k not in _JSONL_FIELDS}
    day = _normalise_date(fields["date"])
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


# --------------------------------------------------------------------------- HTML


def _from_html(page: str, path: str, fallback: str | None) -> Article:
    try:
        import trafilatura
    except ImportError as exc:
        raise _Reject(f"HTML support unavailable: {exc}") from None
    # Offline by construction: bare_extraction parses the given string only.
    doc = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, output_format="python"
    )
    if doc is None:
        raise _Reject("empty")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = data.get("text") or ""
    _check_body(body)
    meta = {key: data[key] for key in ("author", "hostname", "description") if data.get(key)}
    return Article(
        text=body,
        path=path,
        date=_normalise_date(data.get("date")) or fallback,
        title=data.get("title") or None,
        source=data.get("sitename") or None,
        url=data.get("url") or None,
        meta=meta,
    )


# --------------------------------------------------------------------------- archives: counting items


def _count_lines(path: str) -> int:
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    count = 0
    last = b"\n"
    with opener(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    # A final line without a newline is a line too, as readline sees it.
    return count + (last != b"\n")


def _count_warc(path: str) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        return sum(1 for _ in ArchiveIterator(fh))


def _item_range(items: Items | None) -> tuple[int, int | None]:
    return items if items is not None else (0, None)


# --------------------------------------------------------------------------- Parquet


def _plain_value(value: Any) -> Any:
    # Parquet dates and timestamps arrive as date/datetime objects; the
    # article fields want ISO strings, as JSON Lines gives them.
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, _date):
        return value.isoformat()
    return value


def _read_parquet(path: str, fallback: str | None, columns: Columns, items: Items | None) -> Iterator[Result]:
    if path.lower().endswith(".gz"):
        raise _Reject("gzip-compressed Parquet is not supported (Parquet compresses its own pages)")
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise _Reject(f"invalid Parquet: {exc}") from None
    names = set(pf.schema_arrow.names)
    wanted: dict[str, str] = {}  # article field -> column
    for field_name, given in (("text", columns.text), ("date", columns.date), ("id", columns.id)):
        if given is not None and given not in names:
            raise _Reject(f"no column {given!r}")
        column = given or (field_name if field_name in names else None)
        if column is not None:
            wanted[field_name] = column
    for field_name in ("title", "source", "url"):
        if field_name in names:
            wanted[field_name] = field_name
    first, stop = _item_range(items)
    meta = pf.metadata
    if meta.num_rows == 0 and first == 0:
        raise _Reject("empty")
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
                yield _jsonl_article(fields, f"{path}:{number + 1}", path, fallback)
    except (OSError, pa.ArrowException) as exc:
        yield ReadFailure(path, f"invalid Parquet: {exc}")


# --------------------------------------------------------------------------- WARC

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _read_warc(path: str, fallback: str | None, items: Items | None) -> Iterator[Result]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    first, stop = _item_range(items)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - the `with fh` below closes it
    except OSError as exc:
        raise _Reject(_os_reason(exc)) from None
    seen = 0
    with fh:
        try:
            for number, record in enumerate(ArchiveIterator(fh)):
                seen += 1
                if number < first:
                    continue
                if stop is not None and number >= stop:
                    break
                page = _warc_page(record, f"{path}:{number + 1}", path, fallback)
                if page is not None:
                    yield page
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
            yield ReadFailure(path, f"invalid WARC: {exc}")
            return
    if seen == 0:
        raise _Reject("empty")


def _warc_page(record: Any, where: str, path: str, fallback: str | None) -> Result | None:
    """An HTML response record's article; None for records that carry no page (requests, metadata, 404s)."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None
    status = http.get_statuscode() or ""
    content_type = (http.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or content_type.split(";")[0].strip() not in _HTML_TYPES:
        return None
    charset = "utf-8"
    if found := re.search(r"charset=([\w.:-]+)", content_type):
        charset = found.group(1)
    try:
        raw = record.content_stream().read(_MAX_BYTES + 1)
    except Exception as exc:  # a broken chunked or compressed body spoils only this page
        return ReadFailure(where, f"unreadable payload: {type(exc).__name__}: {exc}")
    if len(raw) > _MAX_BYTES:
        return ReadFailure(where, "oversized")
    try:
        page = raw.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        return ReadFailure(where, f"not valid {charset}: {exc}")
    # The page's own publication date wins; the crawl date is the next best guess.
    crawled = _normalise_date(record.rec_headers.get_header("WARC-Date"))
    try:
        article = _from_html(page, path, crawled or fallback)
    except _Reject as exc:
        return ReadFailure(where, str(exc))
    target = record.rec_headers.get_header("WARC-Target-URI")
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    meta = {**article.meta, **({"warc_record_id": record_id} if record_id else {})}
    return replace(article, url=article.url or target, meta=meta)


# --------------------------------------------------------------------------- Reuters-21578 SGML

_SGML_WIRE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_SGML_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("DATE", "TITLE", "BODY")}
_SGML_NEWID = re.compile(r'NEWID="(\d+)"')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _read_sgml(path: str, fallback: str | None, items: Items | None) -> Iterator[Result]:
    # The collection is Latin-1; every byte decodes, so there is no UTF-8 check.
    text = _read_bytes(path).decode("latin-1")
    first, stop = _item_range(items)
    seen = 0
    for number, block in enumerate(_SGML_WIRE.finditer(text)):
        seen += 1
        if number < first:
            continue
        if stop is not None and number >= stop:
            break
        attrs, inner = block.group(1), block.group(2)
        body = _SGML_FIELD["BODY"].search(inner)
        if body is None:
            continue  # a headline-only brief is not an article
        # The closing "Reuter" sign-off and the SGML end-of-text byte are markup.
        content = _CONTROL.sub("", html.unescape(body.group(1)))
        content = re.sub(r"\s*Reuter\s*$", "", content.strip()).strip()
        where = f"{path}:{number + 1}"
        if not content:
            yield ReadFailure(where, "empty")
            continue
        day = None
        if found := _SGML_FIELD["DATE"].search(inner):
            try:
                day = datetime.strptime(found.group(1).strip()[:11], "%d-%b-%Y").date().isoformat()
            except ValueError:
                day = None
        found_title = _SGML_FIELD["TITLE"].search(inner)
        title = _CONTROL.sub("", html.unescape(found_title.group(1))).strip() if found_title else ""
        newid = _SGML_NEWID.search(attrs)
        yield Article(
            text=content,
            id=f"reuters-{newid.group(1)}" if newid else "",
            path=path,
            date=day or fallback,
            title=title or None,
            source="Reuters",
        )
    if seen == 0:
        raise _Reject("no <REUTERS> wires")


# --------------------------------------------------------------------------- TimeML


@dataclass(frozen=True)
class _TimeMLDoc:
    docid: str | None
    date: str | None
    title: str | None
    body: str
    spans: tuple[dict[str, Any], ...]


_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|&")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def _fix_entities(text: str) -> str:
    # TimeML exports sometimes carry HTML entities (&nbsp;) or bare '&', which
    # XML rejects; rewrite them as character references and keep the rest.
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "&amp;"
        if name.startswith("#") or name in _XML_ENTITIES:
            return match.group(0)
        if name in name2codepoint:
            return f"&#{name2codepoint[name]};"
        unescaped = html.unescape(match.group(0))
        return unescaped if unescaped != match.group(0) else f"&amp;{name};"

    return _ENTITY.sub(sub, text)


def _parse_xml(text: str) -> ET.Element:
    # The text is already decoded; a leftover encoding declaration must not
    # make the parser decode it a second time.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        pass
    try:
        return ET.fromstring(_fix_entities(text))
    except ET.ParseError as exc:
        raise _Reject(f"invalid TimeML XML: {exc}") from None


def _flatten(elem: ET.Element) -> tuple[str, list[dict[str, Any]]]:
    """Text of `elem` with tags removed, and its TIMEX3 spans (offsets into that text)."""
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    size = 0

    def walk(node: ET.Element) -> None:
        nonlocal size
        start = size
        if node.text:
            parts.append(node.text)
            size += len(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                size += len(child.tail)
        if node.tag == "TIMEX3" and node is not elem:
            spans.append(
                {
                    "start": start,
                    "end": size,
                    "type": node.get("type"),
                    "value": node.get("value"),
                    "tid": node.get("tid"),
                }
            )

    walk(elem)
    return "".join(parts), spans


def _parse_timeml(text: str) -> _TimeMLDoc:
    root = _parse_xml(text)
    docid_el = root.find("DOCID")
    docid = (docid_el.text or "").strip() if docid_el is not None else ""
    day = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            day = _normalise_date(timex.get("value"))
            break
    # Body layout: TITLE text, a blank line, TEXT text; each element's outer
    # whitespace is XML layout and is trimmed, its interior kept exactly.
    chunks: list[tuple[str, list[dict[str, Any]]]] = []
    title = None
    for tag in ("TITLE", "TEXT"):
        for elem in root.findall(tag):
            flat, spans = _flatten(elem)
            lead = len(flat) - len(flat.lstrip())
            trimmed = flat.strip()
            if not trimmed:
                continue
            if tag == "TITLE" and title is None:
                title = trimmed
            chunks.append((trimmed, [_shift(s, -lead, len(trimmed)) for s in spans]))
    body_parts: list[str] = []
    all_spans: list[dict[str, Any]] = []
    size = 0
    for chunk, spans in chunks:
        if body_parts:
            body_parts.append("\n\n")
            size += 2
        all_spans.extend(_shift(s, size, size + len(chunk)) for s in spans)
        body_parts.append(chunk)
        size += len(chunk)
    body = "".join(body_parts)
    for span in all_spans:
        span["text"] = body[span["start"] : span["end"]]
    ordered = ({k: s[k] for k in ("start", "end", "text", "type", "value", "tid")} for s in all_spans)
    return _TimeMLDoc(docid or None, day, title, body, tuple(ordered))


def _shift(span: dict[str, Any], by: int, limit: int) -> dict[str, Any]:
    # Clamp so a timex made only of trimmed whitespace stays inside the body.
    low = 0 if by < 0 else by
    return {
        **span,
        "start": min(max(span["start"] + by, low), limit),
        "end": min(max(span["end"] + by, low), limit),
    }


def _from_timeml(text: str, path: str, fallback: str | None) -> Article:
    doc = _parse_timeml(text)
    _check_body(doc.body)
    return Article(
        text=doc.body,
        id=doc.docid or "",
        path=path,
        date=doc.date or fallback,
        title=doc.title,
    )
