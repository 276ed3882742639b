"""TimeML (`.tml`): one article a document, title and text; its gold TIMEX3 spans for evaluation."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import name2codepoint
from pathlib import Path
from typing import Any

from newsgraph.article import Article
from newsgraph.read.common import Options, Reject, Result, check_body, decode, normalise_date, read_bytes


def timeml_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold TIMEX3 spans of a TimeML file as offsets into the body `read_file` yields.

    The document-creation-time TIMEX3 is excluded (it is not in the body).
    Each span: start, end, text, type, value, tid. Raises ValueError or OSError
    when the file cannot be read, unlike the streaming readers.
    """
    name = str(path)
    try:
        text = decode(read_bytes(name))
        doc = _parse_timeml(text)
    except Reject as exc:
        raise ValueError(f"{name}: {exc}") from None
    return [dict(span) for span in doc.spans]


def read_timeml(path: str, options: Options) -> Iterator[Result]:
    doc = _parse_timeml(decode(read_bytes(path, options.max_chars)))
    check_body(doc.body, options.max_chars)
    yield Article(
        text=doc.body,
        id=doc.docid or "",
        path=path,
        date=doc.date or options.fallback,
        title=doc.title,
    )


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
        raise Reject(f"invalid TimeML XML: {exc}") from None


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
            day = normalise_date(timex.get("value"))
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
