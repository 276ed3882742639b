"""Metadata an article gets from outside its own text: sidecars, a CSV, its path, its id.

Precedence, highest first, for the date:

1. the article's own (a JSON field, the TimeML creation time, a wire header,
   an HTML page's date) and its `NAME.meta.json` sidecar;
2. the row of the `--meta` CSV that lists its file;
3. a date in its path (`--date-from-path`);
4. the run's `--date`.

Title, source and URL follow the same order, and what a reader only guessed
(a `.txt` headline, a source read from an LDC document id) comes last. A
sidecar speaks for its file: beside a one-article file it overrides what the
file says; beside an archive (JSON Lines, Parquet, WARC, SGML) it only fills
what an item lacks. No date is ever made up: an article none of these date
stays undated.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsgraph.article import Article
from newsgraph.lexicon import table
from newsgraph.read.common import Reject, normalise_date, open_regular, os_reason, printable, unstorable

SIDECAR_SUFFIX = ".meta.json"
# A sidecar is a handful of fields; anything larger is not one.
MAX_SIDECAR_BYTES = 1 << 20
FIELDS = ("date", "title", "source", "url")

# The prefix of an LDC document id names its outlet (`lexicon/data/wire_sources.txt`).
_WIRE_SOURCES = table("wire_sources")
_DOC_ID = re.compile(r"(?P<code>[A-Z]{2,4})(?:_ENG_)?(?:\d{6,9}[.-]\d{3,4}(?:\.\d{4})?|\d{2}-\d{8})")
_WSJ_ID = re.compile(r"wsj_\d{4}", re.IGNORECASE)

# 2024/11/18, 2024-11-18, 2024_11_18, 2024.11.18 (one separator throughout) and 20241118,
# not inside a longer run of digits.
_PATH_DATE = re.compile(r"(?<!\d)(\d{4})([-_./])(\d{2})\2(\d{2})(?!\d)|(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_YEARS = range(1900, 2101)


def wire_source(name: str | None) -> str | None:
    """The outlet an LDC document id or file stem names (`AFP_ENG_19970425.0015` -> AFP,
    `APW19980213.1310` -> Associated Press, `wsj_0006` -> Wall Street Journal); None otherwise."""
    if not name:
        return None
    if _WSJ_ID.fullmatch(name):
        return _WIRE_SOURCES["WSJ"]
    found = _DOC_ID.fullmatch(name)
    return _WIRE_SOURCES.get(found.group("code")) if found else None


def path_date(path: str) -> str | None:
    """The date written in `path` as given, nearest the file name first (`news/2024/11/18/a.txt`,
    `forum-2024-11-18.txt`, `AFP_ENG_19970425.0015.tml`); None when it holds no real day."""
    for found in reversed(list(_PATH_DATE.finditer(path))):
        year, month, day = (found.group(1), found.group(3), found.group(4))
        if year is None:
            year, month, day = found.group(5), found.group(6), found.group(7)
        if int(year) not in _YEARS:
            continue
        if normal := normalise_date(f"{year}-{month}-{day}"):
            return normal
    return None


def sidecar_path(path: str) -> str:
    """Where the sidecar of an input lives: `NAME.meta.json` beside `NAME.txt` (`NAME.txt.gz`)."""
    head, name = os.path.split(path)
    stem = name[:-3] if name.lower().endswith(".gz") else name
    stem = os.path.splitext(stem)[0] or stem
    return os.path.join(head, stem + SIDECAR_SUFFIX)


def is_sidecar(path: str) -> bool:
    return path.lower().endswith(SIDECAR_SUFFIX)


@dataclass(frozen=True)
class Given:
    """Metadata given for an input from outside it (a sidecar, a CSV row): checked values only."""

    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def given(values: Mapping[str, Any]) -> Given | str:
    """`values` as checked metadata, or why they cannot be: a date that is not a day, a field that
    is not text, text no store can keep. Keys other than date/title/source/url go to `meta`."""
    checked: dict[str, str | None] = {}
    for key in FIELDS:
        value = values.get(key)
        if value is not None and not isinstance(value, str):
            return f"'{key}' must be a string"
        value = value.strip() if value else None
        if value and (problem := unstorable(value)) is not None:
            return f"'{key}' {problem}"
        if key == "date" and value:
            normal = normalise_date(value)
            if normal is None:
                shown = value if len(value) <= 40 else value[:37] + "..."
                return f"invalid 'date' {shown!r}: expected an ISO YYYY-MM-DD date"
            value = normal
        checked[key] = value or None
    extra = {key: value for key, value in values.items() if key not in FIELDS and value not in (None, "")}
    try:
        # Stored as UTF-8 JSON with the article: refused here, not at the store.
        json.dumps(extra, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "metadata contains a lone surrogate"
    except (RecursionError, ValueError):
        return "metadata nested too deeply"
    return Given(checked["date"], checked["title"], checked["source"], checked["url"], extra)


def read_sidecar(path: str) -> Given | None:
    """The sidecar of input `path`; None when it has none. Raises `Reject` (the input's failure)
    when the sidecar cannot be read or holds anything but valid metadata."""
    side = sidecar_path(path)
    if not os.path.lexists(side):
        return None
    where = f"metadata sidecar {printable(side)}"
    try:
        with open_regular(side) as fh:
            raw = fh.read(MAX_SIDECAR_BYTES + 1)
    except Reject as exc:
        raise Reject(f"{where}: {exc}") from None
    except OSError as exc:
        raise Reject(f"{where}: {os_reason(exc)}") from None
    if len(raw) > MAX_SIDECAR_BYTES:
        raise Reject(f"{where}: over {MAX_SIDECAR_BYTES:,} bytes")
    try:
        value = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise Reject(f"{where}: not valid UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise Reject(f"{where}: invalid JSON: {exc}") from None
    except RecursionError:
        raise Reject(f"{where}: invalid JSON: nested too deeply") from None
    if not isinstance(value, dict):
        raise Reject(f"{where}: not a JSON object")
    checked = given(value)
    if isinstance(checked, str):
        raise Reject(f"{where}: {checked}")
    return checked


def _key(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


@dataclass(frozen=True, eq=False)
class MetaTable:
    """The `--meta` CSV: metadata for the inputs it lists, by path (relative to the CSV's folder,
    or absolute). A row that cannot be used fails the article it lists, not the run."""

    path: str
    rows: dict[str, Given | str]  # file key -> metadata, or why the row is unusable
    key: str = field(init=False)  # the CSV's own file key

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", _key(self.path))

    @classmethod
    def load(cls, path: str | Path) -> MetaTable:
        """Read the CSV (header `path,date,title,source,url`; other columns go to `meta`).

        Raises ValueError when it cannot be read as such a table at all: missing,
        not UTF-8, no `path` column, a row without a path, a file listed twice.
        """
        name = str(path)
        try:
            with open(name, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                header = [column.strip().lower() for column in reader.fieldnames or []]
                if "path" not in header:
                    raise ValueError(f"{name}: no 'path' column (header: path,date,title,source,url)")
                reader.fieldnames = header
                rows: dict[str, Given | str] = {}
                lines: dict[str, int] = {}
                folder = os.path.dirname(os.path.abspath(name))
                for row in reader:
                    line = reader.line_num
                    listed = (row.get("path") or "").strip()
                    if not listed:
                        raise ValueError(f"{name} line {line}: no path")
                    key = _key(os.path.join(folder, listed))
                    if key in lines:
                        raise ValueError(
                            f"{name} line {line}: {listed!r} already listed on line {lines[key]}"
                        )
                    lines[key] = line
                    values = {k: v for k, v in row.items() if k and k != "path" and isinstance(v, str)}
                    checked = given(values)
                    rows[key] = (
                        f"--meta {printable(name)} line {line}: {checked}"
                        if isinstance(checked, str)
                        else checked
                    )
        except OSError as exc:
            raise ValueError(f"{name}: {os_reason(exc)}") from None
        except UnicodeDecodeError as exc:
            raise ValueError(f"{name}: not valid UTF-8 at byte {exc.start}") from None
        except csv.Error as exc:
            raise ValueError(f"{name}: invalid CSV: {exc}") from None
        return cls(name, rows)

    def row(self, path: str) -> Given | None:
        """The row listing input `path`; None when none does. Raises `Reject` for an unusable row."""
        found = self.rows.get(_key(path))
        if isinstance(found, str):
            raise Reject(found)
        return found

    def is_table(self, path: str) -> bool:
        """Whether `path` is this CSV itself (met while walking the inputs: not an article)."""
        return _key(path) == self.key


@dataclass(frozen=True)
class Known:
    """What is known about one input file from outside its content."""

    sidecar: Given | None = None
    row: Given | None = None
    path_day: str | None = None
    name: str | None = None  # the file's stem, which may be a document id
    single: bool = False  # one article a file: its sidecar overrides what the file says

    def fallback(self, run_date: str | None) -> str | None:
        """The date of an article that carries none of its own."""
        side = self.sidecar.date if self.sidecar else None
        listed = self.row.date if self.row else None
        return side or listed or self.path_day or run_date

    def settle(self, article: Article) -> Article:
        """`article` with the given metadata applied in order of precedence."""
        top = self.sidecar if self.single else None
        below = [layer for layer in (None if self.single else self.sidecar, self.row) if layer]
        changes: dict[str, Any] = {}
        guessed: set[str] = set()
        for key in ("title", "source", "url"):
            current = getattr(article, key)
            own = None if key in article.inferred else current
            guess = current if key in article.inferred else None
            if key == "source" and guess is None:
                guess = wire_source(article.id) or wire_source(self.name)
            ranked = [getattr(top, key) if top else None, own, *(getattr(g, key) for g in below)]
            chosen = next((value for value in ranked if value), None)
            if chosen is None and guess:
                chosen = guess
                guessed.add(key)
            changes[key] = chosen
        if top is not None and top.date:
            changes["date"] = top.date
        meta: dict[str, Any] = {}
        for layer in reversed(below):
            meta.update(layer.meta)
        meta.update(article.meta)
        if top is not None:
            meta.update(top.meta)
        return replace(article, **changes, meta=meta, inferred=frozenset(guessed))


def known(path: str, *, single: bool, date_from_path: bool, table: MetaTable | None) -> Known:
    """What the sidecar, the `--meta` table and the path say about input `path`.

    Raises `Reject` when the sidecar or the table's row for it is unusable:
    reading the file anyway would store it with metadata it was not given.
    """
    head = os.path.basename(path)
    stem = head[:-3] if head.lower().endswith(".gz") else head
    return Known(
        sidecar=read_sidecar(path),
        row=table.row(path) if table is not None else None,
        path_day=path_date(path) if date_from_path else None,
        name=os.path.splitext(stem)[0] or stem,
        single=single,
    )
