"""`newsgraph serve`: the web app and JSON API over the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli import _errors, app
from newsgraph.cli.query import DbOption


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 exposes it to the network.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    max_body: Annotated[
        int, typer.Option(min=1024, help="Largest request body accepted, in bytes (larger: 413).")
    ] = 2 * 1024 * 1024,
    model: Annotated[
        str | None, typer.Option(help="spaCy pipeline for /api/extract and ingest (default as `extract`).")
    ] = None,
) -> None:
    """Serve pages and a JSON API (/api, documented at /docs); writing needs $NEWSGRAPH_TOKEN."""
    import uvicorn
    from sqlalchemy.engine import make_url

    from newsgraph.store import database_url
    from newsgraph.web import create_app
    from newsgraph.web.security import TOKEN_ENV

    url = make_url(database_url(db))
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        _errors.print(
            f"[red]error[/red] no store at {url.database} (run `newsgraph ingest` first)", highlight=False
        )
        raise typer.Exit(2)
    try:
        web = create_app(db, token=os.environ.get(TOKEN_ENV) or None, max_body=max_body, model=model)
    except Exception as exc:  # a server that does not answer, a bad URL
        _errors.print(f"[red]error[/red] cannot open the store: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    mode = "writable with $NEWSGRAPH_TOKEN" if web.state.token else "read-only"
    typer.echo(
        f"newsgraph serving {url.render_as_string(hide_password=True)} on http://{host}:{port}/ ({mode})"
    )
    uvicorn.run(web, host=host, port=port, log_level="warning")
