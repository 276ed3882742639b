"""newsgraph extract: articles in, records out, nothing stored."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console

from newsgraph.article import Article
from newsgraph.cli._app import Failures, app, check_date, errors
from newsgraph.errors import Failure
from newsgraph.extract.budget import article_seconds

if TYPE_CHECKING:
    from newsgraph.read import MetaTable

# Shared with `ingest`: both read articles the same way.
METADATA_HELP = (
    "Dates, titles and sources, highest precedence first: the article's own (JSON fields, "
    "TimeML creation time, wire header, HTML page) and its NAME.meta.json sidecar; the --meta "
    "CSV; a date in the path (--date-from-path); --date. A .txt file's first line is its title "
    "when it is a headline. Articles nothing dates stay undated."
)
DateOption = Annotated[
    str | None,
    typer.Option(help="Publication date (YYYY-MM-DD) of articles nothing else dates (lowest precedence)."),
]
DateFromPathOption = Annotated[
    bool,
    typer.Option(
        "--date-from-path",
        help="Date files by a date in their path as given: 2024/11/18, 2024-11-18, 20241118, "
        "forum-2024-11-18.txt (the one nearest the file name).",
    ),
]
MetaOption = Annotated[
    Path | None,
    typer.Option(
        "--meta",
        metavar="CSV",
        help="CSV with columns path,date,title,source,url (paths relative to the CSV's folder, "
        "or absolute) describing the inputs it lists; other columns are kept as metadata.",
    ),
]


def meta_table(path: Path | None) -> MetaTable | None:
    """The `--meta` CSV, loaded once for the run; a file that is no such table is a usage error."""
    if path is None:
        return None
    from newsgraph.read import MetaTable

    try:
        return MetaTable.load(path)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--meta") from None


class Format(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


def _articles(
    paths: list[str],
    failures: Failures,
    *,
    date: str | None,
    date_from_path: bool,
    meta: MetaTable | None,
) -> Iterator[Article]:
    from newsgraph.read import read_inputs

    found_all = read_inputs(
        paths, date=date, stdin=sys.stdin.buffer, date_from_path=date_from_path, meta=meta
    )
    for item in found_all:
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


@app.command(help=f"Extract people, roles, quotes, dates and credits from news articles.\n\n{METADATA_HELP}")
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories, globs, or - for stdin (.txt, .jsonl, .html, .tml, .gz)."),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    date: DateOption = None,
    date_from_path: DateFromPathOption = False,
    meta: MetaOption = None,
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
    table = meta_table(meta)
    failures = Failures()

    def on_error(error: ExtractError) -> None:
        failures.report(error.article.where(), error.reason)

    try:
        records = extract_many(
            _articles(paths, failures, date=date, date_from_path=date_from_path, meta=table),
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
