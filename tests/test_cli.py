"""The `newsgraph extract` command, run as users run it."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

from .conftest import SAMPLE

runner = CliRunner()


def test_console_script_prints_json_for_the_sample():
    result = subprocess.run(
        [sys.executable, "-m", "newsgraph.cli", "extract", str(SAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["article"]["date"] == "2024-11-18"
    assert len(record["quotes"]) >= 16


def test_jsonl_to_file_and_bad_inputs_reported(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Anna Petrova said that the bridge would open in May.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 au lait and more text here")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        [
            "extract",
            str(good),
            str(tmp_path / "bad.txt"),
            str(tmp_path / "empty.txt"),
            str(missing),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "UTF-8" in result.stderr
    assert "empty.txt" in result.stderr
    assert "missing.txt" in result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["quotes"][0]["type"] == "indirect"


def test_date_option_and_gzip_jsonl(tmp_path):
    path = tmp_path / "articles.jsonl.gz"
    rows = [
        {"id": "a1", "text": "Today the minister said that prices would fall."},
        {
            "id": "a2",
            "text": "Nothing to see here today.",
            "date": "2016-03-01",
            "source": "wire",
            "lang": "en",
        },
    ]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r) for r in rows) + "\n")
    result = runner.invoke(app, ["extract", str(path), "--date", "2024-11-18"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"]["id"] for r in records] == ["a1", "a2"]
    assert records[0]["article"]["date"] == "2024-11-18"
    assert records[1]["article"]["meta"] == {"lang": "en"}
    assert any(t["value"] == "2016-03-01" for t in records[1]["times"])


def test_stdin(tmp_path):
    text = " date 2024-11-18 “We will win the next election easily,” said Anna Petrova."
    result = runner.invoke(app, ["extract", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["article"]["date"] == "2024-11-18"
    assert record["quotes"][0]["content"]["text"] == "We will win the next election easily"


def test_table_format_shows_speakers():
    result = runner.invoke(app, ["extract", str(SAMPLE), "--format", "table"])
    assert result.exit_code == 0, result.stderr
    for expected in (
        "Erlan Karin",
        "Dmitry Peskov",
        "Andrey Kondrashov",
        "State Counselor",
        "Saparbek Zhaksylyk",
    ):
        assert expected in result.stdout


def test_unknown_model_is_a_clean_error():
    result = runner.invoke(app, ["extract", str(SAMPLE), "--model", "xx_no_such_pipeline"])
    assert result.exit_code == 2
    assert "xx_no_such_pipeline" in result.stderr


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday"])
def test_bad_date_option(value):
    result = runner.invoke(app, ["extract", str(SAMPLE), "--date", value])
    assert result.exit_code == 2


def test_workers_give_the_same_records(tmp_path):
    from newsgraph.article import Article
    from newsgraph.extract import extract_many

    articles = [
        Article(f"“We will open school number {n} in May,” said Anna Petrova.", date="2024-11-18")
        for n in range(6)
    ]
    one = list(extract_many(articles, workers=1, batch_size=2))
    two = list(extract_many(articles, workers=2, batch_size=2))
    assert one == two
    assert [r["article"]["id"] for r in two] == [a.id for a in articles]


def test_extract_reports_what_a_folder_holds_and_never_hangs_on_a_fifo(tmp_path):
    import os

    (tmp_path / "empty").mkdir()
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "notes.doc").write_text("Anna Petrova said so.")
    (folder / "esc-\x1b[2J[bold]x.txt").write_text("")
    result = runner.invoke(app, ["extract", str(folder), str(tmp_path / "empty"), str(folder / "pipe.txt")])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert failed == [
        f"failed {folder}/esc-\\x1b[2J[bold]x.txt: empty",
        f"failed {folder}/notes.doc: skipped: unknown extension (.doc); readable: .htm, .html, .jsonl, "
        ".ndjson, .parquet, .sgm, .tml, .txt, .warc",
        f"failed {folder}/pipe.txt: skipped: not a regular file (a FIFO)",
        f"failed {tmp_path}/empty: no files to read (empty directory)",
        f"failed {folder}/pipe.txt: not a regular file (a FIFO)",
    ]
    assert "\x1b" not in result.stderr


def test_stdin_gzip_is_capped_and_json_lines_stream(tmp_path):
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))
    result = runner.invoke(app, ["extract", "-"], input=bomb)
    assert result.exit_code == 1
    assert (
        "failed -: oversized: over the 1,000,000-character limit (setting max_article_chars)" in result.stderr
    )


def test_a_corrupt_store_is_one_error_line_for_ingest_and_for_queries(tmp_path):
    db = tmp_path / "kb.db"
    db.write_bytes(b"\x00not a database" * 400)
    for args in (["ingest", str(SAMPLE)], ["stats"]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines() == [
            f"error cannot open the store at sqlite:///{db}: file is not a database"
        ]


def test_extract_and_ingest_hold_each_article_to_the_time_budget(tmp_path, monkeypatch) -> None:
    # 200,000 nested quote marks take far longer than a second to parse; the sample does not.
    (tmp_path / "hostile.txt").write_text("“‘" * 100_000, encoding="utf-8")
    (tmp_path / "good.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("NEWSGRAPH_ARTICLE_SECONDS", "1")
    result = runner.invoke(app, ["extract", str(tmp_path / "good.txt"), str(tmp_path / "hostile.txt")])
    assert result.exit_code == 1
    assert "hostile.txt: over the 1 s time budget" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["article"]["path"].endswith("good.txt")
    db = tmp_path / "kb.db"
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 1
    assert "over the 1 s time budget" in result.stderr
    stats = json.loads(runner.invoke(app, ["stats", "--db", str(db), "--json"]).stdout)
    assert stats["articles"] == 1
