"""newsgraph eval: score our extraction against gold corpora, beside a peer on the same data."""

from __future__ import annotations

import importlib
import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsgraph.cli._app import app
from newsgraph.evaluate import SCORERS, Scorer

_errors = Console(stderr=True)

eval_app = typer.Typer(
    help="Score newsgraph against gold corpora (PolNeAR, CoNLL-2003, TIMEX3) beside a peer.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")


def _default_workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


Data = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Folder of the corpus (default: under $NEWSGRAPH_DATA or ../shared/data).",
        file_okay=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of Markdown.")]
NoPeer = Annotated[bool, typer.Option("--no-peer", help="Score newsgraph only.")]
Workers = Annotated[
    int | None, typer.Option(min=1, help="Worker processes (default: the cores available, at most 4).")
]
DumpErrors = Annotated[
    Path | None,
    typer.Option(
        "--dump-errors",
        metavar="FILE",
        help="Write newsgraph's errors per document here (.jsonl for JSON Lines, else text).",
        dir_okay=False,
    ),
]
Model = Annotated[
    str | None,
    typer.Option(help="Installed spaCy English pipeline (default: $NEWSGRAPH_MODEL or en_core_web_sm)."),
]
Limit = Annotated[int | None, typer.Option(min=1, help="Only the first N documents (for a quick look).")]


def _run(
    task: str,
    choice: str,
    data: Path | None,
    as_json: bool,
    no_peer: bool,
    workers: int | None,
    dump_errors: Path | None,
    model: str | None,
    limit: int | None,
) -> None:
    scorer = SCORERS[task]
    # The scorer (and the extraction it runs) is imported only for the task asked for.
    module = importlib.import_module(f"newsgraph.evaluate.{task}")
    if choice == scorer.held_out:
        _errors.print(f"note: {choice} is held out: report it, never tune on it", highlight=False)
    try:
        report = module.evaluate(
            choice,
            data,
            model=model,
            workers=workers or _default_workers(),
            peer=not no_peer,
            limit=limit,
            dump_errors=dump_errors,
        )
    except (OSError, ValueError) as exc:
        _errors.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    typer.echo(
        json.dumps(report, ensure_ascii=False, indent=2) if as_json else module.format_markdown(report)
    )
    for failure in report["failures"]:
        who = failure["system"] or "gold"
        _errors.print(
            f"[red]failed[/red] {who}: {failure['path']}: {failure['reason']}",
            highlight=False,
            soft_wrap=True,
        )
    if report["failures"]:
        _errors.print(f"{len(report['failures'])} failure(s)", highlight=False)
        raise typer.Exit(1)


def _add_command(task: str, scorer: Scorer) -> None:
    """`newsgraph eval TASK --split/--set CHOICE ...`, one command per scorer."""

    def command(
        choice: StrEnum,
        data: Data = None,
        as_json: AsJson = False,
        no_peer: NoPeer = False,
        workers: Workers = None,
        dump_errors: DumpErrors = None,
        model: Model = None,
        limit: Limit = None,
    ) -> None:
        _run(task, choice.value, data, as_json, no_peer, workers, dump_errors, model, limit)

    # The one option that differs per task; typer reads it from the annotation.
    choices = StrEnum(f"{task.title()}{scorer.option.title()}", {c: c for c in scorer.choices})
    command.__annotations__["choice"] = Annotated[
        choices, typer.Option(f"--{scorer.option}", help=scorer.choice_help)
    ]
    command.__doc__ = scorer.summary
    eval_app.command(task)(command)


for _task, _scorer in SCORERS.items():
    _add_command(_task, _scorer)
