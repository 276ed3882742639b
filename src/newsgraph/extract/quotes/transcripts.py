"""Interview transcripts: "WALLACE: ..." / "Pence: ..." lines, each a direct quote of its speaker."""

from __future__ import annotations

import re

from newsgraph.extract.quotes.confidence import CONFIDENCE
from newsgraph.extract.quotes.content import trimmed
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.extract.quotes.speakers import Speakers
from newsgraph.lexicon import NOT_SPEAKER_LABELS
from newsgraph.names import plain

_SPEAKER_LABEL = re.compile(
    r"^[ \t]*[\"“]?(?P<label>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]+(?P<body>\S[^\n]*)$",
    re.MULTILINE,
)


def starts_turn(text: str, position: int) -> bool:
    """Does a transcript line ("PENCE: ...") start at `position`?"""
    return _SPEAKER_LABEL.match(text, position) is not None


def transcript_turns(parsed: Parsed, speakers: Speakers) -> list[Draft]:
    text = parsed.text
    drafts = []
    for match in _SPEAKER_LABEL.finditer(text):
        label = match.group("label")
        words = plain(label).split()
        if not words or any(w in NOT_SPEAKER_LABELS for w in words) or parsed.in_credit(match.start()):
            continue
        start, end = trimmed(text, match.start("body"), match.end("body"))
        if len(text[start:end].split()) < 2:
            continue
        colon = text.index(":", match.end("label"))
        draft = Draft("direct", (start, end), (colon, colon + 1), None, CONFIDENCE.transcript_turn)
        draft.speaker_mention = (match.start("label"), match.end("label"))
        draft.speaker_entity = speakers.person_named(words)
        drafts.append(draft)
    return drafts
