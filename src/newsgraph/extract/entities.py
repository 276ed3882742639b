"""Named entities with clean spans, grouped so that one person is one entity.

spaCy's small English model often glues titles to names ("the Kazakh
Parliament Daniya Yespayeva" as one ORG) or keeps possessives ("Putin's").
The cleaning here trims spans to the name itself; grouping then joins full
names, surnames and (later, in `coref`) pronouns and titles per person.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsgraph.lexicon import (
    DEMONYMS,
    FIRST_NAMES,
    GROUP_NOUNS,
    HONORIFICS,
    ORG_HEADS,
    PARTIES,
    POSSESSIVE_MARKERS,
    PRONOUNS_FEMALE,
    PRONOUNS_MALE,
    REPORTING_VERBS,
    ROLE_MODIFIER_WORDS,
    SLOGAN_VERBS,
    TITLE_HEADS,
    TITLE_WORDS,
)
from newsgraph.names import plain

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

KEPT_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"}
)


@dataclass
class EntityDraft:
    id: str
    type: str
    name: str
    # (start_char, end_char, kind); kept sorted by the builder at the end
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    name_tokens: tuple[str, ...] = ()
    # One entry per mention written with an honorific ("Mrs Blair" -> "female").
    honorifics: list[str] = field(default_factory=list)

    def add(self, start: int, end: int, kind: str) -> None:
        if not any(s == start and e == end for s, e, _ in self.mentions):
            self.mentions.append((start, end, kind))

    @property
    def surname(self) -> str:
        """The last word of the name, hyphens kept inside it ("Kilroy-Silk")."""
        words = self.name.split()
        return plain(words[-1]) if words else ""

    def likely_gender(self) -> str | None:
        """What the honorifics say, else a known first name: enough to tell namesakes apart."""
        if self.honorifics:
            return Counter(self.honorifics).most_common(1)[0][0]
        if len(self.name_tokens) > 1:
            first = self.name_tokens[0]
            return next((gender for gender, known in FIRST_NAMES.items() if first in known), None)
        return None


def entity_gender(entity: EntityDraft, text: str) -> str | None:
    """ "male" or "female" when the article says so: by honorifics ("Mr", "Lady"),
    else by the gendered pronouns resolved to the entity, if they agree."""
    if entity.type != "PERSON":
        return None
    if entity.honorifics:
        return Counter(entity.honorifics).most_common(1)[0][0]
    said = {
        "male" if word in PRONOUNS_MALE else "female"
        for start, end, kind in entity.mentions
        if kind == "pronoun"
        and ((word := text[start:end].lower()) in PRONOUNS_MALE or word in PRONOUNS_FEMALE)
    }
    return said.pop() if len(said) == 1 else None


def _is_name_token(token: Token) -> bool:
    text = token.text
    return (
        token.pos_ == "PROPN"
        and text[:1].isupper()
        and text.replace("-", "").replace(".", "").isalpha()
        and text.lower() not in TITLE_WORDS
        and text.lower() not in ORG_HEADS
    )


def _is_title(token: Token) -> bool:
    """A title word, or its plural ("Ministers Jack Straw, ...")."""
    lower = token.lower_
    return (
        lower in TITLE_WORDS
        or lower in ROLE_MODIFIER_WORDS
        or (lower[-1:] == "s" and lower[:-1] in TITLE_HEADS)
    )


def _glued(token: Token) -> bool:
    """A word run into the next one by a lost space: "ofNew" (Labour)."""
    text = token.text
    return text[:1].islower() and any(c.isupper() for c in text[1:])


# Where a byline or caption runs into a name: "Tony Blair - Sun".
_NAME_BREAKS = frozenset({"-", "–", "—", "|", ":", "/", "(", "["})


def _trim(doc: Doc, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop determiners, possessives, punctuation and (for people) titles,
    honorifics, slogan verbs and whatever follows a spaced dash."""
    while end > start and (
        doc[end - 1].text in POSSESSIVE_MARKERS or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        end -= 1
    while start < end and (
        doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    if label == "PERSON":
        for i in range(start + 1, end):
            if doc[i].text in _NAME_BREAKS and doc[i - 1].whitespace_:
                end = i
                break
        # "TASS Director General Andrey Kondrashov": the name starts after the
        # last title word, as long as something is left.
        last_title = -1
        for i in range(start, end):
            if _is_title(doc[i]) or doc[i].lower_ in HONORIFICS or _glued(doc[i]):
                last_title = i
        if last_title >= start and last_title + 1 < end:
            start = last_title + 1
        if end - start > 1 and doc[start].lower_ in SLOGAN_VERBS:
            start += 1
        # a title-case headline runs the verb into the name: "Obama Says", "Trump Slams"
        if end - start > 1 and _headline_verb(doc[end - 1]):
            end -= 1
    return start, end


def _headline_verb(token: Token) -> bool:
    """A reporting verb in the third person, capitalised as headlines write it ("Says")."""
    word = token.lower_
    return (
        token.text[:1].isupper()
        and word.endswith("s")
        and (word[:-1] in REPORTING_VERBS or word[:-2] in REPORTING_VERBS)
    )


def _lower_case_in_cased_text(doc: Doc, start: int, end: int) -> bool:
    """A "person" with no capital letter ("political newbie") in a sentence that
    capitalises names elsewhere is a common noun."""
    if any(doc[i].text[:1].isupper() for i in range(start, end)):
        return False
    sentence = doc[start].sent
    return any(t.text[:1].isupper() for t in sentence[1:])


def _group_label(doc: Doc, start: int, end: int) -> str | None:
    """The label a "person" really has when it names a party or a group of people."""
    key = plain(re.sub(r"['’]s$", "", doc[start:end].text))
    if key in PARTIES:
        return "ORG"
    if key in GROUP_NOUNS or key in DEMONYMS or (key[-1:] == "s" and key[:-1] in DEMONYMS):
        return "NORP"
    return None


def _honorific(doc: Doc, start: int) -> Span | None:
    """The honorific right before a name ("Mr." may be two tokens)."""
    i = start - 1
    if i > 0 and doc[i].text == "." and not doc[i - 1].whitespace_:
        i -= 1
    return doc[i:start] if i >= 0 and doc[i].lower_ in HONORIFICS else None


def _honorific_gender(doc: Doc, start: int) -> str | None:
    honorific = _honorific(doc, start)
    return HONORIFICS[honorific[0].lower_] if honorific is not None else None


def _hyphenated_person(doc: Doc, start: int, end: int) -> bool:
    """An organisation-tagged "Kilroy-Silk" that the context says is a man or a woman:
    an honorific before it, or it says something and a "he"/"she" follows."""
    span = doc[start:end]
    parts = span.text.split("-")
    if len(parts) != 2 or not all(p[:1].isupper() and p.isalpha() for p in parts):
        return False
    if _honorific_gender(doc, start) is not None:
        return True
    root = span.root
    if root.dep_ not in {"nsubj", "nsubjpass"} or root.head.lemma_ not in REPORTING_VERBS:
        return False
    return any(t.lower_ in PRONOUNS_MALE or t.lower_ in PRONOUNS_FEMALE for t in doc[end : root.sent.end])


def _split_glued_person(doc: Doc, start: int, end: int, known: set[str]) -> int | None:
    """Token index where a person's name glued to the end of an entity starts.

    Glued when the part before the name ends in an organisation or title word
    ("... Parliament Daniya Yespayeva") or is itself an entity named
    elsewhere in the article ("Russia Dauren Abayev").
    """
    for size in (3, 2):
        cut = end - size
        if cut - 1 < start:
            continue
        if all(_is_name_token(doc[i]) for i in range(cut, end)):
            before = doc[cut - 1].lower_
            if before in ORG_HEADS or before in TITLE_HEADS:
                return cut
            if plain(doc[start:cut].text) in known:
                return cut
            # "Ambassador to Russia Dauren Abayev": a title just before the
            # entity means its tail is the title holder's name.
            if any(doc[k].lower_ in TITLE_HEADS for k in range(max(0, start - 3), start)):
                return cut
    return None


def _after_title(doc: Doc, start: int) -> bool:
    return start > 0 and doc[start - 1].lower_ in TITLE_HEADS and doc[start - 1].text[:1].isupper()


def _is_only_title(doc: Doc, start: int, end: int) -> bool:
    """ORG "Press" (of "Press Secretary") or "State Counselor": a title, no name."""
    words = [doc[i].lower_ for i in range(start, end)]
    return all(w in TITLE_WORDS for w in words) or (len(words) == 1 and words[0] in ORG_HEADS)


def entity_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """Clean (start_token, end_token, label) spans, non-overlapping, in order."""
    spans: list[tuple[int, int, str]] = []
    known = {plain(ent.text) for ent in doc.ents if len(ent) <= 2 and ent.label_ != "PERSON"}
    for ent in doc.ents:
        if ent.label_ not in KEPT_TYPES:
            continue
        start, end = ent.start, ent.end
        if ent.label_ != "PERSON":
            if _is_only_title(doc, *_trim(doc, start, end, ent.label_)):
                continue
            cut = _split_glued_person(doc, start, end, known)
            if cut is not None:
                org_start, org_end = _trim(doc, start, cut, ent.label_)
                if org_end > org_start:
                    spans.append((org_start, org_end, ent.label_))
                start = cut
                person_start, person_end = _trim(doc, start, end, "PERSON")
                spans.append((person_start, person_end, "PERSON"))
                continue
        label = ent.label_
        start, end = _trim(doc, start, end, label)
        if end <= start or (
            label == "PERSON"
            and (
                _lower_case_in_cased_text(doc, start, end)
                or all(doc[i].lower_ in HONORIFICS or _is_title(doc[i]) for i in range(start, end))
            )
        ):
            continue
        if label != "PERSON" and (
            (
                2 <= end - start <= 3
                and _after_title(doc, start)
                and all(_is_name_token(doc[i]) for i in range(start, end))
            )  # "Foreign Minister Murat Nurtleu" tagged ORG
            or _hyphenated_person(doc, start, end)
        ):
            label = "PERSON"
        spans.append((start, end, label))
    spans.extend(_names_after_titles(doc, spans))
    # Parties and groups are told apart from people however the span was found:
    # "leader of the Liberal Democrats" is read as a name after a title.
    spans = [
        (start, end, (_group_label(doc, start, end) or label) if label == "PERSON" else label)
        for start, end, label in spans
    ]
    spans.sort()
    return spans


def _names_after_titles(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """People the tagger missed but a capitalised title announces ("Minister Ivan Petrov")."""
    covered = set()
    for start, end, _ in spans:
        covered.update(range(start, end))
    found = []
    i = 0
    n = len(doc)
    while i < n:
        token = doc[i]
        if token.lower_ in TITLE_HEADS and token.text[:1].isupper():
            j = i + 1
            while j < n and j - i <= 3 and _is_name_token(doc[j]) and j not in covered:
                j += 1
            if j - i >= 3 and (j >= n or not _is_name_token(doc[j])):
                found.append((i + 1, j, "PERSON"))
                covered.update(range(i + 1, j))
                i = j
                continue
        i += 1
    found.extend(_names_in_title_appositions(doc, covered))
    return found


def _names_in_title_appositions(doc: Doc, covered: set[int]) -> list[tuple[int, int, str]]:
    """ "The Shadow Secretary of State for the Family, Theresa May, said": a first name and a
    surname set off by commas right after a capitalised title are the title's holder, even
    where the tagger missed them (or read "May" as a month)."""
    found = []
    for comma in (t for t in doc if t.text == ","):
        start = end = comma.i + 1
        while end < len(doc) and end - start < 3 and _is_name_token(doc[end]) and end not in covered:
            end += 1
        if end - start < 2 or end >= len(doc) or doc[end].text != ",":
            continue
        if not any(doc[start].lower_ in known for known in FIRST_NAMES.values()):
            continue
        before = []
        for token in reversed(doc[max(0, comma.i - 10) : comma.i]):
            if token.is_punct or token.is_space:
                break
            before.append(token)
        if any(t.lower_ in TITLE_HEADS and t.text[:1].isupper() for t in before):
            found.append((start, end, "PERSON"))
            covered.update(range(start, end))
    return found


@dataclass
class EntityTable:
    """The article's entities, and which entity each token belongs to."""

    entities: list[EntityDraft]
    token_entity: dict[int, EntityDraft]

    def by_id(self, entity_id: str) -> EntityDraft:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    def people(self) -> list[EntityDraft]:
        return [e for e in self.entities if e.type == "PERSON"]


# A possessive glued to the name by a mis-encoded apostrophe: "Blair¿s", "Blair&#191;s".
_GLUED_POSSESSIVE = re.compile(r"(?:&#\d+;|&\w+;|[^\w\s-])s\b")


def _before_glued_possessive(text: str, start: int, end: int) -> int:
    found = _GLUED_POSSESSIVE.search(text, start, end)
    return found.start() if found is not None and found.start() > start else end


def build_entities(doc: Doc, spans: list[tuple[int, int, str]]) -> EntityTable:
    """Group clean spans into entities."""

    people_full: list[EntityDraft] = []
    others: dict[tuple[str, str], EntityDraft] = {}
    singles: list[tuple[int, int, int, int, str | None]] = []
    token_entity: dict[int, EntityDraft] = {}
    ordered: list[EntityDraft] = []

    def new_entity(label: str, name: str, tokens: tuple[str, ...]) -> EntityDraft:
        entity = EntityDraft(id="", type=label, name=name, name_tokens=tokens)
        ordered.append(entity)
        return entity

    for start, end, label in spans:
        span = doc[start:end]
        start_char, end_char = span.start_char, span.end_char
        if label == "PERSON":
            end_char = _before_glued_possessive(doc.text, start_char, end_char)
            text = doc.text[start_char:end_char]
            tokens = tuple(plain(text).split())
            if not tokens:
                continue
            gender = _honorific_gender(doc, start)
            if len(text.split()) == 1:
                singles.append((start, end, start_char, end_char, gender))
                continue
            entity = _find_person(people_full, tokens)
            if entity is None:
                entity = new_entity("PERSON", text, tokens)
                people_full.append(entity)
            elif len(tokens) > len(entity.name_tokens):
                entity.name, entity.name_tokens = text, tokens
            entity.add(start_char, end_char, "name")
            if gender is not None:
                entity.honorifics.append(gender)
        else:
            key = (label, plain(span.text))
            if not key[1]:
                continue
            entity = others.get(key)
            if entity is None:
                entity = others[key] = new_entity(label, span.text, ())
            entity.add(start_char, end_char, "name")
        for i in range(start, end):
            token_entity[i] = entity

    for start, end, start_char, end_char, gender in singles:
        text = doc.text[start_char:end_char]
        token = plain(text)
        entity, kind = _match_single(people_full, token, start_char, gender)
        if entity is None:
            # A surname alone keeps its honorific in the entity's name ("Mrs Blair",
            # "Lord Falconer"): it is all the article says about who is meant.
            honorific = _honorific(doc, start)
            shown = f"{honorific.text} {text}" if honorific is not None else text
            entity = new_entity("PERSON", shown, (token,))
            people_full.append(entity)
        entity.add(start_char, end_char, kind)
        if gender is not None:
            entity.honorifics.append(gender)
        for i in range(start, end):
            token_entity[i] = entity

    _attach_bare_surnames(doc, people_full, others, token_entity, ordered)
    ordered.sort(key=lambda e: min(s for s, _, _ in e.mentions))
    for number, entity in enumerate(ordered, 1):
        entity.id = f"e{number}"
    return EntityTable(ordered, token_entity)


def _attach_bare_surnames(
    doc: Doc,
    people: list[EntityDraft],
    others: dict[tuple[str, str], EntityDraft],
    token_entity: dict[int, EntityDraft],
    ordered: list[EntityDraft],
) -> None:
    """Once "Alexander Lebed" is named, a later bare "Lebed" is him.

    The small model tags the full name but often misses the surname alone or
    calls it an organisation or place; a surname shared by two people in the
    article stays unresolved.
    """
    owners: dict[str, list[EntityDraft]] = {}
    for person in people:
        if len(person.name.split()) > 1:
            owners.setdefault(person.surname, []).append(person)
    surnames = {key: found[0] for key, found in owners.items() if len(found) == 1}
    if not surnames:
        return
    for (label, key), entity in list(others.items()):
        person = surnames.get(key)
        if person is None or label not in {"ORG", "GPE", "LOC", "NORP"}:
            continue
        for start, end, _ in entity.mentions:
            person.add(start, end, "surname")
        for i, owner in list(token_entity.items()):
            if owner is entity:
                token_entity[i] = person
        ordered.remove(entity)
        del others[(label, key)]
    for token in doc:
        if token.i in token_entity or not token.text[:1].isupper() or token.pos_ != "PROPN":
            continue
        person = surnames.get(plain(token.text))
        neighbours = (
            doc[token.i - 1] if token.i else None,
            doc[token.i + 1] if token.i + 1 < len(doc) else None,
        )
        # "Lebed" alone, not part of a longer name such as "Lebed Street".
        if person is None or any(
            n is not None and n.pos_ == "PROPN" and n.text[:1].isupper() for n in neighbours
        ):
            continue
        person.add(token.idx, token.idx + len(token), "surname")
        token_entity[token.i] = person


def _find_person(people: list[EntityDraft], tokens: tuple[str, ...]) -> EntityDraft | None:
    for entity in people:
        known = entity.name_tokens
        if known == tokens:
            return entity
        # "Vladimir Putin" and "Vladimir V. Putin": same first and last name,
        # but "George H.W. Bush" is not "George W. Bush".
        if (
            len(known) > 1
            and known[0] == tokens[0]
            and known[-1] == tokens[-1]
            and _middles_agree(known[1:-1], tokens[1:-1])
        ):
            return entity
    return None


def _middles_agree(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Middle names agree when either is missing or they match word for word, an initial
    standing for any word it starts ("W." and "Walker")."""
    if not one or not other:
        return True
    return len(one) == len(other) and all(
        a[0] == b[0] and (a == b or min(len(a), len(b)) == 1) for a, b in zip(one, other, strict=True)
    )


def _match_single(
    people: list[EntityDraft], token: str, at: int, gender: str | None
) -> tuple[EntityDraft | None, str]:
    """A one-word name: a surname (or first name) of a full name in the article.

    An honorific rules out a namesake of the other gender: with "Tony Blair"
    and "Cherie Blair" in the story, "Mrs Blair" is Cherie.
    """

    def fits(entity: EntityDraft) -> bool:
        known = entity.likely_gender()
        return gender is None or known is None or known == gender

    for position, kind in ((-1, "surname"), (0, "name")):
        named = [e for e in people if len(e.name.split()) > 1 and plain(e.name.split()[position]) == token]
        candidates = [e for e in named if fits(e)]
        if gender is not None and any(e.likely_gender() == gender for e in candidates):
            candidates = [e for e in candidates if e.likely_gender() == gender]
        if candidates:
            # Nearest earlier full mention wins; else the first later one.
            def distance(entity: EntityDraft) -> tuple[int, int]:
                firsts = [s for s, _, _ in entity.mentions]
                before = [at - s for s in firsts if s <= at]
                return (0, min(before)) if before else (1, min(firsts) - at)

            return min(candidates, key=distance), kind
        if named:
            return None, "name"
    for entity in people:
        if entity.name_tokens == (token,) and fits(entity):
            return entity, "name"
    return None, "name"
