"""Page and API latency of `newsgraph serve` over a real running server.

  .venv/bin/python benchmarks/bench_web.py [--db benchmarks/out/bench.db] [--requests 50] [--seed 1]
                                           [--port 0] [--json] [--out FILE]

Starts `newsgraph serve` (uvicorn, read-only: no token) on the store in a
subprocess, samples real inputs from the store (articles, speakers, quotes,
office titles, words of quotes), then requests each page type and the main
API endpoints one at a time with httpx and reports p50/p95/max per type.
The store is opened read-only for sampling and the server only reads on GET.
Goal: p95 under 1 s for every page; a row over it is marked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from bench_store import percentile  # a sibling script: run from benchmarks/ or by path

HERE = Path(__file__).resolve().parent
DEFAULT_DB = HERE / "out" / "bench.db"
GOAL_MS = 1000.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _random_rows(conn: sqlite3.Connection, table: str, columns: str, n: int, rng: random.Random) -> list[Any]:
    """Rows picked by random rowid (fast on a big table), non-null first column."""
    (top,) = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()
    if not top:
        return []
    rows: list[Any] = []
    tries = 0
    while len(rows) < n and tries < n * 20:
        tries += 1
        row = conn.execute(
            f"SELECT {columns} FROM {table} WHERE rowid = ?", (rng.randint(1, top),)
        ).fetchone()
        if row is not None and row[0] is not None:
            rows.append(row)
    return rows


def sample_paths(db: Path, n: int, seed: int) -> dict[str, list[str]]:
    """n request paths per page type and API endpoint, from the store's real contents."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        articles = [r[0] for r in _random_rows(conn, "articles", "id", n, rng)]
        speakers = [r[0] for r in _random_rows(conn, "quote_occurrences", "speaker_id", 2 * n, rng)]
        # a quote's speaker may be an organisation; the person pages want people
        marks = ",".join("?" * len(speakers))
        people = {
            r[0]
            for r in conn.execute(
                f"SELECT id FROM entities WHERE type = 'PERSON' AND id IN ({marks})", speakers
            )
        }
        speakers = [s for s in speakers if s in people][:n]
        quotes = [r[0] for r in _random_rows(conn, "quotes", "id, text", n, rng)]
        texts = [r[1] for r in _random_rows(conn, "quotes", "text, text", n, rng)]
        titles = [r[0] for r in _random_rows(conn, "roles", "title, as_of", n, rng)]
        dates = [r[0] for r in _random_rows(conn, "articles", "date", n, rng)]
    finally:
        conn.close()
    words = []
    for text in texts:
        found = re.findall(r"[A-Za-z]{4,}", text)
        if found:
            start = rng.randrange(len(found))
            words.append(" ".join(found[start : start + rng.choice((1, 2))]))
    if not words:
        words = ["said"]

    def cycle(items: list[Any]) -> list[Any]:
        return [items[i % len(items)] for i in range(n)] if items else []

    def on(day: str | None) -> str:
        return day or dt.date.today().isoformat()

    speakers, quotes, titles, words = map(cycle, (speakers, quotes, titles, words))
    # a store of undated articles (PolNeAR's) asks about today
    dates = cycle(dates) or [None] * n
    return {
        "home": ["/"] * n,
        "search": [f"/search?{urlencode({'q': w})}" for w in words],
        "search (no words)": [f"/search?page={1 + i % 5}" for i in range(n)],
        "article": [f"/article/{quote(a, safe='')}" for a in cycle(articles)],
        "person": [f"/person/{s}" for s in speakers],
        "office": [f"/office?{urlencode({'title': t})}" for t in titles],
        "office on a date": [
            f"/office?{urlencode({'title': t, 'on': on(d)})}" for t, d in zip(titles, dates, strict=True)
        ],
        "quote": [f"/quote/{q}" for q in quotes],
        "timeline": [f"/timeline?{urlencode({'from': on(d)})}" for d in dates],
        "timeline (future)": [f"/timeline?{urlencode({'from': on(d), 'future': 'true'})}" for d in dates],
        "api stats": ["/api/stats"] * n,
        "api article": [f"/api/articles/{quote(a, safe='')}" for a in cycle(articles)],
        "api person": [f"/api/people/{s}" for s in speakers],
        "api quotes --speaker": [f"/api/quotes?{urlencode({'speaker': s})}" for s in speakers],
        "api quotes --search": [f"/api/quotes?{urlencode({'search': w})}" for w in words],
        "api quotes --speaker --search": [
            f"/api/quotes?{urlencode({'speaker': s, 'search': w})}"
            for s, w in zip(speakers, words, strict=True)
        ],
        "api search": [f"/api/search?{urlencode({'q': w})}" for w in words],
        "api who": [
            f"/api/who?{urlencode({'title': t, 'on': on(d)})}" for t, d in zip(titles, dates, strict=True)
        ],
        "api timeline": [f"/api/timeline?{urlencode({'since': on(d)})}" for d in dates],
    }


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSGRAPH_TOKEN"}
    command = [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_ready(client: httpx.Client, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode(errors="replace") if server.stdout else ""
            raise RuntimeError(f"the server exited ({server.returncode}): {output}")
        try:
            if client.get("/api/stats").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer in time")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGINT first, so uvicorn shuts the app down (and its extraction workers) as a user's Ctrl-C would."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def store_size(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "quotes")}
    finally:
        conn.close()


def measure(client: httpx.Client, paths: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    for name, wanted in paths.items():
        timings: list[float] = []
        errors: dict[str, int] = {}
        slowest = ("", -1.0)
        for path in wanted:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                key = str(response.status_code)
                errors[key] = errors.get(key, 0) + 1
            timings.append(elapsed)
            if elapsed > slowest[1]:
                slowest = (path, elapsed)
        p95 = percentile(timings, 0.95)
        rows.append(
            {
                "page": name,
                "n": len(timings),
                "p50_ms": round(percentile(timings, 0.5), 1),
                "p95_ms": round(p95, 1),
                "max_ms": round(max(timings, default=0.0), 1),
                "over_goal": p95 > GOAL_MS,
                "non_200": errors or None,
                "slowest": slowest[0],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite store (read only)")
    parser.add_argument("--requests", type=int, default=50, help="requests per page type")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON result here")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"no store at {args.db} (benchmarks/bench_store.py build makes one)", file=sys.stderr)
        return 2
    paths = sample_paths(args.db, args.requests, args.seed)
    port = args.port or _free_port()
    server = start_server(args.db, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            wait_ready(client, server)
            for group in paths.values():  # one request of each kind first: imports, caches
                client.get(group[0])
            rows = measure(client, paths)
    finally:
        stop_server(server)
    size = store_size(args.db)
    result = {
        "bench": "web",
        "db": str(args.db),
        "size": size,
        "requests_per_page": args.requests,
        "seed": args.seed,
        "goal_p95_ms": GOAL_MS,
        "rows": rows,
        "at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{size['articles']:,} articles, {size['quotes']:,} quotes; {args.requests} requests per row")
        print(f"{'page':<30}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  non-200")
        for row in rows:
            mark = "  OVER 1 s" if row["over_goal"] else ""
            print(
                f"{row['page']:<30}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}  "
                f"{row['non_200'] or ''}{mark}"
            )
    return 1 if any(r["non_200"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
