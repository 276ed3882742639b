"""TimeML TIMEX3 time expressions for English news, rule-based.

`find_times(doc, anchor)` finds DATE / TIME / DURATION / SET expressions and
normalises them to TIMEX3 values against the article date (`anchor`), in the
spirit of HeidelTime and the TempEval-3 (TBAQ) annotation conventions:

* spans exclude leading prepositions ("in", "over", "for") but keep
  determiners and modifiers that TBAQ keeps ("the past five years",
  "early next year", "about two years", "the third quarter");
* a bare weekday, month or day-of-month is resolved by the tense of its
  governing verb: past -> previous occurrence, future ("will", "going to",
  infinitives) -> next occurrence, otherwise the nearest weekday / the
  anchor's year;
* ranges ("five to six months") take the lower bound ("P5M"), as TBAQ does
  ("two to three weeks" = "P2W");
* counted decades/centuries become years ("two decades" = "P20Y", as in
  TBAQ) while uncounted ones keep TimeML units ("decades" = "PXDE");
* with `anchor=None` anchor-relative values are underspecified TimeML forms
  ("XXXX-01", "XXXX-WXX-1", "XXXX-XX-XX"), PRESENT_REF/PAST_REF/FUTURE_REF
  are unchanged.

Everything module-level is immutable (compiled patterns, tables); the
function is pure and swallows per-candidate errors so that odd input can
only lose a time expression, never raise.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from dateutil.easter import easter

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["find_times"]

Timex = dict[str, int | str]

# --------------------------------------------------------------------------
# Lexical tables
# --------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2,
    "wed": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4,
    "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_SMALL_NUMS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6,
    "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9,
    "tenth": 10, "10th": 10, "eleventh": 11, "11th": 11, "twelfth": 12,
    "12th": 12, "thirteenth": 13, "13th": 13, "fourteenth": 14, "14th": 14,
    "fifteenth": 15, "15th": 15, "sixteenth": 16, "16th": 16,
    "seventeenth": 17, "17th": 17, "eighteenth": 18, "18th": 18,
    "nineteenth": 19, "19th": 19, "twentieth": 20, "20th": 20,
    "twenty-first": 21, "21st": 21, "twenty-second": 22, "22nd": 22,
}  # fmt: skip
_VAGUE_NUMS = frozenset({"few", "a few", "several", "many", "some", "numerous", "multiple"})
_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}  # fmt: skip
# TIMEX3 duration unit letters; decades/centuries/millennia counted in years
# when the count is known (TBAQ writes "two decades" as P20Y).
_UNIT_CODE = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True),
    "day": ("D", False), "night": ("D", False), "week": ("W", False),
    "fortnight": ("W", False), "month": ("M", False), "quarter": ("Q", False),
    "year": ("Y", False), "decade": ("DE", False), "century": ("CE", False),
    "centurie": ("CE", False), "millennium": ("ML", False), "millennia": ("ML", False),
    "weekend": ("WE", False),
}  # fmt: skip
_UNIT_YEARS = {"DE": 10, "CE": 100, "ML": 1000}
_PART_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
    "tonight": "NI", "overnight": "NI",
}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
_SET_ADVERBS = {
    "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W",
    "biweekly": "P2W", "bi-weekly": "P2W", "monthly": "P1M", "quarterly": "P3M",
    "annually": "P1Y", "yearly": "P1Y", "semiannually": "P6M", "semi-annually": "P6M",
}  # fmt: skip
_REF_WORDS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "presently": "PRESENT_REF", "these days": "PRESENT_REF", "the present": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "the past": "PAST_REF", "recent": "PAST_REF",
    "more recently": "PAST_REF", "most recently": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the distant future": "FUTURE_REF", "the foreseeable future": "FUTURE_REF",
    "future": "FUTURE_REF", "soon": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF", "the long term": "FUTURE_REF",
    "as soon as possible": "FUTURE_REF",
}  # fmt: skip
# A bare year number or month name needs some support that it is a date.
_TEMPORAL_PREPS = frozenset(
    [
        "in",
        "since",
        "by",
        "until",
        "till",
        "from",
        "to",
        "through",
        "throughout",
        "before",
        "after",
        "during",
        "of",
        "early",
        "late",
        "mid",
        "fiscal",
        "around",
        "circa",
        "between",
        "and",
        "or",
        "the",
    ]
)
_RATE_WORDS = frozenset(
    [
        "once",
        "twice",
        "thrice",
        "times",
        "million",
        "billion",
        "trillion",
        "thousand",
        "hundred",
        "cents",
        "dollars",
        "percent",
        "pounds",
        "euros",
        "yen",
        "barrels",
        "tons",
        "miles",
        "hours",
        "shifts",
    ]
)
_FUTURE_MODALS = frozenset({"will", "'ll", "’ll", "wo", "shall"})
_FUTURE_LEMMAS = frozenset(
    [
        "plan",
        "expect",
        "schedule",
        "hope",
        "want",
        "intend",
        "aim",
        "seek",
        "set",
        "due",
        "prepare",
        "agree",
        "promise",
        "vow",
        "pledge",
        "propose",
        "decide",
        "threaten",
    ]
)

# --------------------------------------------------------------------------
# Regular-expression building blocks (compiled once at import)
# --------------------------------------------------------------------------

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_ANY = rf"(?:{_WEEKDAY}|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d%])"
_TEEN_TENS = (
    r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
_DIGIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
# Broadcast transcripts spell years out: "nineteen ninety-six".
_SPOKEN_YEAR = (
    rf"(?:(?:sixteen|seventeen|eighteen|nineteen)[\s-]+(?:{_TEEN_TENS}(?:[\s-]+{_DIGIT_WORD})?"
    rf"|hundred|oh[\s-]+{_DIGIT_WORD}))"
)
_NUM_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|dozen)"
)
_NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+\s+1/2|\d+(?:\.\d+)?|a\s+(?:hundred|thousand|dozen)|"
    rf"{_NUM_WORD}(?:[\s-]+(?:and\s+)?{_NUM_WORD}){{0,3}}(?:\s+and\s+a\s+half)?"
    r"|(?:a\s+)?couple\s+of|a\s+few|few|several|many|some|numerous|a|an)"
)
_UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?"
    r"|years?|decades?|century|centuries|millennium|millennia)"
)
# Modifiers TBAQ keeps inside the span ("early next year", "mid-1996",
# "the end of 1990"); the value ignores them, as HeidelTime's does.
_MODP = (
    r"(?:(?:(?:early|late|mid|earlier|later)(?:\s+in)?[\s-]+)"
    r"|(?:the\s+(?:very\s+)?(?:end|beginning|start|middle"
    r"|rest|remainder|turn)\s+of\s+))?"
)
_PRE = r"(?<![\w$£€#.,/-])"  # start of a word, not inside a number or amount


class _Ctx(NamedTuple):
    text: str
    doc: Doc
    anchor: dt.date | None
    starts: list[int]


# (type, value) or (type, value, start) when the span starts after the match start
_Result = tuple[str, str] | tuple[str, str, int]
_Handler = Callable[[re.Match[str], _Ctx], _Result | None]

# --------------------------------------------------------------------------
# Value helpers
# --------------------------------------------------------------------------


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(month: int) -> int:
    return (month - 1) // 3 + 1


def _add_months(d: dt.date, n: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + n
    return total // 12, total % 12 + 1


def _season_of(d: dt.date) -> tuple[int, str]:
    """The meteorological season of `d`; December belongs to next year's winter."""
    if d.month == 12:
        return d.year + 1, "WI"
    return d.year, ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[d.month - 1]


def _parse_num(raw: str) -> float | None:
    """Number in digits or words; None for vague counts ("several")."""
    s = raw.lower().replace("-", " ").replace(",", "").strip()
    s = re.sub(r"\s+", " ", s)
    half = 0.0
    if s.endswith(" 1/2") or s.endswith(" and a half"):
        half = 0.5
        s = s.rsplit(" ", 1)[0] if s.endswith(" 1/2") else s[: -len(" and a half")]
    if half:
        base = _parse_num(s)
        return None if base is None else base + half
    if s in _VAGUE_NUMS:
        return None
    if s in ("a couple of", "couple of", "a couple"):
        return 2
    try:
        return float(s)
    except ValueError:
        pass
    total = 0.0
    current = 0.0
    for word in s.split():
        if word == "and":
            continue
        if word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        elif word in _SMALL_NUMS:
            current += _SMALL_NUMS[word]
        else:
            return None
    return total + current


def _fmt_num(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


# Fractions go down one unit, as TBAQ writes "5 1/2 hours" = PT5H30M.
_SUBUNIT = {
    ("H", True): (60, "M", True), ("M", True): (60, "S", True), ("Y", False): (12, "M", False),
    ("M", False): (30, "D", False), ("W", False): (7, "D", False), ("D", False): (24, "H", True),
}  # fmt: skip


def _duration(n: float | None, unit: str) -> str:
    code, is_time = _UNIT_CODE[unit]
    if n is not None and code in _UNIT_YEARS:
        n, code = n * _UNIT_YEARS[code], "Y"
    if n is not None and n != int(n) and (code, is_time) in _SUBUNIT:
        factor, sub, sub_time = _SUBUNIT[(code, is_time)]
        whole, frac = int(n), round((n - int(n)) * factor)
        head = f"{whole}{code}" if whole else ""
        if is_time:
            return f"PT{head}{frac}{sub}"
        return f"P{head}T{frac}{sub}" if sub_time else f"P{head}{frac}{sub}"
    return ("PT" if is_time else "P") + ("X" if n is None else _fmt_num(n)) + code


def _unit_key(raw: str) -> str:
    u = raw.lower()
    if u == "centuries":
        return "century"
    if u in _UNIT_CODE:
        return u
    return u[:-1] if u.endswith("s") and u[:-1] in _UNIT_CODE else u


def _shift(anchor: dt.date, n: float, unit: str) -> str | None:
    """`anchor` moved back by n units (n > 0 means the past), at the unit's granularity."""
    code = _UNIT_CODE[unit][0]
    if (code in ("S", "M") and _UNIT_CODE[unit][1]) or code == "H":
        return None  # clock times need a clock anchor we do not have
    if code in _UNIT_YEARS:
        return str(anchor.year - int(n * _UNIT_YEARS[code]))
    if code == "Y":
        return str(anchor.year - int(n))
    if code == "Q":
        y, m = _add_months(anchor, -3 * int(n))
        return f"{y}-Q{_quarter(m)}"
    if code == "M":
        y, m = _add_months(anchor, -int(n))
        return f"{y}-{m:02d}"
    if code == "W" or code == "WE":
        days = 14 if unit == "fortnight" else 7
        return _week(anchor - dt.timedelta(days=days * n))
    return _iso(anchor - dt.timedelta(days=n))


# --------------------------------------------------------------------------
# Tense of the governing verb (spaCy dependency parse)
# --------------------------------------------------------------------------


def _token_at(ctx: _Ctx, char: int) -> Token | None:
    i = bisect_right(ctx.starts, char) - 1
    if i < 0 or i >= len(ctx.doc):
        return None
    return ctx.doc[i]


def _verb_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {c.lower_ for c in auxes}
    if lowers & _FUTURE_MODALS or verb.lower_ in _FUTURE_MODALS:
        return "future"
    if verb.tag_ == "VBN" and verb.lemma_ in _FUTURE_LEMMAS:
        # "a summit set for April", "the vote was scheduled for March": the
        # date is what was planned, still ahead at the time of writing.
        return "future"
    if lowers & {"may", "might", "should", "must"}:
        return "future"
    if lowers & {"could", "would", "can", "'d", "’d"}:
        return None
    if "to" in lowers and verb.tag_ == "VB":
        # Infinitives in news are mostly plans: "is scheduled to meet Monday".
        head = verb.head
        if head is not verb and head.tag_ == "VBD" and head.lemma_ not in _FUTURE_LEMMAS:
            return "past"
        return "future"
    if verb.tag_ == "VBG" and verb.lower_ == "going":
        return "future"
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if verb.tag_ == "VBN" and lowers & {"has", "have", "'ve", "’ve", "having"}:
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or lowers & {"is", "are", "am", "does", "do"}:
        return "present"
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):
        return "past"
    return None


def _tense(ctx: _Ctx, char: int) -> str | None:
    tok = _token_at(ctx, char)
    if tok is None:
        return None
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            return _verb_tense(tok)
        if tok.head is tok:
            return None
        tok = tok.head
    return None


# --------------------------------------------------------------------------
# Calendar resolution
# --------------------------------------------------------------------------


def _resolve_weekday(anchor: dt.date, wd: int, tense: str | None) -> dt.date:
    diff = wd - anchor.weekday()
    if tense == "past":
        diff = diff - 7 if diff > 0 else diff
    elif tense == "future":
        diff = diff + 7 if diff < 0 else diff
    else:  # nearest, past on ties: news mostly reports what happened
        if diff > 3:
            diff -= 7
        elif diff < -3:
            diff += 7
    return anchor + dt.timedelta(days=diff)


def _resolve_month_year(anchor: dt.date, month: int, day: int | None, tense: str | None) -> int:
    key = (month, day or 0)
    now = (anchor.month, anchor.day if day else 0)
    if tense == "past":
        return anchor.year if key <= now else anchor.year - 1
    if tense == "future":
        return anchor.year if key >= now else anchor.year + 1
    # Unclear tense: the nearer of this year's and the adjacent year's date.
    diff = month - anchor.month
    if diff > 6:
        return anchor.year - 1
    if diff < -6:
        return anchor.year + 1
    return anchor.year


def _weekday_value(ctx: _Ctx, start: int, wd: int) -> str:
    if ctx.anchor is None:
        return f"XXXX-WXX-{wd + 1}"
    return _iso(_resolve_weekday(ctx.anchor, wd, _tense(ctx, start)))


def _month_ok(raw: str) -> bool:
    """Month names must be capitalised; "may"/"march" are usually not months."""
    return raw[:1].isupper()


# --------------------------------------------------------------------------
# Rule handlers: each returns (type, value) or None to reject the match
# --------------------------------------------------------------------------


def _h_full_date(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    mon_raw = m["m1"] or m["m2"]
    if not _month_ok(mon_raw):
        return None
    month = _MONTHS[mon_raw.rstrip(".").lower()]
    day = int(re.match(r"\d+", m["d1"] or m["d2"]).group())  # type: ignore[union-attr]
    if m["y"]:
        year = int(m["y"])
    elif m["rel"]:
        if ctx.anchor is None:
            return "DATE", f"XXXX-{month:02d}-{day:02d}"
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    elif ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}-{day:02d}"
    else:
        # Tense misleads on near deadlines ("declared a dividend, payable
        # Dec. 7"): take the nearest such date, or the one whose weekday
        # agrees with a stated weekday; but a past-tense verb rules out a date
        # months ahead ("was last seen Nov. 3" in a May article).
        year = _resolve_month_year(ctx.anchor, month, day, None)
        if (dt.date(year, month, day) - ctx.anchor).days > 60 and _tense(ctx, m.start()) == "past":
            year -= 1
        if m["wd"]:
            wd = _WEEKDAYS[m["wd"].rstrip(".").lower()]
            for cand in (year, year + 1, year - 1):
                if dt.date(cand, month, day).weekday() == wd:
                    year = cand
                    break
    d = dt.date(year, month, day)
    return "DATE", _iso(d)


def _h_month_year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if not _month_ok(m["m"]):
        return None
    month = _MONTHS[m["m"].rstrip(".").lower()]
    if m["y"]:
        return "DATE", f"{int(m['y'])}-{month:02d}"
    if ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    rel = m["rel"].lower()
    year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[rel]
    return "DATE", f"{year}-{month:02d}"


def _h_month(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    raw = m["m"]
    if not _month_ok(raw) or (raw.isupper() and len(raw) > 1):
        return None
    month = _MONTHS[raw.lower()]
    has_mod = m.end("mod") > m.start("mod")
    if raw == "March" and re.match(r"\s+(?:for|on|to|against|of)\b", ctx.text[m.end() : m.end() + 9]):
        return None  # "the March for Life", "the March on Washington"
    if raw in ("May", "March") and not has_mod:
        # Modal "May ..." / the noun "march": demand a date reading.
        tok = _token_at(ctx, m.start("m"))
        prev = ctx.text[max(0, m.start("m") - 12) : m.start("m")].split()
        if (tok is None or tok.ent_type_ != "DATE") and not (prev and prev[-1].lower() in _TEMPORAL_PREPS):
            return None
    if ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    year = _resolve_month_year(ctx.anchor, month, None, _tense(ctx, m.start("m")))
    return "DATE", f"{year}-{month:02d}"


def _h_rel_month(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if not _month_ok(m["m"]):
        return None
    month = _MONTHS[m["m"].lower()]
    if ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    rel = m["rel"].lower()
    a = ctx.anchor
    if rel == "last":
        year = a.year if month < a.month else a.year - 1
    elif rel == "next":
        year = a.year if month > a.month else a.year + 1
    else:
        year = a.year
    return "DATE", f"{year}-{month:02d}"


def _spoken_year(raw: str) -> int:
    words = re.sub(r"[\s-]+", " ", raw.lower()).split()
    century = _SMALL_NUMS[words[0]] * 100
    rest = words[1:]
    if rest == ["hundred"]:
        return century
    return century + int(_parse_num(" ".join(w for w in rest if w != "oh")) or 0)


def _h_spoken_year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if not m["sy"] and not m.group(0).lower().startswith(("the year", "year")):
        return None
    year = _spoken_year(m["sy"]) if m["sy"] else 2000
    if m["m"]:
        if not _month_ok(m["m"]):
            return None
        return "DATE", f"{year}-{_MONTHS[m['m'].rstrip('.').lower()]:02d}"
    if m["s"]:
        return "DATE", f"{year}-{_SEASONS[m['s'].lower()]}"
    return "DATE", str(year)


def _h_year_end(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return "DATE", "XXXX"
    return "DATE", str(ctx.anchor.year)


def _h_the_period(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    """ "the year", "the fiscal year", "the latest period": reporting periods."""
    unit = m["u"].lower()
    adj = re.sub(r"\s+", " ", (m["adj"] or "").lower()).strip()
    after = ctx.text[m.end() : m.end() + 12].lower()
    if re.match(r"\s*(?:ended|ending|to\s+date)\b", after):
        return "DURATION", "P1Y" if unit == "year" else "P3M" if unit in ("quarter", "period") else "P1W"
    a = ctx.anchor
    if unit == "period":
        if adj not in ("latest", "latest fiscal", "same", "comparable"):
            return None
        if a is None:
            return "DATE", "XXXX-QX"
        y, mo = _add_months(a, -3)
        return "DATE", f"{y}-Q{_quarter(mo)}"
    if unit == "year":
        if a is None:
            return "DATE", "XXXX"
        if adj.startswith(("latest", "past", "last", "previous")):
            return "DATE", str(a.year - 1)
        return "DATE", str(a.year)
    if unit == "week":
        return "DATE", _week(a) if a else "XXXX-WXX"
    return None


def _year_supported(m: re.Match[str], ctx: _Ctx, start: int) -> bool:
    tok = _token_at(ctx, start)
    if tok is not None and tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
        return False
    prev = ctx.text[max(0, start - 15) : start].split()
    prev_word = prev[-1].lower().strip("(,") if prev else ""
    if tok is not None and tok.ent_type_ == "CARDINAL" and prev_word not in _TEMPORAL_PREPS:
        return False
    nxt = ctx.text[m.end() : m.end() + 12].lower()
    # "1,200 people": a count, not a year.
    return not re.match(r"\s*(?:-\s*)?(?:people|persons|troops|men|women|units|shares|tons)\b", nxt)


def _h_year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if not m["fiscal"] and not _year_supported(m, ctx, m.start("y")):
        return None
    return "DATE", str(int(m["y"]))


def _h_decade(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if m["c"]:
        return "DATE", f"{m['c']}{m['d']}X"
    digit = int(m["d2"]) if m["d2"] else _DECADE_WORDS[m["w"].lower()]
    if ctx.anchor is None:
        century = 19
    else:
        century = ctx.anchor.year // 100
        if digit * 10 > ctx.anchor.year % 100:
            century -= 1
    return "DATE", f"{century}{digit}X"


def _h_century(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if m["ord"]:
        n = _ORDINALS.get(m["ord"].lower())
        if n is None:
            return None
        return "DATE", f"{n - 1:02d}"
    if ctx.anchor is None:
        return "DATE", "XX"
    shift = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1}
    return "DATE", f"{ctx.anchor.year // 100 + shift[m['rel'].lower()]:02d}"


def _h_iso(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    d = dt.date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if m["h"]:
        return "TIME", f"{_iso(d)}T{int(m['h']):02d}:{m['mi']}"
    return "DATE", _iso(d)


def _h_slash(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    # US order first (the corpus and most wire copy); fall back to day-first.
    month, day = (a, b) if a <= 12 else (b, a)
    return "DATE", _iso(dt.date(y, month, day))


def _day_relative(word: str, anchor: dt.date | None) -> str:
    if anchor is None:
        return "XXXX-XX-XX"
    offset = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word]
    return _iso(anchor + dt.timedelta(days=offset))


def _h_day_word(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    word = m["w"].lower()
    value = _day_relative(word, ctx.anchor)
    pod = m["pod"].lower() if m["pod"] else ("tonight" if word == "tonight" else None)
    if pod:
        return "TIME", f"{value}T{_PART_OF_DAY[pod]}"
    return "DATE", value


def _h_last_night(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "TIME", _day_relative("yesterday", ctx.anchor) + "TNI"


def _h_this_pod(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "TIME", _day_relative("today", ctx.anchor) + "T" + _PART_OF_DAY[m["pod"].lower()]


def _h_weekday(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    wd = _WEEKDAYS[m["wd"].lower()]
    if m["plural"] or m["plural2"]:
        pod = f"T{_PART_OF_DAY[m['pod'].lower()]}" if m["pod"] else ""
        return "SET", f"XXXX-WXX-{wd + 1}{pod}"
    rel = (m["rel"] or "").lower()
    a = ctx.anchor
    if a is None:
        value = f"XXXX-WXX-{wd + 1}"
    elif rel == "last":
        diff = (a.weekday() - wd) % 7 or 7
        value = _iso(a - dt.timedelta(days=diff))
    elif rel == "next":
        diff = (wd - a.weekday()) % 7 or 7
        value = _iso(a + dt.timedelta(days=diff))
    elif rel == "this":
        value = _iso(a + dt.timedelta(days=wd - a.weekday()))
    else:
        value = _weekday_value(ctx, m.start("wd"), wd)
    if m["pod"]:
        return "TIME", f"{value}T{_PART_OF_DAY[m['pod'].lower()]}"
    return "DATE", value


def _h_rel_unit(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    """this/last/next/the past + week, month, year, quarter, weekend, season."""
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    rel = rel.removeprefix("the ").removeprefix("this ")  # "this past" = "past"
    unit = m["u"].lower()
    step = {"this": 0, "current": 0, "coming": 1, "next": 1, "following": 1}.get(rel, -1)
    if rel == "":
        step = 0
    a = ctx.anchor
    if unit in _SEASONS:
        code = _SEASONS[unit]
        if a is None:
            return "DATE", f"XXXX-{code}"
        year, current = _season_of(a)
        diff = _SEASON_ORDER[code] - _SEASON_ORDER[current]
        if step < 0:
            year = year if diff < 0 else year - 1
        elif step > 0:
            year = year if diff > 0 else year + 1
        return "DATE", f"{year}-{code}"
    if a is None:
        return "DATE", {
            "week": "XXXX-WXX",
            "weekend": "XXXX-WXX-WE",
            "month": "XXXX-XX",
            "year": "XXXX",
            "quarter": "XXXX-QX",
            "decade": "XXX",
            "day": "XXXX-XX-XX",
        }.get(unit, "XXXX")
    if unit == "day":
        return "DATE", _iso(a + dt.timedelta(days=step))
    if unit == "week":
        return "DATE", _week(a + dt.timedelta(weeks=step))
    if unit == "weekend":
        return "DATE", _week(a + dt.timedelta(weeks=step)) + "-WE"
    if unit == "month":
        y, mo = _add_months(a, step)
        return "DATE", f"{y}-{mo:02d}"
    if unit == "quarter":
        y, mo = _add_months(a, 3 * step)
        return "DATE", f"{y}-Q{_quarter(mo)}"
    if unit == "decade":
        return "DATE", f"{a.year // 10 + step}X"
    return "DATE", str(a.year + step)


def _h_the_weekend(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    a = ctx.anchor
    if a is None:
        return "DATE", "XXXX-WXX-WE"
    tense = _tense(ctx, m.start())
    if tense == "past" and a.weekday() < 5:
        return "DATE", _week(a - dt.timedelta(weeks=1)) + "-WE"
    return "DATE", _week(a) + "-WE"


def _h_quarter(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    a = ctx.anchor
    unit = m["u"].lower()
    ord_raw = re.sub(r"[\s-]+", " ", (m["ord"] or "").lower())
    year: int | None = None
    if m["y"] or m["y0"]:
        year = int(m["y"] or m["y0"])
    elif m["yrel"] and a is not None:
        year = a.year + {"this": 0, "last": -1, "next": 1}[m["yrel"].lower()]
    elif m["poss"] and a is not None:
        year = a.year - 1 if m["poss"].lower().startswith("last") else a.year
    n = _ORDINALS.get(ord_raw)
    if unit == "half":
        n = {"last": 2, "latter": 2}.get(ord_raw, n)
        if n is None or n > 2:
            return None
        if year is None:
            if a is None:
                return "DATE", f"XXXX-H{n}"
            year = a.year
        return "DATE", f"{year}-H{n}"
    if n is not None:
        if n > 4:
            return None
        if year is None:
            if a is None:
                return "DATE", f"XXXX-Q{n}"
            year = a.year
        return "DATE", f"{year}-Q{n}"
    # "the latest quarter", "the year-earlier quarter": the last reported one.
    if a is None:
        return "DATE", "XXXX-QX"
    if ord_raw in ("current", "this"):
        return "DATE", f"{a.year}-Q{_quarter(a.month)}"
    y, mo = _add_months(a, -3)
    if ord_raw in ("year earlier", "year ago", "comparable year ago", "comparable year earlier"):
        y -= 1
    return "DATE", f"{y}-Q{_quarter(mo)}"


_QUARTER_MENTION = re.compile(r"\b(first|second|third|fourth)[\s-]+quarter|\bquarter", re.I)


def _context_quarter(ctx: _Ctx, pos: int) -> int | None:
    """The quarter an earnings story is about, from the text just before `pos`.

    "Net rose to $5 million from $3 million a year ago" compares quarters,
    and TBAQ normalises such "a year ago" to last year's quarter.
    """
    if ctx.anchor is None:
        return None
    last = None
    for last in _QUARTER_MENTION.finditer(ctx.text, max(0, pos - 1000), pos):  # noqa: B007
        pass
    if last is None:
        return None
    if last.group(1):
        return _ORDINALS[last.group(1).lower()]
    return _quarter(_add_months(ctx.anchor, -3)[1])


def _year_back(ctx: _Ctx, pos: int, years: int = 1) -> str:
    assert ctx.anchor is not None
    q = _context_quarter(ctx, pos) if years == 1 else None
    return f"{ctx.anchor.year - years}-Q{q}" if q else str(ctx.anchor.year - years)


def _h_year_earlier(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return "DATE", "XXXX"
    return "DATE", _year_back(ctx, m.start())


def _h_year_ago_period(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    """ "the year-earlier quarter", "the year-ago third quarter", "the 1988 period"."""
    unit = re.sub(r"\s+", " ", m["u"].lower())
    if unit.endswith("months"):
        return "DURATION", f"P{_SMALL_NUMS[unit.split()[0]]}M"
    if m["y"]:
        return ("DATE", m["y"]) if unit == "period" else None
    if unit == "half":
        return None
    if ctx.anchor is None:
        return "DATE", "XXXX-QX"
    if m["ord"]:
        return "DATE", f"{ctx.anchor.year - 1}-Q{_ORDINALS[m['ord'].lower()]}"
    q = _context_quarter(ctx, m.start()) or _quarter(_add_months(ctx.anchor, -3)[1])
    return "DATE", f"{ctx.anchor.year - 1}-Q{q}"


def _h_duration(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    unit = _unit_key(m["u"])
    if unit not in _UNIT_CODE:
        return None
    num_raw = re.sub(r"\s+", " ", m["n"].lower())
    n = _parse_num(num_raw)
    if n is not None and n > 100000:
        return None
    mods = (m["mods"] or "").lower()
    post = (m["post"] or "").lower()
    span_start = m.start("mods")
    if mods.strip() == "the" and (m["sep"].startswith("-") or unit not in ("month", "quarter")):
        # TBAQ: "the nine months" but "the two days of music", "the 23-year occupation".
        span_start = m.start("n")
    result = _duration_value(m, ctx, unit, num_raw, n, mods, post)
    return None if result is None else (*result, span_start)


def _duration_value(
    m: re.Match[str], ctx: _Ctx, unit: str, num_raw: str, n: float | None, mods: str, post: str
) -> tuple[str, str] | None:
    plural = m["u"].lower().endswith(("s", "ia"))
    if num_raw in ("a", "an") and (plural or unit == "second"):
        return None  # "a second betrayal"
    if unit == "quarter" and ((m["sep"] == "-" and plural) or ctx.text.startswith(" of", m.end("u"))):
        return None  # fractions: "three-quarters", "a quarter of the market"
    if num_raw in ("some", "many") and not (mods.strip() or post):
        return None  # "some days", "many years": vague, TBAQ rarely marks them
    if num_raw in ("a", "an") and not (mods.strip() or post):
        # "$1 billion a year", "twice a day": a frequency, not a duration.
        prev = ctx.text[max(0, m.start("mods") - 20) : m.start("mods")].split()
        last = prev[-1].lower().strip(".,") if prev else ""
        if last in _RATE_WORDS or last[:1].isdigit() or last.startswith("$"):
            return "SET", _duration(1, unit)
    if num_raw == "one" and unit == "day" and not mods.strip() and not post and m["sep"] == " ":
        return "DATE", "FUTURE_REF" if _tense(ctx, m.start()) != "past" else "PAST_REF"
    if post == "ago" or (post == "earlier" and unit in ("year", "month", "week", "quarter")):
        if n is None:
            return "DATE", "PAST_REF"
        if ctx.anchor is None:
            return "DATE", "PAST_REF"
        if unit == "year" and n == 1:
            return "DATE", _year_back(ctx, m.start())
        value = _shift(ctx.anchor, n, unit)
        return ("DATE", value) if value else ("DURATION", _duration(n, unit))
    if unit == "weekend" and n is not None:
        return "DURATION", f"P{_fmt_num(2 * n)}D"
    return "DURATION", _duration(n, unit)


def _h_bare_units(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    unit = _unit_key(m["u"])
    if unit not in _UNIT_CODE or unit == "weekend":
        return None
    pre = (m["pre"] or "").lower()
    if not pre:
        prev = ctx.text[max(0, m.start() - 10) : m.start()].split()
        lead = prev[-1].lower() if prev else ""
        if lead not in ("for", "within", "over") and unit not in ("decade", "century", "millennium"):
            return None
    if "recent" in pre and unit == "year":
        return "DATE", "PAST_REF"
    return "DURATION", _duration(None, unit)


def _h_ref(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    word = re.sub(r"\s+", " ", m["w"].lower())
    if word == "current":
        tok = _token_at(ctx, m.start())
        if tok is None or tok.dep_ != "amod":
            return None
        return "DATE", "PRESENT_REF"
    if word == "future":
        tok = _token_at(ctx, m.start())
        if tok is None or tok.dep_ != "amod":
            return None
    if word == "recent":
        tok = _token_at(ctx, m.start())
        if tok is None or tok.dep_ != "amod":
            return None
    return "DATE", _REF_WORDS[word]


def _h_set_adverb(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "SET", _SET_ADVERBS[m["w"].lower()]


def _h_set_every(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    what = m["what"].lower()
    n = _parse_num(m["n"]) if m["n"] else 1
    if m["other"]:
        n = (n or 1) * 2
    if what.rstrip("s") in _PART_OF_DAY:
        return "SET", f"XXXX-XX-XXT{_PART_OF_DAY[what.rstrip('s')]}"
    if what in _WEEKDAYS:
        return "SET", f"XXXX-WXX-{_WEEKDAYS[what] + 1}"
    if what in _MONTHS:
        return "SET", f"XXXX-{_MONTHS[what]:02d}"
    if what in _SEASONS:
        return "SET", f"XXXX-{_SEASONS[what]}"
    unit = _unit_key(what)
    if unit not in _UNIT_CODE:
        return None
    return "SET", _duration(n, unit)


def _h_times_per(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    unit = _unit_key(m["u"])
    if unit not in _UNIT_CODE:
        return None
    return "SET", _duration(1, unit)


def _h_clock(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if m["noon"]:
        word = m["noon"].lower()
        hh, mi = (24, 0) if word == "midnight" else (12, 0)
    else:
        hh = int(m["h"])
        mi = int(m["mi"]) if m["mi"] else 0
        ap = (m["ap"] or "").lower().replace(".", "").replace(" ", "")
        if hh > 24 or mi > 59 or (ap and hh > 12):
            return None
        if ap == "pm" and hh < 12:
            hh += 12
        elif ap == "am" and hh == 12:
            hh = 0
        if not ap and not m["tz"] and not m["oclock"]:
            return None
    if m["cm"] and _month_ok(m["cm"]):
        month = _MONTHS[m["cm"].rstrip(".").lower()]
        dd = int(re.match(r"\d+", m["cd"]).group())  # type: ignore[union-attr]
        if m["cy"]:
            year = int(m["cy"])
        elif ctx.anchor is None:
            return "TIME", f"XXXX-{month:02d}-{dd:02d}T{hh:02d}:{mi:02d}"
        else:
            year = _resolve_month_year(ctx.anchor, month, dd, _tense(ctx, m.start()))
        day = _iso(dt.date(year, month, dd))
    elif m["wd"]:
        wd = _WEEKDAYS[m["wd"].rstrip(".").lower()]
        day = _weekday_value(ctx, m.start("wd"), wd)
    elif m["dw"]:
        day = _day_relative(m["dw"].lower(), ctx.anchor)
    else:
        day = _iso(ctx.anchor) if ctx.anchor else "XXXX-XX-XX"
    # ISO 8601 marks UTC with Z; other zones are kept as written (TimeML has no offset field).
    zone = "Z" if (m["tz"] or "").upper() in {"UTC", "GMT"} else ""
    return "TIME", f"{day}T{hh:02d}:{mi:02d}{zone}"


def _h_pod_of_day(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    """ "mid-afternoon (yesterday)", "the morning": that day's part of day."""
    day = _day_relative((m["dw"] or "today").lower(), ctx.anchor)
    return "TIME", day + "T" + _PART_OF_DAY[m["pod"].lower()]


def _h_holiday(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    name = re.sub(r"\s+", " ", m["h"].lower()).replace("’", "'")
    if m["y"]:
        return _holiday_on(name, int(m["y"]))
    if ctx.anchor is None:
        return _holiday_on(name, None)
    a = ctx.anchor
    lead = m.group(0).lower()
    tense = "past" if lead.startswith("last") else "future" if lead.startswith("next") else None
    tense = tense or _tense(ctx, m.start("h"))
    options = []
    for year in (a.year - 1, a.year, a.year + 1):
        found = _holiday_on(name, year)
        if found is not None:
            options.append((dt.date.fromisoformat(found[1]), found))
    if tense == "past":
        options = [o for o in options if o[0] <= a] or options
        return options[-1][1]
    if tense == "future":
        options = [o for o in options if o[0] >= a] or options
        return options[0][1]
    return min(options, key=lambda o: abs((o[0] - a).days))[1]


def _holiday_on(name: str, year: int | None) -> tuple[str, str] | None:
    if name.startswith("new year's eve"):
        md: tuple[int, int] | None = (12, 31)
    elif name.startswith("new year"):
        md = (1, 1)
    elif name.startswith("christmas eve"):
        md = (12, 24)
    elif name.startswith("christmas"):
        md = (12, 25)
    elif name.startswith("halloween"):
        md = (10, 31)
    elif name.startswith("valentine"):
        md = (2, 14)
    else:
        md = None
    if year is None:
        return "DATE", f"XXXX-{md[0]:02d}-{md[1]:02d}" if md else "XXXX-XX-XX"
    if md:
        return "DATE", _iso(dt.date(year, *md))
    if name.startswith("thanksgiving"):
        nov1 = dt.date(year, 11, 1)
        first_thu = nov1 + dt.timedelta(days=(3 - nov1.weekday()) % 7)
        return "DATE", _iso(first_thu + dt.timedelta(weeks=3))
    if name.startswith("easter"):
        return "DATE", _iso(easter(year))
    return None


# --------------------------------------------------------------------------
# Rules, in priority order (earlier wins between equally long candidates)
# --------------------------------------------------------------------------

_I = re.IGNORECASE
_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (
        re.compile(
            rf"{_PRE}(?P<t>(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d\d))?\s*(?:(?P<ap>[ap]\.\s?m\.?|[ap]m\b)|"
            rf"(?P<oclock>o['’]clock))|(?P<noon>noon|midnight|midday)|(?P<h2>\d{{1,2}}):(?P<mi2>\d\d)"
            rf"(?=\s*(?:GMT|UTC|[ECMP][SD]T)))(?:\s*(?P<tz>GMT|UTC|[ECMP][SD]T|local\s+time))?"
            rf"(?:\s*,?\s*(?:on\s+)?(?:(?P<wd>{_WEEKDAY})|(?P<dw>today|yesterday|tomorrow)))?"
            rf"(?:\s*,?\s*(?P<cm>{_MONTH})\s+(?P<cd>{_DAY})\b(?:\s*,\s*(?P<cy>{_YEAR}))?)?",
            _I,
        ),
        lambda m, c: _h_clock(_ClockMatch(m), c),
    ),
    (
        re.compile(rf"{_PRE}(?P<y>\d{{4}})-(?P<mo>\d\d)-(?P<d>\d\d)(?:[T\s](?P<h>\d\d):(?P<mi>\d\d))?(?!\d)"),
        _h_iso,
    ),
    (
        re.compile(rf"{_PRE}(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}}|\d\d)(?![\d/])"),
        _h_slash,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?:(?P<wd>{_WEEKDAY_ANY})\s*,?\s+(?:the\s+)?)?"
            rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}))\b"
            rf"(?:\s*,?\s*(?P<y>{_YEAR})\b|\s+(?P<rel>this|last|next)\s+year)?",
            _I,
        ),
        _h_full_date,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?P<m>{_MONTH})\s*,?\s+(?:of\s+)?(?:(?P<y>{_YEAR})\b|"
            rf"(?P<rel>this|last|next)\s+year)",
            _I,
        ),
        _h_month_year,
    ),
    (
        re.compile(rf"{_PRE}{_MODP}(?P<rel>last|next|this|this\s+past)\s+(?P<m>{_MONTH_FULL})\b", _I),
        _h_rel_month,
    ),
    (
        re.compile(rf"{_PRE}(?P<mod>{_MODP})(?P<m>{_MONTH_FULL})\b", _I),
        _h_month,
    ),
    (
        re.compile(
            rf"{_PRE}(?:(?P<fiscal>fiscal|FY)\s*|{_MODP}(?:post|pre)?-?)(?P<y>{_YEAR})(?!['’]?s\b)(?![-/]\d)",
            _I,
        ),
        _h_year,
    ),
    (
        re.compile(
            rf"{_PRE}(?:(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<w>twenties|thirties|forties|fifties|"
            rf"sixties|seventies|eighties|nineties)\b|(?P<c>1[6-9]|20)(?P<d>\d)0['’]?s\b|"
            rf"['’](?P<d2>\d)0s\b)",
            _I,
        ),
        _h_decade,
    ),
    (
        re.compile(
            rf"{_PRE}(?:the\s+)?(?:(?P<rel>this|current|last|past|previous|next)|(?P<ord>\w+(?:-\w+)?))"
            rf"\s+century\b",
            _I,
        ),
        _h_century,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?P<w>today|tonight|tomorrow|yesterday)(?:\s+(?P<pod>morning|afternoon|"
            rf"evening|night))?\b",
            _I,
        ),
        _h_day_word,
    ),
    (re.compile(rf"{_PRE}{_MODP}last\s+night\b", _I), _h_last_night),
    (
        re.compile(rf"{_PRE}{_MODP}this\s+(?P<pod>morning|afternoon|evening)\b", _I),
        _h_this_pod,
    ),
    (
        re.compile(
            rf"{_PRE}(?:(?:mid|late|early)[\s-]+|the\s+)(?P<pod>morning|afternoon|evening)\b"
            rf"(?:\s+(?P<dw>today|yesterday|tomorrow)\b)?",
            _I,
        ),
        _h_pod_of_day,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?(?P<wd>{_WEEKDAY})"
            rf"(?P<plural>s)?(?:\s+(?P<pod>morning|afternoon|evening|night)(?P<plural2>s)?)?\b",
            _I,
        ),
        _h_weekday,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?P<rel>(?:the\s+)?(?:this\s+)?(?:past|last|previous|coming|next|following|"
            rf"current)|this)\s+(?P<u>week|weekend|month|year|quarter|decade|spring|summer|fall|autumn|"
            rf"winter)\b(?![-\s]+(?:old|long|ago)\b)",
            _I,
        ),
        _h_rel_unit,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?P<rel>the\s+)?(?P<u>spring|summer|autumn|winter)\b"
            rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?",
            _I,
        ),
        lambda m, c: _h_season(m, c),
    ),
    (re.compile(rf"{_PRE}{_MODP}the\s+weekend\b", _I), _h_the_weekend),
    (
        re.compile(
            rf"{_PRE}(?:(?:the|(?P<poss>this\s+year['’]s|last\s+year['’]s))\s+)?(?:(?P<y0>{_YEAR})\s+)?"
            rf"(?:(?:fiscal|calendar)[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|"
            rf"last|latest|latter|current|year[\s-]+earlier|year[\s-]+ago|comparable(?:\s+year[\s-]+"
            rf"(?:ago|earlier))?)?[\s-]*(?:(?:fiscal|calendar)[\s-]+)?(?P<u>quarter|half)\b"
            rf"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<y>{_YEAR})|(?P<yrel>this|last|next)\s+year))?",
            _I,
        ),
        lambda m, c: _h_quarter_guard(m, c),
    ),
    (re.compile(rf"{_PRE}year[\s-]+(?:earlier|ago)\b", _I), _h_year_earlier),
    (
        re.compile(
            rf"{_PRE}(?:the\s+)?(?:comparable\s+|same\s+)?(?:year[\s-]+(?:earlier|ago)|(?P<y>{_YEAR}))"
            rf"\s+(?:(?P<ord>first|second|third|fourth)\s+)?(?P<u>quarter|period|nine\s+months|"
            rf"six\s+months|three\s+months|half)\b",
            _I,
        ),
        _h_year_ago_period,
    ),
    (
        re.compile(
            rf"(?:{_PRE}(?:about|around|approximately|roughly|some|only|just|barely|over)\s+)?"
            rf"{_PRE}(?P<mods>(?:(?:nearly|almost|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than"
            rf"|no\s+less\s+than|at\s+least|at\s+most|up\s+to|a\s+full|another|an\s+additional|"
            rf"(?:the\s+)?(?:past|last|next|first|final|previous|coming|following|latest|remaining|same"
            rf"|initial)|the|each\s+of\s+the\s+(?:past|last|next))\s+){{0,3}})"
            rf"(?P<n>{_NUM})(?:\s*(?:to|or|-|–|and)\s*(?P<n2>{_NUM}))?(?P<sep>[\s-]+)(?:(?:trading|"
            rf"business|working|calendar|straight|consecutive|full|long|additional|more)\s+)?"
            rf"(?P<u>{_UNIT})(?!-old|\s+old\b|-?\s*(?:quarter|half)\b)\b(?:\s+(?P<post>ago|earlier)\b)?",
            _I,
        ),
        _h_duration,
    ),
    (
        re.compile(
            rf"{_PRE}(?P<pre>(?:the\s+)?(?:past|last|next|coming|recent|previous"
            rf"|following)\s+(?:few\s+|several\s+|many\s+|couple\s+of\s+)?)?(?P<u>seconds|minutes|hours"
            rf"|days|weeks|months|years|decades|centuries|millennia)\b",
            _I,
        ),
        _h_bare_units,
    ),
    (
        re.compile(
            rf"{_PRE}(?P<w>now|currently|nowadays|presently|these\s+days|the\s+present(?!\s+\w+ing)"
            rf"|(?:more\s+|most\s+)?recently|lately|recent|current"
            rf"|the\s+past(?!\s+(?:\d|{_NUM_WORD}|few|several|couple))"
            rf"|the\s+(?:near|distant|foreseeable)\s+future|the\s+future|as\s+soon\s+as\s+"
            rf"possible|the\s+(?:near|short|long)\s+term)\b(?!\s+(?:as|than)\b)",
            _I,
        ),
        _h_ref,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?:(?:the\s+)?(?:(?P<m>{_MONTH_FULL})|(?P<s>spring|summer|autumn|fall|winter)"
            rf"\s+of|year)\s+)?(?:(?P<sy>{_SPOKEN_YEAR})|two\s+thousand)\b",
            _I,
        ),
        _h_spoken_year,
    ),
    (
        re.compile(rf"{_PRE}(?:around\s+)?year[\s-]+end\b|{_PRE}year['’]s\s+end\b", _I),
        _h_year_end,
    ),
    (
        re.compile(
            rf"{_PRE}(?:the|that(?=\s+(?:year|week)\b))\s+(?P<adj>(?:(?:latest|current|past|last|previous|same|comparable|"
            rf"full|fiscal|calendar)\s+){{0,2}})(?P<u>year|period|week)\b(?!['’]s|\s+(?:before|after|"
            rf"earlier|ago|of|when|in\s+which)\b)",
            _I,
        ),
        _h_the_period,
    ),
    (
        re.compile(
            rf"{_PRE}(?P<w>hourly|daily|nightly|weekly|bi-?weekly|monthly|yearly|"
            rf"semi-?annually)\b",
            _I,
        ),
        _h_set_adverb,
    ),
    (
        re.compile(
            rf"{_PRE}(?:every|each)\s+(?:(?P<other>other)\s+|(?P<n>{_NUM})\s+)?"
            rf"(?P<what>{_UNIT}|{_WEEKDAY}|{_MONTH_FULL}|mornings?|afternoons?|evenings?|nights?|"
            rf"spring|summer|autumn|winter)\b",
            _I,
        ),
        _h_set_every,
    ),
    (
        re.compile(
            rf"{_PRE}(?:once|twice|thrice|(?:{_NUM_WORD}|\d+)\s+times)\s+(?:a|an|per|each|every)\s+"
            rf"(?P<u>second|minute|hour|day|week|month|quarter|year|decade)\b",
            _I,
        ),
        _h_times_per,
    ),
    (
        re.compile(
            rf"{_PRE}{_MODP}(?:last\s+|this\s+|next\s+)?(?P<h>Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s"
            rf"(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|Halloween|Valentine['’]s"
            rf"\s+Day)\b(?:\s*,?\s*(?P<y>{_YEAR}))?"
        ),
        _h_holiday,
    ),
)


class _ClockMatch:
    """Lets the clock handler read "h"/"mi" from either alternative of its pattern."""

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m

    def __getitem__(self, key: str) -> str | None:
        if key == "h":
            return self._m["h"] or self._m["h2"]
        if key == "mi":
            return self._m["mi"] or self._m["mi2"]
        return self._m[key]

    def start(self, group: str | int = 0) -> int:
        return self._m.start(group)


def _h_season(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    code = _SEASONS[m["u"].lower()]
    if m["u"].lower() == "spring" and m.start("u") == m.start() and not m["y"]:
        # "spring" is also water or a verb; want "in spring" at least.
        prev = ctx.text[max(0, m.start() - 10) : m.start()].split()
        if not prev or prev[-1].lower() not in ("in", "this", "last", "next", "since", "by", "until"):
            return None
    if m["y"]:
        return "DATE", f"{int(m['y'])}-{code}"
    if ctx.anchor is None:
        return "DATE", f"XXXX-{code}"
    year, current = _season_of(ctx.anchor)
    if _SEASON_ORDER[code] > _SEASON_ORDER[current] and _tense(ctx, m.start("u")) == "past":
        year -= 1
    return "DATE", f"{year}-{code}"


def _h_quarter_guard(m: re.Match[str], ctx: _Ctx) -> _Result | None:
    # A bare "half" / "quarter" without an ordinal or "the" is usually a fraction.
    ord_raw = (m["ord"] or "").lower()
    if not ord_raw and not m.group(0).lower().startswith("the"):
        return None
    if m["u"].lower() == "half" and ord_raw not in ("first", "second", "1st", "2nd", "last", "latter"):
        return None
    if ord_raw == "last" and m["u"].lower() == "quarter":
        # "last quarter" is the previous quarter, not the fourth.
        if ctx.anchor is None:
            return "DATE", "XXXX-QX"
        y, mo = _add_months(ctx.anchor, -3)
        return "DATE", f"{y}-Q{_quarter(mo)}"
    result = _h_quarter(m, ctx)
    hyphenated = m["ord"] and "-" in ctx.text[m.end("ord") : m.start("u")]
    if result is not None and hyphenated and re.match(r"the\s", m.group(0), re.I):
        # TBAQ: "the third-quarter loss" marks only "third-quarter".
        return (*result, m.start("ord"))
    return result


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and trailing sentence punctuation a pattern swallowed."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def find_times(doc: Doc, anchor: dt.date | None) -> list[Timex]:
    """TIMEX3 time expressions in `doc`, sorted and non-overlapping.

    Each is {"start", "end", "text", "type", "value"} with character offsets
    into `doc.text` (end exclusive). `anchor` is the document creation date.
    """
    text = doc.text
    if not text:
        return []
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    ctx = _Ctx(text, doc, anchor, [t.idx for t in doc])
    candidates: list[tuple[int, int, int, str, str]] = []
    for rank, (pattern, handler) in enumerate(_RULES):
        for m in pattern.finditer(text):
            try:
                result = handler(m, ctx)
            except (ValueError, KeyError, IndexError, TypeError, OverflowError, AttributeError):
                continue  # impossible dates ("Feb. 30"), odd numbers: skip the match
            if result is None:
                continue
            start, end = _trim(text, result[2] if len(result) == 3 else m.start(), m.end())
            if start < end:
                candidates.append((start, end, rank, result[0], result[1]))

    # Longest first, then rule priority; a bytearray marks taken characters so
    # the whole selection is linear in the text length.
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = bytearray(len(text))
    chosen: list[tuple[int, int, str, str]] = []
    for start, end, _rank, typ, value in candidates:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, typ, value))
    chosen.sort()
    return [
        {"start": s, "end": e, "text": text[s:e], "type": typ, "value": value} for s, e, typ, value in chosen
    ]
