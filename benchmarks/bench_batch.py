"""Throughput of `newsgraph batch` on the local and the Ray engine, with 1 and 2 workers.

    .venv/bin/python benchmarks/bench_batch.py [--limit 400] [--workers 1 2] [--engines local ray]
                                               [--shard-size 25] [--repeat R] [--address HOST:PORT]
                                               [--out DIR] [--json]

Every run is the real command, `newsgraph batch FILES --out FRESH_DIR --engine E --workers W`,
timed from start to exit, so it includes what a user waits for: interpreter start,
loading the pipeline in each worker, and for Ray connecting to the cluster and
starting the actors. The Ray runs use one cluster for the whole benchmark: the
one at --address, else a private head node started here (`ray start --head
--block`, CPUs = the largest worker count) and stopped at the end.

Reported per engine and worker count (best of --repeat): articles/s end to
end; the seconds spent inside shards (summed over workers, from the manifest)
and from them articles per core-hour in steady state (articles / shard seconds
* 3600), the figure for the cost model in docs/cluster.md; the start-up cost
(wall seconds - shard seconds / workers). Also Ray's overhead against local at
equal workers (ray seconds / local seconds - 1) and the speed-up from the
smallest to the largest worker count (goal >= 1.7x from 1 to 2).
"""

from __future__ import annotations

import argparse
import contextlib
import json
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

GOAL_SPEEDUP = 1.7
BIN = Path(sys.executable).parent


def default_data() -> Path:
    if env := os.environ.get("NEWSGRAPH_DATA"):
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def corpus(data: Path, limit: int) -> list[str]:
    """The first `limit` TempEval-3 silver articles (one wire each, dated)."""
    files = sorted((data / "tempeval3" / "silver").glob("*.tml"))[:limit]
    if len(files) < limit:
        sys.exit(f"need {limit} TE3 silver files under {data}, found {len(files)}")
    return [str(path) for path in files]


@contextlib.contextmanager
def ray_head(cpus: int) -> Iterator[tuple[str, dict[str, str]]]:
    """A private Ray head node on 127.0.0.1: its address and the environment to reach it with."""
    temp_dir = tempfile.mkdtemp(prefix="ngb", dir="/tmp")  # Unix socket paths must stay short
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    head = subprocess.Popen(
        [
            str(BIN / "ray"),
            "start",
            "--head",
            "--block",
            "--node-ip-address=127.0.0.1",
            f"--port={port}",
            f"--num-cpus={cpus}",
            "--disable-usage-stats",
            "--include-dashboard=false",
            "--object-store-memory=300000000",
            f"--temp-dir={temp_dir}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    started = threading.Event()

    def watch() -> None:
        assert head.stdout is not None
        for line in head.stdout:
            if "Ray runtime started" in line:
                started.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        if not started.wait(120):
            sys.exit("the Ray head node did not start")
        yield f"127.0.0.1:{port}", env
    finally:
        head.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            head.wait(10)
        # Workers put themselves in process groups of their own, but stay in the head's session.
        listing = subprocess.run(["ps", "-eo", "pid=,sid="], capture_output=True, text=True, check=True)
        for line in listing.stdout.splitlines():
            pid, sid = (int(field) for field in line.split())
            if sid == head.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(temp_dir, ignore_errors=True)


def run_once(
    files: list[str],
    out: Path,
    engine: str,
    workers: int,
    shard_size: int,
    env: dict[str, str],
    address: str | None,
) -> tuple[float, float]:
    """Wall seconds of the command, and seconds spent inside shards (summed over workers)."""
    shutil.rmtree(out, ignore_errors=True)
    command = [
        str(BIN / "newsgraph"),
        "batch",
        *files,
        "--out",
        str(out),
        "--engine",
        engine,
        "--workers",
        str(workers),
        "--shard-size",
        str(shard_size),
        *(["--address", address] if address else []),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{engine} with {workers} workers failed ({done.returncode}):\n{done.stderr[-3000:]}")
    manifest = json.loads((out / "manifest.json").read_text())
    if manifest["totals"]["articles"] != len(files):
        sys.exit(
            f"{engine}/{workers}: {manifest['totals']['articles']} articles written, expected {len(files)}"
        )
    return seconds, sum(shard["seconds"] for shard in manifest["shards"].values())


def measure(args: argparse.Namespace) -> dict[str, Any]:
    files = corpus(args.data, args.limit)
    out = args.out / "batch"
    times: dict[tuple[str, int], float] = {}
    in_shards: dict[tuple[str, int], float] = {}

    def runs(engine: str, env: dict[str, str], address: str | None) -> None:
        for _ in range(args.repeat):
            for workers in args.workers:
                seconds, shard_seconds = run_once(files, out, engine, workers, args.shard_size, env, address)
                key = (engine, workers)
                if seconds < times.get(key, float("inf")):
                    times[key], in_shards[key] = seconds, shard_seconds

    with contextlib.ExitStack() as stack:
        if "ray" in args.engines and args.address is None:
            address, env = stack.enter_context(ray_head(max(args.workers)))
        else:
            address, env = args.address, {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
        for engine in args.engines:
            runs(engine, env, address if engine == "ray" else None)
    shutil.rmtree(out, ignore_errors=True)

    n = len(files)
    rows = [
        {
            "engine": engine,
            "workers": workers,
            "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 2),
            "shard_seconds": round(in_shards[(engine, workers)], 2),
            # Steady state, start-up left out: what a long job approaches.
            "articles_per_core_hour": round(n / in_shards[(engine, workers)] * 3600),
            "startup_seconds": round(seconds - in_shards[(engine, workers)] / workers, 2),
        }
        for (engine, workers), seconds in sorted(times.items())
    ]
    low, high = min(args.workers), max(args.workers)
    speedup = {
        engine: round(times[(engine, low)] / times[(engine, high)], 2)
        for engine in args.engines
        if low != high
    }
    overhead = {
        str(workers): round(times[("ray", workers)] / times[("local", workers)] - 1, 3)
        for workers in args.workers
        if ("ray", workers) in times and ("local", workers) in times
    }
    return {
        "cpus": os.cpu_count(),
        "articles": n,
        "corpus": "TempEval-3 silver (first files in name order)",
        "shard_size": args.shard_size,
        "repeat": args.repeat,
        "runs": rows,
        "ray_overhead": overhead,
        "speedup": {"from": low, "to": high, "goal": GOAL_SPEEDUP, **speedup},
    }


def print_table(result: dict[str, Any]) -> None:
    print(
        f"{result['articles']} articles, {result['cpus']} CPUs, shard size {result['shard_size']}, "
        f"best of {result['repeat']}"
    )
    header = ("engine", "workers", "seconds", "articles/s", "start-up s", "per core-hour")
    print(f"{header[0]:<7} {header[1]:>7} {header[2]:>8} {header[3]:>11} {header[4]:>11} {header[5]:>14}")
    for row in result["runs"]:
        print(
            f"{row['engine']:<7} {row['workers']:>7} {row['seconds']:>8.2f} {row['articles_per_s']:>11.2f} "
            f"{row['startup_seconds']:>11.2f} {row['articles_per_core_hour']:>14,}"
        )
    for workers, value in result["ray_overhead"].items():
        print(f"ray overhead at {workers} worker(s): {value:+.1%}")
    speed = result["speedup"]
    for engine in ("local", "ray"):
        if engine in speed:
            print(
                f"speed-up {speed['from']} -> {speed['to']} workers, {engine}: {speed[engine]:.2f}x "
                f"(goal >= {speed['goal']}x)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engines", nargs="+", choices=["local", "ray"], default=["local", "ray"])
    parser.add_argument("--shard-size", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--address", help="an existing Ray cluster (default: start a private one)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    result = measure(args)
    (args.out / "batch.json").write_text(json.dumps(result, indent=2) + "\n")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
