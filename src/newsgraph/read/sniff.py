"""Input without a known extension: stdin (gzip detected by its magic bytes) and files named
explicitly, read as JSON Lines when every line is an article object, else as plain text."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

from newsgraph.read.common import SNIFF_BYTES, Options, Reject, Result, decode, gunzip, read_bytes
from newsgraph.read.jsonl import jsonl_article, jsonl_object
from newsgraph.read.plain import wire_or_plain


def read_stdin(stdin: TextIO | BinaryIO | None, fallback: str | None) -> Iterator[Result]:
    stream: Any = sys.stdin if stdin is None else stdin
    # Prefer bytes so our own UTF-8 checks apply, as for files.
    raw = getattr(stream, "buffer", stream).read()
    if isinstance(raw, bytes):
        if raw[:2] == b"\x1f\x8b":
            raw = gunzip(raw)
        text = decode(raw)
    else:
        text = raw.removeprefix("\ufeff")
        if "\x00" in text[:SNIFF_BYTES]:
            raise Reject("binary")
    yield from _sniffed(text, "-", fallback)


def read_unknown(path: str, options: Options) -> Iterator[Result]:
    # Named explicitly with an unknown extension: the user wants it read,
    # so sniff it like stdin rather than refuse it.
    yield from _sniffed(decode(read_bytes(path)), path, options.fallback)


def _sniffed(text: str, where: str, fallback: str | None) -> Iterator[Result]:
    # JSONL only if every non-empty line is an article object, so prose that
    # merely contains a JSON-looking line stays prose.
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    records = [jsonl_object(line) for _, line in lines]
    if records and all(isinstance(r, dict) and isinstance(r.get("text"), str) for r in records):
        for (lineno, _), record in zip(lines, records, strict=True):
            yield jsonl_article(record, f"{where}:{lineno}", where, fallback)
    else:
        yield wire_or_plain(text, where, fallback)
