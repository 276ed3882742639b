"""What routes get from the app: its store, and extraction for /api/extract and ingest."""

from __future__ import annotations

from fastapi import HTTPException, Request

from newsgraph.article import Article
from newsgraph.record import Record
from newsgraph.store import Store
from newsgraph.web.pool import ExtractionPool, PoolError
from newsgraph.web.security import PerClient, require_token


def store(request: Request) -> Store:
    return request.app.state.store


async def extract(request: Request, article: Article) -> Record:
    """The article's record from the app's extraction pool; what the pool could not do is the
    HTTP status that says why (429 queue full, 504 over the time budget, 503 worker lost)."""
    pool: ExtractionPool = request.app.state.extraction
    try:
        return await pool.extract(article)
    except PoolError as exc:
        headers = {"Retry-After": "5"} if exc.status in (429, 503) else None
        raise HTTPException(exc.status, exc.reason, headers=headers) from exc


def extract_allowed(request: Request) -> None:
    """FastAPI dependency of /api/extract: the token where the server asks for it, then the
    client's rate."""
    pool: ExtractionPool = request.app.state.extraction
    if pool.limits.needs_token:
        require_token(request)
    limiter: PerClient = request.app.state.extract_rate
    limiter.check(request.client.host if request.client else "")
