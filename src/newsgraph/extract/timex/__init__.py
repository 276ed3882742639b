"""TimeML TIMEX3 time expressions for English news, rule-based.

`find_times(doc, anchor)` finds DATE / TIME / DURATION / SET expressions and
normalises them to TIMEX3 values against the article date (`anchor`), in the
spirit of HeidelTime and the TempEval-3 (TBAQ) annotation conventions:

* spans exclude leading prepositions ("in", "over", "for") but keep
  determiners and modifiers that TBAQ keeps ("the past five years",
  "early next year", "about two years", "the third quarter");
* a bare weekday, month or day-of-month is resolved by the tense of its
  governing verb: past -> previous occurrence, future ("will", "going to",
  infinitives) -> next occurrence, otherwise the nearest weekday / the
  anchor's year;
* ranges ("five to six months") take the lower bound ("P5M"), as TBAQ does
  ("two to three weeks" = "P2W");
* counted decades/centuries become years ("two decades" = "P20Y", as in
  TBAQ) while uncounted ones keep TimeML units ("decades" = "PXDE");
* with `anchor=None` anchor-relative values are underspecified TimeML forms
  ("XXXX-01", "XXXX-WXX-1", "XXXX-XX-XX"), PRESENT_REF/PAST_REF/FUTURE_REF
  are unchanged.

The package: `resources` (word lists from `lexicon/data/timex_*.txt` and the
regexes generated from them), `rules` (each pattern with a name and its
handler), `points` and `periods` (the handlers), `normalise` (anchor
arithmetic), `context` (what a handler may read: text, parse, anchor).
Everything module-level is immutable; `explain_times` tells which rule
produced each expression.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from newsgraph.extract.timex.context import Ctx
from newsgraph.extract.timex.rules import RULES

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["RULES", "Timex", "explain_times", "find_times"]

Timex = dict[str, int | str]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and trailing sentence punctuation a pattern swallowed."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def explain_times(doc: Doc, anchor: dt.date | None) -> list[tuple[Timex, str]]:
    """What `find_times` finds, each with the name of the rule that produced it."""
    text = doc.text
    if not text:
        return []
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    ctx = Ctx(text, doc, anchor, [t.idx for t in doc])
    candidates: list[tuple[int, int, int, str, str]] = []
    for rank, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            try:
                result = rule.handler(m, ctx)
            except (ValueError, OverflowError):
                continue  # impossible dates ("Feb. 30"), dates out of range: skip the match
            if result is None:
                continue
            start, end = _trim(text, result[2] if len(result) == 3 else m.start(), m.end())
            if start < end:
                candidates.append((start, end, rank, result[0], result[1]))

    # Longest first, then rule priority; a bytearray marks taken characters so
    # the whole selection is linear in the text length.
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = bytearray(len(text))
    chosen: list[tuple[int, int, int, str, str]] = []
    for start, end, rank, typ, value in candidates:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, rank, typ, value))
    chosen.sort()
    return [
        ({"start": s, "end": e, "text": text[s:e], "type": typ, "value": value}, RULES[rank].name)
        for s, e, rank, typ, value in chosen
    ]


def find_times(doc: Doc, anchor: dt.date | None) -> list[Timex]:
    """TIMEX3 time expressions in `doc`, sorted and non-overlapping.

    Each is {"start", "end", "text", "type", "value"} with character offsets
    into `doc.text` (end exclusive). `anchor` is the document creation date.
    """
    return [timex for timex, _rule in explain_times(doc, anchor)]
