"""The application factory: one FastAPI app over one store, pages and JSON API side by side;
lookups that cannot answer become HTTP statuses here, once for every route."""

from __future__ import annotations

import reprlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph import __version__
from newsgraph.errors import Ambiguous, CurationError, NotFound
from newsgraph.settings import value
from newsgraph.store import Store, open_store
from newsgraph.web import api, pages
from newsgraph.web.pool import ExtractionPool, ExtractLimits
from newsgraph.web.security import Guard, PerClient
from newsgraph.web.templating import HERE, error_page, templates

if TYPE_CHECKING:
    from spacy.language import Language


# Threads the routes run in (FastAPI runs every sync route in anyio's pool, 40 threads by default).
# A read is mostly Python holding the GIL, with the database call between that lets it go: two
# threads overlap the two, and more only queue on the GIL. Measured with bench_load.py (50
# clients, one process): 40 threads 55 requests/s, p95 2.0 s; 6: 68, 1.1 s; 2: 89, 0.82 s; 1: 81.
READ_THREADS = 2


def create_app(
    db: str | Store,
    token: str | None = None,
    *,
    max_body: int | None = None,
    nlp: Language | None = None,
    model: str | None = None,
    limits: ExtractLimits | None = None,
) -> FastAPI:
    """The web app over a store (a `Store`, a SQLite path or a database URL).

    With no `token` it is read-only; writing endpoints (ingest, curation) need
    requests that carry it. Bodies over `max_body` bytes (default: the
    `max_body` setting) are refused with 413. Extraction (/api/extract and
    ingest) runs in worker processes with `nlp` (or the pipeline `model`),
    within `limits` (default: the settings).
    """
    store = db if isinstance(db, Store) else open_store(db)
    limits = limits or ExtractLimits.from_settings()
    pool = ExtractionPool(limits, model, nlp)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = READ_THREADS
        yield
        pool.close()

    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Who said what, when, and in which role, with evidence: pages and a JSON API.",
        # the stock docs pages load their scripts from a CDN; /docs is rendered here instead
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.token = token or None
    app.state.extraction = pool
    app.state.extract_rate = PerClient(limits.per_minute)
    app.state.templates = templates()
    app.add_middleware(Guard, max_body=max_body or int(value("max_body") or 0))
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [_short_error(e) for e in exc.errors()[:MAX_ERRORS]]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors)
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


MAX_ERRORS = 10
# a 422 says where and why, and shows at most this much of what was sent: never the whole body
_EXCERPT = reprlib.Repr()
_EXCERPT.maxstring = _EXCERPT.maxother = _EXCERPT.maxlong = 80
_EXCERPT.maxlevel, _EXCERPT.maxlist, _EXCERPT.maxdict = 2, 4, 4


def _printable(text: str) -> str:
    # a lone surrogate from the request cannot go back out as UTF-8: escaped
    excerpt = text if len(text) <= 80 else text[:80] + "…"
    return excerpt.encode("utf-8", "backslashreplace").decode("utf-8")


def _excerpt(value: Any) -> str:
    try:
        return _EXCERPT.repr(value)
    except ValueError:  # an int too long to print (sys.get_int_max_str_digits)
        return f"<{type(value).__name__}>"


def _short_error(error: dict[str, Any]) -> dict[str, Any]:
    short: dict[str, Any] = {
        "type": str(error.get("type", "")),
        "loc": [p if isinstance(p, int) else _printable(str(p)) for p in error.get("loc", ())],
        "msg": _printable(str(error.get("msg", ""))),
    }
    if "input" in error:
        short["input"] = _excerpt(error["input"])
    return short


class HeadAsGet:
    """ASGI middleware: HEAD answered wherever GET is (FastAPI routes only list the methods they
    declare), with GET's status and headers and no body."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"
