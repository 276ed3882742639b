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
    """A quote before its speaker is resolved; spans are (start, end) characters."""

    type: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker_token: Token | None
    confidence: float
    marks: list[Marked] = field(default_factory=list)
    speaker_entity: EntityDraft | None = None
    speaker_mention: tuple[int, int] | None = None
    speaker_title: str | None = None
