"""Request parameters shared by pages and API, with hard caps: a huge page number or limit is a
422, never a slow query."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import HTTPException, Query
from pydantic import AfterValidator

from newsgraph.dates import month_range, strict_day
from newsgraph.settings import value

MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_PAGE = 500
PAGE_SIZE = 20
MAX_TEXT = int(value("max_query_text") or 0)  # characters of a search string, a name or a title

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (at most {MAX_OFFSET}).")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items to return (at most {MAX_LIMIT}).")]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page, from 1 (at most {MAX_PAGE}).")]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
Day = Annotated[str | None, Query(max_length=10, description="A date, YYYY-MM-DD.")]


def day(value: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD parameter as a date; 422 when malformed, None when empty."""
    if not value:
        return None
    try:
        return strict_day(value)
    except ValueError as exc:
        raise HTTPException(422, f"{name}: {value!r} is not a YYYY-MM-DD date") from exc


def month(value: str | None) -> str | None:
    """A YYYY-MM parameter, checked; 422 when malformed."""
    if not value:
        return None
    try:
        month_range(value)
    except ValueError as exc:
        raise HTTPException(422, f"month: {value!r} is not YYYY-MM") from exc
    return value


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab, newline and carriage return, DEL, and C1 controls: no id holds them
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def storable(text: str) -> str:
    """A body string the store can hold: no lone surrogate (not Unicode, so it cannot be encoded
    or hashed) and no NUL (PostgreSQL text cannot hold one). A 422 otherwise."""
    if found := _LONE_SURROGATE.search(text):
        raise ValueError(f"a lone surrogate (not valid Unicode) at character {found.start()}")
    if (at := text.find("\x00")) >= 0:
        raise ValueError(f"a NUL character at character {at}")
    return text


def article_id(text: str) -> str:
    """An article id that is a plain name: no control character, and no empty, `.` or `..` path
    segment, so it can never read as a path outside its own, nor as an absolute one."""
    storable(text)
    if found := _CONTROL.search(text):
        raise ValueError(f"a control character at character {found.start()}")
    if any(segment in ("", ".", "..") for segment in text.replace("\\", "/").split("/")):
        raise ValueError("an empty, '.' or '..' path segment (ids are names, not paths)")
    return text


BodyText = Annotated[str, AfterValidator(storable)]
ArticleId = Annotated[str, AfterValidator(article_id)]
