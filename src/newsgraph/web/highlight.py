"""An article's text as HTML with its facts marked inline (displaCy-like, for the whole record).

Facts overlap freely (a role's evidence holds a name, a quote holds dates), so
spans are nested by layer: quote, role evidence, cue, time expression, mention.
An inner span that crosses the end of an outer one is cut there and goes on
after it. Every piece of article text and every attribute value is escaped;
only the tags built here are markup.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass

from markupsafe import Markup, escape

from newsgraph.query import ArticleView

# Quote colours cycle through this many classes (sp-0 ...), one per speaker of the article.
SPEAKER_COLOURS = 8
# Outer layers first.
_LAYERS = ("quote", "role", "cue", "time", "mention")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str
    open: Markup
    close: Markup


def speaker_classes(view: ArticleView) -> dict[str | None, str]:
    """A colour class per speaker, in the order they are first quoted; unattributed quotes share one."""
    classes: dict[str | None, str] = {}
    for quote in view.quotes:
        if quote.speaker_id is None:
            classes.setdefault(None, "sp-none")
        elif quote.speaker_id not in classes:
            classes[quote.speaker_id] = f"sp-{sum(1 for k in classes if k) % SPEAKER_COLOURS}"
    return classes


def marks(view: ArticleView) -> list[Mark]:
    colours = speaker_classes(view)
    found: list[Mark] = []
    for q in view.quotes:
        title = f"{q.speaker or 'unattributed'} ({q.type}, confidence {q.confidence:.2f})"
        found.append(
            Mark(
                q.start,
                q.end,
                "quote",
                Markup('<span class="q {}" data-quote="{}" data-speaker="{}" title="{}">').format(
                    colours[q.speaker_id], q.quote_id, q.speaker_id or "", title
                ),
                Markup("</span>"),
            )
        )
        if q.cue_start is not None and q.cue_end is not None:
            found.append(
                Mark(
                    q.cue_start,
                    q.cue_end,
                    "cue",
                    Markup('<span class="cue {}" title="cue">').format(colours[q.speaker_id]),
                    Markup("</span>"),
                )
            )
    for r in view.roles:
        label = r.title + (f" ({r.org})" if r.org else "")
        if r.modifier:
            label = f"{r.modifier} {label}"
        title = f"role of {r.person}: {label}" + (", inferred" if r.inferred else "")
        found.append(
            Mark(
                r.start,
                r.end,
                "role",
                Markup('<span class="role" title="{}">').format(title),
                Markup("</span>"),
            )
        )
    for tx in view.times:
        found.append(
            Mark(
                tx.start,
                tx.end,
                "time",
                Markup('<span class="tx" title="{} {}">').format(tx.type, tx.value),
                Markup("</span>"),
            )
        )
    for entity in view.entities:
        for mention in entity.mentions:
            if entity.type == "PERSON":
                opening = Markup('<a class="ent ent-person" href="/person/{}" title="{}">').format(
                    entity.id, entity.name
                )
                closing = Markup("</a>")
            else:
                opening = Markup('<span class="ent ent-{}" title="{}: {}">').format(
                    entity.type.lower(), entity.type, entity.name
                )
                closing = Markup("</span>")
            found.append(Mark(mention.start, mention.end, "mention", opening, closing))
    size = len(view.text)
    return [m for m in found if 0 <= m.start < m.end <= size]


def _order(mark: Mark) -> tuple[int, int, int]:
    return (mark.start, _LAYERS.index(mark.layer), -mark.end)


def _clip(mark: Mark, start: int, end: int) -> Mark:
    return Mark(max(mark.start, start), min(mark.end, end), mark.layer, mark.open, mark.close)


def _render(text: str, start: int, end: int, pending: list[Mark]) -> list[str]:
    out: list[str] = []
    position = start
    pending = sorted(pending, key=_order)
    i = 0
    while i < len(pending):
        outer = pending[i]
        i += 1
        out.append(escape(text[position : outer.start]))
        inside: list[Mark] = []
        tails: list[Mark] = []
        # sorted by start: the marks that begin inside `outer` come right after it
        while i < len(pending) and pending[i].start < outer.end:
            mark = pending[i]
            inside.append(_clip(mark, outer.start, outer.end))
            if mark.end > outer.end:
                tails.append(_clip(mark, outer.end, mark.end))
            i += 1
        for tail in tails:
            insort(pending, tail, lo=i, key=_order)
        out.append(outer.open)
        out.extend(_render(text, outer.start, outer.end, inside))
        out.append(outer.close)
        position = outer.end
    out.append(escape(text[position:end]))
    return out


def highlight(view: ArticleView) -> Markup:
    """The article text with its facts as nested spans and person links; safe to insert as is."""
    return Markup("").join(_render(view.text, 0, len(view.text), marks(view)))
