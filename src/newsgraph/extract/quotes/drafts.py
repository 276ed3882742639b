"""What every quote rule works on: the parsed article, and the draft quote it builds."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from newsgraph.extract.entities import EntityDraft
from newsgraph.extract.quotes.marks import Marked

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


class Parsed:
    """The parsed article, with lookups from a character to its token and its credit line."""

    def __init__(self, doc: Doc, credit_lines: list[tuple[int, int]]) -> None:
        self.doc = doc
        # spaCy joins the tokens again on every `doc.text`; the rules read it often.
        self.text = doc.text
        self.credit_lines = credit_lines
        self._token_starts = [t.idx for t in doc]

    def token_at(self, char: int) -> Token | None:
        i = bisect_right(self._token_starts, char) - 1
        if i < 0:
            return None
        return self.doc[i]

    @cached_property
    def _sentences(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.doc.sents]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self._sentences]

    def sentence_of(self, token: Token) -> tuple[int, int]:
        """The token span (start, end) of the sentence `token` is in: `token.sent`, looked up.

        Token.sent walks the doc to the sentence's edges on every call: quadratic in a
        "sentence" of thousands of quotes. The edges found once and bisected are not.
        """
        return self._sentences[bisect_right(self._sentence_starts, token.i) - 1]

    def in_credit(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.credit_lines)


@dataclass
class Draft:
    """A quote before its speaker is resolved; spans are (start, end) characters.

    `content` runs from the first word said to the last; where an attribution
    cuts a quotation (“A,” she said. “B.”) `pieces` are the stretches that
    were said (empty: the content is one piece). Each piece becomes a
    statement of its own with the same speaker and cue, so that no statement
    contains its attribution; PolNeAR annotates the same thing as one
    attribution whose content has several pieces.
    `continues` is the draft of the previous paragraph when this one is a
    quotation standing alone after it: it takes that draft's speaker.
    `speaker_via` says how the speaker was found (record.Quote.speaker_via).
    """

    type: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker_token: Token | None
    confidence: float
    marks: list[Marked] = field(default_factory=list)
    speaker_entity: EntityDraft | None = None
    speaker_mention: tuple[int, int] | None = None
    speaker_title: str | None = None
    pieces: list[tuple[int, int]] = field(default_factory=list)
    continues: Draft | None = None
    speaker_via: str | None = None

    def extend(self, piece: tuple[int, int]) -> None:
        """Another piece of the same quotation, after an attribution that cut it."""
        self.pieces = [*self.said(), piece]
        self.content = (self.content[0], max(self.content[1], piece[1]))

    def said(self) -> list[tuple[int, int]]:
        """The content's pieces; a quotation no attribution cuts is one piece."""
        return self.pieces or [self.content]
