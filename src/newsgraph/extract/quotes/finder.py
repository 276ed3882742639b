"""The quote stage: direct, indirect and mixed quotes assembled, with speakers and confidences."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsgraph.extract.coref import Discourse
from newsgraph.extract.entities import EntityTable
from newsgraph.extract.quotes.confidence import CONFIDENCE
from newsgraph.extract.quotes.content import absorb_direct, outermost
from newsgraph.extract.quotes.direct import direct_drafts
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.extract.quotes.indirect import indirect_drafts
from newsgraph.extract.quotes.marks import scan_quote_marks
from newsgraph.extract.quotes.speakers import Speakers
from newsgraph.extract.quotes.transcripts import transcript_turns
from newsgraph.lexicon import PERSON_PRONOUNS
from newsgraph.record import Quote, Role, Span, span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# A first line longer than this is a sentence, not a headline.
_HEADLINE_WORDS = 15
# An attribution longer than this is no parenthetical inside one quotation.
_ATTRIBUTION_CHARS = 200
_AROUND = ' \t\r\n,;:"“”«»'
# A sentence ends at the end of the line or inside a quotation: no headline.
_SENTENCE_END = re.compile(r"[.!?;:,]$|[.!?][\"”’']")


class QuoteFinder:
    """The quotes of one parsed article, given its entities, roles, discourse and credit lines."""

    def __init__(
        self,
        doc: Doc,
        table: EntityTable,
        roles: list[Role],
        discourse: Discourse,
        credit_lines: list[tuple[int, int]],
        as_of: str | None,
    ) -> None:
        self.parsed = Parsed(doc, credit_lines)
        self.speakers = Speakers(self.parsed, table, roles, discourse, as_of)

    @property
    def inferred_roles(self) -> list[Role]:
        """Titles learnt from title-only speakers while `run` resolved them."""
        return self.speakers.inferred_roles

    def run(self) -> list[Quote]:
        text = self.parsed.text
        direct = direct_drafts(self.parsed, scan_quote_marks(text))
        direct_inner = [(m.inner_start, m.inner_end) for d in direct for m in d.marks]
        direct_whole = [(d.marks[0].open, d.marks[-1].close) for d in direct]
        indirect = [
            d
            for d in outermost(indirect_drafts(self.parsed, direct_inner))
            # "..., I would like to thank them,” said X": the parser's clause
            # is the quote's last sentence; the direct quote already has it.
            if not any(s <= d.content[0] < e for s, e in direct_inner)
            and not any(s < d.content[0] and d.content[1] <= e for s, e in direct_whole)
        ]
        merged = absorb_direct(indirect, direct)
        # A transcript turn ("PENCE: ...") is one statement; what the parser
        # found inside it would split it.
        turns = transcript_turns(self.parsed, self.speakers)
        merged = [
            d
            for d in merged
            if not any(
                t.speaker_mention[0] <= d.content[1] and d.content[0] < t.content[1]
                for t in turns
                if t.speaker_mention
            )
        ]
        merged.extend(turns)
        # A headline is no statement: "Labour plans maternity pay rise" is the
        # story's title, and the story says it again with its source.
        headline = headline_end(text)
        merged = [d for d in merged if d.content[0] >= headline]
        merged.sort(key=lambda d: d.content[0])
        _follow_absorbed(merged)
        for draft in merged:
            if draft.continues is not None:
                _continue_speaker(draft, draft.continues)
            else:
                self.speakers.resolve(draft)
        quotes: list[Quote] = []
        for draft in merged:
            if draft.speaker_entity is not None:
                # a title learnt later in the article held at the same date
                draft.speaker_title = self.speakers.title_of(draft.speaker_entity)
            confidence = draft.confidence
            if draft.speaker_entity is None:
                confidence *= CONFIDENCE.no_speaker
            elif draft.speaker_token is not None and draft.speaker_token.lower_ in PERSON_PRONOUNS:
                confidence *= CONFIDENCE.pronoun_speaker
            for piece in _without_attribution(text, draft):
                quote: Quote = {
                    "id": f"q{len(quotes) + 1}",
                    "type": draft.type,  # type: ignore[typeddict-item]
                    "content": span(text, *piece),
                    "cue": span(text, *draft.cue) if draft.cue else None,
                    "speaker": draft.speaker_entity.id if draft.speaker_entity else None,
                    "speaker_mention": _span_or_none(text, draft.speaker_mention),
                    "speaker_title": draft.speaker_title,
                    "confidence": round(min(max(confidence, 0.0), 1.0), 3),
                }
                if draft.speaker_entity is not None and draft.speaker_via is not None:
                    quote["speaker_via"] = draft.speaker_via  # type: ignore[typeddict-item]
                quotes.append(quote)
        return quotes


def headline_end(text: str) -> int:
    """Where the headline ends, when the article opens with one; else 0.

    A headline is a short first line, a paragraph of its own, without the
    full stop that ends a sentence ("Labour plans maternity pay rise"). A
    quoted sentence in it (“... president.” ― a signature) makes it a quote.
    """
    end = text.find("\n")
    if end < 0:
        return 0
    line = text[:end].strip()
    words = line.split()
    if not words or len(words) > _HEADLINE_WORDS or _SENTENCE_END.search(line.rstrip("\"”’'")):
        return 0
    return end


def _without_attribution(text: str, draft: Draft) -> list[tuple[int, int]]:
    """The draft's pieces, each cut around its own attribution where it holds it.

    “That,” he added, “promises to make life harder”: the parser reads one
    clause around the parenthetical cue, but what was said is in the marks.
    An indirect quote keeps its parenthetical cue ("But, he said, officials
    should be vigilant"): PolNeAR's content runs through it, and nothing
    marks what was said.
    """
    if not draft.marks or draft.cue is None:
        return draft.said()
    attribution = [draft.cue, *([draft.speaker_mention] if draft.speaker_mention else [])]
    start, end = min(s for s, _ in attribution), max(e for _, e in attribution)
    pieces = []
    for piece in draft.said():
        if piece[0] < start and end < piece[1] and end - start < _ATTRIBUTION_CHARS:
            pieces.extend(
                p for p in (_bare(text, piece[0], start), _bare(text, end, piece[1])) if p[1] > p[0]
            )
        else:
            pieces.append(piece)
    return pieces


def _bare(text: str, start: int, end: int) -> tuple[int, int]:
    """A piece without the punctuation, spaces and quote marks around it."""
    while start < end and (text[start] in _AROUND or text.startswith(("''", "``"), start)):
        start += 2 if text.startswith(("''", "``"), start) else 1
    while end > start and (text[end - 1] in _AROUND or text.startswith("''", end - 2)):
        end -= 2 if text.startswith("''", end - 2) and end - 2 >= start else 1
    return start, end


def _follow_absorbed(drafts: list[Draft]) -> None:
    """A quotation continuing a quote that a reported clause took in continues that clause."""
    owner = {id(mark): draft for draft in drafts for mark in draft.marks}
    kept = {id(draft) for draft in drafts}
    for draft in drafts:
        previous = draft.continues
        if previous is not None and id(previous) not in kept:
            draft.continues = owner.get(id(previous.marks[0])) if previous.marks else None


def _continue_speaker(draft: Draft, previous: Draft) -> None:
    """A paragraph that only quotes goes on with the speaker of the quote before it."""
    draft.speaker_entity = previous.speaker_entity
    draft.speaker_mention = previous.speaker_mention
    draft.speaker_title = previous.speaker_title
    draft.speaker_via = "continuation" if previous.speaker_entity is not None else None


def _span_or_none(text: str, pair: tuple[int, int] | None) -> Span | None:
    return span(text, *pair) if pair else None
