"""The JSON API under /api: the same data as the pages, for other tools.

Lists are paged with `offset` and `limit` (capped) in a stable order and
come as {"items", "offset", "limit", "more"}. Writing (ingest, curation)
needs the server's token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from newsgraph import query
from newsgraph.article import Article
from newsgraph.settings import value
from newsgraph.store import curation
from newsgraph.store.write import write_records
from newsgraph.web.deps import extract as run_extraction
from newsgraph.web.deps import extract_allowed
from newsgraph.web.deps import store as _store
from newsgraph.web.params import MAX_TEXT, ArticleId, BodyText, Day, Limit, Offset, Text, day, month
from newsgraph.web.security import require_token

router = APIRouter(prefix="/api", tags=["api"])
MAX_ARTICLE_CHARS = int(value("max_article_chars") or 0)


def _json(value: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(query.to_jsonable(value), status_code=status)


def _page(page: query.Page) -> JSONResponse:
    return _json({"items": page.items, "offset": page.offset, "limit": page.limit, "more": page.more})


class ArticleIn(BaseModel):
    """An article to extract (and, for POST /api/articles, to store)."""

    text: BodyText = Field(min_length=1, max_length=MAX_ARTICLE_CHARS, description="The body.")
    id: ArticleId | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="Defaults to a hash of the text; no control characters, no '.' or '..' segments.",
    )
    date: dt.date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    title: BodyText | None = Field(None, max_length=1000)
    source: BodyText | None = Field(None, max_length=1000)
    url: BodyText | None = Field(None, max_length=2000)

    def article(self) -> Article:
        return Article(
            text=self.text,
            id=self.id or "",
            date=self.date.isoformat() if self.date else None,
            title=self.title,
            source=self.source,
            url=self.url,
        )


class MergeIn(BaseModel):
    a: BodyText = Field(min_length=1, max_length=MAX_TEXT, description="Entity merged away (id or name).")
    b: BodyText = Field(
        min_length=1, max_length=MAX_TEXT, description="Entity it is merged into (id or name)."
    )
    reason: BodyText = Field(min_length=1, max_length=MAX_TEXT)


class SplitIn(BaseModel):
    entity: BodyText = Field(min_length=1, max_length=MAX_TEXT, description="Entity id or name.")
    article_id: BodyText = Field(min_length=1, max_length=128)
    reason: BodyText = Field(min_length=1, max_length=MAX_TEXT)


class RejectIn(BaseModel):
    fact_key: BodyText = Field(min_length=1, max_length=MAX_TEXT, description="A role's or quote's fact key.")
    reason: BodyText = Field(min_length=1, max_length=MAX_TEXT)


@router.get("/stats", summary="Counts")
def stats(request: Request) -> JSONResponse:
    """How much the store holds, and the span of article dates."""
    return _json(query.stats(_store(request)))


@router.get("/articles", summary="Articles, newest first")
def list_articles(request: Request, offset: Offset = 0, limit: Limit = 20) -> JSONResponse:
    """Articles (id, date, title, source), newest first, undated last, then by id."""
    return _page(query.article_list(_store(request), offset=offset, limit=limit))


@router.get("/articles/{article_id:path}", summary="One article with every fact")
def get_article(request: Request, article_id: Annotated[str, Path(max_length=128)]) -> JSONResponse:
    """The article's text, metadata and every stored fact with its character offsets:
    entities with mentions, roles, quotes (with cue and speaker), time expressions, credits."""
    return _json(query.article(_store(request), article_id))


@router.post(
    "/articles", summary="Ingest an article (token)", status_code=201, dependencies=[Depends(require_token)]
)
async def ingest(request: Request, body: ArticleIn) -> JSONResponse:
    """Extract the article (in the extraction pool, as /api/extract) and store it; an unchanged
    article already stored is skipped. Needs the token (`Authorization: Bearer T` or
    `X-Newsgraph-Token: T`)."""
    article = body.article()
    record = await run_extraction(request, article)
    summary = await run_in_threadpool(write_records, _store(request), [record], command="web ingest")
    if summary.failed:
        raise HTTPException(422, "; ".join(f.reason for f in summary.failures))
    outcome = "added" if summary.added else "replaced" if summary.replaced else "skipped"
    return _json(
        {
            "id": article.id,
            "outcome": outcome,
            "quotes": summary.quotes,
            "roles": summary.roles,
            "url": "/article/" + quote(article.id, safe="/"),
        },
        201,
    )


@router.post(
    "/extract",
    summary="Extract an article without storing it",
    dependencies=[Depends(extract_allowed)],
    responses={
        429: {"description": "Over the client's rate, or the extraction queue is full"},
        503: {"description": "The extraction worker was lost"},
        504: {"description": "Over the time budget of one article"},
    },
)
async def extract(request: Request, body: ArticleIn) -> JSONResponse:
    """The `newsgraph.article/1` record of the article in the request body; nothing is stored.
    Runs in the server's extraction processes, within a time budget per article; limited per
    client a minute, and with the token too where the server says so."""
    return _json(await run_extraction(request, body.article()))


@router.get("/people", summary="People")
def list_people(
    request: Request,
    name: Annotated[str | None, Query(max_length=MAX_TEXT, description="A full name, surname or id.")] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> JSONResponse:
    """People by name; with `name`, the people it may mean (aliases, transliterations, merges)."""
    store = _store(request)
    if name is not None:
        found = query.find_people(store, name)
        return _json(
            {
                "items": [{"id": i, "name": n} for i, n in found],
                "offset": 0,
                "limit": len(found),
                "more": False,
            }
        )
    return _page(query.people(store, offset=offset, limit=limit))


@router.get("/people/{person_id}", summary="One person")
def get_person(
    request: Request, person_id: Annotated[str, Path(max_length=64)], offset: Offset = 0, limit: Limit = 20
) -> JSONResponse:
    """Names and aliases, role timeline with evidence, quote count and a page of quotes (newest
    first), and the people most often mentioned in the same articles. A merged id answers
    with the person it was merged into; a name works too, resolved as everywhere (409 when it
    means several people)."""
    return _json(query.person(_store(request), person_id, offset=offset, limit=limit))


@router.get("/quotes", summary="Quotes, with the filters of `newsgraph quotes`")
def list_quotes(
    request: Request,
    speaker: Annotated[str | None, Query(max_length=MAX_TEXT, description="Name, surname or id.")] = None,
    search: Annotated[str | None, Query(max_length=MAX_TEXT, description="Full-text search.")] = None,
    since: Day = None,
    until: Day = None,
    offset: Offset = 0,
    limit: Limit = 20,
) -> JSONResponse:
    """Quote reports with speaker, the speaker's title at the time, date, article, type and
    confidence: newest first, or best match first with `search`. A speaker name that means
    several people is a 409 listing them."""
    page = query.quote_page(
        _store(request),
        speaker=speaker or None,
        search=search,
        since=day(since, "since"),
        until=day(until, "until"),
        offset=offset,
        limit=limit,
    )
    return _page(page)


@router.get("/quotes/{quote_id}", summary="One quote and every article that carries it")
def get_quote(
    request: Request, quote_id: Annotated[str, Path(max_length=64)], offset: Offset = 0, limit: Limit = 50
) -> JSONResponse:
    """The statement, its speaker and first appearance, and its reports, first seen first."""
    return _json(query.quote(_store(request), quote_id, offset=offset, limit=limit))


@router.get("/search", summary="Search quotes and articles, with facets")
def search(
    request: Request,
    q: Text = "",
    speaker: Annotated[str | None, Query(max_length=64, description="Entity id.")] = None,
    source: Text = None,
    month_: Annotated[str | None, Query(alias="month", max_length=7, description="YYYY-MM.")] = None,
    offset: Offset = 0,
    limit: Limit = 20,
) -> JSONResponse:
    """Quotes whose words hold all of `q`'s (best first; newest first without `q`), one row per
    quote, with facet counts by speaker, source and month over the best matches, and the
    best-matching articles."""
    result = query.search(
        _store(request),
        q or "",
        speaker=speaker,
        source=source,
        month=month(month_),
        offset=offset,
        limit=limit,
    )
    return _json(result)


@router.get("/who", summary="Who held an office")
def who(
    request: Request,
    title: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description='e.g. "Press Secretary".')],
    on: Day = None,
    country: Annotated[
        str | None, Query(max_length=MAX_TEXT, description='e.g. "United Kingdom", "UK", "British".')
    ] = None,
    org: Annotated[str | None, Query(max_length=MAX_TEXT, description='e.g. "Labour Party".')] = None,
) -> JSONResponse:
    """Holders of a title, with evidence; with `on`, who held it that day (or was last reported
    in it, and how stale that is), and where the corpus contradicts itself. The title may name
    the country ("British Prime Minister"), or `country` does; 404 for an unknown country."""
    return _json(
        query.who(_store(request), title, on=day(on, "on"), country=country or None, org=org or None)
    )


@router.get("/timeline", summary="Dated events and statements about the future")
def timeline(
    request: Request,
    since: Day = None,
    until: Day = None,
    future: Annotated[bool, Query(description="Only days after the article's date.")] = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> JSONResponse:
    """Time expressions that name a day, month, week or year, by their first day, with their
    sentence and the quote they are part of."""
    page = query.timeline_page(
        _store(request),
        since=day(since, "since"),
        until=day(until, "until"),
        future_only=future,
        offset=offset,
        limit=limit,
    )
    return _page(page)


def _recorded(entry: curation.CurationEntry) -> JSONResponse:
    return _json(entry.as_dict(), 201)


def _curation_route(path: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return router.post(path, summary=summary, status_code=201, dependencies=[Depends(require_token)])


@_curation_route("/curate/merge", "Merge two entities (token)")
def merge(request: Request, body: MergeIn) -> JSONResponse:
    """Merge entity `a` into `b`; recorded with its reason and kept through re-ingest."""
    return _recorded(curation.merge(_store(request), body.a, body.b, body.reason))


@_curation_route("/curate/split", "Split an entity off in one article (token)")
def split(request: Request, body: SplitIn) -> JSONResponse:
    """The entity's mentions, roles and quotes in one article become a new entity."""
    return _recorded(curation.split(_store(request), body.entity, body.article_id, body.reason))


@_curation_route("/curate/reject", "Reject a fact (token)")
def reject(request: Request, body: RejectIn) -> JSONResponse:
    """Hide a role or quote report, given by its fact key, from pages, queries and exports."""
    return _recorded(curation.reject(_store(request), body.fact_key, body.reason))
