"""Role facts: which office the article says a person holds.

Four surface forms are read: a title before the name ("TASS Director
General Andrey Kondrashov", "Kazakhstan's Ambassador to Russia Dauren
Abayev"), an apposition after it ("Dmitry Peskov, the Press Secretary of the
Russian President,") or before it ("the Russian President, Vladimir Putin,"),
and a copula ("X is the chief executive of Y").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsgraph.extract.entities import EntityDraft, EntityTable
from newsgraph.lexicon import (
    DEMONYMS,
    FIXED_TITLES,
    HONORIFICS,
    ORG_HEADS,
    PARTIES,
    PORTFOLIO_HEADS,
    POSSESSIVE_MARKERS,
    ROLE_MODIFIER_WORDS,
    ROLE_MODIFIERS,
    TITLE_CONNECTORS,
    TITLE_HEADS,
    TITLE_PREPOSITIONS,
    TITLE_QUALIFIERS,
    TITLE_WORDS,
    table,
    word_set,
)
from newsgraph.names import plain
from newsgraph.record import Role, span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A bare apostrophe closes a single-quoted phrase as often as it marks a
# possessive, so only "'s" carries a title on to the name after it.
_POSSESSIVE_S = frozenset(marker for marker in POSSESSIVE_MARKERS if marker.endswith("s"))
_MODIFIER_FIRST = frozenset(words[0] for words in ROLE_MODIFIERS)


def _full_names(numbered: dict[str, str]) -> frozenset[str]:
    """The longest name of each day or month: "Sun" may be a newspaper, "Sunday" is not."""
    longest: dict[str, str] = {}
    for name, number in numbered.items():
        if len(name) > len(longest.get(number, "")):
            longest[number] = name
    return frozenset(longest.values())


# Days and months are read as proper nouns ("On Tuesday Foreign Secretary
# Jack Straw"); like honorifics and title words other than portfolios they
# never name an organisation.
_NOT_ORGS = (
    _full_names(table("timex_weekdays"))
    | _full_names(table("timex_months"))
    | frozenset(HONORIFICS)
    | TITLE_HEADS
    | word_set("not_org_words")
)


@dataclass
class TitlePhrase:
    title: str
    org: str | None
    org_entity: EntityDraft | None
    modifier: str | None
    start_char: int
    end_char: int

    @property
    def head(self) -> str:
        return self.title.split(" of ")[0].split(" to ")[0].lower()


def _is_title_word(token: Token) -> bool:
    return token.lower_ in TITLE_WORDS


def parse_title(doc: Doc, tokens: list[Token], table: EntityTable) -> TitlePhrase | None:
    """Split a title phrase into modifier, organisation and title proper."""
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in TITLE_CONNECTORS):
        tokens = tokens[:-1]
    # "Prime minister designate", "President-elect": the modifier comes last.
    trailing = None
    while tokens and (tokens[-1].lower_ in ROLE_MODIFIER_WORDS or tokens[-1].text == "-"):
        if tokens[-1].text != "-":
            trailing = tokens[-1].lower_
        tokens = tokens[:-1]
    core_at = _core(tokens)
    if core_at is None:
        return None
    head_at, core_end = core_at
    core = tokens[head_at:core_end]
    # "Shultz and Defense Secretary Caspar Weinberger": what comes before an
    # "and" (outside an organisation's name) is another noun phrase.
    cut = max(
        (
            i + 1
            for i, t in enumerate(tokens[:head_at])
            if t.lower_ == "and" and t.i not in table.token_entity and t.nbor().text[:1].isupper()
        ),
        default=0,
    )

    modifier = trailing
    org: str | None = None
    org_entity: EntityDraft | None = None
    org_tokens: list[Token] = []
    prefix = tokens[cut:head_at]
    i = 0
    while i < len(prefix):
        lowered = tuple(t.lower_ for t in prefix[i : i + 2])
        words = next((m for m in ROLE_MODIFIERS if lowered[: len(m)] == m), None)
        if words:
            modifier = " ".join(t.text for t in prefix[i : i + len(words)]).lower()
            i += len(words)
            continue
        token = prefix[i]
        entity = table.token_entity.get(token.i)
        if entity is not None and entity.type in {"ORG", "GPE", "NORP", "LOC"}:
            start = i
            # an entity spans several tokens: skip to its end
            while i + 1 < len(prefix) and table.token_entity.get(prefix[i + 1].i) is entity:
                i += 1
            if org_tokens and org_tokens[-1].i + 1 == token.i:
                # "Liberal | Democrat leader": two tagged pieces of one name.
                org_tokens.extend(prefix[start : i + 1])
                org, org_entity = _text(doc, org_tokens), None
            elif i + 1 == len(prefix) and table.token_entity.get(core[0].i) is entity:
                # "EC Agriculture | Commissioner": the tagger ran the organisation into the title.
                org_tokens = prefix[start:]
                org, org_entity = _text(doc, org_tokens), None
                org = DEMONYMS.get(org.lower(), org)
            else:
                org_tokens = prefix[start : i + 1]
                org_entity = entity
                org = DEMONYMS.get(entity.name.lower(), entity.name) if entity.type == "NORP" else entity.name
        elif token.lower_ in DEMONYMS and token.text[:1].isupper():
            org = DEMONYMS[token.lower_]
        elif token.lower_ in PARTIES and token.text[:1].isupper():
            org, org_entity, org_tokens = token.text, None, [token]
        elif token.pos_ == "PROPN" and token.text[:1].isupper() and org is None and _can_be_org(token.text):
            org = token.text
        i += 1

    complements: list[tuple[str, list[Token]]] = []
    for token in tokens[core_end:]:
        if token.lower_ in TITLE_PREPOSITIONS and (
            not complements or token.lower_ != "of" or complements[-1][0] != "of"
        ):
            complements.append((token.lower_, []))
        elif complements:
            complements[-1][1].append(token)
        else:
            break
    title_parts = [_text(doc, core)]
    portfolio = core[-1].lower_ in PORTFOLIO_HEADS
    for prep, words in complements:
        if not words:
            continue
        whole = f"{' '.join(title_parts)} {prep} {_text(doc, words)}"
        if " ".join(whole.lower().split()) in FIXED_TITLES:
            title_parts = [whole]
        elif prep == "of" and org is None and not (portfolio and words[0].lower_ != "the"):
            named = [t for t in words if t.lower_ != "the"]
            org = _text(doc, named) if named else None
            org_entity = _entity_covering(table, named)
        else:
            title_parts.append(f"{prep} {_text(doc, words)}")
    if org and (not _can_be_org(org) or (modifier is None and org.lower() in _MODIFIER_FIRST)):
        org, org_entity = None, None
    return TitlePhrase(
        title=" ".join(title_parts),
        org=org,
        org_entity=org_entity,
        modifier=modifier,
        start_char=tokens[0].idx,
        end_char=tokens[-1].idx + len(tokens[-1]),
    )


def _core(tokens: list[Token]) -> tuple[int, int] | None:
    """Where the title proper starts and ends: the first run of title words with a
    head in it ("Mining Industry Council | President", "Shadow Home Secretary")."""
    i = 0
    while i < len(tokens):
        if not _is_title_word(tokens[i]) or tokens[i].lower_ in _MODIFIER_FIRST:
            i += 1
            continue
        end = i
        while end < len(tokens) and (
            _is_title_word(tokens[end])
            # "vice-president", "co-chairman": a hyphen inside one title word
            or (
                tokens[end].text == "-"
                and not tokens[end - 1].whitespace_
                and not tokens[end].whitespace_
                and end + 1 < len(tokens)
                and _is_title_word(tokens[end + 1])
            )
            # "Finance and Petroleum Minister": one title over two portfolios.
            or (
                tokens[end].lower_ in {"and", "&"}
                and end + 1 < len(tokens)
                and _is_title_word(tokens[end + 1])
                and tokens[end - 1].lower_ in TITLE_QUALIFIERS
            )
        ):
            end += 1
        # "General Motors chairman", "Justice Department spokesman": a title
        # word that starts a longer name is no title.
        in_name = (
            end < len(tokens)
            and tokens[end].text[:1].isupper()
            and tokens[end].lower_ not in TITLE_CONNECTORS
        )
        if not in_name and any(t.lower_ in TITLE_HEADS for t in tokens[i:end]):
            return i, end
        i = end
    return None


def _can_be_org(name: str) -> bool:
    words = name.lower().split()
    return bool(words) and not all(w.rstrip(".") in _NOT_ORGS or w in _NOT_ORGS for w in words)


def _text(doc: Doc, tokens: list[Token]) -> str:
    if not tokens:
        return ""
    return doc[tokens[0].i : tokens[-1].i + 1].text


def _entity_covering(table: EntityTable, tokens: list[Token]) -> EntityDraft | None:
    found = {id(e): e for t in tokens if (e := table.token_entity.get(t.i)) is not None}
    if len(found) == 1:
        entity = next(iter(found.values()))
        if entity.type != "PERSON":
            return entity
    return None


def _title_before(doc: Doc, first: Token, table: EntityTable) -> list[Token]:
    """The run of title-ish tokens right before a name, back to a boundary."""
    # The parser sometimes splits "TASS | Director General ..."; only
    # punctuation and line breaks end a title.
    collected: list[Token] = []
    i = first.i - 1
    while i >= 0:
        token = doc[i]
        lower = token.lower_
        if token.is_space or "\n" in token.whitespace_:
            break
        if token.is_punct and token.text not in {"-", "&"}:
            break
        if table.token_entity.get(i) is not None and table.token_entity[i].type == "PERSON":
            break
        capitalised = token.text[:1].isupper()
        if not (
            capitalised
            or lower in TITLE_WORDS
            or lower in TITLE_CONNECTORS
            or token.text in _POSSESSIVE_S
            or lower in ROLE_MODIFIER_WORDS
            # "Ex-chancellor", "President-elect": a hyphen inside a word
            or (token.text == "-" and not token.whitespace_ and i > 0 and not doc[i - 1].whitespace_)
            # "Congress party president Sonia Gandhi", not "government of President X"
            or (lower in ORG_HEADS and i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].lower_ != "the")
        ):
            break
        collected.append(token)
        i -= 1
    # "the prime minister and Mr Brown": a title that a conjunction (and the
    # honorific) separates from the name belongs to somebody else.
    while collected and collected[0].lower_ in HONORIFICS:
        collected = collected[1:]
    if collected and collected[0].lower_ in TITLE_CONNECTORS:
        return []
    collected.reverse()
    # "a spokesman for Prime Minister Tony Blair": when what follows the last
    # preposition is a title of its own, the title before it is somebody else's
    # (but "Director of the Complex of the President of Kazakhstan X" is X's).
    last = max((at for at, t in enumerate(collected) if t.lower_ in TITLE_PREPOSITIONS), default=None)
    if last is not None and _core(collected[last + 1 :]) is not None:
        collected = collected[last + 1 :]
    while collected and collected[0].lower_ in TITLE_CONNECTORS - {"the"}:
        collected = collected[1:]
    return collected


def _title_apposition(
    doc: Doc, name_head: Token, table: EntityTable, taken: set[int]
) -> tuple[list[Token], bool] | None:
    """("Dmitry Peskov, the Press Secretary ...", after) or ("the President, Vladimir Putin", before)."""
    for child in name_head.children:
        if child.dep_ == "appos" and child.lower_ in TITLE_WORDS:
            words = _contiguous(list(child.subtree))
            # "John Major, then prime minister": the parser hangs "then" on the name.
            if words and words[0].i > 0 and doc[words[0].i - 1].lower_ in ROLE_MODIFIER_WORDS:
                words = [doc[words[0].i - 1], *words]
            # In a list ("X, Deputy Minister Y, ...") the title belongs to the
            # next name, not to this one.
            if words and not _names_a_person(doc, words, table) and not taken & {t.i for t in words}:
                return words, True
            return None
    if name_head.dep_ == "appos" and name_head.head.lower_ in TITLE_WORDS:
        head = name_head.head
        person = table.token_entity.get(name_head.i)
        words = [t for t in head.subtree if t.i < name_head.i and table.token_entity.get(t.i) is not person]
        return _contiguous(words), False
    verb = name_head.head
    # "Clinton should be president", "X is not the governor": a wish or a denial, no office.
    hedged = any(c.dep_ == "neg" or (c.dep_ == "aux" and c.tag_ == "MD") for c in verb.children)
    if name_head.dep_ in {"nsubj", "nsubjpass"} and verb.lemma_ == "be" and not hedged:
        for child in verb.children:
            if child.dep_ == "attr" and child.lower_ in TITLE_WORDS:
                return _contiguous(list(child.subtree)), True
    return None


def _names_a_person(doc: Doc, words: list[Token], table: EntityTable) -> bool:
    after = words[-1].i + 1
    indices = [t.i for t in words] + ([after] if after < len(doc) else [])
    return any((e := table.token_entity.get(i)) is not None and e.type == "PERSON" for i in indices)


def _contiguous(tokens: list[Token]) -> list[Token]:
    """Cut at the first comma or clause: appositions end at the next comma."""
    out: list[Token] = []
    for token in tokens:
        if out and (token.text in {",", ";", "(", ")"} or token.dep_ in {"relcl", "acl"}):
            break
        out.append(token)
    while out and out[0].is_punct:
        out = out[1:]
    return out


def extract_roles(doc: Doc, table: EntityTable, as_of: str | None) -> list[Role]:
    roles: list[Role] = []
    seen: set[tuple[str, str, str | None]] = set()
    text = doc.text
    names = [
        (person, start_char, end_char, name_span)
        for person in table.people()
        for start_char, end_char, kind in sorted(person.mentions)
        if kind in {"name", "surname"}
        and (name_span := doc.char_span(start_char, end_char, alignment_mode="expand")) is not None
    ]
    titled: dict[int, TitlePhrase] = {}
    taken: set[int] = set()
    for index, (_, _, _, name_span) in enumerate(names):
        before = _title_before(doc, name_span[0], table)
        phrase = parse_title(doc, before, table) if before else None
        if phrase is not None:
            titled[index] = phrase
            taken.update(t.i for t in before)
    for index, (person, start_char, end_char, name_span) in enumerate(names):
        candidates: list[tuple[TitlePhrase, int, int]] = []
        if index in titled:
            phrase = titled[index]
            candidates.append((phrase, phrase.start_char, end_char))
        apposition = _title_apposition(doc, name_span.root, table, taken)
        if apposition is not None:
            words, after = apposition
            phrase = parse_title(doc, words, table) if words else None
            if phrase is not None:
                if after:
                    candidates.append((phrase, start_char, phrase.end_char))
                else:
                    candidates.append((phrase, phrase.start_char, end_char))
        for phrase, ev_start, ev_end in candidates:
            key = (
                person.id,
                plain(phrase.title),
                phrase.org and plain(phrase.org),
            )
            if key in seen:
                continue
            seen.add(key)
            roles.append(
                {
                    "person": person.id,
                    "title": phrase.title,
                    "org": phrase.org_entity.id if phrase.org_entity is not None else phrase.org,
                    "modifier": phrase.modifier,
                    "as_of": as_of,
                    "inferred": False,
                    "evidence": span(text, ev_start, ev_end),
                    "org_name": phrase.org,
                }
            )
    return _drop_subsumed(roles)


def _drop_subsumed(roles: list[Role]) -> list[Role]:
    """ "President Putin" adds nothing once "the Russian President, Vladimir Putin" is known."""
    kept = []
    for role in roles:
        subsumed = role["org"] is None and any(
            other is not role
            and other["person"] == role["person"]
            and other["org"] is not None
            and plain(other["title"]) == plain(role["title"])
            for other in roles
        )
        if not subsumed:
            kept.append(role)
    return kept


def title_matches(role: Role, head: str, org_hint: str | None) -> bool:
    """Does a title-only description ("the Russian President") fit this role?"""
    if plain(role["title"]).split(" of ")[0] != plain(head):
        return False
    if org_hint is None:
        return True
    org_name = role.get("org_name") or ""
    return plain(org_hint) in plain(f"{org_name} {role['title']}")
