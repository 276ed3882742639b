"""The application factory: one FastAPI app over one store, pages and JSON API side by side."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph import __version__
from newsgraph.store import Store, open_store
from newsgraph.web.security import DEFAULT_MAX_BODY, Guard

if TYPE_CHECKING:
    from spacy.language import Language

    from newsgraph.article import Article
    from newsgraph.record import Record

HERE = Path(__file__).resolve().parent


class Pipeline:
    """Extraction for /api/extract and ingest; the spaCy pipeline is loaded on first use, once."""

    def __init__(self, nlp: Language | None = None, model: str | None = None) -> None:
        self._nlp = nlp
        self._model = model
        self._lock = threading.Lock()

    def extract(self, article: Article) -> Record:
        from newsgraph.extract import extract, prepare
        from newsgraph.nlp import load_pipeline

        # one extraction at a time: a pipeline is not meant to be shared between threads
        with self._lock:
            if self._nlp is None:
                self._nlp = prepare(load_pipeline(self._model))
            return extract(article, self._nlp)


def templates() -> Environment:
    # autoescape everywhere: article text and extracted strings are user data
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals["version"] = __version__
    return env


def create_app(
    db: str | Store,
    token: str | None = None,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    nlp: Language | None = None,
    model: str | None = None,
) -> FastAPI:
    """The web app over a store (a `Store`, a SQLite path or a database URL).

    With no `token` it is read-only; writing endpoints (ingest, curation) need
    requests that carry it. Bodies over `max_body` bytes are refused with 413.
    """
    from newsgraph.web import api, pages

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
    app.state.pipeline = Pipeline(nlp, model)
    app.state.templates = templates()
    app.add_middleware(Guard, max_body=max_body)
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
        return pages.error_page(request, 422, f"Bad request: {problems}")

    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: DataError) -> Response:
        # a value the database refuses (a NUL in a JSON string, on PostgreSQL): the request's fault
        return await http_error(request, StarletteHTTPException(422, "a value the store cannot hold"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return await http_exception_handler(request, exc)
        return pages.error_page(request, exc.status_code, str(exc.detail))

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def render(request: Request, template_name: str, status: int = 200, **context: Any) -> HTMLResponse:
    template = request.app.state.templates.get_template(template_name)
    html = template.render(request=request, writable=request.app.state.token is not None, **context)
    return HTMLResponse(html, status_code=status)
