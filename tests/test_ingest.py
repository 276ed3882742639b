"""Ingesting into a real store: idempotence, failures, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from newsgraph.ingest import estimate_total, load
from newsgraph.read import FORMATS, read_inputs
from newsgraph.store import open_store
from newsgraph.store import schema as t

from .conftest import SAMPLE

NAMES = ["Anna Petrova", "Ivan Sidorov", "Maria Lopez", "John Smith", "Olga Ivanova", "Peter Brown"]


def _write_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        name = NAMES[n % len(NAMES)]
        text = (
            f" date 2024-{1 + n % 12:02d}-{1 + n % 28:02d} Minister {name} visited school number {n}. "
            f"“We will open {n} new classrooms next year,” {name} said. "
            f"According to officials, the plan number {n} costs money."
        )
        (folder / f"article-{n:04d}.txt").write_text(text, encoding="utf-8")


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("articles", "mentions", "roles", "quote_occurrences", "quotes", "entities")
        }


def test_ingest_twice_is_idempotent(tmp_path):
    db = tmp_path / "kb.db"
    store = open_store(str(db))
    first = load(store, [str(SAMPLE)])
    second = load(store, [str(SAMPLE)])
    assert (first.added, first.failed, first.quotes, first.roles) == (1, 0, 16, 9)
    assert (second.added, second.skipped) == (0, 1)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.quote_occurrences)).scalar() == 16
        assert conn.execute(select(func.count()).select_from(t.runs)).scalar() == 2


def test_failures_are_recorded_and_the_rest_goes_on(tmp_path):
    folder = tmp_path / "in"
    _write_corpus(folder, 3)
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    store = open_store(str(tmp_path / "kb.db"))
    summary = load(store, [str(folder)])
    assert (summary.added, summary.failed) == (3, 1)
    with store.engine.connect() as conn:
        (error,) = conn.execute(select(t.ingest_errors)).all()
    assert error.path.endswith("broken.txt") and error.reason


def test_reextract_replaces_articles_of_an_older_version(tmp_path):
    store = open_store(str(tmp_path / "kb.db"))
    load(store, [str(SAMPLE)])
    with store.engine.begin() as conn:
        conn.execute(t.articles.update().values(extractor_version="0.0.1"))
    assert load(store, [str(SAMPLE)]).skipped == 1
    redone = load(store, [str(SAMPLE)], reextract=True)
    assert redone.replaced == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.quote_occurrences)).scalar() == 16


def test_a_new_date_for_a_stored_article_re_extracts_it(tmp_path):
    """A date learnt later (a sidecar, --meta, --date-from-path) re-dates the article's facts."""
    article = tmp_path / "2005-03-01" / "story.txt"
    article.parent.mkdir()
    article.write_text("Tony Blair said on Monday that the plan would work.\n", encoding="utf-8")
    store = open_store(str(tmp_path / "kb.db"))
    assert load(store, [str(article)]).added == 1
    assert load(store, [str(article)]).skipped == 1
    redated = load(store, [str(article)], date_from_path=True)
    assert (redated.replaced, redated.skipped) == (1, 0)
    with store.engine.connect() as conn:
        assert conn.execute(select(t.articles.c.date)).scalar().isoformat() == "2005-03-01"
        days = {row.date for row in conn.execute(select(t.quote_occurrences.c.date))}
    assert {d.isoformat() for d in days if d} <= {"2005-03-01"}
    assert load(store, [str(article)], date_from_path=True).skipped == 1


def test_record_files_are_stored_without_extracting(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    records = tmp_path / "records.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(SAMPLE), "-o", str(records)])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["ingest", str(records), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 0, result.stderr
    assert _counts(tmp_path / "kb.db")["quote_occurrences"] == 16


def test_kill_9_midway_then_rerun_loses_and_duplicates_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 150)
    killed_db = tmp_path / "killed.db"
    command = [
        sys.executable,
        "-m",
        "newsgraph.cli",
        "ingest",
        str(corpus),
        "--db",
        str(killed_db),
        "--batch-size",
        "5",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        if killed_db.exists():
            try:
                stored = _counts(killed_db)["articles"]
            except sqlite3.OperationalError:
                continue  # tables not created yet
            if stored >= 10:
                break
    assert process.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert 10 <= stored < 150

    rerun = subprocess.run(command, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr

    clean_db = tmp_path / "clean.db"
    clean = subprocess.run([*command[:5], "--db", str(clean_db)], capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stderr
    assert _counts(killed_db) == _counts(clean_db)
    assert _counts(killed_db)["articles"] == 150


def test_overview_after_ingesting_the_sample(tmp_path):
    import json

    from typer.testing import CliRunner

    from newsgraph.cli import app

    db = str(tmp_path / "kb.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(SAMPLE), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["overview", "--db", db, "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["stats"]["articles"] == 1
    by_name = {p["name"]: p for p in data["people"]}
    assert [p["name"] for p in data["people"][:3]] == ["Erlan Karin", "Dmitry Peskov", "Andrey Kondrashov"]
    assert by_name["Dmitry Peskov"]["quote_count"] == 6
    assert by_name["Erlan Karin"]["roles"][0]["inferred"] is True


def test_a_bad_record_fails_alone_and_its_batch_is_stored(tmp_path, nlp):
    import copy

    from newsgraph.article import Article
    from newsgraph.extract import extract
    from newsgraph.store.write import write_records

    good = [
        extract(Article(f"Anna Petrova said that school {n} would open.", id=f"a{n}"), nlp) for n in range(3)
    ]
    bad = copy.deepcopy(good[0])
    bad["article"]["id"] = "broken"
    bad["roles"] = [{**good[0]["quotes"][0], "person": "no-such-entity"}]
    store = open_store(str(tmp_path / "kb.db"))
    summary = write_records(store, [good[0], bad, good[1], good[2]], batch_size=10)
    assert (summary.added, summary.failed) == (3, 1)
    assert "broken" in summary.failures[0].path
    counts = _counts(tmp_path / "kb.db")
    assert counts["articles"] == 3
    assert counts["quote_occurrences"] == 3


def test_stored_alias_spellings_do_not_depend_on_the_hash_seed(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    extracted = tmp_path / "extracted.jsonl"
    result = CliRunner().invoke(app, ["extract", str(SAMPLE), "-o", str(extracted)])
    assert result.exit_code == 0, result.stderr
    # Two spellings of one name key, as real text has them ("Fokker" and "FOKKER").
    record = json.loads(extracted.read_text(encoding="utf-8"))
    person = next(e for e in record["entities"] if e["name"] == "Dmitry Peskov")
    person["mentions"].append({**person["mentions"][0], "text": "DMITRY PESKOV"})
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps(record) + "\n", encoding="utf-8")
    stored = []
    for seed in ("1", "2", "3"):
        db = tmp_path / f"seed{seed}.db"
        run = subprocess.run(
            [sys.executable, "-m", "newsgraph.cli", "ingest", str(records), "--db", str(db)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert run.returncode == 0, run.stderr
        with sqlite3.connect(db) as conn:
            stored.append(
                conn.execute("SELECT type, key, entity_id, alias FROM aliases ORDER BY 1, 2, 3").fetchall()
            )
    assert stored[0] and stored[0] == stored[1] == stored[2]
    spellings = {alias for _, _, _, alias in stored[0]}
    assert "Dmitry Peskov" in spellings and "DMITRY PESKOV" not in spellings


def test_progress_total_counts_the_articles_the_readers_read(tmp_path):
    # .json is no reader's extension: the estimate used to count it, the reader never read it;
    # and a JSON Lines file in a directory used to count as one article.
    folder = tmp_path / "in"
    _write_corpus(folder, 1)
    (folder / "notes.json").write_text('{"text": "Anna Petrova said so."}\n', encoding="utf-8")
    assert ".json" not in FORMATS
    # The .json file is reported as skipped: one result, as the estimate counts it.
    assert estimate_total([str(folder)]) == len(list(read_inputs([str(folder)]))) == 2
    lines = [json.dumps({"text": f"{name} said so."}) for name in NAMES[:3]]
    (folder / "more.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    assert estimate_total([str(folder)]) == len(list(read_inputs([str(folder)]))) == 5
    summary = load(open_store(str(tmp_path / "kb.db")), [str(folder)])
    assert (summary.added, summary.failed) == (4, 1)


def test_a_record_file_failure_names_its_line_not_the_articles_path(tmp_path, store_url, sample_record):
    import copy

    broken = copy.deepcopy(sample_record)
    broken["article"]["id"] = "broken"
    broken["roles"] = [{**sample_record["roles"][0], "person": "no-such-entity"}]
    nul = copy.deepcopy(sample_record)
    nul["article"] |= {"id": "nul", "text": sample_record["article"]["text"] + "\x00"}
    records = tmp_path / "records.jsonl"
    lines = [json.dumps(sample_record), "[" * 100_000 + "]" * 100_000, json.dumps(broken), json.dumps(nul)]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = open_store(store_url)
    summary = load(store, [str(records)])
    store.close()
    assert summary.added == 1
    reasons = {failure.path: failure.reason for failure in summary.failures}
    assert set(reasons) == {f"{records}:2", f"{records}:3", f"{records}:4"}
    assert reasons[f"{records}:2"] == "invalid JSON: nested too deeply"
    assert reasons[f"{records}:4"] == (
        "ValueError: article text contains a NUL character at character "
        f"{len(sample_record['article']['text'])}, which no store keeps"
    )


def test_record_file_detection_scans_and_never_recurses(tmp_path):
    from newsgraph.ingest import is_record_file

    nested = tmp_path / "nested.jsonl"
    nested.write_text("[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    assert not is_record_file(str(nested))
    sorted_keys = tmp_path / "sorted.jsonl"
    sorted_keys.write_text(json.dumps({"article": {"schema": "x"}, "schema": "newsgraph.article/1"}) + "\n")
    assert is_record_file(str(sorted_keys))
    inner_only = tmp_path / "inner.jsonl"
    inner_only.write_text(json.dumps({"text": "a", "meta": {"schema": "newsgraph.article/1"}}) + "\n")
    assert not is_record_file(str(inner_only))


def test_an_unfinished_run_is_closed_as_failed_by_the_next_one(tmp_path):
    from newsgraph.dates import utc_now
    from newsgraph.store.write import start_run

    store = open_store(str(tmp_path / "kb.db"))
    with store.engine.begin() as conn:
        # A run whose process was killed: unfinished, and no one holds its lock.
        conn.execute(t.runs.insert().values(started_at=utc_now(), failed=0))
    start_run(store, "next")
    with store.engine.connect() as conn:
        killed, running = conn.execute(
            select(t.runs.c.finished_at, t.runs.c.failed).order_by(t.runs.c.id)
        ).all()
        (error,) = conn.execute(select(t.ingest_errors.c.run_id, t.ingest_errors.c.reason)).all()
    assert killed.finished_at is not None and killed.failed == 1
    assert running.finished_at is None  # still running: never closed by another
    assert error == (1, "interrupted: the run stopped before it finished")


def test_an_input_failing_in_every_run_is_one_ingest_error(tmp_path):
    folder = tmp_path / "in"
    _write_corpus(folder, 1)
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    store = open_store(str(tmp_path / "kb.db"))
    for _ in range(3):
        assert load(store, [str(folder)]).failed == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.ingest_errors)).scalar() == 1
