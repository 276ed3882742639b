"""WARC archives: the HTML responses of a crawl, one article a page; item i is record i."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from newsgraph.errors import Failure
from newsgraph.read.common import Options, Reject, Result, normalise_date, open_regular, oversized
from newsgraph.read.html import from_html

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str, options: Options) -> Iterator[Result]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    first, stop = options.item_range()
    seen = given = 0
    with open_regular(path) as fh:
        try:
            for number, record in enumerate(ArchiveIterator(fh)):
                seen += 1
                if number < first:
                    continue
                if stop is not None and number >= stop:
                    break
                page = _warc_page(record, f"{path}:{number + 1}", path, options)
                if page is not None:
                    given += 1
                    yield page
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
            yield Failure(path, f"invalid WARC: {exc}")
            return
    if seen == 0:
        raise Reject("empty")
    if given == 0 and (first, stop) == (0, None):
        # Every input says what became of it: a file of requests, metadata or non-HTML
        # responses (or whitespace warcio reads as a record) gives no article.
        raise Reject("no HTML page: the WARC holds no HTML response record")


def _warc_page(record: Any, where: str, path: str, options: Options) -> Result | None:
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
        raw = record.content_stream().read(options.max_bytes + 1)
    except Exception as exc:  # a broken chunked or compressed body spoils only this page
        return Failure(where, f"unreadable payload: {type(exc).__name__}: {exc}")
    if len(raw) > options.max_bytes:
        return Failure(where, oversized(options.max_chars))
    try:
        page = raw.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        return Failure(where, f"not valid {charset}: {exc}")
    # The page's own publication date wins; the crawl date is the next best guess.
    crawled = normalise_date(record.rec_headers.get_header("WARC-Date"))
    try:
        article = from_html(page, path, crawled or options.fallback, options.max_chars)
    except Reject as exc:
        return Failure(where, str(exc))
    target = record.rec_headers.get_header("WARC-Target-URI")
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    meta = {**article.meta, **({"warc_record_id": record_id} if record_id else {})}
    return replace(article, url=article.url or target, meta=meta, origin=where)


def count_records(path: str) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with open_regular(path) as fh:
        return sum(1 for _ in ArchiveIterator(fh))
