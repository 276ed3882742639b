"""Export the knowledge base as JSON Lines, CSV, Parquet or QuickStatements.

Four tables can be exported, one row each per:

* ``quotes``: quote occurrence (a statement as reported in one article), with
  the speaker as of that article, the cue, every offset and the confidence;
* ``people``: person, with aliases, the number of quote occurrences and the
  roles found (``"Title, Org"``);
* ``roles``: role fact, with the evidence text, its offsets and the fact key;
* ``articles``: article, its text only on request.

Rows are read in batches (``yield_per``) and written as they come, so an
export never holds a whole table in memory; Parquet is written one row group
per batch. The curated view is exported: rejected facts are left out and a
person merged into another appears under the other's id.

QuickStatements (``roles`` only)
--------------------------------

``export_quickstatements`` writes the roles as Wikidata statements in the
QuickStatements V1 syntax (columns separated by ``|``, which the tool accepts
in place of tabs). We hold no Wikidata Q-ids, so each person becomes a new
item and the statements are meant to be reviewed and reconciled before they
are run::

    CREATE
    LAST|Len|"Dmitry Peskov"                        label (English)
    LAST|Aen|"Peskov"                               each other alias
    LAST|P31|Q5                                     instance of: human
    LAST|P39|"Press Secretary"|P642|"Russian President"|P580|+2024-11-18T00:00:00Z/11|S854|"https://..."|S577|+2024-11-18T00:00:00Z/11|S813|+2024-11-20T00:00:00Z/11

One ``P39`` (position held) line per (person, title, organisation), the
roles of all articles aggregated:

* the value is the title as a string; P39 wants a position item, so this is
  the label to reconcile (OpenRefine or by hand);
* ``P642`` (of) carries the organisation as written, when there is one;
* ``P580`` (start time) is the earliest date the role was reported current
  (a role's ``as_of``, else the article's date): the first attestation, not
  necessarily the day the office was taken;
* ``P582`` (end time) is the earliest date the role was reported with a
  "former", "ex", "retired" or "late" modifier, when that is not before P580;
* times are ``+YYYY-MM-DDT00:00:00Z/11`` (precision 11: day);
* the reference (all ``S`` columns on a line form one reference) is the
  article the start (else the end) comes from: ``S854`` (reference URL) when
  the article has a URL, else ``S1476`` (title, ``en:"..."``) with the
  article's title or, lacking one, its newsgraph id; then ``S577``
  (publication date) and ``S813`` (retrieved: the day it was ingested).

Strings are put on one line, with ``"`` turned into ``'`` and ``|`` into
``/``, since QuickStatements V1 has no escapes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TextIO

from sqlalchemy import Connection, and_, func, select

from newsgraph.lexicon import ENDING_MODIFIERS
from newsgraph.store import Store
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, not_rejected

KINDS = ("quotes", "people", "roles", "articles")
FORMATS = ("jsonl", "csv", "parquet", "quickstatements")
BATCH = 1000

# Modifiers that say the role had ended by the article's date.

Row = dict[str, Any]


def _columns(kind: str, with_text: bool = False) -> list[tuple[str, str]]:
    """Column names and their Arrow types ("string", "int", "float", "bool", "date", "list")."""
    if kind == "quotes":
        return [
            ("fact_key", "string"),
            ("quote_id", "string"),
            ("text", "string"),
            ("speaker_id", "string"),
            ("speaker_name", "string"),
            ("speaker_title", "string"),
            ("speaker_mention", "string"),
            ("speaker_mention_start", "int"),
            ("speaker_mention_end", "int"),
            ("article_id", "string"),
            ("date", "date"),
            ("type", "string"),
            ("cue", "string"),
            ("cue_start", "int"),
            ("cue_end", "int"),
            ("start", "int"),
            ("end", "int"),
            ("confidence", "float"),
            ("extractor_version", "string"),
        ]
    if kind == "people":
        return [
            ("id", "string"),
            ("name", "string"),
            ("aliases", "list"),
            ("quote_count", "int"),
            ("roles", "list"),
        ]
    if kind == "roles":
        return [
            ("fact_key", "string"),
            ("person_id", "string"),
            ("person_name", "string"),
            ("title", "string"),
            ("org", "string"),
            ("org_entity_id", "string"),
            ("modifier", "string"),
            ("as_of", "date"),
            ("inferred", "bool"),
            ("evidence", "string"),
            ("start", "int"),
            ("end", "int"),
            ("article_id", "string"),
            ("extractor_version", "string"),
        ]
    if kind == "articles":
        columns = [
            ("id", "string"),
            ("date", "date"),
            ("title", "string"),
            ("source", "string"),
            ("url", "string"),
            ("path", "string"),
            ("extractor_version", "string"),
            ("model", "string"),
        ]
        return [*columns, ("text", "string")] if with_text else columns
    raise ValueError(f"unknown export {kind!r}; one of {', '.join(KINDS)}")


def columns(kind: str, with_text: bool = False) -> list[str]:
    return [name for name, _ in _columns(kind, with_text)]


def arrow_schema(kind: str, with_text: bool = False) -> Any:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind_]) for name, kind_ in _columns(kind, with_text)])


class _People:
    """Canonical ids and display names, looked up once each."""

    def __init__(self, conn: Connection, curation: Curation) -> None:
        self.conn = conn
        self.curation = curation
        self.names: dict[str, str | None] = {}

    def resolve(self, entity: str | None, name: str | None) -> tuple[str | None, str | None]:
        if entity is None:
            return None, name
        canonical = self.curation.canonical(entity)
        if canonical == entity:
            return entity, name
        if canonical not in self.names:
            self.names[canonical] = self.conn.execute(
                select(t.entities.c.name).where(t.entities.c.id == canonical)
            ).scalar()
        return canonical, self.names[canonical]


def _stream(conn: Connection, statement: Any, size: int) -> Iterator[list[Any]]:
    result = conn.execution_options(yield_per=size).execute(statement)
    for partition in result.partitions():
        yield list(partition)


def _quotes(conn: Connection, size: int, **_: Any) -> Iterator[list[Row]]:
    o, a, e = t.quote_occurrences, t.articles, t.entities
    statement = (
        select(
            o.c.fact_key,
            o.c.quote_id,
            func.substr(a.c.text, o.c.start + 1, o.c.end - o.c.start).label("text"),
            o.c.speaker_id,
            e.c.name.label("speaker_name"),
            o.c.speaker_title,
            o.c.speaker_mention,
            o.c.speaker_mention_start,
            o.c.speaker_mention_end,
            o.c.article_id,
            o.c.date,
            o.c.type,
            o.c.cue,
            o.c.cue_start,
            o.c.cue_end,
            o.c.start,
            o.c.end,
            o.c.confidence,
            o.c.extractor_version,
        )
        .select_from(o.join(a, a.c.id == o.c.article_id).outerjoin(e, e.c.id == o.c.speaker_id))
        .where(not_rejected(o.c.fact_key))
        .order_by(o.c.date, o.c.article_id, o.c.start, o.c.id)
    )
    people = _People(conn, Curation.load(conn))
    for batch in _stream(conn, statement, size):
        rows = []
        for item in batch:
            row = dict(item._mapping)
            row["speaker_id"], row["speaker_name"] = people.resolve(row["speaker_id"], row["speaker_name"])
            rows.append(row)
        yield rows


def _roles_statement(extra: Iterable[Any] = ()) -> Any:
    r, e = t.roles, t.entities
    return (
        select(
            r.c.fact_key,
            r.c.person_id,
            e.c.name.label("person_name"),
            r.c.title,
            r.c.org,
            r.c.org_entity_id,
            r.c.modifier,
            r.c.as_of,
            r.c.inferred,
            r.c.evidence,
            r.c.start,
            r.c.end,
            r.c.article_id,
            r.c.extractor_version,
            *extra,
        )
        .select_from(r.join(e, e.c.id == r.c.person_id))
        .where(not_rejected(r.c.fact_key))
    )


def _roles(conn: Connection, size: int, **_: Any) -> Iterator[list[Row]]:
    r = t.roles
    statement = _roles_statement().order_by(r.c.person_id, r.c.as_of, r.c.article_id, r.c.start, r.c.id)
    curation = Curation.load(conn)
    people = _People(conn, curation)
    for batch in _stream(conn, statement, size):
        rows = []
        for item in batch:
            row = dict(item._mapping)
            row["person_id"], row["person_name"] = people.resolve(row["person_id"], row["person_name"])
            if row["org_entity_id"]:
                row["org_entity_id"] = curation.canonical(row["org_entity_id"])
            row["inferred"] = bool(row["inferred"])
            rows.append(row)
        yield rows


def _role_label(title: str, org: str | None) -> str:
    return f"{title}, {org}" if org else title


def _people(conn: Connection, size: int, **_: Any) -> Iterator[list[Row]]:
    e = t.entities
    curation = Curation.load(conn)
    statement = select(e.c.id, e.c.name).where(e.c.type == "PERSON").order_by(e.c.id)
    for batch in _stream(conn, statement, size):
        kept = [row for row in batch if curation.canonical(row.id) == row.id]
        if not kept:
            continue
        # facts may still name an id merged into a kept one
        owner = {row.id: row.id for row in kept}
        owner.update(
            {old: new for old in curation.merged_away() if (new := curation.canonical(old)) in owner}
        )
        ids = list(owner)
        aliases: dict[str, list[str]] = {row.id: [] for row in kept}
        for item in conn.execute(
            select(t.aliases.c.entity_id, t.aliases.c.alias)
            .where(t.aliases.c.entity_id.in_(ids), t.aliases.c.type == "PERSON")
            .distinct()
            .order_by(t.aliases.c.alias)
        ):
            names = aliases[owner[item.entity_id]]
            if item.alias not in names:
                names.append(item.alias)
        counts = dict.fromkeys(aliases, 0)
        o = t.quote_occurrences
        for item in conn.execute(
            select(o.c.speaker_id, func.count())
            .where(o.c.speaker_id.in_(ids), not_rejected(o.c.fact_key))
            .group_by(o.c.speaker_id)
        ):
            counts[owner[item[0]]] += int(item[1])
        roles: dict[str, list[str]] = {row.id: [] for row in kept}
        r = t.roles
        for item in conn.execute(
            select(r.c.person_id, r.c.title, r.c.org)
            .where(r.c.person_id.in_(ids), not_rejected(r.c.fact_key))
            .order_by(r.c.as_of, r.c.article_id, r.c.start)
        ):
            label = _role_label(item.title, item.org)
            labels = roles[owner[item.person_id]]
            if label not in labels:
                labels.append(label)
        yield [
            {
                "id": row.id,
                "name": row.name,
                "aliases": [a for a in aliases[row.id] if a != row.name],
                "quote_count": counts[row.id],
                "roles": roles[row.id],
            }
            for row in kept
        ]


def _articles(conn: Connection, size: int, *, with_text: bool = False, **_: Any) -> Iterator[list[Row]]:
    a = t.articles
    chosen = [getattr(a.c, name) for name in columns("articles", with_text)]
    statement = select(*chosen).order_by(a.c.date, a.c.id)
    for batch in _stream(conn, statement, size):
        yield [dict(item._mapping) for item in batch]


_READERS: dict[str, Callable[..., Iterator[list[Row]]]] = {
    "quotes": _quotes,
    "people": _people,
    "roles": _roles,
    "articles": _articles,
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


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def write_jsonl(batches: Iterable[list[Row]], out: TextIO) -> int:
    written = 0
    for batch in batches:
        for row in batch:
            out.write(json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
        written += len(batch)
    return written


def write_csv(batches: Iterable[list[Row]], names: list[str], out: TextIO) -> int:
    """CSV with a header; lists joined with "|", booleans as true/false, nulls empty."""
    writer = csv.writer(out)
    writer.writerow(names)
    written = 0
    for batch in batches:
        writer.writerows([_csv_value(row.get(name)) for name in names] for row in batch)
        written += len(batch)
    return written


def write_parquet(batches: Iterable[list[Row]], schema: Any, out: Any) -> int:
    """One row group per batch; `out` is a path or a binary file object."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in batches:
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written += len(batch)
        if not written:
            writer.write_table(schema.empty_table())
    return written


# QuickStatements


def _qs_string(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', "'").replace("|", "/") + '"'


def _qs_time(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"+{day.isoformat()}T00:00:00Z/11"


@dataclass
class _Statement:
    title: str
    org: str | None
    start: Row | None = None
    end: Row | None = None

    def add(self, row: Row) -> None:
        if row["when"] is None:
            return
        ended = (row["modifier"] or "") in ENDING_MODIFIERS
        current = self.end if ended else self.start
        if current is None or row["when"] < current["when"]:
            if ended:
                self.end = row
            else:
                self.start = row

    def line(self) -> str | None:
        end = self.end
        if end is not None and self.start is not None and end["when"] < self.start["when"]:
            end = None
        reference = self.start or end
        if reference is None:
            return None
        parts = ["LAST", "P39", _qs_string(self.title)]
        if self.org:
            parts += ["P642", _qs_string(self.org)]
        if self.start is not None:
            parts += ["P580", _qs_time(self.start["when"])]
        if end is not None:
            parts += ["P582", _qs_time(end["when"])]
        if reference["url"]:
            parts += ["S854", _qs_string(reference["url"])]
        else:
            parts += ["S1476", "en:" + _qs_string(reference["article_title"] or reference["article_id"])]
        if reference["article_date"]:
            parts += ["S577", _qs_time(reference["article_date"])]
        if reference["ingested_at"]:
            parts += ["S813", _qs_time(reference["ingested_at"])]
        return "|".join(parts)


def _qs_person(name: str, aliases: list[str], statements: dict[Any, _Statement]) -> list[str]:
    lines = [line for s in statements.values() if (line := s.line()) is not None]
    if not lines:
        return []
    head = ["CREATE", f"LAST|Len|{_qs_string(name)}"]
    head += [f"LAST|Aen|{_qs_string(alias)}" for alias in aliases if alias != name]
    head.append("LAST|P31|Q5")
    return head + lines


def export_quickstatements(store: Store, out: TextIO, *, batch_size: int = BATCH) -> int:
    """Roles as QuickStatements V1 (see the module docstring); returns the number of P39 lines."""
    r, a = t.roles, t.articles
    statement = (
        _roles_statement(
            [
                r.c.title_key,
                r.c.org_key,
                a.c.url,
                a.c.title.label("article_title"),
                a.c.date.label("article_date"),
                a.c.ingested_at,
            ]
        )
        .join(a, a.c.id == r.c.article_id)
        .order_by(r.c.person_id, r.c.title_key, r.c.org_key, r.c.as_of, r.c.id)
    )
    written = 0
    with store.engine.connect() as conn:
        curation = Curation.load(conn)
        people = _People(conn, curation)
        current: str | None = None
        name = ""
        statements: dict[Any, _Statement] = {}

        def flush() -> None:
            nonlocal written
            if current is None:
                return
            aliases = [
                row.alias
                for row in conn.execute(
                    select(t.aliases.c.alias)
                    .where(and_(t.aliases.c.entity_id == current, t.aliases.c.type == "PERSON"))
                    .distinct()
                    .order_by(t.aliases.c.alias)
                )
            ]
            lines = _qs_person(name, aliases, statements)
            written += sum(1 for line in lines if "|P39|" in line)
            if lines:
                out.write("\n".join(lines) + "\n")

        for batch in _stream(conn, statement, batch_size):
            for item in batch:
                row = dict(item._mapping)
                person, person_name = people.resolve(row["person_id"], row["person_name"])
                if person != current:
                    flush()
                    current, name, statements = person, person_name or "", {}
                row["when"] = row["as_of"] or row["article_date"]
                key = (row["title_key"], row["org_key"] or "")
                statements.setdefault(key, _Statement(row["title"], row["org"])).add(row)
        flush()
    return written


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
        if kind != "roles":
            raise ValueError("quickstatements is only for roles")
        return export_quickstatements(store, out, batch_size=batch_size)
    batches = iter_batches(store, kind, with_text=with_text, batch_size=batch_size)
    if fmt == "jsonl":
        return write_jsonl(batches, out)
    if fmt == "csv":
        return write_csv(batches, columns(kind, with_text), out)
    if fmt == "parquet":
        return write_parquet(batches, arrow_schema(kind, with_text), out)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
