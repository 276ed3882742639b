"""Plain text and wire text: a `.txt` file is one article, its ` date YYYY-MM-DD ` header removed,
its first line the title when it is a headline."""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsgraph.article import Article
from newsgraph.read.common import (
    MAX_TEXT_CHARS,
    Options,
    Result,
    check_body,
    decode,
    normalise_date,
    read_bytes,
)
from newsgraph.read.headline import headline

_WIRE_HEADER = re.compile(r" date ([0-9]{4}-[0-9]{2}-[0-9]{2}) ")


def parse_wire(text: str) -> tuple[str | None, str]:
    """Split the ` date YYYY-MM-DD ` wire header off `text`: (date, body).

    Exactly the header is removed; text without a valid header comes back whole.
    """
    match = _WIRE_HEADER.match(text)
    if match is None or normalise_date(match.group(1)) is None:
        return None, text
    return match.group(1), text[match.end() :]


def wire_or_plain(text: str, path: str, fallback: str | None, max_chars: int = MAX_TEXT_CHARS) -> Article:
    day, body = parse_wire(text)
    check_body(body, max_chars)
    # The headline stays in the text: every offset indexes the body as read.
    title = headline(body)
    guessed = frozenset({"title"}) if title else frozenset()
    return Article(text=body, path=path, date=day or fallback, title=title, inferred=guessed)


def read_plain(path: str, options: Options) -> Iterator[Result]:
    yield wire_or_plain(
        decode(read_bytes(path, options.max_chars)), path, options.fallback, options.max_chars
    )
