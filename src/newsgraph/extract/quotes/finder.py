"""The quote stage: direct, indirect and mixed quotes assembled, with speakers and confidences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.extract.coref import Discourse
from newsgraph.extract.entities import EntityTable
from newsgraph.extract.quotes.confidence import CONFIDENCE
from newsgraph.extract.quotes.content import absorb_direct, outermost
from newsgraph.extract.quotes.direct import direct_drafts
from newsgraph.extract.quotes.drafts import Parsed
from newsgraph.extract.quotes.indirect import indirect_drafts
from newsgraph.extract.quotes.marks import scan_quote_marks
from newsgraph.extract.quotes.speakers import Speakers
from newsgraph.extract.quotes.transcripts import transcript_turns
from newsgraph.lexicon import PERSON_PRONOUNS
from newsgraph.record import Quote, Role, Span, span

if TYPE_CHECKING:
    from spacy.tokens import Doc


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
        merged.sort(key=lambda d: d.content[0])
        for draft in merged:
            self.speakers.resolve(draft)
        quotes: list[Quote] = []
        for number, draft in enumerate(merged, 1):
            if draft.speaker_entity is not None:
                # a title learnt later in the article held at the same date
                draft.speaker_title = self.speakers.title_of(draft.speaker_entity)
            confidence = draft.confidence
            if draft.speaker_entity is None:
                confidence *= CONFIDENCE.no_speaker
            elif draft.speaker_token is not None and draft.speaker_token.lower_ in PERSON_PRONOUNS:
                confidence *= CONFIDENCE.pronoun_speaker
            quotes.append(
                {
                    "id": f"q{number}",
                    "type": draft.type,  # type: ignore[typeddict-item]
                    "content": span(text, *draft.content),
                    "cue": span(text, *draft.cue) if draft.cue else None,
                    "speaker": draft.speaker_entity.id if draft.speaker_entity else None,
                    "speaker_mention": _span_or_none(text, draft.speaker_mention),
                    "speaker_title": draft.speaker_title,
                    "confidence": round(min(max(confidence, 0.0), 1.0), 3),
                }
            )
        return quotes


def _span_or_none(text: str, pair: tuple[int, int] | None) -> Span | None:
    return span(text, *pair) if pair else None
