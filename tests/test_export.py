"""`newsgraph export`: every table in every format parses back, curated."""

from __future__ import annotations

import copy
import csv
import io
import json
import re

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.export import KINDS, columns, export, iter_batches, iter_rows
from newsgraph.store import curation
from newsgraph.store.curation import Curation
from newsgraph.store.resolve import resolve_entity
from newsgraph.store.write import write_records

runner = CliRunner()


@pytest.fixture
def filled(store, sample_record):
    """The sample, a later report calling everyone "former", one quote and one role rejected,
    Kondrashov merged into Peskov; gives the store and the rejected fact keys."""
    first = copy.deepcopy(sample_record)
    first["article"]["url"] = "https://example.org/forum?a=1|2"
    later = copy.deepcopy(sample_record)
    later["article"].update(id="later", date="2025-03-01", url=None, title='The "forum", revisited')
    for role in later["roles"]:
        role.update(modifier="former", as_of=None)
    later["quotes"] = []
    summary = write_records(store, [first, later])
    assert summary.added == 2, summary.failures
    quote = next(iter_rows(store, "quotes"))
    role = next(r for r in iter_rows(store, "roles") if r["title"] == "Ambassador to Russia")
    curation.reject(store, quote["fact_key"], "paraphrase")
    curation.reject(store, role["fact_key"], "wrong")
    curation.merge(store, "Andrey Kondrashov", "Dmitry Peskov", "test")
    return store, {quote["fact_key"], role["fact_key"]}


def _parse(kind: str, fmt: str, data: bytes) -> list[dict]:
    if fmt == "jsonl":
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    return pq.read_table(io.BytesIO(data)).to_pylist()


def _export(store, kind: str, fmt: str, **kw) -> bytes:
    if fmt == "parquet":
        out = io.BytesIO()
        export(store, kind, fmt, out, **kw)
        return out.getvalue()
    text = io.StringIO(newline="")
    export(store, kind, fmt, text, **kw)
    return text.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_every_table_parses_back(filled, fmt):
    store, rejected = filled
    with store.engine.connect() as conn:
        peskov = resolve_entity(conn, "Dmitry Peskov", Curation.load(conn))
    for kind in KINDS:
        expected = list(iter_rows(store, kind))
        rows = _parse(kind, fmt, _export(store, kind, fmt))
        assert len(rows) == len(expected) > 0, kind
        assert list(rows[0]) == columns(kind), kind
        if kind in ("quotes", "roles"):
            keys = {r["fact_key"] for r in rows}
            assert keys and not keys & rejected
            assert len(keys) == len(rows)
    quotes = _parse("quotes", fmt, _export(store, "quotes", fmt))
    assert {q["speaker_name"] for q in quotes if q["speaker_id"] == peskov} == {"Dmitry Peskov"}
    assert "Andrey Kondrashov" not in {q["speaker_name"] for q in quotes}
    text = _article_text(store)
    for q in quotes:
        assert text[int(q["start"]) : int(q["end"])] == q["text"]
    people = {p["id"]: p for p in _parse("people", fmt, _export(store, "people", fmt))}
    aliases = people[peskov]["aliases"]
    if fmt == "csv":
        aliases = aliases.split("|")
        assert int(people[peskov]["quote_count"]) > 0
    assert "Andrey Kondrashov" in aliases
    articles = _parse("articles", fmt, _export(store, "articles", fmt, with_text=True))
    assert [a["id"] for a in articles] == ["195fcd30b03b8697", "later"]
    assert articles[0]["text"] == text
    roles = _parse("roles", fmt, _export(store, "roles", fmt))
    assert {str(r["as_of"]) for r in roles} == {"2024-11-18", "2025-03-01"}
    assert {str(r["inferred"]).lower() for r in roles} <= {"true", "false"}


def _article_text(store) -> str:
    (article,) = [a for a in iter_rows(store, "articles", with_text=True) if a["id"] != "later"]
    return article["text"]


def test_batches_stream_in_order(filled):
    store, _ = filled
    whole = list(iter_rows(store, "quotes"))
    batches = list(iter_batches(store, "quotes", batch_size=4))
    assert len(batches) > 1 and all(len(b) <= 4 for b in batches)
    assert [r for b in batches for r in b] == whole
    out = io.BytesIO()
    export(store, "quotes", "parquet", out, batch_size=4)
    parquet = pq.ParquetFile(io.BytesIO(out.getvalue()))
    assert parquet.metadata.num_row_groups == len(batches)
    assert parquet.metadata.num_rows == len(whole)


_STRING = r'"[^"|\t\n]*"'
_TIME = r"\+\d{4}-\d\d-\d\dT00:00:00Z/11"
_LINE = re.compile(
    rf"CREATE|LAST\|L(en)\|{_STRING}|LAST\|Aen\|{_STRING}|LAST\|P31\|Q5"
    rf"|LAST\|P39\|{_STRING}(\|P642\|{_STRING})?(\|P580\|{_TIME})?(\|P582\|{_TIME})?"
    rf"\|(S854\|{_STRING}|S1476\|en:{_STRING})\|S577\|{_TIME}\|S813\|{_TIME}"
)


def test_quickstatements(filled):
    store, _ = filled
    lines = _export(store, "roles", "quickstatements").decode("utf-8").splitlines()
    assert lines[0] == "CREATE"
    for line in lines:
        assert _LINE.fullmatch(line), line
    for i, line in enumerate(lines):
        if line == "CREATE":
            assert lines[i + 1].startswith("LAST|Len|")
    statements = [line for line in lines if "|P39|" in line]
    roles = list(iter_rows(store, "roles"))
    assert len(statements) == len({(r["person_id"], r["title"], r["org"]) for r in roles})
    assert len(statements) == lines.count("CREATE") + 1  # Peskov holds Kondrashov's role too
    # first reported current in the sample (with its URL), reported "former" later (by title)
    putin = next(s for s in statements if '"President"|P642|"Russia"' in s)
    assert "|P580|+2024-11-18T00:00:00Z/11|P582|+2025-03-01T00:00:00Z/11|" in putin
    assert '|S854|"https://example.org/forum?a=1/2"|S577|+2024-11-18T00:00:00Z/11|' in putin
    # the rejected role exists only as "former", so it ends with no start, cited by title
    abayev = next(s for s in statements if '"Ambassador to Russia"' in s)
    assert "P580" not in abayev and "|P582|+2025-03-01T00:00:00Z/11|" in abayev
    assert "|S1476|en:\"The 'forum', revisited\"|" in abayev
    with pytest.raises(ValueError, match="only for roles"):
        _export(store, "quotes", "quickstatements")


def test_cli_export(filled, store_url, tmp_path):
    store, _ = filled
    for fmt, suffix in (("jsonl", "jsonl"), ("csv", "csv"), ("parquet", "parquet")):
        out = tmp_path / f"quotes.{suffix}"
        result = runner.invoke(app, ["export", "quotes", "--format", fmt, "-o", str(out), "--db", store_url])
        assert result.exit_code == 0, result.output
        assert len(_parse("quotes", fmt, out.read_bytes())) == len(list(iter_rows(store, "quotes")))
    result = runner.invoke(app, ["export", "people", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert all(json.loads(line)["id"].startswith("P") for line in result.stdout.splitlines())
    result = runner.invoke(app, ["export", "roles", "-f", "quickstatements", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("CREATE\nLAST|Len|")
    result = runner.invoke(app, ["export", "articles", "-f", "csv", "--with-text", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "text" in next(csv.DictReader(io.StringIO(result.stdout)))
    bad = runner.invoke(app, ["export", "quotes", "-f", "quickstatements", "--db", store_url])
    assert bad.exit_code == 2 and "only for roles" in bad.output
    bad = runner.invoke(app, ["export", "quotes", "-f", "parquet", "--db", store_url])
    assert bad.exit_code == 2 and "-o" in bad.output
