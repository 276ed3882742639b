"""What a rule may look at beyond its match: the text, the spaCy parse (the tense
of the governing verb, entity labels) and the article's date.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from newsgraph.extract.timex.normalise import add_months, iso, quarter, resolve_weekday
from newsgraph.extract.timex.resources import FUTURE_LEMMAS, FUTURE_MODALS, ORDINALS, QUARTER_ORDINAL_WORD

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


class Ctx(NamedTuple):
    text: str
    doc: Doc
    anchor: dt.date | None
    starts: list[int]  # each token's character offset, for `token_at`


# (type, value), or (type, value, start) when the span starts after the match does
Result = tuple[str, str] | tuple[str, str, int]
Handler = Callable[[re.Match[str], Ctx], Result | None]


def token_at(ctx: Ctx, char: int) -> Token | None:
    i = bisect_right(ctx.starts, char) - 1
    if i < 0 or i >= len(ctx.doc):
        return None
    return ctx.doc[i]


def _verb_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {c.lower_ for c in auxes}
    if lowers & FUTURE_MODALS or verb.lower_ in FUTURE_MODALS:
        return "future"
    if verb.tag_ == "VBN" and verb.lemma_ in FUTURE_LEMMAS:
        # "a summit set for April", "the vote was scheduled for March": the
        # date is what was planned, still ahead at the time of writing.
        return "future"
    if lowers & {"may", "might", "should", "must"}:
        return "future"
    if lowers & {"could", "would", "can", "'d", "’d"}:
        return None
    if "to" in lowers and verb.tag_ == "VB":
        # Infinitives in news are mostly plans: "is scheduled to meet Monday".
        head = verb.head
        if head is not verb and head.tag_ == "VBD" and head.lemma_ not in FUTURE_LEMMAS:
            return "past"
        return "future"
    if verb.tag_ == "VBG" and verb.lower_ == "going":
        return "future"
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if verb.tag_ == "VBN" and lowers & {"has", "have", "'ve", "’ve", "having"}:
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or lowers & {"is", "are", "am", "does", "do"}:
        return "present"
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):
        return "past"
    return None


def tense(ctx: Ctx, char: int) -> str | None:
    """past / present / future of the verb governing the token at `char`, if any is near."""
    tok = token_at(ctx, char)
    if tok is None:
        return None
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            return _verb_tense(tok)
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def weekday_value(ctx: Ctx, start: int, wd: int) -> str:
    if ctx.anchor is None:
        return f"XXXX-WXX-{wd + 1}"
    return iso(resolve_weekday(ctx.anchor, wd, tense(ctx, start)))


def month_ok(raw: str) -> bool:
    """Month names must be capitalised; "may"/"march" are usually not months."""
    return raw[:1].isupper()


_QUARTER_MENTION = re.compile(rf"\b({QUARTER_ORDINAL_WORD})[\s-]+quarter|\bquarter", re.I)


def context_quarter(ctx: Ctx, pos: int) -> int | None:
    """The quarter an earnings story is about, from the text just before `pos`.

    "Net rose to $5 million from $3 million a year ago" compares quarters,
    and TBAQ normalises such "a year ago" to last year's quarter.
    """
    if ctx.anchor is None:
        return None
    last = None
    for last in _QUARTER_MENTION.finditer(ctx.text, max(0, pos - 1000), pos):  # noqa: B007
        pass
    if last is None:
        return None
    if last.group(1):
        return ORDINALS[last.group(1).lower()]
    return quarter(add_months(ctx.anchor, -3)[1])


def year_back(ctx: Ctx, pos: int) -> str:
    """The year before the anchor's; in an earnings story, that year's quarter."""
    assert ctx.anchor is not None
    q = context_quarter(ctx, pos)
    return f"{ctx.anchor.year - 1}-Q{q}" if q else str(ctx.anchor.year - 1)
