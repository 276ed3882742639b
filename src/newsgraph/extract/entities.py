"""Named entities with clean spans, grouped so that one person is one entity.

spaCy's small English model often glues titles to names ("the Kazakh
Parliament Daniya Yespayeva" as one ORG) or keeps possessives ("Putin's").
The cleaning here trims spans to the name itself; grouping then joins full
names, surnames and (later, in `coref`) pronouns and titles per person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsgraph.lexicon import ORG_HEADS, POSSESSIVE_MARKERS, ROLE_MODIFIER_WORDS, TITLE_HEADS, TITLE_WORDS
from newsgraph.names import plain

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

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

    def add(self, start: int, end: int, kind: str) -> None:
        if not any(s == start and e == end for s, e, _ in self.mentions):
            self.mentions.append((start, end, kind))


def _is_name_token(token: Token) -> bool:
    text = token.text
    return (
        token.pos_ == "PROPN"
        and text[:1].isupper()
        and text.replace("-", "").replace(".", "").isalpha()
        and text.lower() not in TITLE_WORDS
        and text.lower() not in ORG_HEADS
    )


def _trim(doc: Doc, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop determiners, possessives, punctuation and (for people) titles."""
    while end > start and (doc[end - 1].text in POSSESSIVE_MARKERS or doc[end - 1].is_punct):
        end -= 1
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct):
        start += 1
    if label == "PERSON":
        # "TASS Director General Andrey Kondrashov": the name starts after the
        # last title word, as long as something is left.
        last_title = -1
        for i in range(start, end):
            lower = doc[i].lower_
            if lower in TITLE_WORDS or lower in ROLE_MODIFIER_WORDS:
                last_title = i
        if last_title >= start and last_title + 1 < end:
            start = last_title + 1
    return start, end


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
        if (
            label != "PERSON"
            and 2 <= end - start <= 3
            and _after_title(doc, start)
            and all(_is_name_token(doc[i]) for i in range(start, end))
        ):
            label = "PERSON"  # "Foreign Minister Murat Nurtleu" tagged ORG
        if end > start:
            spans.append((start, end, label))
    spans.extend(_names_after_titles(doc, spans))
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


def build_entities(doc: Doc, spans: list[tuple[int, int, str]]) -> EntityTable:
    """Group clean spans into entities."""

    people_full: list[EntityDraft] = []
    others: dict[tuple[str, str], EntityDraft] = {}
    singles: list[tuple[int, int]] = []
    token_entity: dict[int, EntityDraft] = {}
    ordered: list[EntityDraft] = []

    def new_entity(label: str, name: str, tokens: tuple[str, ...]) -> EntityDraft:
        entity = EntityDraft(id="", type=label, name=name, name_tokens=tokens)
        ordered.append(entity)
        return entity

    for start, end, label in spans:
        span = doc[start:end]
        if label == "PERSON":
            tokens = tuple(plain(span.text).split())
            if not tokens:
                continue
            if len(tokens) == 1:
                singles.append((start, end))
                continue
            entity = _find_person(people_full, tokens)
            if entity is None:
                entity = new_entity("PERSON", span.text, tokens)
                people_full.append(entity)
            elif len(tokens) > len(entity.name_tokens):
                entity.name, entity.name_tokens = span.text, tokens
            entity.add(span.start_char, span.end_char, "name")
        else:
            key = (label, plain(span.text))
            if not key[1]:
                continue
            entity = others.get(key)
            if entity is None:
                entity = others[key] = new_entity(label, span.text, ())
            entity.add(span.start_char, span.end_char, "name")
        for i in range(start, end):
            token_entity[i] = entity

    for start, end in singles:
        span = doc[start:end]
        token = plain(span.text)
        entity, kind = _match_single(people_full, token, span.start_char)
        if entity is None:
            entity = new_entity("PERSON", span.text, (token,))
            people_full.append(entity)
        entity.add(span.start_char, span.end_char, kind)
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
        if len(person.name_tokens) > 1:
            owners.setdefault(person.name_tokens[-1], []).append(person)
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
        # "Vladimir Putin" and "Vladimir V. Putin": same first and last name.
        if len(known) > 1 and known[0] == tokens[0] and known[-1] == tokens[-1]:
            return entity
    return None


def _match_single(people: list[EntityDraft], token: str, at: int) -> tuple[EntityDraft | None, str]:
    """A one-word name: a surname (or first name) of a full name in the article."""
    for position, kind in ((-1, "surname"), (0, "name")):
        candidates = [e for e in people if len(e.name_tokens) > 1 and e.name_tokens[position] == token]
        if candidates:
            # Nearest earlier full mention wins; else the first later one.
            def distance(entity: EntityDraft) -> tuple[int, int]:
                firsts = [s for s, _, _ in entity.mentions]
                before = [at - s for s in firsts if s <= at]
                return (0, min(before)) if before else (1, min(firsts) - at)

            return min(candidates, key=distance), kind
    for entity in people:
        if entity.name_tokens == (token,):
            return entity, "name"
    return None, "name"
