"""The word lists the TIMEX rules read (from `lexicon/data/timex_*.txt`) and the
regex building blocks generated from them, compiled into the rules at import.

Each list is loaded once here; a pattern that needs a list's words gets them
through `alternation`, so the regexes and the tables that normalise what
they match cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsgraph.lexicon import alternation, table, word_set, words


def _numbers(name: str) -> dict[str, int]:
    return {key: int(value) for key, value in table(name).items()}


def _full_names(names: dict[str, int]) -> list[str]:
    """The longest name of each value: "september" of september/sept/sep."""
    longest: dict[int, str] = {}
    for name, value in names.items():
        if len(name) > len(longest.get(value, "")):
            longest[value] = name
    return list(longest.values())


def _apostrophes(pattern: str) -> str:
    """Let a straight apostrophe in a generated pattern match a curly one too."""
    return pattern.replace("'", "['’]")


# --------------------------------------------------------------------------- tables

MONTHS = _numbers("timex_months")
WEEKDAYS = _numbers("timex_weekdays")
NUMBERS = _numbers("timex_numbers")
SCALES = _numbers("timex_number_scales")
ORDINALS = _numbers("timex_ordinals")
DECADES = _numbers("timex_decades")
STEPS = _numbers("timex_relative_steps")
VAGUE_COUNTS = word_set("timex_vague_counts")
PARTS_OF_DAY = table("timex_parts_of_day")
SEASONS = table("timex_seasons")
SET_ADVERBS = table("timex_set_adverbs")
REFERENCES = table("timex_references")
HOLIDAYS = table("timex_holidays")
TEMPORAL_PREPS = word_set("timex_temporal_preps")
RATE_WORDS = word_set("timex_rate_words")
FUTURE_MODALS = word_set("timex_future_modals")
FUTURE_LEMMAS = word_set("timex_future_lemmas")
# unit -> (TIMEX3 letters, clock unit?)
UNIT_CODE = {
    unit: (code.removeprefix("T"), code.startswith("T")) for unit, code in table("timex_units").items()
}
UNIT_PLURALS = table("timex_unit_plurals")

# The word that spells each number: NUMBERS lists it first for its value.
_SPELLED = {value: word for word, value in reversed(NUMBERS.items())}


def _spelled(values: Iterable[int]) -> str:
    return alternation(_SPELLED[value] for value in values)


# --------------------------------------------------------------------------- patterns

_MONTH_NAMES = _full_names(MONTHS)
_WEEKDAY_NAMES = _full_names(WEEKDAYS)
MONTH_FULL = alternation(_MONTH_NAMES)
# An abbreviation may end in a full stop: "Sept.", "Tues."
MONTH = rf"(?:{MONTH_FULL}|{alternation(set(MONTHS) - set(_MONTH_NAMES))}\.?)"
WEEKDAY = alternation(_WEEKDAY_NAMES)
WEEKDAY_ANY = rf"(?:{WEEKDAY}|{alternation(set(WEEKDAYS) - set(_WEEKDAY_NAMES))}\.?)"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d%])"
_TEEN_TENS = _spelled([*range(10, 20), *range(20, 100, 10)])
_DIGIT_WORD = _spelled(range(1, 10))
# Broadcast transcripts spell years out: "nineteen ninety-six".
SPOKEN_YEAR = (
    rf"(?:{_spelled(range(16, 20))}[\s-]+(?:{_TEEN_TENS}(?:[\s-]+{_DIGIT_WORD})?"
    rf"|hundred|oh[\s-]+{_DIGIT_WORD}))"
)
NUM_WORD = alternation([*NUMBERS, *SCALES])
NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+\s+1/2|\d+(?:\.\d+)?|a\s+(?:hundred|thousand|dozen)|"
    rf"{NUM_WORD}(?:[\s-]+(?:and\s+)?{NUM_WORD}){{0,3}}(?:\s+and\s+a\s+half)?"
    rf"|(?:a\s+)?couple\s+of|{alternation(VAGUE_COUNTS)}|a|an)"
)
UNIT = alternation([*UNIT_CODE, *UNIT_PLURALS])
BARE_UNIT = alternation(words("timex_bare_units"))
_QUARTER_ORDINALS = [word for word, value in ORDINALS.items() if value <= 4]
QUARTER_ORDINAL = alternation(_QUARTER_ORDINALS)
QUARTER_ORDINAL_WORD = alternation(word for word in _QUARTER_ORDINALS if word.isalpha())
DECADE_WORD = alternation(DECADES)
PART_OF_DAY = alternation(PARTS_OF_DAY)
# "every morning", "mornings": a part of the day that recurs.
PARTS_OF_DAY_PLURAL = "(?:" + "|".join(rf"{re.escape(part)}s?" for part in PARTS_OF_DAY) + ")"
# "this night", "the night": rarely a time; the other parts of the day are.
DAYTIME = alternation(part for part in PARTS_OF_DAY if part != "night")
SEASON = alternation(SEASONS)
# "fall" without a determiner is mostly the verb.
SEASON_NOUN = alternation(season for season in SEASONS if season != "fall")
# "this" alone, or as in "this past week", "the coming year".
RELATIVE_STEP = rf"(?:(?:the\s+)?(?:this\s+)?{alternation(step for step in STEPS if step != 'this')}|this)"
SET_ADVERB = alternation(SET_ADVERBS)
HOLIDAY = _apostrophes(alternation(HOLIDAYS))
# "the present" and "the past" also start phrases that refer to no time:
# "the present ruling", "the past five years" (a duration rule's).
_REFERENCE_GUARDS = {
    "the present": r"(?!\s+\w+ing)",
    "the past": rf"(?!\s+(?:\d|{NUM_WORD}|few|several|couple))",
}
REFERENCE = (
    "(?:"
    + "|".join(alternation([word]) + guard for word, guard in _REFERENCE_GUARDS.items())
    + "|"
    + alternation(word for word in REFERENCES if word not in _REFERENCE_GUARDS)
    + ")"
)
# Modifiers TBAQ keeps inside the span ("early next year", "mid-1996",
# "the end of 1990"); the value ignores them, as HeidelTime's does.
MODP = (
    r"(?:(?:(?:early|late|mid|earlier|later)(?:\s+in)?[\s-]+)"
    r"|(?:the\s+(?:very\s+)?(?:end|beginning|start|middle"
    r"|rest|remainder|turn)\s+of\s+))?"
)
PRE = r"(?<![\w$£€#.,/-])"  # start of a word, not inside a number or amount
