"""Reuters-21578 SGML (`.sgm`): one article a `<REUTERS>` wire with a body; item i is wire i."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.read.common import MAX_TEXT_CHARS, Options, Reject, Result, read_bytes

_WIRE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("DATE", "TITLE", "BODY")}
_NEWID = re.compile(r'NEWID="(\d+)"')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _text(path: str, max_chars: int) -> str:
    # The collection is Latin-1; every byte decodes, so there is no UTF-8 check.
    return read_bytes(path, max_chars).decode("latin-1")


def read_sgml(path: str, options: Options) -> Iterator[Result]:
    text = _text(path, options.max_chars)
    first, stop = options.item_range()
    seen = 0
    for number, block in enumerate(_WIRE.finditer(text)):
        seen += 1
        if number < first:
            continue
        if stop is not None and number >= stop:
            break
        attrs, inner = block.group(1), block.group(2)
        body = _FIELD["BODY"].search(inner)
        if body is None:
            continue  # a headline-only brief is not an article
        # The closing "Reuter" sign-off and the SGML end-of-text byte are markup.
        content = _CONTROL.sub("", html.unescape(body.group(1)))
        content = re.sub(r"\s*Reuter\s*$", "", content.strip()).strip()
        where = f"{path}:{number + 1}"
        if not content:
            yield Failure(where, "empty")
            continue
        day = None
        if found := _FIELD["DATE"].search(inner):
            try:
                day = datetime.strptime(found.group(1).split()[0], "%d-%b-%Y").date().isoformat()
            except ValueError:
                day = None
        found_title = _FIELD["TITLE"].search(inner)
        title = _CONTROL.sub("", html.unescape(found_title.group(1))).strip() if found_title else ""
        newid = _NEWID.search(attrs)
        yield Article(
            text=content,
            id=f"reuters-{newid.group(1)}" if newid else "",
            path=path,
            date=day or options.fallback,
            title=title or None,
            source="Reuters",
            origin=where,
        )
    if seen == 0:
        raise Reject("no <REUTERS> wires")


def count_wires(path: str) -> int:
    return len(_WIRE.findall(_text(path, MAX_TEXT_CHARS)))
