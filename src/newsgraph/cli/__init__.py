"""Command line: a thin layer over newsgraph's Python API.

Each group of commands lives in its own module and registers itself on `app`
(`_app.py`), so importing this package builds the whole command tree.
"""

from newsgraph.cli import batch, curate, evaluation, extract, ingest, query, serve
from newsgraph.cli._app import app

__all__ = ["app", "batch", "curate", "evaluation", "extract", "ingest", "query", "serve"]
