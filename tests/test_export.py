"""`newsgraph export`: every table in every format parses back, curated; tenures are ready to
reconcile and QuickStatements only link Wikidata items."""

from __future__ import annotations

import copy
import csv
import io
import json
import re

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsgraph.canonical import canonical_office
from newsgraph.cli import app
from newsgraph.export import KINDS, columns, export, iter_batches, iter_rows
from newsgraph.store import curation
from newsgraph.store.curation import Curation
from newsgraph.store.resolve import resolve_entity
from newsgraph.store.wikidata import attach_wikidata
from newsgraph.store.write import write_records

runner = CliRunner()


@pytest.fixture
def filled(store, sample_record):
    """The sample, a later report calling everyone "former", one quote and one role rejected,
    Kondrashov merged into Peskov; gives the store and the rejected fact keys."""
    first = copy.deepcopy(sample_record)
    first["article"].update(url="https://example.org/forum?a=1|2", title="Media forum", source="Kazinform")
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
    assert {p["wikidata"] or None for p in people.values()} == {None}
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


def test_quotes_say_where_to_read_them(filled):
    store, _ = filled
    rows = _parse("quotes", "csv", _export(store, "quotes", "csv"))
    header = list(rows[0])
    assert header.index("article_id") < header.index("article_title")
    for quote in rows:
        assert quote["article_id"] == "195fcd30b03b8697"
        assert (quote["article_title"], quote["date"], quote["source"], quote["url"]) == (
            "Media forum",
            "2024-11-18",
            "Kazinform",
            "https://example.org/forum?a=1|2",
        )


def _tenures(store) -> list[dict]:
    return _parse("tenures", "csv", _export(store, "tenures", "csv"))


def test_tenures_to_reconcile(filled):
    store, _ = filled
    attach_wikidata(store, "Vladimir Putin", "Q7747")
    people = {p["name"]: p["wikidata"] for p in iter_rows(store, "people")}
    assert people["Vladimir Putin"] == "Q7747" and people["Dmitry Peskov"] is None
    text = _export(store, "tenures", "csv").decode("utf-8")
    assert text.splitlines()[0] == ",".join(columns("tenures"))
    rows = _tenures(store)
    putin = canonical_office("President", "Russia")
    (row,) = [r for r in rows if r["person_name"] == "Vladimir Putin"]
    assert row == {
        "person_name": "Vladimir Putin",
        "person_id": _person(store, "Vladimir Putin"),
        "person_wikidata": "Q7747",
        "office": putin.label,
        "office_key": putin.key,
        "office_title": "president",
        "office_wikidata": "",
        "country": "Russia",
        "country_code": "RU",
        "organisation": "",
        # first reported in office in the sample, called "former" in the later article
        "start": "2024-11-18",
        "end": "2025-03-01",
        "ended_by": "former",
        "successor": "",
        "last_reported": "2024-11-18",
        "reports": "2",
        "reported_as": "current|former",
        "evidence_article_id": "195fcd30b03b8697",
        "evidence_title": "Media forum",
        "evidence_date": "2024-11-18",
        "evidence_url": "https://example.org/forum?a=1|2",
        "evidence_text": "the Russian President, Vladimir Putin",
    }
    # one row per person and office: Kondrashov's reports are Peskov's since the merge
    keys = [(r["person_id"], r["office_key"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert "Andrey Kondrashov" not in {r["person_name"] for r in rows}
    # a rejected report counts for nothing: Abayev's tenure rests on the "former" report alone
    (abayev,) = [r for r in rows if r["person_name"] == "Dauren Abayev"]
    assert (abayev["start"], abayev["end"], abayev["reports"]) == ("", "2025-03-01", "1")
    # the later article has no URL: its path stands in
    assert abayev["evidence_article_id"] == "later"
    assert abayev["evidence_url"].endswith("examples/forum-2024-11-18.txt")


def test_a_tenure_ended_by_its_successor(store, sample_record):
    earlier = copy.deepcopy(sample_record)
    earlier["article"].update(id="earlier", date="1999-06-01", url=None)
    putin = next(e for e in earlier["entities"] if e["name"] == "Vladimir Putin")
    putin["name"] = "Boris Yeltsin"
    for mention in putin["mentions"]:
        if mention["kind"] == "name":
            mention["text"] = "Boris Yeltsin"
    for role in earlier["roles"]:
        role["as_of"] = None
    assert write_records(store, [earlier, sample_record]).added == 2
    office = canonical_office("President", "Russia").key
    rows = {r["person_name"]: r for r in _tenures(store) if r["office_key"] == office}
    assert rows.keys() == {"Boris Yeltsin", "Vladimir Putin"}
    yeltsin, putin_row = rows["Boris Yeltsin"], rows["Vladimir Putin"]
    assert (yeltsin["start"], yeltsin["last_reported"]) == ("1999-06-01", "1999-06-01")
    assert (yeltsin["end"], yeltsin["ended_by"], yeltsin["successor"]) == (
        "2024-11-18",
        "successor",
        "Vladimir Putin",
    )
    assert (putin_row["start"], putin_row["end"], putin_row["ended_by"]) == ("2024-11-18", "", "")
    # no article says Yeltsin's tenure ended: QuickStatements give his start alone
    attach_wikidata(store, "Boris Yeltsin", "Q34453")
    attach_wikidata(store, "Russian President", "Q218295", office=True)
    (line,) = _quickstatements(store)
    assert line.startswith("Q34453|P39|Q218295|P580|+1999-06-01T00:00:00Z/11|S1683|")


def test_tenures_stream_office_by_office(filled):
    store, _ = filled
    whole = list(iter_rows(store, "tenures"))
    batches = list(iter_batches(store, "tenures", batch_size=2))
    assert len(batches) > 1
    assert [r for b in batches for r in b] == whole
    offices = [r["office_key"] for r in whole]
    assert offices == sorted(offices)


def _person(store, name: str) -> str:
    with store.engine.connect() as conn:
        return resolve_entity(conn, name, Curation.load(conn))


_TIME = r"\+\d{4}-\d\d-\d\dT00:00:00Z/11"
_LINE = re.compile(
    rf"Q\d+\|P39\|Q\d+(\|P58[02]\|{_TIME})?"
    rf"\|(S854\|\"[^\"|\n]*\"|S1683\|en:\"[^\"|\n]*\")(\|S1476\|en:\"[^\"|\n]*\")?"
    rf"(\|S577\|{_TIME})?(\|S813\|{_TIME})?"
)


def _quickstatements(store) -> list[str]:
    return _export(store, "tenures", "quickstatements").decode("utf-8").splitlines()


def test_quickstatements_only_between_wikidata_items(filled):
    store, _ = filled
    # nothing carries an id: nothing to say, and above all no new item
    assert _quickstatements(store) == []
    attach_wikidata(store, "Vladimir Putin", "Q7747")
    attach_wikidata(store, "Dmitry Peskov", "Q4161521")
    assert _quickstatements(store) == []  # people, but no office, have ids
    attach_wikidata(store, "Russian President", "Q218295", office=True)
    lines = _quickstatements(store)
    # Peskov's office has no id: his tenure waits in the CSV. Putin's is one statement, each of
    # its dates cited by the report it comes from
    start, end = lines
    for line in lines:
        assert _LINE.fullmatch(line), line
        for bad in ("CREATE", "LAST", "P642", '|P39|"'):
            assert bad not in line
    assert [line for line in lines if "|P580|" in line] == [start]
    assert start.startswith(
        "Q7747|P39|Q218295|P580|+2024-11-18T00:00:00Z/11"
        '|S854|"https://example.org/forum?a=1/2"|S1476|en:"Media forum"|S577|+2024-11-18T00:00:00Z/11|S813|'
    )
    assert end == (
        "Q7747|P39|Q218295|P582|+2025-03-01T00:00:00Z/11"
        '|S1683|en:"the Russian President, Vladimir Putin"'
        "|S1476|en:\"The 'forum', revisited\"|S577|+2025-03-01T00:00:00Z/11"
    )


def test_quickstatements_of_an_undated_tenure(store, sample_record):
    undated = copy.deepcopy(sample_record)
    undated["article"]["date"] = None
    for role in undated["roles"]:
        role["as_of"] = None
    assert write_records(store, [undated]).added == 1
    attach_wikidata(store, "Vladimir Putin", "Q7747")
    attach_wikidata(store, "Russian President", "Q218295", office=True)
    # held, says the article, but not when: the statement alone, cited by the sentence
    assert _quickstatements(store) == ['Q7747|P39|Q218295|S1683|en:"the Russian President, Vladimir Putin"']


def test_quickstatements_quote_the_evidence_without_a_url(filled):
    store, _ = filled
    (abayev,) = [r for r in _tenures(store) if r["person_name"] == "Dauren Abayev"]
    attach_wikidata(store, "Dauren Abayev", "Q5")
    attach_wikidata(store, "office:" + abayev["office_key"], "Q6")
    (line,) = _quickstatements(store)
    assert _LINE.fullmatch(line), line
    # known only from the later "former" report, which has no URL: its sentence is quoted
    assert line == (
        "Q5|P39|Q6|P582|+2025-03-01T00:00:00Z/11"
        f'|S1683|en:"{abayev["evidence_text"]}"'
        "|S1476|en:\"The 'forum', revisited\"|S577|+2025-03-01T00:00:00Z/11"
    )
    with pytest.raises(ValueError, match="only for tenures"):
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
    attach_wikidata(store, "Vladimir Putin", "Q7747")
    attach_wikidata(store, "Russian President", "Q218295", office=True)
    for kind in ("tenures", "roles"):
        result = runner.invoke(app, ["export", kind, "-f", "quickstatements", "--db", store_url])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Q7747|P39|Q218295|P580|")
    result = runner.invoke(app, ["export", "tenures", "-f", "csv", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert {"person_wikidata", "office", "country_code", "evidence_url"} <= set(
        next(csv.DictReader(io.StringIO(result.stdout)))
    )
    result = runner.invoke(app, ["export", "articles", "-f", "csv", "--with-text", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "text" in next(csv.DictReader(io.StringIO(result.stdout)))
    bad = runner.invoke(app, ["export", "quotes", "-f", "quickstatements", "--db", store_url])
    assert bad.exit_code == 2 and "only for tenures" in bad.output
    bad = runner.invoke(app, ["export", "quotes", "-f", "parquet", "--db", store_url])
    assert bad.exit_code == 2 and "-o" in bad.output
