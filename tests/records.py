"""Hand-made `newsgraph.article/1` records for store tests: the facts a test needs and nothing
the extractor would add, so that a test says exactly what the store is given."""

from __future__ import annotations

from typing import Any

from newsgraph.record import EXTRACTOR_VERSION, SCHEMA


def span(text: str, words: str, start: int = 0) -> dict[str, Any]:
    """`words` where they first stand in `text` (from `start`), as a record span."""
    at = text.index(words, start)
    return {"start": at, "end": at + len(words), "text": words}


def role(
    person: str,
    title: str,
    evidence: dict[str, Any],
    date: str | None,
    org: str | None = None,
    modifier: str | None = None,
) -> dict[str, Any]:
    return {
        "person": person,
        "title": title,
        "org": org,
        "modifier": modifier,
        "as_of": date,
        "inferred": False,
        "evidence": evidence,
    }


def record(
    article_id: str,
    date: str | None,
    text: str,
    entities: list[dict[str, Any]],
    roles: list[dict[str, Any]] = (),  # type: ignore[assignment]
    quotes: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """The record of one article (its title is its id) with the given facts."""
    return {
        "schema": SCHEMA,
        "extractor": {"version": EXTRACTOR_VERSION, "model": "hand-made"},
        "article": {"id": article_id, "text": text, "date": date, "title": article_id},
        "entities": list(entities),
        "roles": list(roles),
        "quotes": list(quotes),
        "times": [],
        "credits": [],
    }
