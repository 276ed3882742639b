"""The TIMEX rules: a name, a pattern and the handler that normalises its matches,
in priority order (the earlier rule wins between equally long candidates).

The name is what `explain_times` reports for each expression, so an error
listing can say which rule produced a wrong span or value.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newsgraph.extract.timex import periods, points
from newsgraph.extract.timex.context import Handler
from newsgraph.extract.timex.resources import (
    BARE_UNIT,
    DAY,
    DAYTIME,
    DECADE_WORD,
    HOLIDAY,
    MODP,
    MONTH,
    MONTH_FULL,
    NUM,
    NUM_WORD,
    PART_OF_DAY,
    PARTS_OF_DAY_PLURAL,
    PRE,
    QUARTER_ORDINAL,
    QUARTER_ORDINAL_WORD,
    REFERENCE,
    RELATIVE_STEP,
    SEASON,
    SEASON_NOUN,
    SET_ADVERB,
    SPOKEN_YEAR,
    UNIT,
    WEEKDAY,
    WEEKDAY_ANY,
    YEAR,
)


class Rule(NamedTuple):
    name: str
    pattern: re.Pattern[str]
    handler: Handler


_I = re.IGNORECASE

RULES: tuple[Rule, ...] = (
    Rule(
        "clock",
        re.compile(
            rf"{PRE}(?P<t>(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d\d))?\s*(?:(?P<ap>[ap]\.\s?m\.?|[ap]m\b)|"
            rf"(?P<oclock>o['’]clock))|(?P<noon>noon|midnight|midday)|(?P<h2>\d{{1,2}}):(?P<mi2>\d\d)"
            rf"(?=\s*(?:GMT|UTC|[ECMP][SD]T)))(?:\s*(?P<tz>GMT|UTC|[ECMP][SD]T|local\s+time))?"
            rf"(?:\s*,?\s*(?:on\s+)?(?:(?P<wd>{WEEKDAY})|(?P<dw>today|yesterday|tomorrow)))?"
            rf"(?:\s*,?\s*(?P<cm>{MONTH})\s+(?P<cd>{DAY})\b(?:\s*,\s*(?P<cy>{YEAR}))?)?",
            _I,
        ),
        points.clock,
    ),
    Rule(
        "iso_date",
        re.compile(rf"{PRE}(?P<y>\d{{4}})-(?P<mo>\d\d)-(?P<d>\d\d)(?:[T\s](?P<h>\d\d):(?P<mi>\d\d))?(?!\d)"),
        points.iso_date,
    ),
    Rule(
        "slash_date",
        re.compile(rf"{PRE}(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}}|\d\d)(?![\d/])"),
        points.slash_date,
    ),
    Rule(
        "month_day",
        re.compile(
            rf"{PRE}{MODP}(?:(?P<wd>{WEEKDAY_ANY})\s*,?\s+(?:the\s+)?)?"
            rf"(?:(?P<m1>{MONTH})\s+(?P<d1>{DAY})|(?P<d2>{DAY})\s+(?:of\s+)?(?P<m2>{MONTH}))\b"
            rf"(?:\s*,?\s*(?P<y>{YEAR})\b|\s+(?P<rel>this|last|next)\s+year)?",
            _I,
        ),
        points.month_day,
    ),
    Rule(
        "month_year",
        re.compile(
            rf"{PRE}{MODP}(?P<m>{MONTH})\s*,?\s+(?:of\s+)?(?:(?P<y>{YEAR})\b|"
            rf"(?P<rel>this|last|next)\s+year)",
            _I,
        ),
        points.month_year,
    ),
    Rule(
        "relative_month",
        re.compile(rf"{PRE}{MODP}(?P<rel>last|next|this|this\s+past)\s+(?P<m>{MONTH_FULL})\b", _I),
        points.relative_month,
    ),
    Rule("month", re.compile(rf"{PRE}(?P<mod>{MODP})(?P<m>{MONTH_FULL})\b", _I), points.month),
    Rule(
        "year",
        re.compile(
            rf"{PRE}(?:(?P<fiscal>fiscal|FY)\s*|{MODP}(?:post|pre)?-?)(?P<y>{YEAR})(?!['’]?s\b)(?![-/]\d)",
            _I,
        ),
        points.year,
    ),
    Rule(
        "decade",
        re.compile(
            rf"{PRE}(?:(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<w>{DECADE_WORD})\b"
            rf"|(?P<c>1[6-9]|20)(?P<d>\d)0['’]?s\b|['’](?P<d2>\d)0s\b)",
            _I,
        ),
        points.decade,
    ),
    Rule(
        "century",
        re.compile(
            rf"{PRE}(?:the\s+)?(?:(?P<rel>this|current|last|past|previous|next)|(?P<ord>\w+(?:-\w+)?))"
            rf"\s+century\b",
            _I,
        ),
        points.century,
    ),
    Rule(
        "day_word",
        re.compile(
            rf"{PRE}{MODP}(?P<w>today|tonight|tomorrow|yesterday)(?:\s+(?P<pod>{PART_OF_DAY}))?\b",
            _I,
        ),
        points.day_word,
    ),
    Rule("last_night", re.compile(rf"{PRE}{MODP}last\s+night\b", _I), points.last_night),
    Rule(
        "this_part_of_day",
        re.compile(rf"{PRE}{MODP}this\s+(?P<pod>{DAYTIME})\b", _I),
        points.this_part_of_day,
    ),
    Rule(
        "part_of_day",
        re.compile(
            rf"{PRE}(?:(?:mid|late|early)[\s-]+|the\s+)(?P<pod>{DAYTIME})\b"
            rf"(?:\s+(?P<dw>today|yesterday|tomorrow)\b)?",
            _I,
        ),
        points.part_of_day,
    ),
    Rule(
        "weekday",
        re.compile(
            rf"{PRE}{MODP}(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?(?P<wd>{WEEKDAY})"
            rf"(?P<plural>s)?(?:\s+(?P<pod>{PART_OF_DAY})(?P<plural2>s)?)?\b",
            _I,
        ),
        points.weekday,
    ),
    Rule(
        "relative_unit",
        re.compile(
            rf"{PRE}{MODP}(?P<rel>{RELATIVE_STEP})\s+(?P<u>week|weekend|month|year|quarter|decade|{SEASON})\b"
            rf"(?![-\s]+(?:old|long|ago)\b)",
            _I,
        ),
        periods.relative_unit,
    ),
    Rule(
        "season",
        re.compile(
            rf"{PRE}{MODP}(?P<rel>the\s+)?(?P<u>{SEASON_NOUN})\b(?:\s+(?:of\s+)?(?P<y>{YEAR}))?",
            _I,
        ),
        periods.season,
    ),
    Rule("the_weekend", re.compile(rf"{PRE}{MODP}the\s+weekend\b", _I), periods.the_weekend),
    Rule(
        "quarter",
        # (?![\s-]): a match starting on a blank would have no ordinal and no "the", which the
        # handler rejects, and trying one at every blank of a long run is quadratic in the run.
        re.compile(
            rf"{PRE}(?![\s-])(?:(?:the|(?P<poss>this\s+year['’]s|last\s+year['’]s))\s+)?(?:(?P<y0>{YEAR})\s+)?"
            rf"(?:(?:fiscal|calendar)[\s-]+)?(?P<ord>{QUARTER_ORDINAL}|final|"
            rf"last|latest|latter|current|year[\s-]+earlier|year[\s-]+ago|comparable(?:\s+year[\s-]+"
            rf"(?:ago|earlier))?)?[\s-]*(?:(?:fiscal|calendar)[\s-]+)?(?P<u>quarter|half)\b"
            rf"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<y>{YEAR})|(?P<yrel>this|last|next)\s+year))?",
            _I,
        ),
        periods.quarter_or_half,
    ),
    Rule("year_earlier", re.compile(rf"{PRE}year[\s-]+(?:earlier|ago)\b", _I), periods.year_earlier),
    Rule(
        "year_ago_period",
        re.compile(
            rf"{PRE}(?:the\s+)?(?:comparable\s+|same\s+)?(?:year[\s-]+(?:earlier|ago)|(?P<y>{YEAR}))"
            rf"\s+(?:(?P<ord>{QUARTER_ORDINAL_WORD})\s+)?(?P<u>quarter|period|nine\s+months|"
            rf"six\s+months|three\s+months|half)\b",
            _I,
        ),
        periods.year_ago_period,
    ),
    Rule(
        "duration",
        re.compile(
            rf"(?:{PRE}(?:about|around|approximately|roughly|some|only|just|barely|over)\s+)?"
            rf"{PRE}(?P<mods>(?:(?:nearly|almost|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than"
            rf"|no\s+less\s+than|at\s+least|at\s+most|up\s+to|a\s+full|another|an\s+additional|"
            rf"(?:the\s+)?(?:past|last|next|first|final|previous|coming|following|latest|remaining|same"
            rf"|initial)|the|each\s+of\s+the\s+(?:past|last|next))\s+){{0,3}})"
            rf"(?P<n>{NUM})(?:\s*(?:to|or|-|–|and)\s*(?P<n2>{NUM}))?(?P<sep>[\s-]+)(?:(?:trading|"
            rf"business|working|calendar|straight|consecutive|full|long|additional|more)\s+)?"
            rf"(?P<u>{UNIT})(?!-old|\s+old\b|-?\s*(?:quarter|half)\b)\b(?:\s+(?P<post>ago|earlier)\b)?",
            _I,
        ),
        periods.counted_duration,
    ),
    Rule(
        "bare_units",
        re.compile(
            rf"{PRE}(?P<pre>(?:the\s+)?(?:past|last|next|coming|recent|previous"
            rf"|following)\s+(?:few\s+|several\s+|many\s+|couple\s+of\s+)?)?(?P<u>{BARE_UNIT})\b",
            _I,
        ),
        periods.bare_units,
    ),
    Rule(
        "reference",
        re.compile(rf"{PRE}(?P<w>{REFERENCE})\b(?!\s+(?:as|than)\b)", _I),
        periods.reference,
    ),
    Rule(
        "spoken_year",
        re.compile(
            rf"{PRE}{MODP}(?:(?:the\s+)?(?:(?P<m>{MONTH_FULL})|(?P<s>{SEASON})\s+of|year)\s+)?"
            rf"(?:(?P<sy>{SPOKEN_YEAR})|two\s+thousand)\b",
            _I,
        ),
        points.spoken_year_date,
    ),
    Rule(
        "year_end",
        re.compile(rf"{PRE}(?:around\s+)?year[\s-]+end\b|{PRE}year['’]s\s+end\b", _I),
        points.year_end,
    ),
    Rule(
        "the_period",
        re.compile(
            rf"{PRE}(?:the|that(?=\s+(?:year|week)\b))\s+(?P<adj>(?:(?:latest|current|past|last|previous|"
            rf"same|comparable|full|fiscal|calendar)\s+){{0,2}})(?P<u>year|period|week)\b(?!['’]s|\s+(?:"
            rf"before|after|earlier|ago|of|when|in\s+which)\b)",
            _I,
        ),
        periods.the_period,
    ),
    Rule("set_adverb", re.compile(rf"{PRE}(?P<w>{SET_ADVERB})\b", _I), periods.set_adverb),
    Rule(
        "set_every",
        re.compile(
            rf"{PRE}(?:every|each)\s+(?:(?P<other>other)\s+|(?P<n>{NUM})\s+)?"
            rf"(?P<what>{UNIT}|{WEEKDAY}|{MONTH_FULL}|{PARTS_OF_DAY_PLURAL}|{SEASON_NOUN})\b",
            _I,
        ),
        periods.set_every,
    ),
    Rule(
        "times_per",
        re.compile(
            rf"{PRE}(?:once|twice|thrice|(?:{NUM_WORD}|\d+)\s+times)\s+(?:a|an|per|each|every)\s+"
            rf"(?P<u>second|minute|hour|day|week|month|quarter|year|decade)\b",
            _I,
        ),
        periods.times_per,
    ),
    Rule(
        "holiday",
        # Case-sensitive: "easter" or "christmas" in lower case is rarely the feast.
        re.compile(rf"{PRE}{MODP}(?:last\s+|this\s+|next\s+)?(?P<h>{HOLIDAY})\b(?:\s*,?\s*(?P<y>{YEAR}))?"),
        points.holiday,
    ),
)
