"""Ingest under faults: a full disk, a read-only store, a kill -9, a second ingest at once.

Each ends in one clean error line (or none), a consistent store, and a rerun
that completes; a killed run is closed as failed by the next one. On SQLite
and on PostgreSQL where the store fixture has a server.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from newsgraph.export import KINDS, iter_rows
from newsgraph.store import open_store
from newsgraph.store import schema as t

NAMES = ["Anna Petrova", "Ivan Sidorov", "Maria Lopez", "John Smith", "Olga Ivanova"]


def _corpus(folder: Path, numbers: range, filler: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        name = NAMES[n % len(NAMES)]
        text = (
            f" date 2024-{1 + n % 12:02d}-{1 + n % 28:02d} Minister {name} visited school number {n}. "
            f"“We will open {n} new classrooms next year,” {name} said. " + "The budget grew again. " * filler
        )
        (folder / f"article-{n:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def _ingest(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsgraph.cli", "ingest", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, **kwargs)


def _export(url: str) -> dict[str, list[str]]:
    store = open_store(url)
    try:
        return {kind: sorted(repr(sorted(row.items())) for row in iter_rows(store, kind)) for kind in KINDS}
    finally:
        store.close()


def _runs(url: str) -> list[tuple[Any, int]]:
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(select(t.runs.c.finished_at, t.runs.c.failed))]
    finally:
        store.close()


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error ")]
    assert "Traceback" not in stderr and len(lines) == 1, stderr
    return lines[0]


def _full_disk() -> None:
    # In the child: a write past the limit fails with EFBIG (SIGXFSZ ignored) as on a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))


def test_a_full_disk_is_one_error_line_and_a_rerun_completes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", range(40), filler=60)
    db = tmp_path / "kb.db"
    full = _ingest(str(corpus), "--db", str(db), "--batch-size", "5", preexec_fn=_full_disk)
    assert full.returncode == 2, full.stderr
    assert "the store could not be written" in _one_error_line(full.stderr)
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        stored = conn.execute("select count(*) from articles").fetchone()[0]
        # Every stored article has all its facts: each has its quote.
        assert (
            conn.execute("select count(distinct article_id) from quote_occurrences").fetchone()[0] == stored
        )
    assert stored < 40
    rerun = _ingest(str(corpus), "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr
    clean = _ingest(str(corpus), "--db", str(tmp_path / "clean.db"))
    assert clean.returncode == 0, clean.stderr
    assert _export(str(db)) == _export(str(tmp_path / "clean.db"))
    runs = _runs(str(db))
    assert all(finished is not None for finished, _ in runs) and runs[0][1] >= 1


def test_a_read_only_store_is_one_error_line_and_a_rerun_completes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", range(3))
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    db = store_dir / "kb.db"
    assert _ingest(str(corpus / "article-0000.txt"), "--db", str(db)).returncode == 0
    if os.geteuid() == 0:
        # Permissions do not stop root: the store is opened read-only instead, as SQLite
        # opens a file it may not write.
        read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
        failed = _ingest(str(corpus), "--db", read_only)
    else:
        store_dir.chmod(0o555)
        try:
            failed = _ingest(str(corpus), "--db", str(db))
        finally:
            store_dir.chmod(0o755)
    assert failed.returncode == 2, failed.stderr
    line = _one_error_line(failed.stderr)
    assert "readonly" in line or "read-only" in line or "unable to open" in line, line
    rerun = _ingest(str(corpus), "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr
    assert _export(str(db)) == _export(_clean(tmp_path, corpus))


def _clean(tmp_path: Path, corpus: Path) -> str:
    clean = str(tmp_path / "clean.db")
    assert _ingest(str(corpus), "--db", clean).returncode == 0
    return clean


def _articles(url: str) -> int:
    try:
        store = open_store(url)
    except Exception:
        return 0  # not created yet
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.articles)).scalar() or 0)
    finally:
        store.close()


def test_kill_9_then_rerun_gives_the_clean_export_and_closes_the_killed_run(
    store_url: str, tmp_path: Path
) -> None:
    # long enough articles that the run is still going when the first batches are stored
    corpus = _corpus(tmp_path / "in", range(60), filler=30)
    command = [sys.executable, "-m", "newsgraph.cli", "ingest", str(corpus), "--db", store_url]
    process = subprocess.Popen(
        [*command, "--batch-size", "5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None and stored < 5:
        time.sleep(0.3)
        stored = _articles(store_url)
    assert process.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _runs(store_url)[0][0] is None  # the killed run never finished
    rerun = _ingest(str(corpus), "--db", store_url)
    assert rerun.returncode == 0, rerun.stderr
    killed, again = _runs(store_url)
    assert killed[0] is not None and killed[1] == 1, killed  # closed as failed
    assert again[0] is not None and again[1] == 0
    clean_url = str(tmp_path / "clean.db")
    assert _ingest(str(corpus), "--db", clean_url).returncode == 0
    assert _export(store_url) == _export(clean_url)


def test_two_ingests_at_once_equal_one_after_the_other(store_url: str, tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "in", range(36))
    files = sorted(str(path) for path in folder.iterdir())
    first, second = files[:24], files[12:]  # half of them the same files
    command = [sys.executable, "-m", "newsgraph.cli", "ingest"]
    running = [
        subprocess.Popen(
            [*command, *inputs, "--db", store_url, "--batch-size", "4"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for inputs in (first, second)
    ]
    for process in running:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    runs = _runs(store_url)
    assert len(runs) == 2 and all(finished is not None and failed == 0 for finished, failed in runs)
    sequential = str(tmp_path / "sequential.db")
    for inputs in (first, second):
        assert _ingest(*inputs, "--db", sequential).returncode == 0
    assert _export(store_url) == _export(sequential)


@pytest.mark.parametrize("kind", ["corrupt", "not a database"])
def test_a_corrupt_store_file_is_one_error_line(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "kb.db"
    db.write_bytes(os.urandom(5000) if kind == "corrupt" else b"SQLite format 3\x00" + b"\x01" * 5000)
    corpus = _corpus(tmp_path / "in", range(1))
    failed = _ingest(str(corpus), "--db", str(db))
    assert failed.returncode == 2
    assert "cannot open the store" in _one_error_line(failed.stderr)
