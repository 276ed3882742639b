"""Keys that make two spellings of one name compare equal.

Russian and Kazakh names reach English news in several transliterations
(Vassilenko/Vasilenko, Yespayeva/Espaeva, Yevgeny/Evgeny,
Kassym-Jomart/Kasym-Zhomart). The key folds the usual variants onto one
skeleton; it is only ever compared, never shown.
"""

from __future__ import annotations

import re
import unicodedata

from newsgraph.lexicon import DEMONYMS


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
_HONORIFICS = frozenset("mr mrs ms miss dr sir madam mme jr sr".split())


def name_key(name: str) -> str:
    """Transliteration-folded key of a person's name, honorifics and initials dropped."""
    words = [w for w in plain(name).split() if w not in _HONORIFICS and len(w) > 1]
    folded = []
    for word in words:
        for pattern, replacement in _FOLDS:
            word = pattern.sub(replacement, word)
        folded.append(word)
    return " ".join(folded)


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
