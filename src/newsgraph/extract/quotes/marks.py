"""The quote-mark scanner: the parser does not know that quote marks come in pairs."""

from __future__ import annotations

from dataclasses import dataclass

# Each opening mark with the marks that may close it; „ is closed by either curly mark.
_OPENERS = {"“": "”", "«": "»", "„": "“”", '"': '"', "‹": "›"}
_CLOSERS_ONLY = frozenset("”»›")
# NYT-style '' and PTB `` are two characters that count as one mark.
_WIDE_OPENERS = {"''": ("''",), "``": ("''",)}


@dataclass
class Marked:
    """Text between quote marks; may run over several paragraphs."""

    open: int  # index of the opening mark
    close: int  # index just past the closing mark (or the paragraph end)
    inner_start: int
    inner_end: int
    closed: bool


def is_quote_mark(text: str) -> bool:
    """Is this token a one-character quote mark? A speaker phrase or a cue never runs past one."""
    return text in _OPENERS or text in _CLOSERS_ONLY


def _mark_at(text: str, i: int) -> str | None:
    """The quote mark starting at i, if any."""
    pair = text[i : i + 2]
    if pair in _WIDE_OPENERS:
        return pair
    char = text[i]
    return char if is_quote_mark(char) else None


def _opens_inside(text: str, i: int, mark: str, opener: str) -> bool:
    """Does `mark` at i open a quotation inside the open one ("told us “enough is enough”")?

    A curly or guillemet opener can only open; a straight mark opens where it
    stands like an opening mark: after a space or bracket and before a word.
    """
    if mark in _WIDE_OPENERS or mark not in _OPENERS:
        return False
    if mark != '"':
        return mark == opener or mark in _OPENERS
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in " \t([—–-/" and (after.isalnum() or after in "‘'$£€")


def _stands_as_closer(text: str, i: int) -> bool:
    """Is the straight mark at i placed as a closing mark: after a word or punctuation, before a space?"""
    after = text[i + 1] if i + 1 < len(text) else " "
    return i > 0 and not text[i - 1].isspace() and (after.isspace() or after in ".,;:!?)—–-")


def _after_sentence(text: str, start: int, i: int) -> bool:
    """Does a sentence end right before i, inside the quote that opened at `start`?"""
    j = i - 1
    while j > start and text[j] in " \t":
        j -= 1
    return j > start and text[j] in ".!?"


def scan_quote_marks(text: str) -> list[Marked]:
    """Pair quote marks paragraph by paragraph.

    A paragraph that ends inside a quote continues it when the next
    paragraph reopens with a quote mark, the newspaper convention for
    multi-paragraph quotes; otherwise the quote ends with its paragraph.
    A quotation inside the quotation ("told us “enough is enough” last
    year") is part of it: its marks neither close nor cut the outer one.
    An opening mark right after a sentence end inside a quote starts a new
    quote, the outer one having lost its closing mark.
    """
    found: list[Marked] = []
    opened: tuple[int, str] | None = None  # (position, opening mark)
    nested = 0  # quotations open inside the open one, in this paragraph
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            nested = 0
            if opened is not None:
                j = i
                while j < n and text[j] in " \t\r\n":
                    j += 1
                if j < n and text.startswith(opened[1], j):
                    i = j + len(opened[1])  # the reopening mark continues the same quote
                    continue
                start, mark = opened
                found.append(Marked(start, i, start + len(mark), i, closed=False))
                opened = None
            i += 1
            continue
        mark = _mark_at(text, i)
        if mark is None:
            i += 1
            continue
        if opened is None:
            straight = mark in {'"', "''"}
            # a straight mark followed by a space closes something; it cannot open
            if (mark in _OPENERS or mark in _WIDE_OPENERS) and not (
                straight and (i + len(mark) >= n or text[i + len(mark)] in " \t\n")
            ):
                opened = (i, mark)
        else:
            start, opener = opened
            closers = _WIDE_OPENERS.get(opener) or _OPENERS.get(opener, "")
            # A curly closer also closes a straight opener ("...,” said X), and a
            # straight mark that stands like a closer a curly one (“...," said X):
            # the marks of one quote are often typed on different keyboards.
            fits = (
                mark in closers
                if len(mark) > 1
                else (
                    mark in closers
                    or (mark in _CLOSERS_ONLY and len(opener) == 1)
                    or (mark == '"' and opener in "“„«" and _stands_as_closer(text, i))
                )
            )
            if nested == 0 and _opens_inside(text, i, mark, opener):
                if _after_sentence(text, start + len(opener), i):
                    found.append(Marked(start, i, start + len(opener), i, closed=False))
                    opened = (i, mark)
                else:
                    nested = 1
            elif fits and nested:
                nested = 0
            elif fits:
                found.append(Marked(start, i + len(mark), start + len(opener), i, closed=True))
                opened = None
        i += len(mark)
    if opened is not None:
        start, mark = opened
        found.append(Marked(start, n, start + len(mark), n, closed=False))
    return found
