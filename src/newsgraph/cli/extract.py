"""newsgraph extract: articles in, records out, nothing stored."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console

from newsgraph.article import Article
from newsgraph.cli._app import Failures, app, check_date, errors
from newsgraph.errors import Failure
from newsgraph.extract.budget import article_seconds


class Format(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


def _articles(paths: list[str], date: str | None, failures: Failures) -> Iterator[Article]:
    from newsgraph.read import read_inputs

    for item in read_inputs(paths, date=date, stdin=sys.stdin.buffer):
        if isinstance(item, Failure):
            failures.report(item.path, item.reason)
        else:
            yield item


def _write(records: Iterator[dict[str, Any]], fmt: Format, out: TextIO) -> int:
    written = 0
    if fmt is Format.jsonl:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
            written += 1
    elif fmt is Format.json:
        collected = list(records)
        written = len(collected)
        payload: Any = collected[0] if len(collected) == 1 else collected
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        from newsgraph.cli.render import print_records

        console = Console(file=out, width=160) if out is not sys.stdout else Console()
        for record in records:
            print_records([record], console)
            written += 1
    return written


@app.command()
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories, globs, or - for stdin (.txt, .jsonl, .html, .tml, .gz)."),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    date: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="Installed spaCy English pipeline (default: $NEWSGRAPH_MODEL or en_core_web_sm)."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Extract people, roles, quotes, dates and credits from news articles."""
    from newsgraph.extract import ExtractError, extract_many

    date = check_date(date)
    failures = Failures()

    def on_error(error: ExtractError) -> None:
        failures.report(error.article.where(), error.reason)

    try:
        records = extract_many(
            _articles(paths, date, failures),
            workers=workers,
            model=model,
            on_error=on_error,
            seconds=article_seconds(),
        )
        if output is None:
            _write(records, fmt, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as out:
                _write(records, fmt, out)
    except OSError as exc:
        errors.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if failures.count:
        errors.print(f"{failures.count} input(s) failed", highlight=False)
        raise typer.Exit(1)
