"""The application factory: one FastAPI app over one store, pages and JSON API side by side;
lookups that cannot answer become HTTP statuses here, once for every route."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph import __version__
from newsgraph.errors import Ambiguous, CurationError, NotFound
from newsgraph.settings import value
from newsgraph.store import Store, open_store
from newsgraph.web import api, pages
from newsgraph.web.deps import Extraction
from newsgraph.web.security import Guard
from newsgraph.web.templating import HERE, error_page, templates

if TYPE_CHECKING:
    from spacy.language import Language


def create_app(
    db: str | Store,
    token: str | None = None,
    *,
    max_body: int | None = None,
    nlp: Language | None = None,
    model: str | None = None,
) -> FastAPI:
    """The web app over a store (a `Store`, a SQLite path or a database URL).

    With no `token` it is read-only; writing endpoints (ingest, curation) need
    requests that carry it. Bodies over `max_body` bytes (default: the
    `max_body` setting) are refused with 413.
    """
    store = db if isinstance(db, Store) else open_store(db)
    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Who said what, when, and in which role, with evidence: pages and a JSON API.",
        # the stock docs pages load their scripts from a CDN; /docs is rendered here instead
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.token = token or None
    app.state.extraction = Extraction(model, nlp)
    app.state.templates = templates()
    app.add_middleware(Guard, max_body=max_body or int(value("max_body") or 0))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in exc.errors()
        )
        return error_page(request, 422, f"Bad request: {problems}")

    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: DataError) -> Response:
        # a value the database refuses (a NUL in a JSON string, on PostgreSQL): the request's fault
        return await http_error(request, StarletteHTTPException(422, "a value the store cannot hold"))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return await http_error(request, StarletteHTTPException(404, str(exc.args[0])))

    @app.exception_handler(Ambiguous)
    async def ambiguous(request: Request, exc: Ambiguous) -> Response:
        if _wants_json(request):
            detail = {"message": exc.args[0], "candidates": exc.candidates}
            return await http_exception_handler(request, HTTPException(409, detail))
        return error_page(request, 409, exc.args[0])

    @app.exception_handler(CurationError)
    async def not_curated(request: Request, exc: CurationError) -> Response:
        return await http_error(request, StarletteHTTPException(400, str(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return await http_exception_handler(request, exc)
        return error_page(request, exc.status_code, str(exc.detail))

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"
