"""Rule handlers for points in time: calendar dates, months, years, decades,
centuries, weekdays, days relative to the article, clock times and holidays.

Each handler takes its rule's match and the `Ctx` and returns (type, value),
or None to reject the match.
"""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.extract.timex.context import Ctx, month_ok, tense, token_at, weekday_value
from newsgraph.extract.timex.normalise import (
    day_relative,
    holiday_on,
    iso,
    resolve_month_year,
    spoken_year,
)
from newsgraph.extract.timex.resources import (
    DECADES,
    MONTHS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    STEPS,
    TEMPORAL_PREPS,
    WEEKDAYS,
)


def month_day(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    mon_raw = m["m1"] or m["m2"]
    if not month_ok(mon_raw):
        return None
    month = MONTHS[mon_raw.rstrip(".").lower()]
    day = int(re.match(r"\d+", m["d1"] or m["d2"]).group())  # type: ignore[union-attr]
    if m["y"]:
        year = int(m["y"])
    elif m["rel"]:
        if ctx.anchor is None:
            return "DATE", f"XXXX-{month:02d}-{day:02d}"
        year = ctx.anchor.year + STEPS[m["rel"].lower()]
    elif ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}-{day:02d}"
    else:
        # Tense misleads on near deadlines ("declared a dividend, payable
        # Dec. 7"): take the nearest such date, or the one whose weekday
        # agrees with a stated weekday; but a past-tense verb rules out a date
        # months ahead ("was last seen Nov. 3" in a May article).
        year = resolve_month_year(ctx.anchor, month, day, None)
        if (dt.date(year, month, day) - ctx.anchor).days > 60 and tense(ctx, m.start()) == "past":
            year -= 1
        if m["wd"]:
            wd = WEEKDAYS[m["wd"].rstrip(".").lower()]
            for cand in (year, year + 1, year - 1):
                if dt.date(cand, month, day).weekday() == wd:
                    year = cand
                    break
    d = dt.date(year, month, day)
    return "DATE", iso(d)


def month_year(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if not month_ok(m["m"]):
        return None
    month = MONTHS[m["m"].rstrip(".").lower()]
    if m["y"]:
        return "DATE", f"{int(m['y'])}-{month:02d}"
    if ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    year = ctx.anchor.year + STEPS[m["rel"].lower()]
    return "DATE", f"{year}-{month:02d}"


def month(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    raw = m["m"]
    if not month_ok(raw) or (raw.isupper() and len(raw) > 1):
        return None
    month = MONTHS[raw.lower()]
    has_mod = m.end("mod") > m.start("mod")
    if raw == "March" and re.match(r"\s+(?:for|on|to|against|of)\b", ctx.text[m.end() : m.end() + 9]):
        return None  # "the March for Life", "the March on Washington"
    if raw in ("May", "March") and not has_mod:
        # Modal "May ..." / the noun "march": demand a date reading.
        tok = token_at(ctx, m.start("m"))
        prev = ctx.text[max(0, m.start("m") - 12) : m.start("m")].split()
        if (tok is None or tok.ent_type_ != "DATE") and not (prev and prev[-1].lower() in TEMPORAL_PREPS):
            return None
    if ctx.anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    year = resolve_month_year(ctx.anchor, month, None, tense(ctx, m.start("m")))
    return "DATE", f"{year}-{month:02d}"


def relative_month(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if not month_ok(m["m"]):
        return None
    month = MONTHS[m["m"].lower()]
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


def spoken_year_date(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if not m["sy"] and not m.group(0).lower().startswith(("the year", "year")):
        return None
    year = spoken_year(m["sy"]) if m["sy"] else 2000
    if m["m"]:
        if not month_ok(m["m"]):
            return None
        return "DATE", f"{year}-{MONTHS[m['m'].rstrip('.').lower()]:02d}"
    if m["s"]:
        return "DATE", f"{year}-{SEASONS[m['s'].lower()]}"
    return "DATE", str(year)


def year_end(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return "DATE", "XXXX"
    return "DATE", str(ctx.anchor.year)


def _year_supported(m: re.Match[str], ctx: Ctx, start: int) -> bool:
    tok = token_at(ctx, start)
    if tok is not None and tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
        return False
    prev = ctx.text[max(0, start - 15) : start].split()
    prev_word = prev[-1].lower().strip("(,") if prev else ""
    if tok is not None and tok.ent_type_ == "CARDINAL" and prev_word not in TEMPORAL_PREPS:
        return False
    nxt = ctx.text[m.end() : m.end() + 12].lower()
    # "1,200 people": a count, not a year.
    return not re.match(r"\s*(?:-\s*)?(?:people|persons|troops|men|women|units|shares|tons)\b", nxt)


def year(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if not m["fiscal"] and not _year_supported(m, ctx, m.start("y")):
        return None
    return "DATE", str(int(m["y"]))


def decade(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if m["c"]:
        return "DATE", f"{m['c']}{m['d']}X"
    digit = int(m["d2"]) if m["d2"] else DECADES[m["w"].lower()]
    if ctx.anchor is None:
        century = 19
    else:
        century = ctx.anchor.year // 100
        if digit * 10 > ctx.anchor.year % 100:
            century -= 1
    return "DATE", f"{century}{digit}X"


def century(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if m["ord"]:
        n = ORDINALS.get(m["ord"].lower())
        if n is None:
            return None
        return "DATE", f"{n - 1:02d}"
    if ctx.anchor is None:
        return "DATE", "XX"
    return "DATE", f"{ctx.anchor.year // 100 + STEPS[m['rel'].lower()]:02d}"


def iso_date(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    d = dt.date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if m["h"]:
        return "TIME", f"{iso(d)}T{int(m['h']):02d}:{m['mi']}"
    return "DATE", iso(d)


def slash_date(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    # US order first (the corpus and most wire copy); fall back to day-first.
    month, day = (a, b) if a <= 12 else (b, a)
    return "DATE", iso(dt.date(y, month, day))


def day_word(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    word = m["w"].lower()
    value = day_relative(word, ctx.anchor)
    pod = m["pod"].lower() if m["pod"] else ("night" if word == "tonight" else None)
    if pod:
        return "TIME", f"{value}T{PARTS_OF_DAY[pod]}"
    return "DATE", value


def last_night(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    return "TIME", day_relative("yesterday", ctx.anchor) + "TNI"


def this_part_of_day(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    return "TIME", day_relative("today", ctx.anchor) + "T" + PARTS_OF_DAY[m["pod"].lower()]


def part_of_day(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """ "mid-afternoon (yesterday)", "the morning": that day's part of day."""
    day = day_relative((m["dw"] or "today").lower(), ctx.anchor)
    return "TIME", day + "T" + PARTS_OF_DAY[m["pod"].lower()]


def weekday(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    wd = WEEKDAYS[m["wd"].lower()]
    if m["plural"] or m["plural2"]:
        pod = f"T{PARTS_OF_DAY[m['pod'].lower()]}" if m["pod"] else ""
        return "SET", f"XXXX-WXX-{wd + 1}{pod}"
    rel = (m["rel"] or "").lower()
    a = ctx.anchor
    if a is None:
        value = f"XXXX-WXX-{wd + 1}"
    elif rel == "last":
        diff = (a.weekday() - wd) % 7 or 7
        value = iso(a - dt.timedelta(days=diff))
    elif rel == "next":
        diff = (wd - a.weekday()) % 7 or 7
        value = iso(a + dt.timedelta(days=diff))
    elif rel == "this":
        value = iso(a + dt.timedelta(days=wd - a.weekday()))
    else:
        value = weekday_value(ctx, m.start("wd"), wd)
    if m["pod"]:
        return "TIME", f"{value}T{PARTS_OF_DAY[m['pod'].lower()]}"
    return "DATE", value


def clock(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    return _clock(_ClockMatch(m), ctx)


def _clock(m: _ClockMatch, ctx: Ctx) -> tuple[str, str] | None:
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
    if m["cm"] and month_ok(m["cm"]):
        month = MONTHS[m["cm"].rstrip(".").lower()]
        dd = int(re.match(r"\d+", m["cd"]).group())  # type: ignore[union-attr]
        if m["cy"]:
            year = int(m["cy"])
        elif ctx.anchor is None:
            return "TIME", f"XXXX-{month:02d}-{dd:02d}T{hh:02d}:{mi:02d}"
        else:
            year = resolve_month_year(ctx.anchor, month, dd, tense(ctx, m.start()))
        day = iso(dt.date(year, month, dd))
    elif m["wd"]:
        wd = WEEKDAYS[m["wd"].rstrip(".").lower()]
        day = weekday_value(ctx, m.start("wd"), wd)
    elif m["dw"]:
        day = day_relative(m["dw"].lower(), ctx.anchor)
    else:
        day = iso(ctx.anchor) if ctx.anchor else "XXXX-XX-XX"
    # ISO 8601 marks UTC with Z; other zones are kept as written (TimeML has no offset field).
    zone = "Z" if (m["tz"] or "").upper() in {"UTC", "GMT"} else ""
    return "TIME", f"{day}T{hh:02d}:{mi:02d}{zone}"


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


def holiday(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    name = re.sub(r"\s+", " ", m["h"]).replace("’", "'")
    if m["y"]:
        return "DATE", holiday_on(name, int(m["y"]))
    if ctx.anchor is None:
        return "DATE", holiday_on(name, None)
    a = ctx.anchor
    lead = m.group(0).lower()
    when = "past" if lead.startswith("last") else "future" if lead.startswith("next") else None
    when = when or tense(ctx, m.start("h"))
    options = [holiday_on(name, year) for year in (a.year - 1, a.year, a.year + 1)]
    dates = [dt.date.fromisoformat(option) for option in options]
    if when == "past":
        return "DATE", max((d for d in dates if d <= a), default=dates[-1]).isoformat()
    if when == "future":
        return "DATE", min((d for d in dates if d >= a), default=dates[0]).isoformat()
    return "DATE", min(dates, key=lambda d: abs((d - a).days)).isoformat()
