"""What was said: content spans, clauses without their asides, and mixed quotes."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from newsgraph.extract.quotes.confidence import CONFIDENCE
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.lexicon import CONCESSIONS, TITLE_CASE_SMALL_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_TRIM = " \t\r\n,;:"
# An indirect quote this much in quote marks is a direct quote with its cue.
_MIXED_COVER = 0.85


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def without_final_stop(text: str, start: int, end: int, stops: str = ".!?") -> tuple[int, int]:
    """A span trimmed like any content and without the sentence's closing punctuation."""
    start, end = trimmed(text, start, end)
    while end > start and text[end - 1] in stops:
        end -= 1
    return start, end


def looks_like_title(text: str) -> bool:
    """A name in quote marks (a show, a book, a slogan) rather than something said:
    every significant word capitalised and no closing sentence punctuation."""
    words = text.split()
    if not words or len(words) > 12 or text.rstrip()[-1:] in {".", "!", "?", ","}:
        return False
    significant = [w for w in words if w.lower() not in TITLE_CASE_SMALL_WORDS and w[:1].isalpha()]
    return bool(significant) and all(w[:1].isupper() for w in significant)


def clause_span(parsed: Parsed, head: Token) -> tuple[int, int]:
    """A clause without its trailing comma-separated asides.

    "... that paying no income taxes was smart, although he refused ..."
    reports only the part before the comma.
    """
    doc = parsed.doc
    left, right = head.left_edge, head.right_edge
    for child in head.rights:
        before = doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
        # In PolNeAR train, content runs on through ", including ...",
        # ", because ...", ", if ..." and ", while ..." but stops before a
        # participle that starts another statement (", saying ...") and
        # before a concession (", although ...").
        aside = (
            child.dep_ in {"appos", "npadvmod"}
            or (child.dep_ == "advcl" and (child.tag_ == "VBG" or child.left_edge.lower_ in CONCESSIONS))
            or (child.dep_ == "prep" and child.i == child.left_edge.i and child.lower_ == "citing")
        )
        if before is not None and before.text in {",", "—", "–", ";"} and aside and before.i > head.i:
            right = doc[before.i - 1]
            break
    return trimmed(parsed.text, left.idx, right.idx + len(right))


def rest_of_sentence(
    parsed: Parsed, phrase_start: int, phrase_end: int, sentence: Span
) -> tuple[int, int] | None:
    """Content around an "according to X" phrase (token indices): the rest of its sentence."""
    doc = parsed.doc
    first, last = sentence[0], sentence[-1]
    if phrase_start <= first.i + 1:
        start_char = doc[phrase_end].idx if phrase_end < sentence.end else None
        if start_char is None:
            return None
        end_char = last.idx + len(last)
    else:
        start_char = first.idx
        end_char = doc[phrase_start - 1].idx + len(doc[phrase_start - 1])
    start, end = without_final_stop(parsed.text, start_char, end_char, '.!?"”')
    return (start, end) if end > start else None


def outermost(drafts: list[Draft]) -> list[Draft]:
    """Nested reports ("he said she thought that ...") count once, as the outer one."""
    drafts = sorted(drafts, key=lambda d: (d.content[0], -d.content[1]))
    kept: list[Draft] = []
    for draft in drafts:
        if kept and draft.content[0] < kept[-1].content[1]:
            continue
        kept.append(draft)
    return kept


def absorb_direct(indirect: list[Draft], direct: list[Draft]) -> list[Draft]:
    """The indirect quotes, each taking in the direct quotes that start inside its content
    ("said that the plan “will fail”": one quote, mixed), then the direct quotes left over."""
    merged: list[Draft] = []
    absorbed: set[int] = set()
    for draft in indirect:
        start, end = draft.content
        inside = [d for d in direct if start <= d.marks[0].open < end]
        if inside:
            end = max(end, *(d.content[1] for d in inside))
            quoted = sum(p[1] - p[0] for d in inside for p in d.said())
            draft.type = "direct" if quoted >= _MIXED_COVER * (end - start) else "mixed"
            draft.confidence = max(draft.confidence, CONFIDENCE.with_quote_marks)
            draft.marks = [m for d in inside for m in d.marks]
            absorbed.update(id(d) for d in inside)
            # the quote marks themselves are not part of what was said
            if draft.marks[0].open == start:
                start = inside[0].content[0]
            # “A,” Mr. Obama said, “B”: the clause around the quotation is cut
            # where the quotation is, around its attribution.
            gaps = [(a[1], b[0]) for d in inside for a, b in itertools.pairwise(d.said())]
            draft.content = (start, end)
            draft.pieces = []
            for gap_start, gap_end in gaps:
                if draft.said()[-1][0] < gap_start and gap_end < end:
                    *kept, last = draft.said()
                    draft.pieces = [*kept, (last[0], gap_start), (gap_end, end)]
        merged.append(draft)
    merged.extend(d for d in direct if id(d) not in absorbed)
    return merged
