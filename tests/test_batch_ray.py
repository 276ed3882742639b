"""`newsgraph batch --engine ray` on a real local Ray cluster (2 CPUs on 127.0.0.1).

The cluster is `ray start --head --block`, started here in a session of its
own and stopped through that process (SIGTERM, then SIGKILL of what is left
in its session), so no other Ray on the machine is touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.ingest import read_shards

pytest.importorskip("ray", reason="Ray is not installed")

NEWSGRAPH = [sys.executable, "-m", "newsgraph.cli"]
RAY = str(Path(sys.executable).with_name("ray"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(temp_dir: str) -> dict[str, str]:
    return {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_TMPDIR": temp_dir}


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[dict[str, Any]]:
    """Address, environment and process group of a private 2-CPU Ray head node."""
    if not Path(RAY).exists():
        pytest.skip(f"no `ray` command beside {sys.executable}")
    # Unix socket paths are limited to 107 bytes: keep the session directory short.
    temp_dir = tempfile.mkdtemp(prefix="ngr", dir="/tmp")
    port = _free_port()
    env = _env(temp_dir)
    command = [
        RAY, "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}",
        "--num-cpus=2", "--disable-usage-stats", "--include-dashboard=false",
        "--object-store-memory=300000000", f"--temp-dir={temp_dir}",
    ]  # fmt: skip
    head = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    lines: list[str] = []
    started = threading.Event()

    def watch() -> None:
        assert head.stdout is not None
        for line in head.stdout:
            lines.append(line)
            if "Ray runtime started" in line:
                started.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        if not started.wait(120) or head.poll() is not None:
            pytest.skip("Ray head node did not start:\n" + "".join(lines[-20:]))
        yield {"address": f"127.0.0.1:{port}", "env": env, "session": head.pid}
    finally:
        # A graceful stop first; the head drains for up to 30 s, which a test need not wait for.
        head.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            head.wait(10)
        # Anything the head left behind (workers put themselves in process
        # groups of their own) is still in its session.
        for pid, _args in _session_processes(head.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        head.wait()
        shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def inputs(shared_data: Path) -> list[str]:
    """150 TE3 silver articles and 150 BBC articles (business and politics)."""
    te3 = sorted((shared_data / "tempeval3" / "silver").glob("*.tml"))[:150]
    bbc = [
        *sorted((shared_data / "bbc" / "business").glob("*.txt"))[:75],
        *sorted((shared_data / "bbc" / "politics").glob("*.txt"))[:75],
    ]
    assert len(te3) == len(bbc) == 150
    return [str(p) for p in (*te3, *bbc)]


@pytest.fixture(scope="module")
def local_records(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("local") / "out"
    done = _batch(inputs, out, ["--engine", "local", "--workers", "2"], dict(os.environ))
    assert done.returncode == 0, done.stderr
    return _records(out)


def _batch(
    inputs: list[str], out: Path, options: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess:
    command = [*NEWSGRAPH, "batch", *inputs, "--out", str(out), "--shard-size", "25", *options]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


def _records(out: Path) -> list[dict[str, Any]]:
    records = list(read_shards(str(out)))
    assert all(isinstance(record, dict) for record in records)
    return records


def test_ray_batch_equals_local_batch(ray_cluster, inputs, local_records, tmp_path):
    out = tmp_path / "ray"
    done = _batch(
        inputs,
        out,
        ["--engine", "ray", "--address", ray_cluster["address"], "--workers", "2"],
        ray_cluster["env"],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    records = _records(out)
    assert len(records) == len(local_records) == 300
    # Nothing in a record depends on the run, so records compare whole.
    for ours, theirs in zip(records, local_records, strict=True):
        assert ours == theirs, ours["article"]["path"]

    rerun = _batch(
        inputs,
        out,
        ["--engine", "ray", "--address", ray_cluster["address"], "--workers", "2"],
        ray_cluster["env"],
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert _records(out) == records


def _session_processes(session: int) -> list[tuple[int, str]]:
    listing = subprocess.run(["ps", "-eo", "pid=,sid=,args="], capture_output=True, text=True, check=True)
    found = []
    for line in listing.stdout.splitlines():
        pid, sid, args = [*line.strip().split(None, 2), ""][:3]
        if int(sid) == session:
            found.append((int(pid), args))
    return found


def test_a_killed_worker_loses_and_duplicates_nothing(ray_cluster, inputs, local_records, tmp_path):
    subset = inputs[:120]
    out = tmp_path / "ray-killed"
    command = [
        *NEWSGRAPH, "batch", *subset, "--out", str(out), "--shard-size", "10",
        "--engine", "ray", "--address", ray_cluster["address"], "--workers", "2",
    ]  # fmt: skip
    job = subprocess.Popen(
        command, env=ray_cluster["env"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    stderr: list[str] = []
    threading.Thread(target=lambda: stderr.extend(job.stderr or []), daemon=True).start()
    victim = None
    deadline = time.monotonic() + 240
    # Kill an actor once shards are finishing, so it dies in the middle of another one.
    while victim is None and job.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
        if list(out.glob("shard-*.parquet")) and len(list(out.glob("shard-*.parquet"))) < 10:
            pids = [pid for pid, args in _session_processes(ray_cluster["session"]) if "ExtractActor" in args]
            if pids:
                victim = pids[0]
                os.kill(victim, signal.SIGKILL)
    assert victim is not None, "no extraction actor found to kill:\n" + "".join(stderr[-40:])
    assert job.wait(300) == 0, "".join(stderr[-60:])
    records = _records(out)
    ids = [r["article"]["id"] for r in records]
    assert len(ids) == len(set(ids)) == 120
    assert records == local_records[:120]
