"""newsgraph query commands: quotes, person, who, timeline, stats (over `newsgraph.query`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newsgraph.cli._app import DbOption, JsonOption, app, check_date, opened

_SNIPPET = 200


def _emit(result: Any, as_json: bool, render: Callable[[Any, Console], None]) -> None:
    from newsgraph.query import to_jsonable

    if as_json:
        typer.echo(json.dumps(to_jsonable(result), ensure_ascii=False, indent=2))
    else:
        render(result, Console())


def _snippet(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote_table(hits: list[Any], title: str) -> Table:
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Speaker", style="bold cyan", ratio=1)
    table.add_column("Quote", ratio=3)
    table.add_column("Type / conf.", no_wrap=True)
    table.add_column("Article", ratio=1)
    for hit in hits:
        speaker = Text(hit.speaker or "(unknown)", style="bold cyan")
        if hit.speaker_title:
            speaker.append(f"\n{hit.speaker_title}", style="green")
        article = Text(hit.article_id)
        if hit.article_title or hit.source:
            article.append(f"\n{' · '.join(x for x in (hit.article_title, hit.source) if x)}", style="dim")
        table.add_row(
            hit.date or "", speaker, _snippet(hit.text), f"{hit.type}\n{hit.confidence:.2f}", article
        )
    return table


@app.command()
def quotes(
    speaker: Annotated[
        str | None, typer.Option(help="A person's name, surname or entity id (aliases and merges apply).")
    ] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search in the statements.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many quotes.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Quotes with speaker, the speaker's title at the time, date, article, type and confidence."""
    from newsgraph import query

    since, until = check_date(since), check_date(until)
    with opened(db) as store:
        hits = query.quotes(store, speaker=speaker, search=search, since=since, until=until, limit=limit)

    def render(hits: list[Any], console: Console) -> None:
        if not hits:
            console.print("no quotes")
            return
        console.print(_quote_table(hits, f"{len(hits)} quote(s)"))

    _emit(hits, as_json, render)


@app.command()
def person(
    name: Annotated[str, typer.Argument(help="A person's name, surname or entity id.")],
    latest: Annotated[int, typer.Option(min=0, help="How many of the latest quotes to show.")] = 5,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A person: names, role timeline, quotes, and the people most often mentioned with them."""
    from newsgraph import query
    from newsgraph.query.people import CO_MENTION_ARTICLES

    with opened(db) as store:
        summary = query.person(store, name, limit=latest)

    def render(summary: Any, console: Console) -> None:
        console.print(Text(f"{summary.name}", style="bold cyan") + Text(f"  {summary.id}", style="dim"))
        console.print(f"Names: {', '.join(summary.aliases)}")
        if summary.merged:
            console.print(f"Merged from: {', '.join(summary.merged)}")
        for link in summary.links:
            undo = f" (undo: newsgraph reject {link.undo} --reason ...)" if link.undo else ""
            console.print(Text(f"{link.reason}{undo}", style="dim"), soft_wrap=True)
        roles = Table(title="Roles", expand=True)
        for column in ("Office", "As written", "First seen", "Last seen", "Ended by", "Reports", "Notes"):
            roles.add_column(column)
        for span in summary.roles:
            notes = [n for n in (span.modifier, "inferred" if span.inferred else None) if n]
            roles.add_row(
                span.office or span.title,
                ", ".join(filter(None, (span.title, span.org))),
                span.first_seen or "",
                span.last_seen or "",
                span.ended_by or "",
                str(span.evidence_count),
                ", ".join(notes),
            )
        console.print(roles)
        console.print(f"Quotes: {summary.quote_count}")
        if summary.quotes:
            console.print(_quote_table(summary.quotes, "Latest quotes"))
        if summary.co_mentioned:
            title = "Mentioned with"
            if summary.co_mention_articles >= CO_MENTION_ARTICLES:
                title += f" (in their {CO_MENTION_ARTICLES} newest articles)"
            people = Table(title=title)
            people.add_column("Person", style="cyan")
            people.add_column("Articles", justify="right")
            for other in summary.co_mentioned:
                people.add_row(other.name, str(other.articles))
            console.print(people)

    _emit(summary, as_json, render)


def _evidence_text(evidence: list[Any], limit: int = 3) -> Text:
    text = Text()
    for n, item in enumerate(evidence[-limit:]):
        if n:
            text.append("\n")
        text.append(f"{item.date or '?'} {item.article_id} [{item.start}:{item.end}] ", style="dim")
        text.append(_snippet(item.text, 120))
    if len(evidence) > limit:
        text.append(f"\n(+{len(evidence) - limit} more)", style="dim")
    return text


@app.command()
def who(
    title: Annotated[
        str,
        typer.Argument(
            help='An office, with or without its country or organisation ("British Prime Minister").'
        ),
    ],
    on: Annotated[
        str | None, typer.Option(help="The date (YYYY-MM-DD); without it every holder is listed.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help='The country, by name, adjective or code ("United Kingdom", "UK").')
    ] = None,
    org: Annotated[
        str | None, typer.Option(help='The organisation ("Labour Party", "Federal Reserve").')
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who held an office on a date according to the corpus, with evidence and conflicts."""
    from newsgraph import query

    on = check_date(on)
    with opened(db) as store:
        answer = query.who(store, title, on=on, country=country, org=org)
    _emit(answer, as_json, _render_who)


def _stale(days: int | None) -> str:
    """How old the nearest report is, in the unit a reader weighs it by."""
    if days is None or days < 31:
        return ""
    if days < 730:
        return f"stale {days // 30} months"
    return f"stale {days // 365} years"


def _office_cell(item: Any) -> Text:
    text = Text(item.office or item.title)
    if getattr(item, "country_inferred", False):
        text.append("\ncountry inferred", style="dim")
    return text


def _render_who(answer: Any, console: Console) -> None:
    asked = answer.office or answer.title
    when = f" on {answer.on}" if answer.on else ""
    if not answer.holders:
        console.print(f"nobody found as {asked}{when}", highlight=False)
    else:
        table = Table(title=f"{asked}{when}", expand=True)
        for column in ("Person", "Office", "Status", "Seen", "Ended", "Evidence"):
            table.add_column(column)
        for holder in answer.holders:
            status = Text(holder.status)
            if answer.on and (stale := _stale(holder.stale_days)):
                status.append(f"\n{stale}", style="yellow")
            seen = (
                f"{holder.first_seen or '?'} – {holder.last_seen or '?'}\n{holder.evidence_count} report(s)"
            )
            table.add_row(
                Text(holder.person, style="bold cyan"),
                _office_cell(holder),
                status,
                seen,
                holder.ended_by or "",
                _evidence_text(holder.evidence),
            )
        console.print(table)
        if answer.holders_total > len(answer.holders):
            console.print(f"(the first {len(answer.holders)} of {answer.holders_total} holders)", style="dim")
    for conflict in answer.conflicts:
        names = " and ".join(
            f"{h.person} ({h.evidence_near} near)" if answer.on else h.person for h in conflict.holders
        )
        console.print(
            f"[yellow]conflict[/yellow] {conflict.office or conflict.title}: {names} both reported in office "
            f"between {conflict.overlap_from} and {conflict.overlap_to}",
            highlight=False,
        )
        for holder in conflict.holders:
            console.print(Text(f"  {holder.person}: ") + _evidence_text(holder.evidence, 2))
    if answer.conflicts_total > len(answer.conflicts):
        console.print(
            f"(the first {len(answer.conflicts)} of {answer.conflicts_total} conflicts)", style="dim"
        )


@app.command()
def timeline(
    date_from: Annotated[str | None, typer.Option("--from", help="From this day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Up to this day (YYYY-MM-DD).")] = None,
    future: Annotated[bool, typer.Option("--future", help="Only days after their article's date.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many entries.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Dated events and statements about the future, in date order, with their sentence."""
    from newsgraph import query

    date_from, date_to = check_date(date_from), check_date(date_to)
    with opened(db) as store:
        entries = query.timeline(store, since=date_from, until=date_to, future_only=future, limit=limit)

    def render(entries: list[Any], console: Console) -> None:
        if not entries:
            console.print("no dated events")
            return
        table = Table(title="Timeline", show_lines=True, expand=True)
        for column in ("Day", "", "Said / written", "Article"):
            table.add_column(column)
        for entry in entries:
            context = Text(_snippet(entry.context, 240))
            if entry.quote and entry.quote.get("speaker"):
                context = Text(f"{entry.quote['speaker']}: ", style="bold cyan") + context
            table.add_row(
                f"{entry.day}\n{entry.text}",
                Text("future", style="magenta") if entry.future else "",
                context,
                f"{entry.article_id}\n{entry.article_date or ''}",
            )
        console.print(table)

    _emit(entries, as_json, render)


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the store holds: counts and the span of article dates."""
    from newsgraph import query

    with opened(db) as store:
        counts = query.stats(store)

    def render(counts: Any, console: Console) -> None:
        table = Table(title="newsgraph store")
        table.add_column("")
        table.add_column("", justify="right")
        for key, value in vars(counts).items():
            table.add_row(key.replace("_", " "), "" if value is None else str(value))
        console.print(table)

    _emit(counts, as_json, render)


@app.command()
def overview(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(min=1, help="How many people.")] = 20,
) -> None:
    """What the store knows: counts, people with their roles, quotes by speaker."""
    from newsgraph import query

    with opened(db) as store:
        result = query.overview(store, limit=limit)

    def render(result: Any, console: Console) -> None:
        counts = result.stats
        console.print(
            f"[bold]{counts.articles:,}[/bold] articles ({counts.first_date or '?'} to {counts.last_date or '?'}), "
            f"[bold]{counts.people:,}[/bold] people, [bold]{counts.occurrences:,}[/bold] quotes, "
            f"[bold]{counts.roles:,}[/bold] role reports",
            highlight=False,
        )
        table = Table(title="People with their roles, most quoted first", show_lines=True)
        table.add_column("Person", style="bold cyan")
        table.add_column("Roles (first seen – last seen)")
        table.add_column("Quotes", justify="right")
        table.add_column("Latest quote")
        for summary in result.people:
            roles = Text()
            for n, role in enumerate(summary.roles):
                if n:
                    roles.append("\n")
                office = role.title + (f", {role.org}" if role.org else "")
                roles.append(office, style="green")
                roles.append(f" ({role.first_seen} – {role.ended_by or role.last_seen})", style="dim")
                if role.inferred:
                    roles.append(" inferred", style="yellow")
            latest = summary.quotes[0].text if summary.quotes else ""
            table.add_row(summary.name, roles, str(summary.quote_count), _snippet(latest, 90))
        console.print(table)

    _emit(result, as_json, render)
