"""Export the knowledge base as JSON Lines, CSV, Parquet or QuickStatements.

Five tables can be exported, one row each per:

* ``quotes``: quote occurrence (a statement as reported in one article), with
  the speaker as of that article, the cue, every offset, the confidence and
  where to read it (the article's title, date, source and URL);
* ``people``: person, with its Wikidata id where a curator attached one,
  aliases, the number of quote occurrences and the roles found
  (``"Title, Org"``);
* ``roles``: role report, as written and as a canonical office, with the
  evidence text, its offsets and the fact key;
* ``tenures``: person and canonical office, with start, end, jurisdiction,
  Wikidata ids where a curator attached them and the evidence: the table to
  reconcile with Wikidata (`newsgraph.export.tenures`);
* ``articles``: article, its text only on request.

Rows are read in batches (``yield_per``) and written as they come, so an
export never holds a whole table in memory (tenures hold one office at a
time); Parquet is written one row group per batch. The curated view is
exported: rejected facts are left out and a person merged into another
appears under the other's id.

QuickStatements (``tenures``, or ``roles`` as before) writes "position held"
statements only between people and offices that carry Wikidata ids
(`newsgraph.export.quickstatements`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from newsgraph.export.common import BATCH, Row
from newsgraph.export.quickstatements import export_quickstatements
from newsgraph.export.tables import (
    KINDS,
    arrow_schema,
    columns,
    read_articles,
    read_people,
    read_quotes,
    read_roles,
)
from newsgraph.export.tenures import read_tenures
from newsgraph.export.writers import write_csv, write_jsonl, write_parquet
from newsgraph.store import Store

__all__ = [
    "BATCH",
    "FORMATS",
    "KINDS",
    "QUICKSTATEMENTS_KINDS",
    "arrow_schema",
    "columns",
    "export",
    "export_quickstatements",
    "iter_batches",
    "iter_rows",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]

FORMATS = ("jsonl", "csv", "parquet", "quickstatements")
# Statements are made of tenures; "roles" is the name the format was first asked by.
QUICKSTATEMENTS_KINDS = ("tenures", "roles")

_READERS: dict[str, Callable[..., Iterator[list[Row]]]] = {
    "quotes": read_quotes,
    "people": read_people,
    "roles": read_roles,
    "tenures": read_tenures,
    "articles": read_articles,
}


def iter_batches(
    store: Store, kind: str, *, with_text: bool = False, batch_size: int = BATCH
) -> Iterator[list[Row]]:
    """The curated rows of one export, a batch at a time."""
    if kind not in _READERS:
        raise ValueError(f"unknown export {kind!r}; one of {', '.join(KINDS)}")
    with store.engine.connect() as conn:
        yield from _READERS[kind](conn, batch_size, with_text=with_text)


def iter_rows(store: Store, kind: str, *, with_text: bool = False) -> Iterator[Row]:
    for batch in iter_batches(store, kind, with_text=with_text):
        yield from batch


def export(
    store: Store,
    kind: str,
    fmt: str,
    out: IO[Any] | Any,
    *,
    with_text: bool = False,
    batch_size: int = BATCH,
) -> int:
    """Write one export; `out` is a text stream (jsonl, csv, quickstatements) or,
    for parquet, a path or binary stream. Returns the number of rows (P39 lines)."""
    if fmt == "quickstatements":
        if kind not in QUICKSTATEMENTS_KINDS:
            raise ValueError("quickstatements is only for tenures (or roles)")
        return export_quickstatements(store, out, batch_size=batch_size)
    batches = iter_batches(store, kind, with_text=with_text, batch_size=batch_size)
    if fmt == "jsonl":
        return write_jsonl(batches, out)
    if fmt == "csv":
        return write_csv(batches, columns(kind, with_text), out)
    if fmt == "parquet":
        return write_parquet(batches, arrow_schema(kind, with_text), out)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
