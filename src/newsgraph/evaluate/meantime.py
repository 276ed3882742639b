"""Read NewsReader MEANTIME documents (CAT XML) as text with gold TIMEX3 spans.

CAT XML lists the tokens (`<token t_id sentence number>`) and, under
`<Markables>`, annotations that point at tokens (`<token_anchor t_id>`). It
keeps no whitespace, so the text is rebuilt: one sentence a line (sentence 0
is the headline, sentence 1 the dateline), tokens joined by a space except
before closing punctuation and clitics and after opening brackets and quotes.
A TIMEX3 spans its first to its last anchored token; one without anchors is
not in the text and is not scored.

MEANTIME annotates only the headline, the dateline and the first few
sentences of each article: the text after the last sentence holding any
annotation is read by the systems but not scored, and neither is the
dateline's creation time.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.article import Article
from newsgraph.dates import parse_date

__all__ = ["MeantimeDocument", "detokenize", "parse_meantime", "read_meantime"]

_NO_SPACE_BEFORE = frozenset(
    {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "'", "”", "’", "...",
     "'s", "'S", "’s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
)  # fmt: skip
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "``", "“", "‘", "$", "US$", "CA$", "#"})


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens as readable text, and each token's character offsets in it.

    A straight double quote opens and closes alternately, so it hugs the
    quoted words on both sides.
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    position = 0
    glue_next = False
    open_quote = False
    for token in tokens:
        attach = glue_next or token in _NO_SPACE_BEFORE or (token == '"' and open_quote)
        if parts and not attach:
            parts.append(" ")
            position += 1
        offsets.append((position, position + len(token)))
        parts.append(token)
        position += len(token)
        glue_next = token in _NO_SPACE_AFTER
        if token == '"':
            glue_next = not open_quote
            open_quote = not open_quote
    return "".join(parts), offsets


@dataclass(frozen=True, slots=True)
class MeantimeDocument:
    article: Article
    timexes: tuple[dict[str, Any], ...]  # start, end, text, type, value, tid (DCT excluded)
    # Not scored: where the creation time is written, and the unannotated rest of the text.
    unscored: tuple[tuple[int, int], ...]


def parse_meantime(xml: str | bytes, path: str) -> MeantimeDocument:
    """One CAT XML document. Raises ValueError when it is not one."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"invalid XML: {exc}") from None
    if root.tag != "Document":
        raise ValueError(f"not a CAT document (root element {root.tag!r})")
    sentences: dict[int, list[tuple[int, str, str]]] = {}
    for token in root.iter("token"):
        try:
            sentence, number = int(token.get("sentence", "")), int(token.get("number", ""))
        except ValueError:
            raise ValueError(f"token {token.get('t_id')!r} lacks a sentence or number") from None
        sentences.setdefault(sentence, []).append((number, token.get("t_id", ""), token.text or ""))
    if not sentences:
        raise ValueError("no tokens")

    lines: list[str] = []
    where: dict[str, tuple[int, int]] = {}
    line_end: dict[str, int] = {}
    position = 0
    for sentence in sorted(sentences):
        tokens = sorted(sentences[sentence])
        line, offsets = detokenize([text for _, _, text in tokens])
        for (_, t_id, _), (start, end) in zip(tokens, offsets, strict=True):
            where[t_id] = (position + start, position + end)
            line_end[t_id] = position + len(line)
        lines.append(line)
        position += len(line) + 1
    text = "\n".join(lines)
    markables = root.find("Markables")
    anchored = [
        line_end[a.get("t_id", "")]
        for a in (markables.iter("token_anchor") if markables is not None else ())
        if a.get("t_id") in line_end
    ]
    annotated_until = max(anchored, default=len(text))

    dct: str | None = None
    dct_spans: list[tuple[int, int]] = []
    timexes: list[dict[str, Any]] = []
    for timex in root.iter("TIMEX3"):
        anchors = [where[a.get("t_id", "")] for a in timex.iter("token_anchor") if a.get("t_id") in where]
        hull = (min(s for s, _ in anchors), max(e for _, e in anchors)) if anchors else None
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct = dct or timex.get("value")
            if hull:
                dct_spans.append(hull)
            continue
        if hull is None:
            continue
        timexes.append(
            {
                "start": hull[0],
                "end": hull[1],
                "text": text[hull[0] : hull[1]],
                "type": timex.get("type") or "",
                "value": timex.get("value") or "",
                "tid": timex.get("m_id"),
            }
        )
    timexes.sort(key=lambda t: (t["start"], t["end"]))
    day = parse_date(dct)
    article = Article(
        text=text,
        id=root.get("doc_name") or root.get("doc_id") or Path(path).stem,
        path=path,
        date=day.isoformat() if day else None,
        title=lines[0],
        url=root.get("url"),
    )
    tail = [(annotated_until, len(text))] if annotated_until < len(text) else []
    return MeantimeDocument(article, tuple(timexes), (*dct_spans, *tail))


def read_meantime(path: Path) -> MeantimeDocument:
    """Read and parse one file; OSError or ValueError say why it could not be."""
    return parse_meantime(path.read_bytes(), str(path))
