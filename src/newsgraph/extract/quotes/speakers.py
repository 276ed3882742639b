"""Speakers: the mention that says a quote, the entity it names, and that person's title."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Literal

from newsgraph.extract.coref import SUBJECT_DEPS, Discourse
from newsgraph.extract.entities import EntityDraft, EntityTable
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.extract.quotes.marks import is_quote_mark, scan_quote_marks
from newsgraph.extract.roles import title_matches
from newsgraph.lexicon import (
    DEMONYMS,
    ENDING_MODIFIERS,
    EPITHET_NOUNS,
    OFFICE_TITLES,
    ORGANISATION_NOUNS,
    ORGANISATION_PRONOUNS,
    PARTIES,
    PERSON_PRONOUNS,
    PRONOUNS_OTHER,
    PRONOUNS_RELATIVE,
    STATEMENT_NOUNS,
    TITLE_HEADS,
    TITLE_WORDS,
    UNNAMED_TITLES,
)
from newsgraph.names import plain
from newsgraph.record import Role, span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# "Sen. Ted Cruz (R-Tex.)": the party and state belong to the speaker mention.
_PARTY = re.compile(r"[ \t]*\([DRI]-[A-Z][\w. ]{0,20}\)")
# "WASHINGTON -- President Obama said": the dateline is not part of the speaker.
_DATELINE = re.compile(r"[A-Z][A-Z.]{2,}(?:[ ,]+[A-Z][A-Za-z.]+){0,3}[ \t]+(?:--|-|—|–|―)[ \t]+")
_DEFINITE = frozenset({"the", "this", "that"})
# How far back "it", "they" and "the firm" look for their organisation, in sentences.
_LOOKBACK_SENTENCES = 3

Via = Literal["name", "surname", "pronoun", "title", "organisation", "continuation"]


def _fits(role: Role, title: str, hint: str | None) -> bool:
    """`title_matches`, also where one side abbreviates the title ("Sen." for "senator")."""
    if title_matches(role, title, hint):
        return True
    head = plain(role["title"]).split(" of ")[0].split()
    asked = plain(title).split()
    if [OFFICE_TITLES.get(w, w) for w in head] != [OFFICE_TITLES.get(w, w) for w in asked]:
        return False
    return hint is None or plain(hint) in plain(f"{role.get('org_name') or ''} {role['title']}")


def _in_parentheses(doc: Doc, token: Token) -> bool:
    """ "(AP)": an agency's tag, not an organisation the story talks about."""
    return 0 < token.i < len(doc) - 1 and doc[token.i - 1].text == "(" and doc[token.i + 1].text == ")"


def _is_organisation(entity: EntityDraft) -> bool:
    """An organisation, or a party the model tagged as a nationality ("Labour")."""
    return entity.type == "ORG" or (entity.type == "NORP" and plain(entity.name) in PARTIES)


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
        # "it" and "they" speakers resolved to an organisation, by token: "It added ..." again
        self._organisation_tokens: dict[int, EntityDraft] = {}
        self.quoted_spans = [(m.inner_start, m.inner_end) for m in scan_quote_marks(parsed.text)]
        self._quoted_starts = [s for s, _ in self.quoted_spans]
        discourse.exclude(self.quoted_spans)

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
        """Fill the speaker entity, mention span, title and `speaker_via` of a draft quote."""
        head = draft.speaker_token
        if head is None:
            if draft.speaker_entity is not None:
                draft.speaker_title = self.title_of(draft.speaker_entity)
                draft.speaker_via = self._named_via(draft.speaker_entity, draft.speaker_mention)
            return
        if any(m.inner_start <= head.idx < m.inner_end for m in draft.marks):
            # A speaker phrase the parser found inside the quotation itself is somebody the
            # quote talks about ("... trust in Tony Blair"), not the one who said it.
            return
        entity = self.table.token_entity.get(head.i)
        mention = self.noun_phrase(head)
        via: Via | None = None
        lower = head.lower_
        if lower in PERSON_PRONOUNS:
            entity = self.discourse.pronouns.get(head.i) or self.discourse.antecedent(head)
            mention = (head.idx, head.idx + len(head))
            via = "pronoun"
        elif lower in ORGANISATION_PRONOUNS:
            mention = (head.idx, head.idx + len(head))
            entity = self._organisation_subject(head)
            if entity is not None:
                self._organisation_tokens[head.i] = entity
        elif lower in PRONOUNS_RELATIVE and head.head.dep_ == "relcl":
            # "Stevie Wonder, who joked ...": the relative pronoun is the
            # mention, the noun it refers back to is the speaker.
            mention = (head.idx, head.idx + len(head))
            named = head.head.head
            entity = self.table.token_entity.get(named.i)
            if entity is not None and entity.type == "PERSON":
                via = self._named_via(entity, self.noun_phrase(named))
        elif lower in PRONOUNS_OTHER or lower in PRONOUNS_RELATIVE:
            draft.speaker_mention = (head.idx, head.idx + len(head))
            return
        elif entity is None or entity.type != "PERSON":
            entity, via, mention = self._unnamed(head, entity, mention)
        if entity is not None and entity.type not in {"PERSON", "ORG", "NORP", "GPE"}:
            entity = None
        draft.speaker_entity = entity
        draft.speaker_mention = mention
        if entity is None:
            return
        self.discourse.note_speaker(head, entity)
        self.speakers.add(entity.id)
        draft.speaker_title = self.title_of(entity)
        if entity.type != "PERSON":
            via = "organisation"
        elif via is None:
            via = self._named_via(entity, mention)
        draft.speaker_via = via

    def quoted(self, char: int) -> bool:
        """Is `char` inside quote marks?"""
        i = bisect_right(self._quoted_starts, char) - 1
        return i >= 0 and self.quoted_spans[i][0] <= char < self.quoted_spans[i][1]

    def _unnamed(
        self, head: Token, entity: EntityDraft | None, mention: tuple[int, int]
    ) -> tuple[EntityDraft | None, Via | None, tuple[int, int]]:
        """A subject that is no person's name: "The Shadow Secretary ..., Theresa May,",
        "Wang" (of Wang Yi), "the firm", "the ambassador", or an organisation named; with
        how it was found and the mention."""
        apposed = self._apposed_person(head)
        if apposed is not None:
            return *apposed, mention
        if entity is not None:
            person = self._surname_first(head, entity)
            if person is not None:
                return person, "surname", mention
            return entity, "organisation", mention
        included = self._included_person(head)
        if included is not None:
            entity, phrase = included
            return entity, self._named_via(entity, phrase), phrase
        words = self.parsed.text[mention[0] : mention[1]].split()
        if head.lower_ in ORGANISATION_NOUNS and words and words[0].lower() in _DEFINITE:
            # "the Clinton Foundation", "the Times newspaper": a name the model missed, no anaphor
            named = head.text[:1].isupper() or any(
                t.text[:1].isupper() for left in head.lefts if left.dep_ != "det" for t in left.subtree
            )
            return (None if named else self._organisation_before(head)), "organisation", mention
        if head.lower_ in TITLE_WORDS:
            return self._title_holder(head, mention), "title", mention
        if head.lower_ in EPITHET_NOUNS and words and words[0].lower() in _DEFINITE:
            return self._called_back(head, mention), "title", mention
        return None, None, mention

    def _named_via(self, entity: EntityDraft, at: tuple[int, int] | None) -> Via:
        """ "name" where the mention at `at` writes the person's first and last names, "title"
        or "pronoun" where it is one attached to them, else "surname" (one word of the name)."""
        if entity.type != "PERSON":
            return "organisation"
        if at is None:
            return "name"
        written = set(plain(self.parsed.text[at[0] : at[1]]).split())
        tokens = entity.name_tokens
        if len(tokens) > 1 and tokens[0] in written and tokens[-1] in written:
            return "name"
        kinds = {kind for start, _, kind in entity.mentions if at[0] <= start < at[1]}
        if kinds & {"name", "surname"} or not kinds:
            return "surname"
        return "title" if "title" in kinds else "pronoun"

    def _apposed_person(self, head: Token) -> tuple[EntityDraft | None, Via | None] | None:
        """ "The Shadow Secretary of State for the Family, Theresa May, said": the name in
        apposition to a title is the speaker. A name there the model did not tag stops the
        title from going to somebody else; the speaker is then unknown."""
        for child in head.children:
            if child.dep_ != "appos" or child.i < head.i:
                continue
            # the apposition's own head: "Envisional, a firm founded by John Smith," is no Smith
            found = self.table.token_entity.get(child.i)
            if found is not None and found.type == "PERSON":
                return found, self._named_via(found, (child.left_edge.idx, child.idx + len(child)))
            if child.pos_ == "PROPN" and child.text[:1].isupper():
                return None, None
        return None

    def _surname_first(self, head: Token, entity: EntityDraft) -> EntityDraft | None:
        """ "Wang said" after "Chinese ambassador Wang Yi": a one-word mention read as some other
        kind of entity that is the first word of one person's two- or three-word name, and
        nobody's last word, is that person's family name written first (Chinese, Korean,
        Vietnamese, Hungarian order)."""
        word = plain(head.text)
        if len(entity.name.split()) != 1 or head.pos_ != "PROPN" or not word:
            return None
        people = self.table.people()
        owners = [p for p in people if 2 <= len(p.name_tokens) <= 3 and p.name_tokens[0] == word]
        if len(owners) != 1 or any(p.name_tokens[-1:] == (word,) for p in people):
            return None
        # The article must show the owner is a person ("ambassador Wang Yi"), not a
        # headline the model took for one ("EgyptAir Crash").
        if not any(role["person"] == owners[0].id for role in self.roles) and not any(
            kind == "pronoun" for _, _, kind in owners[0].mentions
        ):
            return None
        owners[0].add(head.idx, head.idx + len(head), "surname")
        return owners[0]

    def _subjects(self, sentence: tuple[int, int], before: int) -> list[Token]:
        """The subjects of a sentence before token `before`, outside quote marks, main clause first."""
        found = [
            t
            for t in self.parsed.doc[sentence[0] : min(sentence[1], before)]
            if t.dep_ in SUBJECT_DEPS and not self.quoted(t.idx)
        ]
        return sorted(found, key=lambda t: t.head.dep_ != "ROOT")

    def _sentences_back(self, head: Token) -> list[tuple[int, int]]:
        """The sentence of `head` and the ones just before it, nearest first."""
        doc = self.parsed.doc
        sentences = [self.parsed.sentence_of(head)]
        while len(sentences) <= _LOOKBACK_SENTENCES and sentences[-1][0] > 0:
            sentences.append(self.parsed.sentence_of(doc[sentences[-1][0] - 1]))
        return sentences

    def _organisation_subject(self, head: Token) -> EntityDraft | None:
        """ "Microsoft released a patch. It also said ...": "it" and "they" as speakers are the
        organisation that was the subject before them; a person there, or a thing that makes
        statements of its own ("the report"), is what they refer to instead."""
        plural = head.lower_ == "they"
        for sentence in self._sentences_back(head):
            for subject in self._subjects(sentence, head.i):
                if subject.i in self._organisation_tokens:
                    return self._organisation_tokens[subject.i]
                entity = self.table.token_entity.get(subject.i)
                if entity is not None and _is_organisation(entity):
                    return entity
                if (entity is not None and entity.type == "PERSON") or subject.lower_ in PERSON_PRONOUNS:
                    return None
                if entity is None and (
                    subject.lemma_ in STATEMENT_NOUNS or (plural and subject.tag_ in {"NNS", "NNPS"})
                ):
                    return None
        return None

    def _organisation_before(self, head: Token) -> EntityDraft | None:
        """ "Shares in Vodafone rose. The firm said ...": the organisation named last before,
        its subject first; never the source of an "according to"."""
        doc = self.parsed.doc
        for sentence in self._sentences_back(head):
            candidates = []
            for token in doc[sentence[0] : min(sentence[1], head.i)]:
                entity = self.table.token_entity.get(token.i)
                if (
                    entity is not None
                    and (entity.type == "ORG" or (head.lower_ == "party" and _is_organisation(entity)))
                    and token.dep_ not in {"amod", "compound"}
                    and not self.quoted(token.idx)
                    and not self.parsed.in_credit(token.idx)
                    and not _in_parentheses(doc, token)
                    and not any(a.lower_ == "according" for a in token.ancestors)
                ):
                    candidates.append((token.dep_ not in SUBJECT_DEPS, token.i, entity))
            if candidates:
                return min(candidates, key=lambda c: c[:2])[2]
        return None

    def _included_person(self, head: Token) -> tuple[EntityDraft, tuple[int, int]] | None:
        """ "The forum participants, including Dmitry Peskov, ...": the named member speaks."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "including":
                for grandchild in child.children:
                    entity = self.table.token_entity.get(grandchild.i)
                    if grandchild.dep_ == "pobj" and entity is not None and entity.type == "PERSON":
                        return entity, self.noun_phrase(grandchild)
        return None

    def _called_back(self, head: Token, mention: tuple[int, int]) -> EntityDraft | None:
        """ "Trump said ... the billionaire businessman added": a description that is no office
        is the person the story is on, unless it ties itself to an organisation or to
        somebody else ("the Apple billionaire")."""
        if self._names_another(head, mention):
            return None
        entity = self.discourse.antecedent(head)
        if entity is not None:
            entity.add(mention[0], mention[1], "title")
        return entity

    def _names_another(self, head: Token, mention: tuple[int, int]) -> bool:
        """Does a title-only mention tie the title to an organisation or a person ("The
        Spectator editor", "the BBC's political editor")? A place does not ("the Florida
        senator")."""
        first = self.parsed.token_at(mention[0])
        if first is None:
            return False
        # the words before the title and its "of"/"at" phrase, not a clause about the person
        written = [
            *self.parsed.doc[first.i + 1 : head.i + 1],
            *(t for c in head.rights if c.dep_ == "prep" for t in c.subtree),
        ]
        return any(
            (t.text[:1].isupper() and t.lower_ not in TITLE_WORDS and t.ent_type_ != "GPE")
            or t.lower_ in {"'s", "’s"}
            for t in written
        )

    def _title_holder(self, head: Token, mention: tuple[int, int]) -> EntityDraft | None:
        """A title-only speaker: a known holder of the title, else the current speaker."""
        text = self.parsed.text
        words = text[mention[0] : mention[1]].split()
        hint = next((DEMONYMS[w.lower()] for w in words if w.lower() in DEMONYMS), None)
        if hint is None:
            # "the Vermont senator": the place or body written with the title narrows it
            hint = next((w for w in words[1:] if w[:1].isupper() and w.lower() not in TITLE_WORDS), None)
        title_words = [w for w in words if w.lower() in TITLE_WORDS]
        title = " ".join(title_words)
        holders = {role["person"] for role in self.roles if _fits(role, title, hint)}
        if len(holders) > 1:
            holders = self._most_mentioned(holders)
        if len(holders) == 1:
            entity = self.table.by_id(holders.pop())
            entity.add(mention[0], mention[1], "title")
            return entity
        # Only a definite description ("the State Counselor") points back to
        # somebody already in the story; "a White House spokesman" does not.
        definite = bool(words) and words[0].lower() in _DEFINITE
        if not holders and not definite and any(w.lower() in TITLE_HEADS for w in title_words):
            return self._named_next(head, mention, title, hint)
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
        # the story has not tied to the last person named is somebody else's. A place is no
        # such tie: "the Florida senator" is how news calls back the one it is about.
        if self._names_another(head, mention) or any(w.endswith(("'s", "’s")) for w in words):
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

    def _most_mentioned(self, ids: set[str]) -> set[str]:
        """ "The president" where the story names Obama and Reagan as presidents: the one it
        is about, mentioned more than any other; none where that is a tie."""
        counts = sorted(((len(self.table.by_id(i).mentions), i) for i in ids), reverse=True)
        return {counts[0][1]} if counts[0][0] > counts[1][0] else set()

    def _named_next(
        self, head: Token, mention: tuple[int, int], title: str, hint: str | None
    ) -> EntityDraft | None:
        """ "A Home Office minister defended the plans. Hazel Blears said ...": news names
        the holder of an indefinite title in the very next sentence, as its subject. A
        person the article gives another title, or an office usually left unnamed ("a
        spokesman"), is somebody else."""
        if any(w.lower() in UNNAMED_TITLES for w in title.split()):
            return None
        doc = self.parsed.doc
        _, end = self.parsed.sentence_of(head)
        if end >= len(doc):
            return None
        for subject in self._subjects(self.parsed.sentence_of(doc[end]), len(doc)):
            entity = self.table.token_entity.get(subject.i)
            if entity is None or entity.type != "PERSON":
                return None
            titles = [r for r in self.roles if r["person"] == entity.id]
            if any(not _fits(r, title, hint) for r in titles):
                return None
            entity.add(mention[0], mention[1], "title")
            return entity
        return None

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
