"""Rule handlers for periods: reporting periods (quarters, halves, "the year"),
weeks, months and seasons relative to the article, durations, frequencies
(SET) and the references PRESENT_REF / PAST_REF / FUTURE_REF.

Each handler takes its rule's match and the `Ctx` and returns (type, value),
(type, value, start) when the span starts inside the match, or None to
reject the match.
"""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.extract.timex.context import Ctx, Result, context_quarter, tense, token_at, year_back
from newsgraph.extract.timex.normalise import (
    add_months,
    duration,
    fmt_num,
    parse_num,
    previous_quarter,
    quarter,
    season_later,
    season_of,
    shift,
    unit_key,
    week,
)
from newsgraph.extract.timex.resources import (
    MONTHS,
    NUMBERS,
    ORDINALS,
    PARTS_OF_DAY,
    RATE_WORDS,
    REFERENCES,
    SEASONS,
    SET_ADVERBS,
    STEPS,
    UNIT_CODE,
    WEEKDAYS,
)


def the_period(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """ "the year", "the fiscal year", "the latest period": reporting periods."""
    unit = m["u"].lower()
    adj = re.sub(r"\s+", " ", (m["adj"] or "").lower()).strip()
    after = ctx.text[m.end() : m.end() + 12].lower()
    if re.match(r"\s*(?:ended|ending|to\s+date)\b", after):
        return "DURATION", "P1Y" if unit == "year" else "P3M" if unit == "period" else "P1W"
    a = ctx.anchor
    if unit == "period":
        if adj not in ("latest", "latest fiscal", "same", "comparable"):
            return None
        if a is None:
            return "DATE", "XXXX-QX"
        return "DATE", previous_quarter(a)
    if unit == "year":
        if a is None:
            return "DATE", "XXXX"
        if adj.startswith(("latest", "past", "last", "previous")):
            return "DATE", str(a.year - 1)
        return "DATE", str(a.year)
    if unit == "week":
        return "DATE", week(a) if a else "XXXX-WXX"
    return None


def relative_unit(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """this/last/next/the past + week, month, year, quarter, weekend, season."""
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    rel = rel.removeprefix("the ").removeprefix("this ")  # "this past" = "past"
    unit = m["u"].lower()
    step = STEPS[rel]
    a = ctx.anchor
    if unit in SEASONS:
        code = SEASONS[unit]
        if a is None:
            return "DATE", f"XXXX-{code}"
        year, current = season_of(a)
        diff = season_later(code, current)
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
        }.get(unit, "XXXX")
    if unit == "week":
        return "DATE", week(a + dt.timedelta(weeks=step))
    if unit == "weekend":
        return "DATE", week(a + dt.timedelta(weeks=step)) + "-WE"
    if unit == "month":
        y, mo = add_months(a, step)
        return "DATE", f"{y}-{mo:02d}"
    if unit == "quarter":
        y, mo = add_months(a, 3 * step)
        return "DATE", f"{y}-Q{quarter(mo)}"
    if unit == "decade":
        return "DATE", f"{a.year // 10 + step}X"
    return "DATE", str(a.year + step)


def the_weekend(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    a = ctx.anchor
    if a is None:
        return "DATE", "XXXX-WXX-WE"
    if tense(ctx, m.start()) == "past" and a.weekday() < 5:
        return "DATE", week(a - dt.timedelta(weeks=1)) + "-WE"
    return "DATE", week(a) + "-WE"


def season(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    code = SEASONS[m["u"].lower()]
    if m["u"].lower() == "spring" and m.start("u") == m.start() and not m["y"]:
        # "spring" is also water or a verb; want "in spring" at least.
        prev = ctx.text[max(0, m.start() - 10) : m.start()].split()
        if not prev or prev[-1].lower() not in ("in", "this", "last", "next", "since", "by", "until"):
            return None
    if m["y"]:
        return "DATE", f"{int(m['y'])}-{code}"
    if ctx.anchor is None:
        return "DATE", f"XXXX-{code}"
    year, current = season_of(ctx.anchor)
    if season_later(code, current) > 0 and tense(ctx, m.start("u")) == "past":
        year -= 1
    return "DATE", f"{year}-{code}"


def _quarter_or_half(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    a = ctx.anchor
    unit = m["u"].lower()
    ord_raw = re.sub(r"[\s-]+", " ", (m["ord"] or "").lower())
    year: int | None = None
    if m["y"] or m["y0"]:
        year = int(m["y"] or m["y0"])
    elif m["yrel"] and a is not None:
        year = a.year + STEPS[m["yrel"].lower()]
    elif m["poss"] and a is not None:
        year = a.year - 1 if m["poss"].lower().startswith("last") else a.year
    n = ORDINALS.get(ord_raw)
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
        return "DATE", f"{a.year}-Q{quarter(a.month)}"
    y, mo = add_months(a, -3)
    if ord_raw in ("year earlier", "year ago", "comparable year ago", "comparable year earlier"):
        y -= 1
    return "DATE", f"{y}-Q{quarter(mo)}"


def quarter_or_half(m: re.Match[str], ctx: Ctx) -> Result | None:
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
        return "DATE", previous_quarter(ctx.anchor)
    result = _quarter_or_half(m, ctx)
    hyphenated = m["ord"] and "-" in ctx.text[m.end("ord") : m.start("u")]
    if result is not None and hyphenated and re.match(r"the\s", m.group(0), re.I):
        # TBAQ: "the third-quarter loss" marks only "third-quarter".
        return (*result, m.start("ord"))
    return result


def year_earlier(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return "DATE", "XXXX"
    return "DATE", year_back(ctx, m.start())


def year_ago_period(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """ "the year-earlier quarter", "the year-ago third quarter", "the 1988 period"."""
    unit = re.sub(r"\s+", " ", m["u"].lower())
    if unit.endswith("months"):
        return "DURATION", f"P{NUMBERS[unit.split()[0]]}M"
    if m["y"]:
        return ("DATE", m["y"]) if unit == "period" else None
    if unit == "half":
        return None
    if ctx.anchor is None:
        return "DATE", "XXXX-QX"
    if m["ord"]:
        return "DATE", f"{ctx.anchor.year - 1}-Q{ORDINALS[m['ord'].lower()]}"
    q = context_quarter(ctx, m.start()) or quarter(add_months(ctx.anchor, -3)[1])
    return "DATE", f"{ctx.anchor.year - 1}-Q{q}"


def counted_duration(m: re.Match[str], ctx: Ctx) -> Result | None:
    unit = unit_key(m["u"])
    if unit not in UNIT_CODE:
        return None
    num_raw = re.sub(r"\s+", " ", m["n"].lower())
    n = parse_num(num_raw)
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
    m: re.Match[str], ctx: Ctx, unit: str, num_raw: str, n: float | None, mods: str, post: str
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
        if last in RATE_WORDS or last[:1].isdigit() or last.startswith("$"):
            return "SET", duration(1, unit)
    if num_raw == "one" and unit == "day" and not mods.strip() and not post and m["sep"] == " ":
        return "DATE", "FUTURE_REF" if tense(ctx, m.start()) != "past" else "PAST_REF"
    if post == "ago" or (post == "earlier" and unit in ("year", "month", "week", "quarter")):
        if n is None:
            return "DATE", "PAST_REF"
        if ctx.anchor is None:
            return "DATE", "PAST_REF"
        if unit == "year" and n == 1:
            return "DATE", year_back(ctx, m.start())
        value = shift(ctx.anchor, n, unit)
        return ("DATE", value) if value else ("DURATION", duration(n, unit))
    if unit == "weekend" and n is not None:
        return "DURATION", f"P{fmt_num(2 * n)}D"
    return "DURATION", duration(n, unit)


def bare_units(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    unit = unit_key(m["u"])
    if unit not in UNIT_CODE or unit == "weekend":
        return None
    pre = (m["pre"] or "").lower()
    if not pre:
        prev = ctx.text[max(0, m.start() - 10) : m.start()].split()
        lead = prev[-1].lower() if prev else ""
        if lead not in ("for", "within", "over") and unit not in ("decade", "century", "millennium"):
            return None
    if "recent" in pre and unit == "year":
        return "DATE", "PAST_REF"
    return "DURATION", duration(None, unit)


def reference(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    word = re.sub(r"\s+", " ", m["w"].lower())
    if word in ("current", "recent"):
        # Only as a modifier ("the current crisis"); else an adjective of anything.
        tok = token_at(ctx, m.start())
        if tok is None or tok.dep_ != "amod":
            return None
    return "DATE", REFERENCES[word]


def set_adverb(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    return "SET", SET_ADVERBS[m["w"].lower()]


def set_every(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    what = m["what"].lower()
    n = parse_num(m["n"]) if m["n"] else 1
    if m["other"]:
        n = (n or 1) * 2
    if what.rstrip("s") in PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[what.rstrip('s')]}"
    if what in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[what] + 1}"
    if what in MONTHS:
        return "SET", f"XXXX-{MONTHS[what]:02d}"
    if what in SEASONS:
        return "SET", f"XXXX-{SEASONS[what]}"
    unit = unit_key(what)
    if unit not in UNIT_CODE:
        return None
    return "SET", duration(n, unit)


def times_per(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    unit = unit_key(m["u"])
    if unit not in UNIT_CODE:
        return None
    return "SET", duration(1, unit)
