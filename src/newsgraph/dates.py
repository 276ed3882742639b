"""Calendar days, periods and moments, read one way everywhere.

`parse_date` is lenient (metadata from the wild: a datetime, a TimeML value
with a part of day); `strict_day` and `month_range` check what a person
typed (a command-line option, a query parameter) and raise ValueError;
`period` reads a TIMEX3 DATE value as its first day and precision.
"""

from __future__ import annotations

import datetime as dt
import re

_PERIODS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "day"),
    (re.compile(r"\d{4}-\d{2}"), "month"),
    (re.compile(r"\d{4}-W\d{2}"), "week"),
    (re.compile(r"\d{4}"), "year"),
)


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """The calendar day an ISO date or datetime string starts with; None when absent or malformed.

    The day is kept as written: converting a time zone would move articles
    published near midnight to another day.
    """
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def strict_day(value: str) -> dt.date:
    """A YYYY-MM-DD day and nothing else; ValueError otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{value!r} is not a YYYY-MM-DD date")
    return dt.date.fromisoformat(value)


def month_range(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of a YYYY-MM month; ValueError when it is not one."""
    if not re.fullmatch(r"\d{4}-\d{2}", value):
        raise ValueError(f"{value!r} is not YYYY-MM")
    first = dt.date(int(value[:4]), int(value[5:7]), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def period(value: str) -> tuple[dt.date, str] | None:
    """First day and precision ("day", "month", "week", "year") of a TIMEX3 DATE value:
    2025-01-18, 2025-01, 2025-W05, 2025; None for anything else (2025-Q1, PAST_REF, XXXX-01)."""
    for pattern, precision in _PERIODS:
        if not pattern.fullmatch(value):
            continue
        try:
            if precision == "day":
                return dt.date.fromisoformat(value), precision
            if precision == "month":
                return dt.date(int(value[:4]), int(value[5:7]), 1), precision
            if precision == "week":
                return dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1), precision
            return dt.date(int(value), 1, 1), precision
        except ValueError:
            return None
    return None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc_now_text() -> str:
    """The moment as stored in manifests and run logs: ISO, to the second."""
    return utc_now().isoformat(timespec="seconds")
