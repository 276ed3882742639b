"""Anchor arithmetic: TIMEX3 values for weeks, quarters, seasons, shifts, durations,
weekdays, month-days and holidays, given the article's date. Pure functions
of dates and words; nothing here reads the parse.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.easter import easter

from newsgraph.extract.timex.resources import HOLIDAYS, NUMBERS, SCALES, UNIT_CODE, UNIT_PLURALS, VAGUE_COUNTS

# "a year", "an hour": the article counts one.
_COUNTS = {**NUMBERS, "a": 1, "an": 1}
_UNIT_YEARS = {"DE": 10, "CE": 100, "ML": 1000}
_SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
# Fractions go down one unit, as TBAQ writes "5 1/2 hours" = PT5H30M.
_SUBUNIT = {
    ("H", True): (60, "M", True), ("M", True): (60, "S", True), ("Y", False): (12, "M", False),
    ("M", False): (30, "D", False), ("W", False): (7, "D", False), ("D", False): (24, "H", True),
}  # fmt: skip


def iso(d: dt.date) -> str:
    return d.isoformat()


def week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def quarter(month: int) -> int:
    return (month - 1) // 3 + 1


def add_months(d: dt.date, n: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + n
    return total // 12, total % 12 + 1


def previous_quarter(d: dt.date) -> str:
    """The last quarter that had ended (been reported) by `d`."""
    y, mo = add_months(d, -3)
    return f"{y}-Q{quarter(mo)}"


def season_of(d: dt.date) -> tuple[int, str]:
    """The meteorological season of `d`; December belongs to next year's winter."""
    if d.month == 12:
        return d.year + 1, "WI"
    return d.year, ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[d.month - 1]


def season_later(code: str, than: str) -> int:
    """Positive when season `code` comes after `than` within one (winter-first) year."""
    return _SEASON_ORDER[code] - _SEASON_ORDER[than]


def parse_num(raw: str) -> float | None:
    """Number in digits or words; None for vague counts ("several")."""
    s = raw.lower().replace("-", " ").replace(",", "").strip()
    s = re.sub(r"\s+", " ", s)
    half = 0.0
    if s.endswith(" 1/2") or s.endswith(" and a half"):
        half = 0.5
        s = s.rsplit(" ", 1)[0] if s.endswith(" 1/2") else s[: -len(" and a half")]
    if half:
        base = parse_num(s)
        return None if base is None else base + half
    if s in VAGUE_COUNTS:
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
        if word in SCALES:
            # "two hundred thousand": a hundred scales the running count, a
            # thousand closes it.
            if SCALES[word] < 1000:
                current = (current or 1) * SCALES[word]
            else:
                total += (current or 1) * SCALES[word]
                current = 0
        elif word in _COUNTS:
            current += _COUNTS[word]
        else:
            return None
    return total + current


def fmt_num(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def spoken_year(raw: str) -> int:
    """ "nineteen ninety-six" -> 1996, "eighteen hundred" -> 1800."""
    spoken = re.sub(r"[\s-]+", " ", raw.lower()).split()
    century = NUMBERS[spoken[0]] * 100
    rest = spoken[1:]
    if rest == ["hundred"]:
        return century
    return century + int(parse_num(" ".join(w for w in rest if w != "oh")) or 0)


def unit_key(raw: str) -> str:
    """The unit a written form names: "Centuries" -> "century"."""
    u = raw.lower()
    return u if u in UNIT_CODE else UNIT_PLURALS.get(u, u)


def duration(n: float | None, unit: str) -> str:
    code, is_time = UNIT_CODE[unit]
    if n is not None and code in _UNIT_YEARS:
        n, code = n * _UNIT_YEARS[code], "Y"
    if n is not None and n != int(n) and (code, is_time) in _SUBUNIT:
        factor, sub, sub_time = _SUBUNIT[(code, is_time)]
        whole, frac = int(n), round((n - int(n)) * factor)
        head = f"{whole}{code}" if whole else ""
        if is_time:
            return f"PT{head}{frac}{sub}"
        return f"P{head}T{frac}{sub}" if sub_time else f"P{head}{frac}{sub}"
    return ("PT" if is_time else "P") + ("X" if n is None else fmt_num(n)) + code


def shift(anchor: dt.date, n: float, unit: str) -> str | None:
    """`anchor` moved back by n units (n > 0 means the past), at the unit's granularity."""
    code, is_time = UNIT_CODE[unit]
    if (code in ("S", "M") and is_time) or code == "H":
        return None  # clock times need a clock anchor we do not have
    if code in _UNIT_YEARS:
        return str(anchor.year - int(n * _UNIT_YEARS[code]))
    if code == "Y":
        return str(anchor.year - int(n))
    if code == "Q":
        y, m = add_months(anchor, -3 * int(n))
        return f"{y}-Q{quarter(m)}"
    if code == "M":
        y, m = add_months(anchor, -int(n))
        return f"{y}-{m:02d}"
    if code == "W" or code == "WE":
        days = 14 if unit == "fortnight" else 7
        return week(anchor - dt.timedelta(days=days * n))
    return iso(anchor - dt.timedelta(days=n))


def resolve_weekday(anchor: dt.date, wd: int, tense: str | None) -> dt.date:
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


def resolve_month_year(anchor: dt.date, month: int, day: int | None, tense: str | None) -> int:
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


def day_relative(word: str, anchor: dt.date | None) -> str:
    if anchor is None:
        return "XXXX-XX-XX"
    offset = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word]
    return iso(anchor + dt.timedelta(days=offset))


def holiday_on(name: str, year: int | None) -> str:
    """The date of holiday `name` (as HOLIDAYS writes it) in `year`; None: the year is unknown."""
    rule = HOLIDAYS[name]
    fixed = rule[:1].isdigit()
    if year is None:
        return f"XXXX-{rule}" if fixed else "XXXX-XX-XX"
    if fixed:
        month, day = (int(part) for part in rule.split("-"))
        return iso(dt.date(year, month, day))
    if rule == "thanksgiving":
        nov1 = dt.date(year, 11, 1)
        first_thu = nov1 + dt.timedelta(days=(3 - nov1.weekday()) % 7)
        return iso(first_thu + dt.timedelta(weeks=3))
    return iso(easter(year))
