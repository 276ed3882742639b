"""Readable terminal summaries of extraction records (rich)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

_SNIPPET = 160


def _snippet(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_panel(record: dict[str, Any]) -> Group:
    article = record["article"]
    names = {e["id"]: e["name"] for e in record["entities"]}

    quotes = Table(title="Quotes by speaker", show_lines=True, expand=True)
    quotes.add_column("Speaker", style="bold cyan", ratio=1)
    quotes.add_column("Quote", ratio=3)
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for quote in record["quotes"]:
        by_speaker[names.get(quote["speaker"], "(unknown)")].append(quote)
    for speaker, items in by_speaker.items():
        title = next((q["speaker_title"] for q in items if q["speaker_title"]), None)
        label = Text(speaker, style="bold cyan")
        if title:
            label.append(f"\n{title}", style="green")
        body = Text()
        for n, quote in enumerate(items):
            if n:
                body.append("\n")
            body.append(f"“{_snippet(quote['content']['text'])}”")
            mention = quote["speaker_mention"]["text"] if quote["speaker_mention"] else "?"
            cue = quote["cue"]["text"] if quote["cue"] else "no cue"
            body.append(
                f"\n  {quote['type']} · {mention} · {cue} · confidence {quote['confidence']:.2f}", style="dim"
            )
        quotes.add_row(label, body)

    roles = Table(title="Roles", expand=True)
    for column in ("Person", "Title", "Organisation", "Modifier", "As of", "Inferred"):
        roles.add_column(column)
    for role in record["roles"]:
        org = role.get("org_name") or names.get(role["org"] or "", role["org"]) or ""
        roles.add_row(
            names.get(role["person"], role["person"]),
            role["title"],
            org,
            role["modifier"] or "",
            role["as_of"] or "",
            "yes" if role["inferred"] else "",
        )

    times = Table(title="Time expressions", expand=True)
    for column in ("Text", "Type", "Value"):
        times.add_column(column)
    for time in record["times"]:
        times.add_row(time["text"], time["type"], time["value"])

    credits = Table(title="Credits", expand=True)
    for column in ("Kind", "Name"):
        credits.add_column(column)
    for credit in record["credits"]:
        agency = credit.get("agency")
        credits.add_row(credit["kind"], credit["name"] + (f" / {agency}" if agency else ""))

    people = sorted(
        (e for e in record["entities"] if e["type"] == "PERSON"), key=lambda e: -len(e["mentions"])
    )
    header = Text.assemble(
        (article.get("title") or article.get("path") or article["id"], "bold"),
        f"  id {article['id']}  date {article.get('date') or 'unknown'}  ",
        f"{len(people)} people, {len(record['quotes'])} quotes, {len(record['roles'])} roles",
    )
    return Group(Panel(header, title="newsgraph"), quotes, roles, times, credits)


def print_records(records: Iterable[dict[str, Any]], console: Console | None = None) -> None:
    console = console or Console()
    for record in records:
        console.print(record_panel(record))
