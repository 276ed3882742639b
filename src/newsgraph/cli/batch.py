"""`newsgraph batch`: extraction at archive scale, into Parquet shards, locally or on a Ray cluster."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsgraph.cli._app import app, check_date


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


@app.command()
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories, globs: everything `extract` reads, plus Parquet, WARC(.gz) and .sgm."
        ),
    ],
    out: Annotated[str, typer.Option("--out", help="Output directory (local path or s3://... URI).")],
    engine: Annotated[EngineName, typer.Option(help="Where shards run.")] = EngineName.local,
    address: Annotated[
        str | None,
        typer.Option(help="Ray cluster: auto or HOST:PORT (default: start a private Ray on this machine)."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes or Ray actors.")] = 1,
    shard_size: Annotated[int, typer.Option(min=1, help="Articles per shard.")] = 500,
    text_column: Annotated[str, typer.Option(help="Parquet inputs: the text column.")] = "text",
    date_column: Annotated[
        str | None, typer.Option(help="Parquet inputs: the date column (default: `date` if present).")
    ] = None,
    id_column: Annotated[
        str | None, typer.Option(help="Parquet inputs: the id column (default: `id` if present).")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Installed spaCy English pipeline.")] = None,
) -> None:
    """Extract articles into Parquet shards with a manifest; a rerun skips complete shards."""
    from newsgraph.batch import Job, run_job
    from newsgraph.batch.manifest import ShardResult
    from newsgraph.read import Columns

    date = check_date(date)
    if "-" in inputs:
        raise typer.BadParameter("a batch job reads files, not stdin", param_hint="INPUTS")
    if address and engine is not EngineName.ray:
        raise typer.BadParameter("--address needs --engine ray", param_hint="--address")
    err = Console(stderr=True)
    job = Job(
        inputs=inputs,
        out=out,
        shard_size=shard_size,
        model=model,
        date=date,
        columns=Columns(text=text_column, date=date_column, id=id_column),
    )

    def progress(result: ShardResult) -> None:
        err.print(
            f"{result.name}: {result.articles:,} articles, {len(result.failures)} failed, "
            f"{result.seconds:.1f} s",
            highlight=False,
        )

    try:
        summary = run_job(job, engine=engine.value, workers=workers, address=address, on_shard=progress)
    except Exception as exc:  # engine or output trouble ends the job; complete shards stay recorded
        err.print(f"[red]error[/red] {type(exc).__name__}: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    for failure in summary.failures:
        err.print(
            f"[red]failed[/red] {failure['path']}: {failure['reason']}", highlight=False, soft_wrap=True
        )
    table = Table(title=f"Batch into {out}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    rate = summary.articles / summary.seconds if summary.seconds else 0.0
    for label, value in (
        ("shards planned", f"{summary.planned:,}"),
        ("shards already complete", f"{summary.skipped:,}"),
        ("shards run", f"{summary.ran:,}"),
        ("articles written", f"{summary.articles:,}"),
        ("failures", f"{len(summary.failures):,}"),
        ("articles/s", f"{rate:,.1f}"),
        ("articles in all shards", f"{summary.totals['articles']:,}"),
        ("failures in all shards", f"{summary.totals['failures']:,}"),
    ):
        table.add_row(label, value)
    Console(stderr=True).print(table)
    if summary.totals["failures"]:
        raise typer.Exit(1)
