"""The peers `newsgraph eval` runs beside our extraction, turned into our span format.

- quotes: textacy's `extract.triples.direct_quotations` on the very Doc we parse;
- entities: the named entities of the same spaCy pipeline, untouched;
- time: dateparser's `search.search_dates`, anchored at the creation time.

textacy and dateparser come with the `eval` extra; they are imported only
when a peer runs.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from newsgraph.record import span

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "PeerSkipped",
    "dateparser_times",
    "load_dateparser",
    "load_textacy",
    "spacy_entities",
    "textacy_quotes",
]


class PeerSkipped(Exception):
    """The peer declines a document by design (not a crash): it counts as finding nothing."""


def load_textacy() -> None:
    """Import textacy (seconds) once, before worker processes fork and share it."""
    import textacy.extract.triples  # noqa: F401


def textacy_quotes(doc: Doc) -> list[dict[str, Any]]:
    """textacy's (speaker, cue, content) triples as record-style quotes with character spans.

    textacy bails out of a whole document with an odd number of quote marks;
    that raises PeerSkipped.
    """
    from textacy.extract.triples import direct_quotations

    text = doc.text
    try:
        triples = list(direct_quotations(doc))
    except ValueError as exc:
        if "quotation" in str(exc):
            raise PeerSkipped(str(exc)) from None
        raise
    quotes = []
    for speaker, cue, content in triples:
        speaker_span = span(text, speaker[0].idx, speaker[-1].idx + len(speaker[-1]))
        cue_span = span(text, cue[0].idx, cue[-1].idx + len(cue[-1]))
        quotes.append(
            {
                "content": span(text, content.start_char, content.end_char),
                "cue": cue_span,
                "speaker_mention": speaker_span,
                "speaker": speaker_span["text"],
            }
        )
    return quotes


def spacy_entities(doc: Doc) -> list[tuple[int, int, str]]:
    """(start_char, end_char, spaCy label) of every entity the pipeline tags."""
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


# search_dates returns "On Friday", "in June 1997": TIMEX3 leaves the preposition
# out, so it is trimmed before scoring (the rest of the string is kept as found).
# No "^": Pattern.match(text, pos) anchors at pos, where "^" would not match.
_LEADING_PREPOSITION = re.compile(
    r"(?:as of|on|in|at|by|since|from|until|till|to|for|of|during|before|after|around)\s+",
    re.IGNORECASE,
)
_EDGE_PUNCT = ",.;:!?()[]\"'“”‘’ \t\n"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    while m := _LEADING_PREPOSITION.match(text, start, end):
        if m.end() >= end:
            break
        start = m.end()
    return start, end


def timex_value(moment: dt.datetime, period: str) -> tuple[str, str]:
    """(TIMEX3 type, value) for a dateparser datetime at the granularity it reports.

    time -> TIME YYYY-MM-DDTHH:MM; day -> DATE YYYY-MM-DD; week -> DATE
    YYYY-Www (ISO week); month -> DATE YYYY-MM; year -> DATE YYYY.
    """
    if period == "time":
        return "TIME", moment.strftime("%Y-%m-%dT%H:%M")
    if period == "week":
        year, week, _ = moment.isocalendar()
        return "DATE", f"{year:04d}-W{week:02d}"
    if period == "month":
        return "DATE", moment.strftime("%Y-%m")
    if period == "year":
        return "DATE", f"{moment.year:04d}"
    return "DATE", moment.strftime("%Y-%m-%d")


def load_dateparser() -> None:
    """Import dateparser and load its English data once, before worker processes fork."""
    dateparser_times("on 1 May 2000", dt.date(2000, 1, 1))


def dateparser_times(text: str, anchor: dt.date | None) -> list[dict[str, Any]]:
    """Time expressions dateparser finds, located in `text`, with TIMEX3-style values.

    dateparser gives strings and datetimes only; each string is found in the
    text from the end of the previous one, and its granularity comes from
    parsing the string again with `DateDataParser.get_date_data`.
    """
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"RETURN_TIME_AS_PERIOD": True}
    if anchor is not None:
        settings["RELATIVE_BASE"] = dt.datetime(anchor.year, anchor.month, anchor.day)
    found = search_dates(text, languages=["en"], settings=settings) or []
    parser = DateDataParser(languages=["en"], settings=settings)
    times = []
    cursor = 0
    for fragment, moment in found:
        at = text.find(fragment, cursor)
        if at < 0:
            at = text.find(fragment)
            if at < 0:
                continue
        cursor = at + len(fragment)
        start, end = _trim(text, at, cursor)
        data = parser.get_date_data(text[start:end])
        period = data.period if data and data.date_obj else "day"
        kind, value = timex_value(moment, period or "day")
        times.append({"start": start, "end": end, "text": text[start:end], "type": kind, "value": value})
    return times
