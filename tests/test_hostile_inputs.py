"""One folder of good articles and every hostile file issue 13 found: nothing sinks the batch.

Each hostile file once stopped or hung an ingest (a name that is not UTF-8,
a FIFO, a first line nested past the stack, a gzip bomb) or was passed over
in silence; here every good article is stored, every bad file is reported
once with its path and reason, and a rerun stores nothing new and loses
nothing. On SQLite and on PostgreSQL (the store fixture).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsgraph.article import Article, content_id
from newsgraph.ingest import load
from newsgraph.read import read_inputs
from newsgraph.store import open_store
from newsgraph.store import schema as t

GOOD = {
    "good-1.txt": " date 2024-03-01 Minister Anna Petrova said the bridge would open in May.",
    "good-2.txt": "Ivan Sidorov, the mayor, said on Monday that the school was ready.",
}
GOOD_LINES = ["Maria Lopez said the port would reopen.", "John Smith said the vote was fair."]
BOMB_BYTES = 100 * 1024 * 1024  # unpacks from about 100 KB
SMALL_CAP = 10_000  # characters: the bomb is cut off at 40 KB, never unpacked whole


def _bomb(path: Path) -> None:
    chunk = b" " * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(BOMB_BYTES // len(chunk)):
            fh.write(chunk)


def hostile_folder(root: Path) -> dict[str, str]:
    """Write the folder; the names of the bad entries (as reported) and a word of each reason."""
    root.mkdir()
    for name, text in GOOD.items():
        (root / name).write_text(text, encoding="utf-8")
    lines = [json.dumps({"text": text}) for text in GOOD_LINES]
    (root / "good-3.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The nested first line is one failure; the good line after it is stored.
    nested = "[" * 5_000 + "]" * 5_000
    (root / "nested.jsonl").write_text(nested + "\n" + json.dumps({"text": "Olga Ivanova said yes."}) + "\n")
    os.mkfifo(root / "pipe.txt")
    (root / "empty.txt").write_text("  \n")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "notes.doc").write_text("Peter Brown said no.")
    (root / "surrogate.jsonl").write_text('{"text": "Anna said \\ud800 twice."}\n')
    (root / "nul.jsonl").write_text('{"text": "Anna said \\u0000 twice."}\n')
    os.symlink("loop.txt", root / "loop.txt")
    # Not valid UTF-8: Python holds such names with surrogates; they are reported by a printable form.
    os.close(os.open(os.fsencode(root) + b"/bad-\xff-name.txt", os.O_CREAT | os.O_WRONLY, 0o644))
    # Escape sequences in a name must reach the terminal escaped.
    (root / "esc-\x1b[31m-red.txt").write_text("")
    _bomb(root / "bomb.jsonl.gz")
    return {
        "bad-\\xff-name.txt": "not valid UTF-8",
        "binary.txt": "binary",
        "bomb.jsonl.gz:1": "oversized",
        "empty.txt": "empty",
        "esc-\\x1b[31m-red.txt": "empty",
        "loop.txt": "symbolic links",
        "nested.jsonl:1": "nested",
        "notes.doc": "unknown extension",
        "nul.jsonl:1": "NUL character",
        "pipe.txt": "FIFO",
        "surrogate.jsonl:1": "lone surrogate",
    }


def _stored_texts(store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(t.articles.c.text)).scalars())


def _good_texts() -> set[str]:
    return {
        "Minister Anna Petrova said the bridge would open in May.",
        GOOD["good-2.txt"],
        *GOOD_LINES,
        "Olga Ivanova said yes.",
    }


def test_the_readers_report_every_hostile_file_and_read_every_good_one(tmp_path: Path) -> None:
    bad = hostile_folder(tmp_path / "in")
    results = list(read_inputs([str(tmp_path / "in")], max_chars=SMALL_CAP))
    assert {r.text for r in results if isinstance(r, Article)} == _good_texts()
    failures = {Path(r.path).name: r.reason for r in results if not isinstance(r, Article)}
    assert set(failures) == set(bad), failures
    for name, word in bad.items():
        assert word in failures[name], (name, failures[name])


def test_a_hostile_folder_loses_no_good_article(store_url: str, tmp_path: Path) -> None:
    bad = hostile_folder(tmp_path / "in")
    store = open_store(store_url)
    try:
        first = load(store, [str(tmp_path / "in")], max_chars=SMALL_CAP)
        assert (first.added, first.failed) == (len(_good_texts()), len(bad))
        assert {Path(f.path).name for f in first.failures} == set(bad)
        assert _stored_texts(store) == _good_texts()
        again = load(store, [str(tmp_path / "in")], max_chars=SMALL_CAP)
        assert (again.added, again.skipped, again.failed) == (0, len(_good_texts()), len(bad))
        assert _stored_texts(store) == _good_texts()
        with store.engine.connect() as conn:
            runs = conn.execute(select(t.runs.c.finished_at, t.runs.c.failed)).all()
            errors = conn.execute(select(func.count()).select_from(t.ingest_errors)).scalar()
        assert [failed for _, failed in runs] == [len(bad), len(bad)]
        assert all(finished is not None for finished, _ in runs)
        # One bad input is one error, however many runs met it.
        assert errors == len(bad)
    finally:
        store.close()


def test_the_command_prints_one_line_a_bad_file_and_no_traceback(store_url: str, tmp_path: Path) -> None:
    bad = hostile_folder(tmp_path / "in")
    command = [sys.executable, "-m", "newsgraph.cli", "ingest", str(tmp_path / "in"), "--db", store_url]
    done = subprocess.run(command, capture_output=True, timeout=300, check=False)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr and "\x1b[31m-red" not in stderr
    failed = [line for line in stderr.splitlines() if line.startswith("failed ")]
    assert len(failed) == len(bad), stderr
    assert any("esc-\\x1b[31m-red.txt: empty" in line for line in failed)
    assert any("bad-\\xff-name.txt: file name is not valid UTF-8" in line for line in failed)
    added = next(line for line in done.stdout.decode("utf-8").splitlines() if "articles added" in line)
    assert added.split("│")[2].strip() == str(len(_good_texts()))


def test_a_fifo_named_directly_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    results = list(read_inputs([str(tmp_path / "pipe.jsonl")]))
    assert [r.reason for r in results] == ["not a regular file (a FIFO)"]


def test_an_undecodable_name_given_directly_is_reported() -> None:
    name = os.fsdecode(b"/nowhere/x\xff.txt")
    (failure,) = read_inputs([name])
    assert (failure.path, failure.reason) == ("/nowhere/x\\xff.txt", "file name is not valid UTF-8 (skipped)")


@pytest.mark.parametrize("text", ["a\ud800", "\udcff", "b\udfff c"])
def test_an_article_with_a_lone_surrogate_still_has_an_id(text: str) -> None:
    assert Article(text).id == content_id(text)


def test_an_empty_folder_and_one_of_symlinks_say_what_they_held(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "links").mkdir()
    os.symlink(tmp_path / "empty", tmp_path / "links" / "sub")
    (only_empty,) = read_inputs([str(tmp_path / "empty")])
    assert only_empty.reason == "no files to read (empty directory)"
    (only_link,) = read_inputs([str(tmp_path / "links")])
    assert only_link.reason == "symlink to a directory (not followed)"
