"""What every command shares: the Typer app, the error console, the `--db` option and the one way
to open a store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from newsgraph import __version__
from newsgraph.dates import strict_day

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

app = typer.Typer(
    help="newsgraph: who said what, when, and in which role, with evidence.",
    no_args_is_help=True,
    add_completion=False,
)
errors = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsgraph {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """newsgraph turns dated news articles into attributed facts with evidence."""


def check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return strict_day(value).isoformat()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a YYYY-MM-DD date") from exc


def shown(text: str) -> str:
    """Input-derived text for the terminal: control characters escaped (a file name must not
    move the cursor or recolour the screen) and rich markup taken literally."""
    from newsgraph.read import printable

    return escape(printable(text))


class Failures:
    """Counts and reports failing inputs on stderr, one line each."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, path: str | None, reason: str) -> None:
        self.count += 1
        line = f"[red]failed[/red] {shown(path or '<input>')}: {shown(reason)}"
        errors.print(line, highlight=False, soft_wrap=True)


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="Store: SQLite path or database URL (default: $NEWSGRAPH_DB or ./newsgraph.db).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
_T = TypeVar("_T")


def open_checked(db: str | None, opener: Callable[[], _T]) -> tuple[URL, _T]:
    """The store's URL and what `opener` opens over it; exits 2 where a SQLite store's file is
    missing (SQLite would create an empty one) or the store cannot be opened."""
    from sqlalchemy.engine import make_url

    from newsgraph.store import database_url

    url = make_url(database_url(db))
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        errors.print(
            f"[red]error[/red] no store at {url.database} (run `newsgraph ingest` first)", highlight=False
        )
        raise typer.Exit(2)
    try:
        return url, opener()
    except Exception as exc:  # a server that does not answer, a bad URL, a file that is no database
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not message.startswith("cannot open the store"):
            message = f"cannot open the store: {message}"
        errors.print(f"[red]error[/red] {shown(message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@contextmanager
def opened(db: str | None) -> Iterator[Any]:
    """The store, for every command that reads or curates it: exit 2 where it is missing or cannot
    be opened, 1 for a lookup that finds nothing or several, or a curation that cannot be."""
    from newsgraph.errors import Ambiguous, CurationError, NotFound
    from newsgraph.store import open_store

    _url, store = open_checked(db, lambda: open_store(db))
    try:
        yield store
    except (NotFound, Ambiguous, CurationError) as exc:
        errors.print(f"[red]error[/red] {exc.args[0] if exc.args else exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    finally:
        store.close()
