"""Direct quotes: text in quote marks with the cue before or after it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsgraph.extract.quotes.confidence import CONFIDENCE
from newsgraph.extract.quotes.content import looks_like_title, trimmed
from newsgraph.extract.quotes.cues import cue_after, cue_before, cue_span, subject_of
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.extract.quotes.marks import Marked, is_quote_mark
from newsgraph.extract.quotes.transcripts import starts_turn
from newsgraph.lexicon import AFTER_QUOTE_VERBS, REPORTING_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Token

# Shorter quotes without a cue are scare quotes and names, not statements.
_MIN_DIRECT_WORDS = 4
# A quotation right after these names a work or a thing ("a report titled “...”",
# "the so-called “reforms”", "a plan dubbed “...”"): nothing anybody said.
_NAMING = re.compile(
    r"\b(?P<word>titled|entitled|dubbed|headlined|so-called|called|named|nicknamed)[ \t]*,?[ \t]*$", re.I
)
# ... unless somebody does the calling: "what Mr. Hedge called “...”", "Trump called it “...”".
_CALLING = frozenset({"called", "named", "nicknamed"})
# How far after a quote its attribution may end, over a long apposition.
_ATTRIBUTION_TOKENS = 60
# How the first half of a quotation cut by its attribution ends, inside its marks.
_PIECE_ENDS = frozenset(",.?!…:;—–-")
# The signature may stand on the line after the quote.
_SIGNATURE = re.compile(
    r"[^\S\n]*\n?[^\S\n]*(?P<dash>―|—|--)[^\S\n]*"
    r"(?P<name>[A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,3})[^\S\n]*$",
    re.MULTILINE,
)


def direct_drafts(parsed: Parsed, marks: list[Marked]) -> list[Draft]:
    text = parsed.text
    drafts = []
    previous: Draft | None = None
    for mark in marks:
        if parsed.in_credit(mark.open):
            continue
        start, end = trimmed(text, mark.inner_start, mark.inner_end)
        if end <= start:
            continue
        if starts_turn(text, mark.open):
            continue  # a transcript line; see transcripts
        words = len(text[start:end].split())
        if looks_like_title(text[start:end]):
            continue  # “The Steve Harvey Morning Show”, MSNBC's “Morning Joe”
        if _names_a_thing(parsed, mark):
            continue
        previous_cue = previous.cue if previous is not None else None
        continued: Draft | None = None
        cue, speaker = cue_after(parsed, mark)
        if cue is None:
            cue, speaker = _attribution_after(parsed, mark)
        if cue is None and (signed := _SIGNATURE.match(text, mark.close)):
            # “...” ― Francisco Herrero: a quote signed at the end of its line.
            cue = signed.span("dash")
            speaker = parsed.token_at(signed.end("name") - 1)
        if cue is None:
            before = cue_before(parsed, mark) or _cue_above(parsed, mark)
            if before is not None:
                cue, speaker = before
        if speaker is not None and mark.open <= speaker.idx < mark.close:
            speaker = None  # the parser took words of the quote for its subject
        if (cue is None or cue == previous_cue) and previous is not None and _continues(text, previous, mark):
            # “A,” she said. “B.” is one quotation cut by its attribution: another piece of it.
            previous.extend((start, end))
            previous.marks.append(mark)
            continue
        if cue is not None:
            if words < 2:
                continue
            confidence = CONFIDENCE.direct_with_cue
        elif words < _MIN_DIRECT_WORDS:
            continue
        elif previous is not None and _alone_in_paragraph(text, mark) and _adjacent(text, previous, mark):
            # A quote standing as its own paragraph right after another
            # quote continues it: same speaker, reported by the same cue
            # (PolNeAR makes it a further piece of the same attribution).
            continued = previous
            cue = previous.cue if not __import__("os").environ.get("H10_NOCUE") else None
            confidence = CONFIDENCE.direct_continuing
        else:
            confidence = CONFIDENCE.direct_without_cue
        if not mark.closed:
            confidence *= CONFIDENCE.unclosed
        draft = Draft("direct", (start, end), cue, speaker, confidence, [mark], continues=continued)
        drafts.append(draft)
        previous = draft
    return drafts


def _names_a_thing(parsed: Parsed, mark: Marked) -> bool:
    """Is the quotation a name ("a website called “...”", "a memo titled “...”", "so-called “...”")?"""
    naming = _NAMING.search(parsed.text, max(0, mark.open - 30), mark.open)
    if naming is None:
        return False
    if naming.group("word").lower() not in _CALLING:
        return True
    verb = parsed.token_at(naming.start("word"))
    return verb is None or subject_of(verb) is None


def _attribution_after(parsed: Parsed, mark: Marked) -> tuple[tuple[int, int] | None, Token | None]:
    """The attribution right after a quote that the parser did not keep in its sentence.

    “How many times ...?” Clinton said. — the question mark ended the
    sentence; ''...,'' Leonard E. Burman, director of ... and a professor at
    ..., said of the plan — the subject is longer than `cue_after` looks. Only
    a reporting verb whose subject starts right after the quote, and which
    reports nothing after it (no clause or object of its own), is the quote's cue.
    """
    doc = parsed.doc
    close = parsed.token_at(mark.close - 1)
    if close is None:
        return None, None
    for token in doc[close.i + 1 : min(len(doc), close.i + _ATTRIBUTION_TOKENS)]:
        if is_quote_mark(token.text) or token.text in {"''", "``"} or "\n" in token.text_with_ws:
            break
        if token.pos_ not in {"VERB", "AUX"} or token.lemma_ not in REPORTING_VERBS | AFTER_QUOTE_VERBS:
            continue
        subject = subject_of(token)
        if (
            subject is not None
            and subject.i < token.i
            and close.i < subject.left_edge.i <= close.i + 2
            and not any(c.dep_ in {"ccomp", "xcomp", "dobj"} and c.i > token.i for c in token.children)
        ):
            return cue_span(doc, token), subject
        break
    return None, None


def _cue_above(parsed: Parsed, mark: Marked) -> tuple[tuple[int, int], Token | None] | None:
    """ "Caddell continued:" ending the paragraph before a quotation that stands alone."""
    text, doc = parsed.text, parsed.doc
    j = mark.open - 1
    while j >= 0 and text[j] in " \t\r\n":
        j -= 1
    colon = parsed.token_at(j) if j >= 0 and text[j] == ":" and "\n" in text[j : mark.open] else None
    if colon is None:
        return None
    sentence_start, _ = parsed.sentence_of(colon)
    for token in reversed(doc[sentence_start : colon.i]):
        if token.pos_ in {"VERB", "AUX"} and (
            token.lemma_ in REPORTING_VERBS or token.lemma_ in AFTER_QUOTE_VERBS
        ):
            return cue_span(doc, token), subject_of(token)
    return None


def _continues(text: str, previous: Draft, mark: Marked) -> bool:
    """Is `mark` the second half of a quote split by its own cue?

    The first half ends on punctuation inside its marks (“A,” she said. “B.”);
    quoted words inside a sentence (“some people” who feel that way, “but
    ...”) are pieces of the sentence around them, not of one quotation.
    """
    last = previous.marks[-1]
    if previous.cue is None or previous.cue[0] < last.close:
        return False
    # a quotation inside it may close with it: “... of those 5,000 people,’”
    if text[last.inner_start : last.inner_end].rstrip().rstrip("’'").rstrip()[-1:] not in _PIECE_ENDS:
        return False
    # the attribution between the halves ends on punctuation too ("he said." / "he told the host,");
    # "telling Fox 35 that the group is focused on “...”" is a statement of its own
    between = text[last.close : mark.open]
    return (
        "\n" not in between
        and len(between) < 200
        and previous.cue[1] <= mark.open
        and between.rstrip()[-1:] in _PIECE_ENDS
    )


def _alone_in_paragraph(text: str, mark: Marked) -> bool:
    line_start = text.rfind("\n", 0, mark.open) + 1
    line_end = text.find("\n", mark.close)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start : mark.open].strip() and not text[mark.close : line_end].strip()


def _adjacent(text: str, previous: Draft, mark: Marked) -> bool:
    between = text[previous.marks[-1].close : mark.open]
    return between.count("\n") <= 4 and len(between.strip()) < 120
