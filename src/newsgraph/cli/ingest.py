"""`newsgraph ingest`: build or update the knowledge base."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from newsgraph.cli._app import DbOption, Failures, app, check_date, errors
from newsgraph.cli.extract import METADATA_HELP, DateFromPathOption, DateOption, MetaOption, meta_table

if TYPE_CHECKING:
    from newsgraph.store.write import Summary


class RateColumn(ProgressColumn):
    """Articles per second since the start."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.1f} articles/s", style="progress.data.speed")


def _summary_table(summary: Summary) -> Table:
    table = Table(title=f"Ingest run {summary.run_id}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in (
        ("articles added", summary.added),
        ("articles replaced", summary.replaced),
        ("articles skipped (unchanged)", summary.skipped),
        ("articles failed", summary.failed),
        ("quotes", summary.quotes),
        ("people", len(summary.people)),
        ("roles", summary.roles),
    ):
        table.add_row(label, f"{value:,}")
    return table


@app.command(
    help=f"Extract articles and store their facts; unchanged articles are skipped.\n\n{METADATA_HELP}"
)
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Inputs as for `extract`, plus .jsonl record files.")],
    db: DbOption = None,
    workers: Annotated[int, typer.Option(min=1, help="Extraction worker processes.")] = 1,
    reextract: Annotated[
        bool, typer.Option(help="Re-extract articles stored by an older extractor version.")
    ] = False,
    date: DateOption = None,
    date_from_path: DateFromPathOption = False,
    meta: MetaOption = None,
    model: Annotated[str | None, typer.Option(help="Installed spaCy English pipeline.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per transaction.")] = 50,
) -> None:
    """Extract articles and store their facts; unchanged articles are skipped."""
    from newsgraph.ingest import estimate_total, load
    from newsgraph.read import printable
    from newsgraph.store import StoreOpenError, open_store
    from newsgraph.store.write import StoreWriteError

    date = check_date(date)
    table = meta_table(meta)
    err = Console(stderr=True)
    try:
        store = open_store(db)
    except StoreOpenError as exc:
        errors.print(f"[red]error[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    total = estimate_total(paths)
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}" if total else "{task.completed:,}"),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    try:
        with progress:
            task = progress.add_task("ingest", total=total)

            def advance(summary: Summary) -> None:
                done = summary.added + summary.replaced + summary.skipped + summary.failed
                progress.update(task, completed=done)

            summary = load(
                store,
                paths,
                workers=workers,
                model=model,
                date=date,
                date_from_path=date_from_path,
                meta=table,
                reextract=reextract,
                batch_size=batch_size,
                command="ingest " + " ".join(printable(path) for path in paths),
                stdin=sys.stdin.buffer,
                on_progress=advance,
            )
    except StoreWriteError as exc:
        errors.print(f"[red]error[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        errors.print("what was committed before stays; run the same command again to finish", highlight=False)
        raise typer.Exit(2) from None
    finally:
        store.close()
    reported = Failures()
    for failure in summary.failures:
        reported.report(failure.path, failure.reason)
    Console().print(_summary_table(summary))
    if summary.failed:
        raise typer.Exit(1)
