"""newsgraph curate commands (merge, split, reject, wikidata, curation) and export."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsgraph.cli._app import DbOption, app, errors, opened

if TYPE_CHECKING:
    from newsgraph.store.curation import CurationEntry

Reason = Annotated[str, typer.Option("--reason", help="Why (kept with the record).")]


def _echo(entry: CurationEntry) -> None:
    typer.echo(json.dumps(entry.as_dict(), ensure_ascii=False))


@app.command()
def merge(
    a: Annotated[str, typer.Argument(help="Entity to merge away: id or name.")],
    b: Annotated[str, typer.Argument(help="Entity it is the same as: id or name.")],
    reason: Reason,
    db: DbOption = None,
) -> None:
    """Merge entity A into entity B, now and through every re-ingest."""
    from newsgraph.store import curation

    with opened(db) as store:
        _echo(curation.merge(store, a, b, reason))


@app.command()
def split(
    entity: Annotated[str, typer.Argument(help="Entity id or name.")],
    article: Annotated[str, typer.Option("--article", help="Article whose mentions are someone else.")],
    reason: Reason,
    db: DbOption = None,
) -> None:
    """Make an entity's mentions in one article a new entity."""
    from newsgraph.store import curation

    with opened(db) as store:
        _echo(curation.split(store, entity, article, reason))


@app.command()
def reject(
    fact: Annotated[
        str,
        typer.Argument(
            help="Fact key of a role (role:...), a quote (quote:...) or an identity link (link:ALIAS:PERSON)."
        ),
    ],
    reason: Reason,
    db: DbOption = None,
) -> None:
    """Reject a role or quote (left out of queries and exports), or an identity link that
    `newsgraph person NAME --json` shows (the short name stands apart from then on)."""
    from newsgraph.store import curation

    with opened(db) as store:
        _echo(curation.reject(store, fact, reason))


@app.command()
def wikidata(
    name: Annotated[
        str, typer.Argument(help="Person or organisation (id or name), or an office with --office.")
    ],
    qid: Annotated[
        str | None, typer.Argument(help="Wikidata item id (Q9545) or its URL; omit with --remove.")
    ] = None,
    office: Annotated[
        bool, typer.Option("--office", help='NAME is an office ("British Prime Minister").')
    ] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the Wikidata id NAME has.")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept with the record).")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the curation record as JSON instead of a sentence.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Attach a Wikidata item id to a person, organisation or office (or remove it): QuickStatements
    are written only between people and offices that have one."""
    from newsgraph.errors import CurationError
    from newsgraph.store.wikidata import attach_wikidata, detach_wikidata, parse_qid

    if remove and qid is not None:
        raise typer.BadParameter("give a QID or --remove, not both", param_hint="QID")
    if not remove:
        if qid is None:
            raise typer.BadParameter(
                "a Wikidata item id is needed (e.g. Q9545), or --remove", param_hint="QID"
            )
        try:
            qid = parse_qid(qid)
        except CurationError as exc:
            raise typer.BadParameter(str(exc), param_hint="QID") from exc
    with opened(db) as store:
        if qid is None:  # --remove, checked above
            link = detach_wikidata(store, name, reason, office=office)
        else:
            link = attach_wikidata(store, name, qid, reason, office=office)
    typer.echo(json.dumps(link.as_dict(), ensure_ascii=False) if as_json else link.sentence())


@app.command()
def curation(db: DbOption = None) -> None:
    """List every merge, split, rejection and Wikidata id as JSON Lines, oldest first."""
    from newsgraph.store.curation import list_curation

    with opened(db) as store:
        for entry in list_curation(store):
            _echo(entry)


class ExportKind(StrEnum):
    quotes = "quotes"
    people = "people"
    roles = "roles"
    tenures = "tenures"
    articles = "articles"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    quickstatements = "quickstatements"


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(help="What to export.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    with_text: Annotated[bool, typer.Option("--with-text", help="Articles: include the text.")] = False,
    db: DbOption = None,
) -> None:
    """Export quotes, people, roles, tenures or articles (curated: rejected facts left out);
    tenures as CSV to reconcile, as QuickStatements for what has Wikidata ids."""
    from newsgraph.export import QUICKSTATEMENTS_KINDS
    from newsgraph.export import export as run_export

    if fmt is ExportFormat.quickstatements and kind.value not in QUICKSTATEMENTS_KINDS:
        raise typer.BadParameter("quickstatements is only for tenures (or roles)", param_hint="--format")
    if fmt is ExportFormat.parquet and output is None:
        raise typer.BadParameter("parquet needs a file: -o FILE", param_hint="--output")
    with opened(db) as store:
        try:
            if fmt is ExportFormat.parquet:
                count = run_export(store, kind.value, fmt.value, str(output), with_text=with_text)
            elif output is None:
                count = run_export(store, kind.value, fmt.value, sys.stdout, with_text=with_text)
            else:
                with output.open("w", encoding="utf-8", newline="") as out:
                    count = run_export(store, kind.value, fmt.value, out, with_text=with_text)
        except OSError as exc:
            errors.print(f"[red]error[/red] {exc}", highlight=False)
            raise typer.Exit(2) from exc
    if output is not None:
        errors.print(f"{count} {kind.value} written to {output}", highlight=False)
