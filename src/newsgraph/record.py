"""The public output contract, `newsgraph.article/1`.

Later work may add keys; it never renames or removes these.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

SCHEMA = "newsgraph.article/1"
EXTRACTOR_VERSION = "0.3.0"


class Span(TypedDict):
    start: int
    end: int  # exclusive
    text: str


class Mention(TypedDict):
    start: int
    end: int
    text: str
    kind: Literal["name", "surname", "pronoun", "title"]


class Entity(TypedDict):
    id: str
    type: str
    name: str
    mentions: list[Mention]
    # Extension: a person's gender where the article says it (Mr/Mrs/Lord/Dame..., or gendered
    # pronouns that all agree); absent where it does not.
    gender: NotRequired[Literal["male", "female"]]


class Role(TypedDict):
    person: str
    title: str
    org: str | None
    modifier: str | None
    as_of: str | None
    inferred: bool
    evidence: Span
    # Extension: the organisation's name as written, also when `org` is an entity id.
    org_name: NotRequired[str | None]


class Quote(TypedDict):
    id: str
    type: Literal["direct", "indirect", "mixed"]
    content: Span
    cue: Span | None
    speaker: str | None
    speaker_mention: Span | None
    speaker_title: str | None
    confidence: float
    # Extension: how the speaker was resolved, so that errors can be counted by kind: a name in
    # the attribution, a surname alone, a pronoun, a title alone ("the ambassador said"), an
    # organisation (also "it", "the firm"), or the speaker of the paragraph a quotation continues.
    speaker_via: NotRequired[
        Literal["name", "surname", "pronoun", "title", "organisation", "continuation"] | None
    ]


class Time(TypedDict):
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str


class Credit(TypedDict):
    kind: Literal["photo", "byline", "agency"]
    name: str
    start: int
    end: int
    agency: NotRequired[str | None]


class Record(TypedDict):
    schema: str
    extractor: dict[str, str]
    article: dict[str, Any]
    entities: list[Entity]
    roles: list[Role]
    quotes: list[Quote]
    times: list[Time]
    credits: list[Credit]


def span(text: str, start: int, end: int) -> Span:
    return {"start": start, "end": end, "text": text[start:end]}
