"""The headline a plain-text article may open with (BBC-style: a short line, then the body).

Only a line that cannot be anything else is taken: an ordinary first sentence,
a wire dateline ("WASHINGTON (AP) --"), a byline, a bare date or a line of
hard-wrapped prose is not a headline, and a wrong title is worse than none.
"""

from __future__ import annotations

import re

from newsgraph.lexicon import AGENCIES, TITLE_CASE_SMALL_WORDS, alternation

MAX_HEADLINE_CHARS = 150

# A place in capitals with an optional date, then an agency in brackets or
# slashes ("LONDON, Nov 18 (Reuters)", "MOSCOW, November 18 /TASS/") or a dash.
_PLACE = r"[A-Z][A-Z.'\u2019-]{2,}(?:\s+[A-Z][A-Z.'\u2019-]*){0,3}"
_DATELINE = re.compile(
    rf"^{_PLACE}(?:,[^()/\n]{{0,40}})?\s*(?:[(/]{alternation(AGENCIES)}[)/]|(?:--|\u2014|\u2013|-)(?:\s|$))"
)
# A dateline alone on its line: one or two words in capitals, maybe a date after a comma.
_BARE_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\u2019-]*(?:\s+[A-Z][A-Z.'\u2019-]*)?(?:,\s*[A-Za-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?)?$"
)
_BYLINE = re.compile(r"^By\s+[A-Z]")
# Digits, punctuation and calendar words only: "18 November 2024", "Monday, Nov. 18, 2024".
_DATE_ONLY = re.compile(
    r"^(?:[\d\s,./:-]|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b|\b(?:GMT|UTC|BST)\b)+$"
)
# A sentence ends inside the line and another begins: prose, not a headline.
_TWO_SENTENCES = re.compile(r"[a-z]{2}[.!?][\"'\u201d\u2019]?\s+[\"'\u201c\u2018]?[A-Z]")
_SENTENCE_END = (".", '."', ".'", ".\u201d", ".\u2019", ":", ";", ",", "-", "\u2014", "\u2013")


def headline(text: str) -> str | None:
    """The first line of `text` when it is a headline, else None; `text` is not changed."""
    first, _, rest = text.partition("\n")
    line = first.strip()
    if not line or not rest.strip() or len(line) > MAX_HEADLINE_CHARS:
        return None
    if not any(char.isalpha() for char in line):
        return None
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'\u201c\u2018"):
        return None
    if line.endswith(_SENTENCE_END) or _TWO_SENTENCES.search(line):
        return None
    if _DATELINE.match(line) or _BARE_DATELINE.match(line) or _BYLINE.match(line) or _DATE_ONLY.match(line):
        return None
    last_word = re.sub(r"\W+$", "", line).rsplit(None, 1)[-1].lower() if line.split() else ""
    if last_word in TITLE_CASE_SMALL_WORDS:
        return None  # "... the" ends a wrapped line, never a headline
    following = rest.split("\n", 1)[0].strip()
    if following and _wrapped(line, following):
        return None
    return line


def _wrapped(line: str, following: str) -> bool:
    """With no blank line between them, whether `line` reads as the first line of
    hard-wrapped prose rather than a headline over the body."""
    if following[0].islower():
        return True
    # Wrapped lines are about as long as the lines after them; a headline is
    # much shorter than the paragraph it stands over.
    return len(line) > 0.75 * len(following)
