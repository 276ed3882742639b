"""Who "he", "she" and "the State Counselor" are: salience over the discourse.

News prose keeps its current speaker as the subject of consecutive
sentences, so a pronoun refers to the latest person in subject position,
first within its own sentence, then in the sentences just before it. People
named inside direct quotes and in credit lines are not discourse referents:
"“... no trust in Tony Blair,” he said" is not Blair talking. "He" and "she"
agree in gender and are people, never an organisation nor a party read as a
person ("Lib Dems").
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsgraph.extract.entities import EntityDraft, EntityTable
from newsgraph.lexicon import GROUP_NOUNS, PARTIES, PERSON_PRONOUNS, PRONOUNS_FEMALE, PRONOUNS_MALE
from newsgraph.names import plain

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependency labels of a clause's subject.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_LOOKBACK_SENTENCES = 4
# How the parser joins the names of a list ("Beckett, Jowell and Kelly"): conjuncts, and a
# second name read as an apposition to the first.
_LIST_DEPS = frozenset({"conj", "appos"})


@dataclass
class _Event:
    token: int
    sentence: int
    entity: EntityDraft
    subject: bool
    # the subject of the sentence's main verb, not of a clause it reports
    main: bool = False


class Discourse:
    """Resolves pronouns in document order; each resolution feeds later ones."""

    def __init__(self, doc: Doc, table: EntityTable, blocked: list[tuple[int, int]]) -> None:
        self.doc = doc
        self._table = table
        self._blocked = sorted(blocked)
        self._events: list[_Event] = []
        self._added: list[tuple[EntityDraft, int, int]] = []
        self.pronouns: dict[int, EntityDraft] = {}
        sentence_of: dict[int, int] = {}
        for number, sentence in enumerate(doc.sents):
            for token in sentence:
                sentence_of[token.i] = number
        self._sentence_of = sentence_of
        self._resolve()

    def _resolve(self) -> None:
        for token in self.doc:
            if self.is_blocked(token.idx):
                continue
            entity = self._table.token_entity.get(token.i)
            if entity is not None and entity.type == "PERSON" and is_animate(entity):
                self._record(token, entity)
            elif token.lower_ in PERSON_PRONOUNS:
                target = self.antecedent(token)
                if target is not None:
                    self.pronouns[token.i] = target
                    if not any(s == token.idx for s, _, _ in target.mentions):
                        target.add(token.idx, token.idx + len(token), "pronoun")
                        self._added.append((target, token.idx, token.idx + len(token)))
                    self._record(token, target)

    def exclude(self, spans: list[tuple[int, int]]) -> None:
        """Resolve again with `spans` (the quotations, found after this was built) out of the
        discourse; the pronoun mentions the first reading gave entities are taken back."""
        if not spans:
            return
        for entity, start, end in self._added:
            entity.mentions.remove((start, end, "pronoun"))
        self._added.clear()
        self._blocked = sorted([*self._blocked, *spans])
        self._events.clear()
        self.pronouns.clear()
        self._resolve()

    def is_blocked(self, char: int) -> bool:
        i = bisect_left(self._blocked, (char + 1, -1)) - 1
        return i >= 0 and self._blocked[i][0] <= char < self._blocked[i][1]

    def _record(self, token: Token, entity: EntityDraft) -> None:
        subject = token.dep_ in SUBJECT_DEPS
        main = subject and token.head.dep_ == "ROOT"
        last = self._events[-1] if self._events else None
        if last is not None and last.entity is entity and last.token == token.i - 1:
            last.token = token.i
            last.subject = last.subject or subject
            last.main = last.main or main
            return
        self._events.append(_Event(token.i, self._sentence_of[token.i], entity, subject, main))

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
            if e.token < token.i
            and is_animate(e.entity)
            and (gender is None or e.entity.likely_gender() in {None, gender})
        ]
        if not earlier:
            return None
        same = [e for e in earlier if e.sentence == sentence]
        subjects = [e for e in same if e.subject]
        if subjects:
            return subjects[-1].entity
        for back in range(1, _LOOKBACK_SENTENCES + 1):
            subjects = [e for e in earlier if e.sentence == sentence - back and e.subject]
            # "Earnest said Obama has kept in touch. “...,” he said": the one who spoke
            # the sentence before, not the one it reported on.
            mains = [e for e in subjects if e.main]
            if mains:
                return self._unless_listed(mains[0], gender)
            if subjects:
                return self._unless_listed(subjects[-1], gender)
        if same:
            return same[-1].entity
        recent = [e for e in earlier if e.sentence >= sentence - _LOOKBACK_SENTENCES]
        return recent[-1].entity if recent else None

    def _unless_listed(self, event: _Event, gender: str | None) -> EntityDraft | None:
        """ "Beckett, Jowell and Kelly were there. “...,” she said": the first of a list of
        subjects is no likelier than the others; a pronoun any of them could be stays open."""
        listed = [c for c in self.doc[event.token].children if c.dep_ in _LIST_DEPS]
        while listed:
            token = listed.pop()
            listed.extend(c for c in token.children if c.dep_ in _LIST_DEPS)
            other = self._table.token_entity.get(token.i)
            if (
                other is not None
                and other is not event.entity
                and is_animate(other)
                and (gender is None or other.likely_gender() in {None, gender})
            ):
                return None
        return event.entity

    def note_speaker(self, token: Token, entity: EntityDraft) -> None:
        """A resolved speaker is as salient as a named subject."""
        insort(
            self._events,
            _Event(token.i, self._sentence_of.get(token.i, 0), entity, True, True),
            key=lambda e: e.token,
        )


def is_animate(entity: EntityDraft) -> bool:
    """A person entity that is not a party or a group the model read as one ("Lib Dems")."""
    return entity.type == "PERSON" and plain(entity.name) not in PARTIES | GROUP_NOUNS
