"""Input readers: turn files, directories, globs and stdin into Articles.

Every reader yields `Article | Failure` and never raises for bad input, so
one broken file cannot stop a batch. `Article.text` is the body exactly as
decoded (only a wire header or markup is removed), because every offset that
later stages emit indexes that string.

One module a format (`plain`, `jsonl`, `html`, `timeml`, `parquet`, `warc`,
`sgml`), `sniff` for stdin and unknown extensions, `paths` for directories
and globs; `formats.FORMATS` maps extensions to readers; `meta` adds what is
known from outside a file (its `NAME.meta.json` sidecar, the `--meta` CSV, a
date in its path, an outlet in its document id), in the precedence it
states. Archive formats hold many articles a file: JSON Lines, Parquet (a
text column), WARC (HTML responses) and Reuters-21578 SGML. Their items
(lines, rows, records, wires) are numbered from 0 and
`read_file(items=(start, stop))` reads a slice of them, so a batch job can
split one large file into shards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, TextIO

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.read.common import (
    MAX_TEXT_CHARS,
    Columns,
    Items,
    Options,
    Reject,
    Result,
    fallback_date,
    open_input,
    open_regular,
    printable,
)
from newsgraph.read.formats import FORMATS, format_of
from newsgraph.read.meta import MetaTable, known, path_date, wire_source
from newsgraph.read.paths import input_files, undecodable
from newsgraph.read.plain import parse_wire
from newsgraph.read.sniff import read_stdin, read_unknown
from newsgraph.read.timeml import timeml_gold

__all__ = [
    "FORMATS",
    "MAX_TEXT_CHARS",
    "Columns",
    "MetaTable",
    "Reject",
    "format_of",
    "input_files",
    "item_count",
    "open_input",
    "parse_wire",
    "path_date",
    "printable",
    "read_file",
    "read_inputs",
    "timeml_gold",
    "wire_source",
]


def read_inputs(
    inputs: Iterable[str],
    *,
    date: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    columns: Columns | None = None,
    max_chars: int = MAX_TEXT_CHARS,
    date_from_path: bool = False,
    meta: MetaTable | None = None,
) -> Iterator[Result]:
    """Read every input in order: files, directories (recursive), globs, `-` for stdin.

    `date` (the `--date` option, ISO) is the last fallback for articles that
    carry no date; `date_from_path` dates a file by a date written in its path;
    `meta` is the `--meta` CSV (`MetaTable.load`); `read.meta` states the
    precedence. `columns` names Parquet columns; `max_chars` is the longest
    article (the `max_article_chars` setting). Raises ValueError only for an
    invalid `date` argument.
    """
    options = Options(
        fallback_date(date),
        columns or Columns(),
        max_chars=max_chars,
        date_from_path=date_from_path,
        table=meta,
    )
    for spec in inputs:
        spec = str(spec)
        if spec == "-":
            yield from _guard("-", lambda: read_stdin(stdin, options))
            continue
        for found in input_files([spec]):
            if meta is not None and meta.is_table(found.path if isinstance(found, Failure) else found):
                continue  # the --meta CSV inside an input directory describes the articles; it is not one
            if isinstance(found, Failure):
                yield found
            else:
                yield from _guard(found, lambda found=found: _read_one(found, options))


def read_file(
    path: str | Path,
    *,
    date: str | None = None,
    columns: Columns | None = None,
    items: Items | None = None,
    max_chars: int = MAX_TEXT_CHARS,
    date_from_path: bool = False,
    meta: MetaTable | None = None,
) -> Iterator[Result]:
    """Read one file, chosen by extension (`.gz` of any); unknown ones are auto-detected.

    `items=(start, stop)` reads only those items of an archive file (see
    `item_count`); other formats ignore it. The other options are `read_inputs`'s.
    """
    options = Options(fallback_date(date), columns or Columns(), items, max_chars, date_from_path, meta)
    name = str(path)
    yield from _guard(name, lambda: _read_one(name, options))


def item_count(path: str | Path) -> int | None:
    """How many items an archive file holds (JSONL lines, Parquet rows, WARC records, SGML wires).

    None for one-article formats and for files that cannot be counted; reading
    such a file whole reports why.
    """
    name = str(path)
    fmt = format_of(name)
    if fmt is None or fmt.count is None:
        return None
    try:
        return fmt.count(name)
    except Exception:  # counting is an optimisation: the reader reports the real problem
        return None


def _guard(where: str, produce: Callable[[], Iterator[Result]]) -> Iterator[Result]:
    # Last line of defence: a reader bug on one input must not end the stream.
    # Failures name their input by a printable form: they are printed and stored,
    # and a name may hold bytes that are not UTF-8 or terminal escapes.
    where = printable(where)
    try:
        for result in produce():
            yield result if isinstance(result, Article) else Failure(printable(result.path), result.reason)
    except Reject as exc:
        yield Failure(where, str(exc))
    except RecursionError:
        yield Failure(where, "nested too deeply to read")
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        yield Failure(where, f"unexpected error: {type(exc).__name__}: {first}")


def _read_one(path: str, options: Options) -> Iterator[Result]:
    if undecodable(path):
        raise Reject("file name is not valid UTF-8 (skipped)")
    # Checked before a reader opens it: a FIFO or a device would block the open or the read.
    open_regular(path).close()
    fmt = format_of(path)
    # An unknown format may turn out to hold many articles: its sidecar only fills gaps.
    single = fmt is not None and fmt.count is None
    outside = known(path, single=single, date_from_path=options.date_from_path, table=options.table)
    read = fmt.read if fmt is not None else read_unknown
    for result in read(path, replace(options, fallback=outside.fallback(options.fallback))):
        yield outside.settle(result) if isinstance(result, Article) else result
