"""Direct quotes: text in quote marks with the cue before or after it."""

from __future__ import annotations

import re

from newsgraph.extract.quotes.confidence import CONFIDENCE
from newsgraph.extract.quotes.content import looks_like_title, trimmed
from newsgraph.extract.quotes.cues import cue_after, cue_before
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.extract.quotes.marks import Marked
from newsgraph.extract.quotes.transcripts import starts_turn

# Shorter quotes without a cue are scare quotes and names, not statements.
_MIN_DIRECT_WORDS = 4
_SIGNATURE = re.compile(
    r"[ \t]*(?P<dash>―|—|--)[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*$", re.MULTILINE
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
        previous_cue = previous.cue if previous is not None else None
        cue, speaker = cue_after(parsed, mark)
        if cue is None and (signed := _SIGNATURE.match(text, mark.close)):
            # “...” ― Francisco Herrero: a quote signed at the end of its line.
            cue = signed.span("dash")
            speaker = parsed.token_at(signed.end("name") - 1)
        if cue is None:
            before = cue_before(parsed, mark)
            if before is not None:
                cue, speaker = before
        if (cue is None or cue == previous_cue) and previous is not None and _continues(text, previous, mark):
            # “A,” she said. “B.” is one statement cut by its cue.
            previous.content = (previous.content[0], end)
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
            # quote continues the previous speaker.
            speaker = previous.speaker_token
            confidence = CONFIDENCE.direct_continuing
        else:
            confidence = CONFIDENCE.direct_without_cue
        if not mark.closed:
            confidence *= CONFIDENCE.unclosed
        draft = Draft("direct", (start, end), cue, speaker, confidence, [mark])
        drafts.append(draft)
        previous = draft
    return drafts


def _continues(text: str, previous: Draft, mark: Marked) -> bool:
    """Is `mark` the second half of a quote split by its own cue?"""
    if previous.cue is None or previous.cue[0] < previous.marks[-1].close:
        return False
    between = text[previous.marks[-1].close : mark.open]
    return "\n" not in between and len(between) < 200 and previous.cue[1] <= mark.open


def _alone_in_paragraph(text: str, mark: Marked) -> bool:
    line_start = text.rfind("\n", 0, mark.open) + 1
    line_end = text.find("\n", mark.close)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start : mark.open].strip() and not text[mark.close : line_end].strip()


def _adjacent(text: str, previous: Draft, mark: Marked) -> bool:
    between = text[previous.marks[-1].close : mark.open]
    return between.count("\n") <= 4 and len(between.strip()) < 120
