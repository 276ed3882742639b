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


def scan_quote_marks(text: str) -> list[Marked]:
    """Pair quote marks paragraph by paragraph.

    A paragraph that ends inside a quote continues it when the next
    paragraph reopens with a quote mark, the newspaper convention for
    multi-paragraph quotes; otherwise the quote ends with its paragraph.
    """
    found: list[Marked] = []
    opened: tuple[int, str] | None = None  # (position, opening mark)
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
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
            fits = (
                mark in closers
                if len(mark) > 1
                else (mark in closers or (mark in _CLOSERS_ONLY and len(opener) == 1 and opener != '"'))
            )
            if fits:
                found.append(Marked(start, i + len(mark), start + len(opener), i, closed=True))
                opened = None
        i += len(mark)
    if opened is not None:
        start, mark = opened
        found.append(Marked(start, n, start + len(mark), n, closed=False))
    return found
