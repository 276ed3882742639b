"""`newsgraph serve` under load: many concurrent readers, and one client posting a hostile text.

  .venv/bin/python benchmarks/bench_load.py --db STORE [--clients 50] [--seconds 30]
        [--workers 1] [--hostile-every 1.0] [--hostile-chars 40000] [--wait-ms 1000]
        [--seed 1] [--port 0] [--json] [--out FILE]

Starts `newsgraph serve` on the store (read-only: no token) in a subprocess
(with `--workers N` when N > 1), samples real paths from the store as
`bench_web.py` does, then runs `--clients` concurrent clients, each requesting
a random page or API read after the other: first `--quiet-seconds` alone (the
baseline), then `--seconds` while one more client posts
`{"text": "x" + 40,000 spaces + "x"}` to `/api/extract` every `--hostile-every`
seconds (waiting for each answer). Reports requests/s, p50/p95/max per kind
(pages, API reads, extract), the statuses, reads still unanswered at the end,
and whether any read waited for an extraction: one that overlapped an
extraction and was slower than `--wait-ms` and than every baseline read.

To compare with an older commit: `git worktree add /tmp/before COMMIT` and run
this script with `PYTHONPATH=/tmp/before/src` (the server runs that code).
Goal (issue 13): reads p95 < 500 ms and >= 100 requests/s, and no read waits.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from bench_store import percentile  # a sibling script: run from benchmarks/ or by path
from bench_web import DEFAULT_DB, _free_port, sample_paths, stop_server, store_size, wait_ready

GOAL_P95_MS = 500.0
GOAL_RPS = 100.0


@dataclass(slots=True)
class Done:
    kind: str
    started: float
    ended: float
    status: int  # 0: no answer (a transport error, or none by the end)

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSGRAPH_TOKEN"}
    command = [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


async def reader(
    client: httpx.AsyncClient, paths: list[tuple[str, str]], rng: random.Random, until: float, out: list[Done]
) -> None:
    while time.monotonic() < until:
        kind, path = rng.choice(paths)
        started = time.monotonic()
        try:
            status = (await client.get(path)).status_code
        except httpx.TransportError:
            status = 0
        out.append(Done(kind, started, time.monotonic(), status))


async def hostile(
    client: httpx.AsyncClient, text: str, every: float, until: float, out: list[Done], running: list[float]
) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        running.append(started)
        try:
            status = (await client.post("/api/extract", json={"text": text})).status_code
        except httpx.TransportError:
            status = 0
        finally:
            running.remove(started)
        out.append(Done("extract", started, time.monotonic(), status))
        await asyncio.sleep(max(0.0, started + every - time.monotonic()))


async def run_phase(
    url: str, args: argparse.Namespace, paths: list[tuple[str, str]], seconds: float, hostile_every: float
) -> dict[str, Any]:
    """`seconds` of concurrent reads, with a hostile extraction every `hostile_every` s (0: none)."""
    reads: list[Done] = []
    extracts: list[Done] = []
    running: list[float] = []  # start times of extractions in flight
    limits = httpx.Limits(max_connections=args.clients + 1, max_keepalive_connections=args.clients + 1)
    text = "x" + " " * args.hostile_chars + "x"
    async with (
        httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client,
        httpx.AsyncClient(base_url=url, timeout=300) as poster,
    ):
        started = time.monotonic()
        until = started + seconds
        readers = [
            asyncio.create_task(reader(client, paths, random.Random(args.seed + i), until, reads))
            for i in range(args.clients)
        ]
        tasks = list(readers)
        if hostile_every > 0:
            tasks.append(asyncio.create_task(hostile(poster, text, hostile_every, until, extracts, running)))
        # a request still unanswered a while past the end counts as waiting that long
        _, pending = await asyncio.wait(tasks, timeout=seconds + args.grace)
        ended = time.monotonic()
        unfinished = list(running)  # extractions still unanswered: they ran until now
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    extracts += [Done("extract", s, ended, 0) for s in unfinished]
    return {
        "reads": reads,
        "extracts": extracts,
        "unanswered_reads": len([t for t in readers if t in pending]),
        "seconds": seconds,
    }


def _row(kind: str, items: list[Done], seconds: float) -> dict[str, Any]:
    timings = [d.ms for d in items]
    statuses: dict[str, int] = {}
    for d in items:
        statuses[str(d.status)] = statuses.get(str(d.status), 0) + 1
    return {
        "kind": kind,
        "n": len(items),
        "per_s": round(len(items) / seconds, 1),
        "p50_ms": round(percentile(timings, 0.5), 1) if timings else None,
        "p95_ms": round(percentile(timings, 0.95), 1) if timings else None,
        "max_ms": round(max(timings), 1) if timings else None,
        "statuses": statuses,
    }


def summarise(quiet: dict[str, Any], loaded: dict[str, Any], wait_ms: float) -> dict[str, Any]:
    """Rows for the quiet phase and the hostile one; a read of the hostile phase waited for an
    extraction when it overlapped one and was slower than both `wait_ms` and every quiet read."""
    reads: list[Done] = loaded["reads"]
    spans = [(d.started, d.ended) for d in loaded["extracts"]]
    quiet_max = max((d.ms for d in quiet["reads"]), default=0.0)
    threshold = max(wait_ms, quiet_max)

    def overlaps(d: Done) -> bool:
        return any(d.started < end and start < d.ended for start, end in spans)

    waited = [d for d in reads if d.ms > threshold and overlaps(d)]
    seconds = loaded["seconds"]
    rows = [
        _row("reads, no extraction", quiet["reads"], quiet["seconds"]),
        _row("reads (all)", reads, seconds),
        _row("pages", [d for d in reads if d.kind == "page"], seconds),
        _row("api reads", [d for d in reads if d.kind == "api"], seconds),
        _row("reads during an extraction", [d for d in reads if overlaps(d)], seconds),
        _row("extract (hostile)", loaded["extracts"], seconds),
    ]
    whole = rows[1]
    unanswered = loaded["unanswered_reads"]
    return {
        "rows": rows,
        "reads_per_s": whole["per_s"],
        "reads_p95_ms": whole["p95_ms"],
        "unanswered_reads": unanswered,
        "reads_that_waited": len(waited) + unanswered,
        "waited_threshold_ms": round(threshold, 1),
        "goal_met": bool(
            reads
            and whole["per_s"] >= GOAL_RPS
            and (whole["p95_ms"] or 0) < GOAL_P95_MS
            and not waited
            and not unanswered
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite store (read only)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent reading clients")
    parser.add_argument("--quiet-seconds", type=float, default=10, help="reads alone first, as a baseline")
    parser.add_argument("--seconds", type=float, default=30, help="then reads with the hostile client")
    parser.add_argument("--grace", type=float, default=10, help="seconds to wait for answers after it")
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    parser.add_argument("--hostile-every", type=float, default=1.0, help="seconds between posts; 0: none")
    parser.add_argument("--hostile-chars", type=int, default=40_000, help="spaces in the hostile text")
    parser.add_argument("--wait-ms", type=float, default=1000, help="a read slower than this waited")
    parser.add_argument("--paths", type=int, default=50, help="sampled paths per page type")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON result here")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"no store at {args.db}", file=sys.stderr)
        return 2
    sampled = sample_paths(args.db, args.paths, args.seed)
    paths = [
        ("api" if name.startswith("api") else "page", p) for name, group in sampled.items() for p in group
    ]
    port = args.port or _free_port()
    server = start_server(args.db, port, args.workers)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            wait_ready(client, server)
            for group in sampled.values():  # one request of each kind first: imports, caches
                client.get(group[0])
            if args.hostile_every > 0:
                # the pipeline loads on the first extraction; the load measures extraction, not that
                client.post("/api/extract", json={"text": "The minister said on Monday it would rain."})
        quiet = asyncio.run(run_phase(url, args, paths, args.quiet_seconds, 0))
        loaded = asyncio.run(run_phase(url, args, paths, args.seconds, args.hostile_every))
    finally:
        stop_server(server)
    size = store_size(args.db)
    result = {
        "bench": "load",
        "db": str(args.db),
        "size": size,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "hostile": {"every_s": args.hostile_every, "chars": args.hostile_chars + 2},
        "pythonpath": os.environ.get("PYTHONPATH"),
        "quiet_seconds": args.quiet_seconds,
        **summarise(quiet, loaded, args.wait_ms),
        "at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{size['articles']:,} articles; {args.clients} clients, {args.workers} server process(es); "
            f"{args.quiet_seconds:g} s of reads alone, then {args.seconds:g} s with a hostile "
            f"extract every {args.hostile_every:g} s"
        )
        print(f"{'kind':<28}{'n':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>10}  statuses")
        for row in result["rows"]:
            print(
                f"{row['kind']:<28}{row['n']:>7}{row['per_s']:>8}{row['p50_ms'] or '-':>9}"
                f"{row['p95_ms'] or '-':>9}{row['max_ms'] or '-':>10}  {row['statuses']}"
            )
        print(
            f"reads that waited for an extraction (over {result['waited_threshold_ms']:g} ms, the slowest "
            f"read with none, while one ran; or unanswered): {result['reads_that_waited']}; "
            f"goal met: {result['goal_met']}"
        )
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
