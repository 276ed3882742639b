"""HTML pages: the article body and metadata trafilatura finds in one page, offline."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.article import Article
from newsgraph.read.common import Options, Reject, Result, check_body, decode, normalise_date, read_bytes


def from_html(page: str, path: str, fallback: str | None, max_chars: int) -> Article:
    try:
        import trafilatura
    except ImportError as exc:
        raise Reject(f"HTML support unavailable: {exc}") from None
    # Offline by construction: bare_extraction parses the given string only.
    doc = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, output_format="python"
    )
    if doc is None:
        raise Reject("empty")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = data.get("text") or ""
    check_body(body, max_chars)
    meta = {key: data[key] for key in ("author", "hostname", "description") if data.get(key)}
    return Article(
        text=body,
        path=path,
        date=normalise_date(data.get("date")) or fallback,
        title=data.get("title") or None,
        source=data.get("sitename") or None,
        url=data.get("url") or None,
        meta=meta,
    )


def read_html(path: str, options: Options) -> Iterator[Result]:
    yield from_html(decode(read_bytes(path, options.max_chars)), path, options.fallback, options.max_chars)
