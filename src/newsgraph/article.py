"""The article: the unit every stage passes along."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def content_id(text: str) -> str:
    """Stable id for an article that came without one: same text, same id."""
    return content_hash(text)[:16]


def content_hash(text: str) -> str:
    """Digest of the whole text: an article is stored again only when it changes.

    Lone surrogates (a JSON escape can make one) are hashed as their code
    points, so any string has an id; the readers and the store refuse such
    text with a reason, never with this function's exception.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One article body with its metadata.

    `text` is the body exactly as read (after header removal and decoding):
    every offset newsgraph emits indexes this string.
    """

    text: str
    id: str = ""
    path: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    title: str | None = None
    source: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # Where in its file the article was read (`file.jsonl:N`), for a failure to name;
    # not part of the article (records, equality) since a move of the file changes it.
    origin: str | None = field(default=None, compare=False, repr=False)
    # The fields a reader only guessed (a plain-text headline, a source read off a document
    # id): metadata given from outside overrides them. Not part of the article either.
    inferred: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", content_id(self.text))

    def where(self) -> str:
        """What names the article in a failure: where it was read, else its path, else its id."""
        return self.origin or self.path or self.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "date": self.date,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "text": self.text,
            "meta": dict(self.meta),
        }
