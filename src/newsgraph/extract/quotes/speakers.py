"""Speakers: the mention that says a quote, the entity it names, and that person's title."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsgraph.extract.coref import Discourse
from newsgraph.extract.entities import EntityDraft, EntityTable
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.extract.quotes.marks import is_quote_mark
from newsgraph.extract.roles import title_matches
from newsgraph.lexicon import (
    DEMONYMS,
    ENDING_MODIFIERS,
    PERSON_PRONOUNS,
    PRONOUNS_OTHER,
    PRONOUNS_RELATIVE,
    TITLE_HEADS,
    TITLE_WORDS,
)
from newsgraph.names import plain
from newsgraph.record import Role, span

if TYPE_CHECKING:
    from spacy.tokens import Token

# "Sen. Ted Cruz (R-Tex.)": the party and state belong to the speaker mention.
_PARTY = re.compile(r"[ \t]*\([DRI]-[A-Z][\w. ]{0,20}\)")
# "WASHINGTON -- President Obama said": the dateline is not part of the speaker.
_DATELINE = re.compile(r"[A-Z][A-Z.]{2,}(?:[ ,]+[A-Z][A-Za-z.]+){0,3}[ \t]+(?:--|-|—|–|―)[ \t]+")


class Speakers:
    """Resolves speakers in document order; a resolved speaker becomes salient for later pronouns.

    Titles learnt from a title-only speaker ("the State Counselor said") are
    kept in `inferred_roles`.
    """

    def __init__(
        self, parsed: Parsed, table: EntityTable, roles: list[Role], discourse: Discourse, as_of: str | None
    ) -> None:
        self.parsed = parsed
        self.table = table
        self.roles = roles
        self.discourse = discourse
        self.as_of = as_of
        self.inferred_roles: list[Role] = []
        self.speakers: set[str] = set()  # ids of the entities already resolved as speakers

    def noun_phrase(self, head: Token) -> tuple[int, int]:
        """The subject as written, titles included, cut before a comma or a clause.

        "Republican nominee Gov. Mike Pence (R-IN) said": the whole phrase is
        the speaker mention; its entity is the name inside it.
        """
        doc, text = self.parsed.doc, self.parsed.text
        start_token = head.left_edge
        while start_token.i < head.i and start_token.is_punct:
            start_token = doc[start_token.i + 1]
        last = head.right_edge
        while last.i > head.i and (last.is_punct or last.is_space):
            last = doc[last.i - 1]
        words = doc[start_token.i : last.i + 1]
        # Appositions and relative clauses are part of the phrase ("Michael
        # Tanner, an analyst at the Cato Institute,"); a quote inside it is not.
        if len(words) > 40 or any(is_quote_mark(t.text) for t in words):
            last = head
        if words.text.count("(") != words.text.count(")"):
            last = head
        entity = self.table.token_entity.get(head.i)
        start_char, end_char = start_token.idx, last.idx + len(last)
        if entity is not None:
            for start, end, _ in entity.mentions:
                if start <= head.idx < end:
                    start_char, end_char = min(start_char, start), max(end_char, end)
        dateline = _DATELINE.match(text, start_char, end_char)
        if dateline and dateline.end() < end_char:
            start_char = dateline.end()
        party = _PARTY.match(text, end_char)
        if party:
            end_char = party.end()
        return start_char, end_char

    def resolve(self, draft: Draft) -> None:
        """Fill the speaker entity, mention span and title of a draft quote."""
        head = draft.speaker_token
        if head is None:
            if draft.speaker_entity is not None:
                draft.speaker_title = self.title_of(draft.speaker_entity)
            return
        entity = self.table.token_entity.get(head.i)
        mention = self.noun_phrase(head)
        if head.lower_ in PERSON_PRONOUNS:
            entity = self.discourse.pronouns.get(head.i) or self.discourse.antecedent(head)
            mention = (head.idx, head.idx + len(head))
        elif head.lower_ in PRONOUNS_RELATIVE and head.head.dep_ == "relcl":
            # "Stevie Wonder, who joked ...": the relative pronoun is the
            # mention, the noun it refers back to is the speaker.
            mention = (head.idx, head.idx + len(head))
            entity = self.table.token_entity.get(head.head.head.i)
        elif head.lower_ in PRONOUNS_OTHER or head.lower_ in PRONOUNS_RELATIVE:
            draft.speaker_mention = (head.idx, head.idx + len(head))
            return
        elif entity is None:
            included = self._included_person(head)
            if included is not None:
                entity, mention = included
            elif head.lower_ in TITLE_WORDS:
                entity = self._title_holder(head, mention)
        if entity is not None and entity.type not in {"PERSON", "ORG", "NORP", "GPE"}:
            entity = None
        draft.speaker_entity = entity
        draft.speaker_mention = mention
        if entity is not None:
            self.discourse.note_speaker(head, entity)
            self.speakers.add(entity.id)
            draft.speaker_title = self.title_of(entity)

    def _included_person(self, head: Token) -> tuple[EntityDraft, tuple[int, int]] | None:
        """ "The forum participants, including Dmitry Peskov, ...": the named member speaks."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "including":
                for grandchild in child.children:
                    entity = self.table.token_entity.get(grandchild.i)
                    if grandchild.dep_ == "pobj" and entity is not None and entity.type == "PERSON":
                        return entity, self.noun_phrase(grandchild)
        return None

    def _title_holder(self, head: Token, mention: tuple[int, int]) -> EntityDraft | None:
        """A title-only speaker: a known holder of the title, else the current speaker."""
        text = self.parsed.text
        words = text[mention[0] : mention[1]].split()
        hint = next((DEMONYMS[w.lower()] for w in words if w.lower() in DEMONYMS), None)
        title_words = [w for w in words if w.lower() in TITLE_WORDS]
        title = " ".join(title_words)
        holders = {role["person"] for role in self.roles if title_matches(role, title, hint)}
        if len(holders) == 1:
            entity = self.table.by_id(holders.pop())
            entity.add(mention[0], mention[1], "title")
            return entity
        # Only a definite description ("the State Counselor") points back to
        # somebody already in the story; "a White House spokesman" does not.
        definite = bool(words) and words[0].lower() in {"the", "this", "that"}
        if holders or not definite or not any(w.lower() in TITLE_HEADS for w in title_words):
            return None
        entity = self.discourse.antecedent(head)
        if entity is None or entity.type != "PERSON":
            return None
        # "Mr Blair spoke. The mayor said ...": someone the article gives other offices is not
        # the one it now calls by a title it never gave him; the title names somebody else.
        if any(role["person"] == entity.id for role in self.roles):
            return None
        # "The Spectator editor", "the BBC's political editor": a title tied to an organisation
        # the story has not tied to the last person named is somebody else's
        if any(w[:1].isupper() and w.lower() not in TITLE_WORDS for w in words[1:]) or any(
            w.endswith(("'s", "’s")) for w in words
        ):
            return None
        entity.add(mention[0], mention[1], "title")
        # The office itself is inferred only where the story keeps one speaker talking
        # ("Peskov said ... The spokesman added"): a title after someone merely named is as
        # often a new, unnamed person, and a wrong office outlives the quote.
        if entity.id not in self.speakers:
            return entity
        self.inferred_roles.append(
            {
                "person": entity.id,
                "title": title,
                "org": None,
                "modifier": None,
                "as_of": self.as_of,
                "inferred": True,
                "evidence": span(text, mention[0], mention[1]),
            }
        )
        return entity

    def title_of(self, entity: EntityDraft) -> str | None:
        """The first title the article gives the entity that it still held ("former" ones are not)."""
        for role in [*self.roles, *self.inferred_roles]:
            if role["person"] == entity.id and role["modifier"] not in ENDING_MODIFIERS:
                org = role.get("org_name")
                title = role["title"]
                if org and plain(org) not in plain(title):
                    return f"{title}, {org}"
                return title
        return None

    def person_named(self, words: list[str]) -> EntityDraft | None:
        """The person whose name (or surname alone) is `words`, folded by `plain`."""
        for entity in self.table.people():
            tokens = entity.name_tokens
            if tuple(words) == tokens or (len(words) == 1 and tokens and tokens[-1] == words[0]):
                return entity
        return None
