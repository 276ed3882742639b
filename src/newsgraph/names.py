"""Keys that make two spellings of one name compare equal.

Russian and Kazakh names reach English news in several transliterations
(Vassilenko/Vasilenko, Yespayeva/Espaeva, Yevgeny/Evgeny,
Kassym-Jomart/Kasym-Zhomart). The key folds the usual variants onto one
skeleton; it is only ever compared, never shown.
"""

from __future__ import annotations

import re
import unicodedata

from newsgraph.lexicon import DEMONYMS, FIRST_NAMES, GROUP_NOUNS, HONORIFICS, PARTIES, PEERAGES, TITLE_WORDS


def plain(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


_FOLDS = (
    (re.compile(r"zh"), "j"),
    (re.compile(r"dzh"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"\by(?=[aeiou])"), ""),  # Yevgeny -> evgeny, Yespayeva -> espayeva
    (re.compile(r"(?<=[aeiou])y(?=[aeiou])"), ""),  # espayeva -> espaeva
    (re.compile(r"iy\b|yy\b"), "i"),  # Dmitriy -> dmitri
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),  # Vassilenko -> vasilenko, Kassym -> kasim
)
# An honorific says a person's gender (Mr, Lady); the others say nothing of it.
HONORIFIC_GENDER = {plain(word): gender for word, gender in HONORIFICS.items()}
# Dropped wherever they stand, as keys always have been; the other honorifics only lead a
# name, since "Baron" and "Lord" end some names (Martin Baron).
_ANYWHERE = frozenset("mr mrs ms miss dr sir madam mme jr sr".split())
_HONORIFICS = _ANYWHERE | HONORIFIC_GENDER.keys()
# Words the tagger takes for a person's name that name a party or a group.
NOT_PEOPLE = frozenset(
    {plain(w) for w in PARTIES | GROUP_NOUNS}
    | {plain(d) for d in DEMONYMS}
    | {plain(d) + "s" for d in DEMONYMS}
)


def _name_words(name: str) -> list[str]:
    """A name's words without honorifics and initials."""
    words = plain(name).split()
    while words and words[0] in _HONORIFICS:
        words.pop(0)
    return [w for w in words if w not in _ANYWHERE and len(w) > 1]


def name_key(name: str) -> str:
    """Transliteration-folded key of a person's name, honorifics and initials dropped."""
    words = _name_words(name)
    folded = []
    for word in words:
        for pattern, replacement in _FOLDS:
            word = pattern.sub(replacement, word)
        folded.append(word)
    return " ".join(folded)


def short_key(key: str, gender: str | None) -> str:
    """The key an entity is minted under for a one-word name: "Mrs Blair" apart from "Blair".

    Only a woman's key is qualified, so that the many stores minted before gender was
    known keep their ids for "Mr Blair" and "Blair"; "Mrs Blair" no longer joins them.
    """
    return f"{key} (female)" if gender == "female" and key else key


def honorific_gender(name: str) -> str | None:
    """The gender the honorific a name starts with says: "Mrs Blair" -> "female"."""
    words = plain(name).split()
    return HONORIFIC_GENDER.get(words[0]) if words else None


def is_peerage(name: str) -> bool:
    """ "Lord Woolf": a peer's title, often not the surname the peer was born with."""
    words = plain(name).split()
    return bool(words) and words[0] in PEERAGES


def spelt_alike(short: str, full: str) -> bool:
    """A short name written as the full name's surname or its first names, honorifics and
    initials aside; keys fold transliterations, which also folds "Scot" into "Scott"."""
    words = [w for w in plain(short).split() if w not in HONORIFIC_GENDER and len(w) > 1]
    target = [w for w in plain(full).split() if len(w) > 1]
    return bool(words) and bool(target) and (target[-1] == words[-1] or target[: len(words)] == words)


_NAME_CHARACTERS = re.compile(r"[^\W\d_][\w.'’-]*")


def looks_like_a_name(name: str) -> bool:
    """Words a name is made of, not a tagging slip that glued a word on ("Xinhua)--- Africa",
    "Asian Games", "Veterinarian Bret Marsh", "UN Alejandro Wolff")."""
    words = name.split()
    first = plain(words[0]) if words else ""
    return (
        all(_NAME_CHARACTERS.fullmatch(word) for word in words)
        and first not in DEMONYMS
        and first not in TITLE_WORDS
        and not (words[0].isupper() and len(words[0]) > 1 and "." not in words[0])
    )


def first_name_gender(name: str) -> str | None:
    """The gender of a full name's first name, when the first-name lists know it."""
    words = _name_words(name)
    if len(words) < 2:
        return None
    found = [gender for gender, names in FIRST_NAMES.items() if words[0] in names]
    return found[0] if len(found) == 1 else None


def given_name(name: str) -> bool:
    """Whether a one-word name ("Romano", "Mr Romano" aside) is on the first-name lists."""
    words = _name_words(name)
    return len(words) == 1 and any(words[0] in names for names in FIRST_NAMES.values())


def initials(name: str) -> list[str]:
    """The initials written before a name's first full word: "H.D. Deve Gowda" -> ["h", "d"]."""
    found = []
    for word in plain(name).split():
        if word in _HONORIFICS:
            continue
        if len(word) > 1:
            break
        found.append(word)
    return found


def initials_fit(short: str, full: str) -> bool:
    """Initials written with a short name ("J. Jones") are the full name's, or start its first
    name: "J. Jones" may be John Jones, never Peter Jones."""
    written = initials(short)
    if not written:
        return True
    theirs = initials(full)
    if theirs:
        return theirs[: len(written)] == written
    return plain(full).startswith(written[0])


def not_a_person(name: str) -> bool:
    """A party, a demonym or a group noun ("Lib Dems", "Britons"), or an honorific alone ("Ms"),
    that the tagger took for a person's name."""
    text = plain(name)
    return text in NOT_PEOPLE or not name_key(name)


def surname_key(name: str) -> str:
    key = name_key(name)
    return key.split()[-1] if key else ""


def org_key(name: str) -> str:
    """Organisation or place: case, accents, punctuation and a leading "the" ignored."""
    words = plain(name).split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) == 1 and words[0] in DEMONYMS:
        return plain(DEMONYMS[words[0]])
    return " ".join(words)


def title_key(title: str) -> str:
    return plain(title)


def quote_key(text: str) -> str:
    """Statements reported with different punctuation or quote marks are one statement."""
    return plain(text)
