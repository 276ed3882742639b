"""Who "he", "she" and "the State Counselor" are: salience over the discourse.

News prose keeps its current speaker as the subject of consecutive
sentences, so a pronoun refers to the latest person in subject position,
first within its own sentence, then in the sentences just before it. People
named inside direct quotes and in credit lines are not discourse referents.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsgraph.extract.entities import EntityDraft, EntityTable
from newsgraph.lexicon import PERSON_PRONOUNS, PRONOUNS_FEMALE, PRONOUNS_MALE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependency labels of a clause's subject.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_LOOKBACK_SENTENCES = 4


@dataclass
class _Event:
    token: int
    sentence: int
    entity: EntityDraft
    subject: bool


class Discourse:
    """Resolves pronouns in document order; each resolution feeds later ones."""

    def __init__(self, doc: Doc, table: EntityTable, blocked: list[tuple[int, int]]) -> None:
        self.doc = doc
        self._blocked = sorted(blocked)
        self._events: list[_Event] = []
        self.pronouns: dict[int, EntityDraft] = {}
        sentence_of: dict[int, int] = {}
        for number, sentence in enumerate(doc.sents):
            for token in sentence:
                sentence_of[token.i] = number
        self._sentence_of = sentence_of
        for token in doc:
            if self.is_blocked(token.idx):
                continue
            entity = table.token_entity.get(token.i)
            if entity is not None and entity.type == "PERSON":
                self._record(token, entity)
            elif token.lower_ in PERSON_PRONOUNS:
                target = self.antecedent(token)
                if target is not None:
                    self.pronouns[token.i] = target
                    target.add(token.idx, token.idx + len(token), "pronoun")
                    self._record(token, target)

    def is_blocked(self, char: int) -> bool:
        i = bisect_left(self._blocked, (char + 1, -1)) - 1
        return i >= 0 and self._blocked[i][0] <= char < self._blocked[i][1]

    def _record(self, token: Token, entity: EntityDraft) -> None:
        subject = token.dep_ in SUBJECT_DEPS
        last = self._events[-1] if self._events else None
        if last is not None and last.entity is entity and last.token == token.i - 1:
            last.token = token.i
            last.subject = last.subject or subject
            return
        self._events.append(_Event(token.i, self._sentence_of[token.i], entity, subject))

    def antecedent(self, token: Token) -> EntityDraft | None:
        """The most salient person before `token`."""
        sentence = self._sentence_of.get(token.i, 0)
        # "she" is never the "Mr Blair" or "Tony Blair" of the sentence before.
        gender = (
            "male" if token.lower_ in PRONOUNS_MALE else "female" if token.lower_ in PRONOUNS_FEMALE else None
        )
        earlier = [
            e
            for e in self._events
            if e.token < token.i and (gender is None or e.entity.likely_gender() in {None, gender})
        ]
        if not earlier:
            return None
        same = [e for e in earlier if e.sentence == sentence]
        subjects = [e for e in same if e.subject]
        if subjects:
            return subjects[-1].entity
        for back in range(1, _LOOKBACK_SENTENCES + 1):
            subjects = [e for e in earlier if e.sentence == sentence - back and e.subject]
            if subjects:
                return subjects[-1].entity
        if same:
            return same[-1].entity
        recent = [e for e in earlier if e.sentence >= sentence - _LOOKBACK_SENTENCES]
        return recent[-1].entity if recent else None

    def note_speaker(self, token: Token, entity: EntityDraft) -> None:
        """A resolved speaker is as salient as a named subject."""
        insort(
            self._events,
            _Event(token.i, self._sentence_of.get(token.i, 0), entity, True),
            key=lambda e: e.token,
        )
