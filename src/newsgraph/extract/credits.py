"""Photo credits, bylines and agency tags.

Credit lines are found before quotes so that they can be kept out of
quotes and out of the discourse (a photographer is not who "he" refers to).
"""

from __future__ import annotations

import re

from newsgraph.lexicon import AGENCIES, NAME_PARTICLES, alternation
from newsgraph.record import Credit

_NAME = rf"[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|{alternation(NAME_PARTICLES, flexible_space=False)}))*"
_PHOTO = re.compile(
    r"^[ \t]*(?i:photo(?:graph)?s?|picture|image|pic)(?:[ \t]+(?i:credits?|by))?[ \t]*[:：][ \t]*"
    r"(?P<body>[^\n]{1,120}?)[ \t]*$",
    re.MULTILINE,
)
_PHOTO_BY = re.compile(
    r"^[ \t]*(?i:photo(?:graph)?s?)[ \t]+by[ \t]+(?P<body>[^\n]{1,120}?)[ \t]*$", re.MULTILINE
)
_BYLINE = re.compile(
    rf"^[ \t]*(?i:by)[ \t]+(?P<name>{_NAME})(?:[ \t]*(?:,|\||and\b|$))",
    re.MULTILINE,
)
# "RIA Novosti" exactly as written: a tag never breaks across lines.
_AGENCY_ALT = alternation(AGENCIES, flexible_space=False)
_AGENCY_TAG = re.compile(
    rf"\((?P<agency>{_AGENCY_ALT})\)|^[ \t]*[-–—][ \t]*(?P<tail>{_AGENCY_ALT})[ \t]*$", re.MULTILINE
)


def _photo_credit(text: str, start: int, end: int) -> list[Credit]:
    body = text[start:end]
    name, _, agency = body.partition("/")
    name_end = start + len(name.rstrip())
    credit: Credit = {"kind": "photo", "name": name.strip(), "start": start, "end": name_end}
    agency = agency.strip()
    credit["agency"] = agency or None
    return [credit] if credit["name"] else []


def find_credits(text: str) -> tuple[list[Credit], list[tuple[int, int]]]:
    """Credits, and the character ranges of the credit lines themselves."""
    credits: list[Credit] = []
    lines: list[tuple[int, int]] = []
    for pattern in (_PHOTO, _PHOTO_BY):
        for match in pattern.finditer(text):
            found = _photo_credit(text, match.start("body"), match.end("body"))
            if found and not any(c["start"] == found[0]["start"] for c in credits):
                credits.extend(found)
                lines.append((match.start(), match.end()))
    for match in _BYLINE.finditer(text):
        line_end = text.find("\n", match.start())
        line_end = len(text) if line_end < 0 else line_end
        # A byline is a short line of its own, not a sentence starting "By 2030 ...".
        if line_end - match.start() > 80:
            continue
        credits.append(
            {
                "kind": "byline",
                "name": match.group("name"),
                "start": match.start("name"),
                "end": match.end("name"),
            }
        )
        lines.append((match.start(), line_end))
    for match in _AGENCY_TAG.finditer(text):
        group = "agency" if match.group("agency") else "tail"
        credits.append(
            {
                "kind": "agency",
                "name": match.group(group),
                "start": match.start(group),
                "end": match.end(group),
            }
        )
        lines.append((match.start(), match.end()))
    credits.sort(key=lambda c: c["start"])
    return credits, sorted(lines)
