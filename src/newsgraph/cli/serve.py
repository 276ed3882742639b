"""`newsgraph serve`: the web app and JSON API over the store."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from newsgraph.cli._app import DbOption, app, open_checked
from newsgraph.settings import default, value


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 exposes it to the network.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    max_body: Annotated[
        int, typer.Option(min=1024, help="Largest request body accepted, in bytes (larger: 413).")
    ] = int(default("max_body") or 0),
    model: Annotated[
        str | None, typer.Option(help="spaCy pipeline for /api/extract and ingest (default as `extract`).")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes sharing the port, each with its own store connections and "
            "extraction workers (SQLite: one writer at a time, readers in parallel).",
        ),
    ] = 1,
) -> None:
    """Serve pages and a JSON API (/api, documented at /docs); writing needs $NEWSGRAPH_TOKEN."""
    from newsgraph.web import create_app
    from newsgraph.web.server import serve as run_server

    token = value("token") or None
    url, web = open_checked(db, lambda: create_app(db, token=token, max_body=max_body, model=model))
    mode = "writable with $NEWSGRAPH_TOKEN" if web.state.token else "read-only"
    shown = url.render_as_string(hide_password=True)
    typer.echo(f"newsgraph serving {shown} on http://{host}:{port}/ ({mode}, {workers} process(es))")
    # with several processes each makes its own app from the same arguments
    factory = functools.partial(
        create_app, url.render_as_string(hide_password=False), token=token, max_body=max_body, model=model
    )
    run_server(
        web,
        host=host,
        port=port,
        workers=workers,
        factory=factory,
        read_timeout=float(value("read_timeout") or 30),
    )
