"""Calendar days and moments, read one way everywhere."""

from __future__ import annotations

import datetime as dt


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """The calendar day of an ISO date or datetime string; None when absent or malformed."""
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def iso_day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc_now_text() -> str:
    """The moment as stored in manifests and run logs: ISO, to the second."""
    return utc_now().isoformat(timespec="seconds")
