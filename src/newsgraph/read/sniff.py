"""Input without a known extension: stdin (gzip detected by its magic bytes) and files named
explicitly, read as JSON Lines when every line is an article object, else as plain text."""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

from newsgraph.read.common import (
    Options,
    Reject,
    Result,
    decode,
    os_reason,
    oversized,
    read_bytes,
)
from newsgraph.read.jsonl import jsonl_article, jsonl_object, stream_jsonl
from newsgraph.read.plain import wire_or_plain


class _Prefixed(io.RawIOBase):
    """Bytes already read from a stream, then the rest of it: lets stdin be sniffed and still
    be read as one stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)


class _Encoded(io.RawIOBase):
    """A text stream (a test's StringIO) as UTF-8 bytes, read as it is needed."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while not self._left:
            chunk = self._text.read(max(1, len(view) // 4))
            if not chunk:
                return 0
            # A lone surrogate stays visible: decode() then reports the bytes as invalid UTF-8.
            self._left = chunk.encode("utf-8", "surrogatepass")
        size = min(len(view), len(self._left))
        view[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def read_stdin(stdin: TextIO | BinaryIO | None, options: Options) -> Iterator[Result]:
    """stdin with the caps of files: one article of at most `max_article_chars`, or JSON Lines
    streamed line by line; gzip is unpacked as it is read."""
    stream: Any = sys.stdin if stdin is None else stdin
    # Prefer bytes so our own UTF-8 checks apply, as for files.
    raw = getattr(stream, "buffer", stream)
    source: BinaryIO = raw if not isinstance(raw, io.TextIOBase) else io.BufferedReader(_Encoded(raw))
    try:
        magic = source.read(2)
        source = io.BufferedReader(_Prefixed(magic, source))
        if magic == b"\x1f\x8b":
            source = gzip.GzipFile(fileobj=source, mode="rb")  # type: ignore[assignment]
        limit = options.max_bytes
        head = source.read(limit + 1)
        if len(head) <= limit:
            yield from _sniffed(decode(head), "-", options)
            return
        # More than one article can hold: only JSON Lines, streamed with its per-line cap.
        first = head[: head.find(b"\n")] if b"\n" in head else b""
        record = jsonl_object(first.decode("utf-8", errors="replace")) if first.strip() else None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise Reject(oversized(options.max_chars))
        yield from stream_jsonl(io.BufferedReader(_Prefixed(head, source)), "-", options)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise Reject(f"corrupt gzip: {exc}") from None
    except OSError as exc:
        raise Reject(os_reason(exc)) from None


def read_unknown(path: str, options: Options) -> Iterator[Result]:
    # Named explicitly with an unknown extension: the user wants it read,
    # so sniff it like stdin rather than refuse it.
    yield from _sniffed(decode(read_bytes(path, options.max_chars)), path, options)


def _sniffed(text: str, where: str, options: Options) -> Iterator[Result]:
    # JSONL only if every non-empty line is an article object, so prose that
    # merely contains a JSON-looking line stays prose.
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    records = [jsonl_object(line) for _, line in lines]
    if records and all(isinstance(r, dict) and isinstance(r.get("text"), str) for r in records):
        for (lineno, _), record in zip(lines, records, strict=True):
            yield jsonl_article(record, f"{where}:{lineno}", where, options.fallback, options.max_chars)
    else:
        yield wire_or_plain(text, where, options.fallback, options.max_chars)
