"""`newsgraph batch` on the local engine: shards, manifest, resume, failures, archive inputs, ingest."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Integer, create_engine, select
from typer.testing import CliRunner

from newsgraph.article import Article
from newsgraph.batch import ENGINES, Job, run_job
from newsgraph.batch.inputs import units_of
from newsgraph.batch.manifest import Manifest
from newsgraph.batch.shards import ARROW_SCHEMA, Output
from newsgraph.cli import app
from newsgraph.cli.batch import EngineName
from newsgraph.errors import Failure
from newsgraph.ingest import load, read_shards
from newsgraph.read import Columns, item_count, read_file
from newsgraph.store import database_url, open_store
from newsgraph.store import schema as t

WIRE = (
    " date 2024-03-0{n} Minister Anna Petrova visited school number {n}. "
    "“We will open {n} new classrooms next year,” Petrova said on Monday."
)


def te3_files(shared_data: Path, count: int) -> list[str]:
    return [str(p) for p in sorted((shared_data / "tempeval3" / "silver").glob("*.tml"))[:count]]


def shard_records(out: Path | str) -> list[dict[str, Any]]:
    """Every record of a batch output, shard by shard, as ingest reads them."""
    found = list(read_shards(str(out)))
    assert all(isinstance(item, dict) for item in found)
    return found


def wire_corpus(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        path = folder / f"wire-{n:02d}.txt"
        path.write_text(WIRE.format(n=n), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_local_batch_writes_the_records_extract_gives(tmp_path, shared_data, nlp):
    from newsgraph.extract import extract_many
    from newsgraph.read import read_inputs

    inputs = te3_files(shared_data, 24)
    out = tmp_path / "out"
    summary = run_job(Job(inputs, str(out), shard_size=5), engine="local", workers=2)
    assert (summary.planned, summary.ran, summary.skipped, summary.articles) == (5, 5, 0, 24)
    assert summary.failures == []
    expected = list(extract_many((a for a in read_inputs(inputs) if isinstance(a, Article)), nlp=nlp))
    assert shard_records(out) == expected

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == "newsgraph.batch/1"
    assert manifest["inputs"] == inputs
    assert manifest["totals"] == {"shards_planned": 5, "shards_complete": 5, "articles": 24, "failures": 0}
    assert manifest["settings"]["shard_size"] == 5
    assert [len(s["units"]) for s in manifest["shards"].values()] == [5, 5, 5, 5, 4]
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["manifest.json", *(s["file"] for s in manifest["shards"].values())])

    table = pq.read_table(out / manifest["shards"]["shard-00000"]["file"])
    assert table.schema.equals(ARROW_SCHEMA, check_metadata=True)
    assert table.column("id").to_pylist() == [r["article"]["id"] for r in expected[:5]]
    assert table.column("quotes").to_pylist() == [len(r["quotes"]) for r in expected[:5]]


def test_one_worker_and_two_give_the_same_shards(tmp_path, shared_data):
    inputs = te3_files(shared_data, 12)
    run_job(Job(inputs, str(tmp_path / "one"), shard_size=4), workers=1)
    run_job(Job(inputs, str(tmp_path / "two"), shard_size=4), workers=2)
    one, two = Manifest.load(Output(str(tmp_path / "one"))), Manifest.load(Output(str(tmp_path / "two")))
    assert one is not None and two is not None
    assert one.complete_files() == two.complete_files()
    assert shard_records(tmp_path / "one") == shard_records(tmp_path / "two")


def test_rerun_skips_complete_shards_and_redoes_missing_or_stale_ones(tmp_path):
    inputs = wire_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    first = run_job(Job(inputs, str(out), shard_size=2))
    assert (first.ran, first.articles) == (3, 6)
    records = shard_records(out)

    again = run_job(Job(inputs, str(out), shard_size=2))
    assert (again.planned, again.skipped, again.ran, again.articles) == (3, 3, 0, 0)

    manifest = Manifest.load(Output(str(out)))
    assert manifest is not None
    (out / manifest.shards["shard-00001"].file).unlink()
    redo = run_job(Job(inputs, str(out), shard_size=2))
    assert (redo.skipped, redo.ran, redo.articles) == (2, 1, 2)
    assert shard_records(out) == records
    assert [run["shards_run"] for run in Manifest.load(Output(str(out))).runs] == [3, 0, 1]

    # A changed input makes its shard stale: only that shard runs, its old file goes.
    Path(inputs[4]).write_text(WIRE.format(n=9), encoding="utf-8")
    changed = run_job(Job(inputs, str(out), shard_size=2))
    assert (changed.skipped, changed.ran) == (2, 1)
    assert [r["article"]["text"] for r in shard_records(out)][4] == WIRE.format(n=9).split(" ", 3)[3]
    assert len(list(out.glob("shard-*.parquet"))) == 3


def test_failures_are_recorded_per_shard_and_the_job_goes_on(tmp_path):
    folder = tmp_path / "in"
    good = wire_corpus(folder, 3)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    lines = [json.dumps({"id": "j1", "text": "The mayor spoke on Friday."}), "{not json", "[1, 2]"]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["batch", str(folder), str(tmp_path / "missing"), "--out", str(out), "--shard-size", "3"]
    )
    assert result.exit_code == 1, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    failures = [f for shard in manifest["shards"].values() for f in shard["failures"]]
    reasons = {f["path"]: f["reason"] for f in failures}
    assert reasons[str(folder / "binary.txt")] == "binary"
    assert reasons[f"{folder / 'feed.jsonl'}:2"].startswith("invalid JSON")
    assert reasons[f"{folder / 'feed.jsonl'}:3"] == "not a JSON object"
    assert manifest["input_failures"] == [
        {"path": str(tmp_path / "missing"), "reason": "no such file or directory"}
    ]
    assert manifest["totals"]["failures"] == 4
    assert sorted(r["article"]["path"] for r in shard_records(out)) == sorted(
        [*good, str(folder / "feed.jsonl")]
    )


def test_a_large_jsonl_file_is_split_into_item_slices(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    rows = [
        {"id": f"a{n}", "date": f"2024-05-{n:02d}", "text": f"Story {n}: the minister spoke."}
        for n in range(1, 8)
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(row) for row in rows[:3]) + "\n\n")  # a blank line is an item too
        fh.write("\n".join(json.dumps(row) for row in rows[3:]))  # no final newline
    assert item_count(path) == 8
    units, failures = units_of([str(path)], shard_size=3)
    assert failures == []
    assert [u.items for u in units] == [(0, 3), (3, 6), (6, 8)]
    sliced = [a.id for u in units for a in read_file(path, items=u.items)]
    assert sliced == [a.id for a in read_file(path)] == [row["id"] for row in rows]

    out = tmp_path / "out"
    summary = run_job(Job([str(path)], str(out), shard_size=3))
    assert (summary.planned, summary.articles) == (3, 7)
    assert [r["article"]["id"] for r in shard_records(out)] == [row["id"] for row in rows]


def _parquet(path: Path, rows: list[dict[str, Any]], schema: pa.Schema, row_group_size: int = 2) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, row_group_size=row_group_size)


def test_parquet_input_with_named_columns(tmp_path):
    schema = pa.schema(
        [("doc", pa.int64()), ("published", pa.date32()), ("body", pa.string()), ("title", pa.string())]
    )
    rows = [
        {
            "doc": n,
            "published": dt.date(2021, 1, n),
            "body": f"President Lee spoke on day {n}.",
            "title": f"T{n}",
        }
        for n in range(1, 6)
    ]
    rows[2]["body"] = "   "
    path = tmp_path / "news.parquet"
    _parquet(path, rows, schema)
    columns = Columns(text="body", date="published", id="doc")
    found = list(read_file(path, columns=columns))
    assert [type(item).__name__ for item in found] == ["Article"] * 2 + ["Failure"] + ["Article"] * 2
    assert found[2] == Failure(f"{path}:3", "empty")
    first = found[0]
    assert (first.id, first.date, first.title, first.text) == ("1", "2021-01-01", "T1", rows[0]["body"])
    assert [a.id for a in read_file(path, columns=columns, items=(3, 5))] == ["4", "5"]
    assert item_count(path) == 5
    (missing,) = list(read_file(path, columns=Columns(text="body", date="day")))
    assert missing == Failure(str(path), "no column 'day'")

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(path),
            "--out",
            str(out),
            "--shard-size",
            "2",
            "--text-column",
            "body",
            "--date-column",
            "published",
            "--id-column",
            "doc",
        ],
    )
    assert result.exit_code == 1, result.output  # the blank row
    records = shard_records(out)
    assert [r["article"]["id"] for r in records] == ["1", "2", "4", "5"]
    assert [r["article"]["date"] for r in records] == ["2021-01-01", "2021-01-02", "2021-01-04", "2021-01-05"]
    assert json.loads((out / "manifest.json").read_text())["totals"]["shards_planned"] == 3


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = [
        (
            "https://news.example/a",
            "2024-06-02T10:00:00Z",
            "200 OK",
            "text/html; charset=utf-8",
            "<html><head><title>Ministers meet</title><meta property='article:published_time' "
            "content='2024-06-01'></head><body><article><h1>Ministers meet</h1>"
            "<p>Prime Minister Anna Petrova met the finance minister in Brussels on Saturday.</p>"
            "<p>“We agreed on the budget,” Petrova said after the meeting.</p></article></body></html>",
        ),
        (
            "https://news.example/style.css",
            "2024-06-02T10:01:00Z",
            "200 OK",
            "text/css",
            "body { color: red }",
        ),
        (
            "https://news.example/gone",
            "2024-06-02T10:02:00Z",
            "404 Not Found",
            "text/html",
            "<p>Not found</p>",
        ),
        (
            "https://news.example/b",
            "2024-06-03T09:00:00Z",
            "200 OK",
            "text/html",
            "<html><head><title>Harbour opens</title></head><body><article><h1>Harbour opens</h1>"
            "<p>The mayor of Gdansk, Piotr Nowak, opened the new harbour to ships this week.</p>"
            "<p>“This harbour will bring work to the city,” Nowak told reporters.</p></article></body></html>",
        ),
    ]
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "newsgraph tests"}))
        for url, when, status, content_type, body in pages:
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                warc_headers_dict={"WARC-Date": when},
                http_headers=StatusAndHeaders(
                    f"GET {url} HTTP/1.1", [("Host", "news.example")], is_http_request=True
                ),
            )
            writer.write_record(request)
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body.encode("utf-8")),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": when},
                )
            )


def test_warc_pages_are_read_and_other_records_skipped(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _warc(path)
    assert item_count(path) == 9  # warcinfo + a request and a response per page
    found = list(read_file(path))
    assert all(isinstance(item, Article) for item in found), found
    first, second = found
    assert first.title == "Ministers meet"
    assert first.date == "2024-06-01"  # the page's own date wins over the crawl date
    assert "Petrova met the finance minister" in first.text and "<p>" not in first.text
    assert first.url == "https://news.example/a"
    assert first.meta["warc_record_id"].startswith("<urn:uuid:")
    assert second.title == "Harbour opens"
    assert second.date == "2024-06-03"  # no date on the page: the crawl date
    assert second.url == "https://news.example/b"
    assert [a.title for a in read_file(path, items=(5, 9))] == ["Harbour opens"]

    out = tmp_path / "out"
    summary = run_job(Job([str(tmp_path)], str(out), shard_size=4))
    assert (summary.planned, summary.articles, summary.failures) == (3, 2, [])
    records = shard_records(out)
    assert [r["article"]["title"] for r in records] == ["Ministers meet", "Harbour opens"]
    assert any(q["speaker"] for q in records[1]["quotes"])


def test_reuters_sgml_wires(tmp_path):
    path = tmp_path / "reut2-000.sgm"
    path.write_bytes(
        b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n'
        b'<REUTERS TOPICS="YES" NEWID="7">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n'
        b"<TEXT>&#2;\n<TITLE>COCOA &lt;REVIEW&gt;</TITLE>\n<BODY>Showers continued in the Bahia zone,"
        b" said Jos\xe9 Silva.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n"
        b'<REUTERS NEWID="8">\n<DATE>26-FEB-1987 15:02:20.00</DATE>\n<TEXT TYPE="BRIEF">&#2;\n'
        b"<TITLE>BRIEF ONLY</TITLE>\n</TEXT>\n</REUTERS>\n"
    )
    assert item_count(path) == 2
    (wire,) = list(read_file(path))
    assert (wire.id, wire.date, wire.title, wire.source) == (
        "reuters-7",
        "1987-02-26",
        "COCOA <REVIEW>",
        "Reuters",
    )
    assert wire.text == "Showers continued in the Bahia zone, said José Silva."


def test_ingest_of_batch_output_equals_ingest_of_the_inputs(tmp_path, shared_data):
    inputs = te3_files(shared_data, 100)
    out = tmp_path / "out"
    run_job(Job(inputs, str(out), shard_size=30), workers=2)
    direct, from_shards = str(tmp_path / "direct.db"), str(tmp_path / "shards.db")
    first = load(open_store(direct), inputs, workers=2)
    second = load(open_store(from_shards), [str(out)])
    assert (first.added, first.failed) == (second.added, second.failed) == (100, 0)
    assert (first.quotes, first.roles, first.people) == (second.quotes, second.roles, second.people)
    assert store_content(direct) == store_content(from_shards)

    # Shards already stored are skipped, as unchanged articles are.
    assert load(open_store(from_shards), [str(out)]).skipped == 100


def store_content(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored fact, without what differs from run to run (surrogate keys, run ids, times)."""
    per_run = {"run_id", "ingested_at", "created_at", "at"}
    engine = create_engine(database_url(db))
    content = {}
    with engine.connect() as conn:
        for table in (
            t.entities,
            t.aliases,
            t.articles,
            t.quotes,
            t.mentions,
            t.quote_occurrences,
            t.roles,
            t.times,
            t.credits,
        ):
            columns = [
                c
                for c in table.columns
                if c.name not in per_run and not (c.name == "id" and isinstance(c.type, Integer))
            ]
            rows = conn.execute(select(*columns)).all()
            content[table.name] = sorted((tuple(row) for row in rows), key=repr)
    engine.dispose()
    assert content["articles"] and content["quotes"]
    return content


def test_output_to_a_filesystem_uri(tmp_path):
    inputs = wire_corpus(tmp_path / "in", 3)
    uri = (tmp_path / "remote").as_uri()
    summary = run_job(Job(inputs, uri, shard_size=2))
    assert (summary.ran, summary.articles) == (2, 3)
    assert Manifest.load(Output(uri)).totals()["articles"] == 3
    assert len(shard_records(tmp_path / "remote")) == 3
    assert not [p for p in (tmp_path / "remote").iterdir() if ".tmp-" in p.name]


def test_engines_are_the_registry_the_command_offers(tmp_path):
    assert {engine.value for engine in EngineName} == set(ENGINES)
    with pytest.raises(ValueError, match="unknown engine"):
        run_job(Job(wire_corpus(tmp_path / "in", 1), str(tmp_path / "out")), engine="spark")


def test_batch_rejects_stdin_and_address_without_ray(tmp_path):
    runner = CliRunner()
    stdin = runner.invoke(app, ["batch", "-", "--out", str(tmp_path / "o")])
    assert stdin.exit_code == 2 and "stdin" in stdin.output
    address = runner.invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--address", "auto"])
    assert address.exit_code == 2 and "--engine ray" in address.output


def test_an_unreachable_ray_address_fails_fast_with_exit_2(tmp_path):
    import socket

    pytest.importorskip("ray", reason="Ray is not installed")
    with socket.socket() as probe:  # a port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inputs = wire_corpus(tmp_path / "in", 1)
    result = CliRunner().invoke(
        app,
        [
            "batch",
            *inputs,
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "ray",
            "--address",
            f"127.0.0.1:{port}",
        ],
    )
    assert result.exit_code == 2
    assert f"no Ray cluster answers at 127.0.0.1:{port}" in result.output
