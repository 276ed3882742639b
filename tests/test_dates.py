"""The one reader of days and periods that every layer uses."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.dates import month_range, parse_date, period, strict_day


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-18", dt.date(2024, 11, 18)),
        (" 2024-11-18 ", dt.date(2024, 11, 18)),
        ("2024-11-18T23:59:00-05:00", dt.date(2024, 11, 18)),  # the day as written, no time zone shift
        ("1998-01-08TMO", dt.date(1998, 1, 8)),
        ("2024-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_is_lenient_with_metadata(value: str | None, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("typed", ["20241118", "2024-11-18T10:00", "2024-11", "18.11.2024", "2024-13-01"])
def test_strict_day_takes_only_yyyy_mm_dd(typed: str) -> None:
    with pytest.raises(ValueError):
        strict_day(typed)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-18", (dt.date(2025, 1, 18), "day")),
        ("2025-01", (dt.date(2025, 1, 1), "month")),
        ("2025-W05", (dt.date(2025, 1, 27), "week")),
        ("2025", (dt.date(2025, 1, 1), "year")),
        ("2025-Q1", None),
        ("PAST_REF", None),
        ("XXXX-01", None),
        ("2025-W54", None),
    ],
)
def test_period_reads_timex_date_values(value: str, expected: tuple[dt.date, str] | None) -> None:
    assert period(value) == expected


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 11, 30)))
def test_a_day_is_its_own_period_and_lies_in_its_month(day: dt.date) -> None:
    assert period(day.isoformat()) == (day, "day")
    first, last = month_range(day.isoformat()[:7])
    assert first <= day <= last
    assert (last + dt.timedelta(days=1)).day == 1
