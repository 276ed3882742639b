"""Speed and memory of the store: ingest throughput, query latency at scale, ingest memory.

  .venv/bin/python benchmarks/bench_store.py prepare    [--limit N] [--corpus NAME ...] [--out DIR]
  .venv/bin/python benchmarks/bench_store.py throughput [--limit N] [--workers 1 2] [--repeat R]
  .venv/bin/python benchmarks/bench_store.py build      [--target 200000]
  .venv/bin/python benchmarks/bench_store.py latency    [--seed S]
  .venv/bin/python benchmarks/bench_store.py memory     [--sizes 1000 20000]
  (every step takes --out DIR, default benchmarks/out, and --json)

* prepare:    extract the shared corpora once (BBC, TE3 silver, PolNeAR train, Reuters-21578)
              into gzipped record files `DIR/records/<corpus>.jsonl.gz`.
* throughput: `extract_many` alone against `newsgraph.ingest.load` into a fresh SQLite
              file, on the BBC corpus at equal workers. Goal: the store adds at most 15%.
* build:      replay the prepared records (copy k: id `<id>~r<k>`, dates shifted k*7 days)
              into one SQLite store, `DIR/bench.db`, until it holds --target articles.
* latency:    p50/p95/max of `quotes --speaker`, `quotes --search` and `who` on that store.
              Goal: p95 under 100 ms each.
* memory:     peak RSS of a subprocess ingesting N replayed records, for each N. Goal: flat.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import html
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.article import Article

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
THROUGHPUT_GOAL = 1.15  # load may take at most 15% longer than extract_many alone
LATENCY_GOAL_MS = 100.0
CORPORA = ("bbc", "te3", "polnear", "reuters")


# --------------------------------------------------------------------------- data


def data_root() -> Path:
    if env := os.environ.get("NEWSGRAPH_DATA"):
        return Path(env)
    repo = HERE.parent
    for candidate in (repo.parent / "shared" / "data", repo / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return repo.parent / "shared" / "data"


def _read(spec: str, limit: int | None) -> Iterator[Article]:
    from newsgraph.read import read_inputs

    count = 0
    for item in read_inputs([spec]):
        if limit is not None and count >= limit:
            return
        # Failures (sport/199.txt is not UTF-8) and README files are skipped.
        if isinstance(item, Article) and not (item.path and Path(item.path).stem.upper() == "README"):
            count += 1
            yield item


_POLNEAR_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


def _polnear(root: Path, limit: int | None) -> Iterator[Article]:
    for article in _read(str(root / "polnear" / "data" / "train" / "text"), limit):
        # the file names carry the publication date: breitbart_2015-11-11_...
        found = _POLNEAR_DATE.search(Path(article.path or "").name)
        if found and not article.date:
            article = Article(
                text=article.text,
                id=article.id,
                path=article.path,
                date=found.group(1),
                title=article.title,
                source=article.source,
                url=article.url,
                meta=article.meta,
            )
        yield article


_REUTERS = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("DATE", "TITLE", "BODY")}
_NEWID = re.compile(r'NEWID="(\d+)"')


def reuters_articles(root: Path, limit: int | None = None) -> Iterator[Article]:
    """Reuters-21578 wires with a BODY, from the SGML files (Latin-1)."""
    count = 0
    seen: set[str] = set()
    for path in sorted((root / "reuters21578").glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        for block in _REUTERS.finditer(raw):
            if limit is not None and count >= limit:
                return
            attrs, inner = block.group(1), block.group(2)
            body = _FIELD["BODY"].search(inner)
            if not body:
                continue
            text = html.unescape(body.group(1))
            text = re.sub(r"[\x00-\x08\x0b-\x1f]", "", text)
            text = re.sub(r"\s*Reuter\s*$", "", text.strip()).strip()
            if not text or text in seen:
                continue
            seen.add(text)
            date = None
            if found := _FIELD["DATE"].search(inner):
                try:
                    date = dt.datetime.strptime(found.group(1).strip()[:11], "%d-%b-%Y").date().isoformat()
                except ValueError:
                    date = None
            title = _FIELD["TITLE"].search(inner)
            newid = _NEWID.search(attrs)
            count += 1
            yield Article(
                text=text,
                id=f"reuters-{newid.group(1)}" if newid else "",
                path=f"{path}#{newid.group(1) if newid else count}",
                date=date,
                title=html.unescape(title.group(1)).strip() if title else None,
                source="Reuters",
            )


def corpus_articles(name: str, limit: int | None = None) -> Iterator[Article]:
    root = data_root()
    if name == "bbc":
        return _read(str(root / "bbc"), limit)
    if name == "te3":
        return _read(str(root / "tempeval3" / "silver" / "*.tml"), limit)
    if name == "polnear":
        return _polnear(root, limit)
    if name == "reuters":
        return reuters_articles(root, limit)
    raise ValueError(f"unknown corpus {name!r}")


# --------------------------------------------------------------------------- records


def records_dir(out: Path) -> Path:
    return out / "records"


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Records from a gzipped JSONL file; a file cut short (prepare killed) yields what it holds."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
    except (EOFError, gzip.BadGzipFile):
        return


def record_files(out: Path, corpora: Iterable[str] | None = None) -> list[Path]:
    names = corpora or CORPORA
    return [p for name in names if (p := records_dir(out) / f"{name}.jsonl.gz").is_file()]


def _shift(value: str | None, days: int) -> str | None:
    if not value or days == 0:
        return value
    try:
        return (dt.date.fromisoformat(value[:10]) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return value


def replica(record: dict[str, Any], k: int) -> dict[str, Any]:
    """Copy k of a record: its own article id, every date k weeks later."""
    if k == 0:
        return record
    days = 7 * k
    article = dict(record["article"], id=f"{record['article']['id']}~r{k}")
    article["date"] = _shift(article.get("date"), days)
    roles = [dict(role, as_of=_shift(role.get("as_of"), days)) for role in record["roles"]]
    return dict(record, article=article, roles=roles)


def replayed(
    out: Path, count: int, start: int = 0, corpora: Iterable[str] | None = None
) -> Iterator[dict[str, Any]]:
    """`count` records: round k replays every prepared record as copy k, from global index `start`."""
    files = record_files(out, corpora)
    if not files:
        raise SystemExit(f"no record files under {records_dir(out)}: run `prepare` first")
    index = 0
    k = 0
    while True:
        produced = False
        for path in files:
            for record in read_records(path):
                produced = True
                if index >= start + count:
                    return
                if index >= start:
                    yield replica(record, k)
                index += 1
        if not produced:
            return
        k += 1


# --------------------------------------------------------------------------- prepare


def cmd_prepare(args: argparse.Namespace) -> dict[str, Any]:
    from newsgraph.extract import ExtractError, extract_many

    target = records_dir(args.out)
    target.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.corpus or CORPORA:
        path = target / f"{name}.jsonl.gz"
        partial = path.with_suffix(".partial")
        failures: list[str] = []

        def on_error(error: ExtractError, failures: list[str] = failures) -> None:
            failures.append(f"{error.article.path}: {error.reason}")

        start = time.perf_counter()
        n = 0
        with gzip.open(partial, "wt", encoding="utf-8", compresslevel=5) as handle:
            for record in extract_many(
                corpus_articles(name, args.limit), workers=args.workers[-1], on_error=on_error
            ):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
                if n % 500 == 0:
                    handle.flush()  # a full flush: a killed run leaves a readable prefix
                    print(
                        f"  {name}: {n} records, {n / (time.perf_counter() - start):.1f}/s", file=sys.stderr
                    )
        partial.replace(path)
        seconds = time.perf_counter() - start
        rows.append(
            {
                "corpus": name,
                "records": n,
                "failed": len(failures),
                "seconds": round(seconds, 1),
                "articles_per_s": round(n / seconds, 2) if seconds else 0.0,
                "file_mb": round(path.stat().st_size / 1e6, 2),
            }
        )
        print(_table([rows[-1]]), file=sys.stderr)
    return {"step": "prepare", "workers": args.workers[-1], "rows": rows}


# --------------------------------------------------------------------------- throughput


def _fresh_store(path: Path) -> Any:
    from newsgraph.store import open_store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return open_store(str(path))


def cmd_throughput(args: argparse.Namespace) -> dict[str, Any]:
    from newsgraph.errors import Failure
    from newsgraph.extract import extract_many
    from newsgraph.ingest import load
    from newsgraph.nlp import load_pipeline
    from newsgraph.read import read_inputs
    from newsgraph.store.write import write_records

    bbc = data_root() / "bbc"
    if args.limit is not None:
        # load() takes paths: give both modes the same first N files
        files = sorted(str(p) for p in bbc.rglob("*.txt") if p.stem.upper() != "README")[: args.limit]
    else:
        files = [str(bbc)]

    def articles() -> Iterator[Article]:
        # read inside the clock, as load() does; a text seen before (same content-hash id)
        # is dropped, as load() skips it as already stored, so both extract the same articles
        seen: set[str] = set()
        for item in read_inputs(files):
            if not isinstance(item, Failure) and item.id not in seen:
                seen.add(item.id)
                yield item

    load_pipeline(None)
    for _ in extract_many(list(articles())[:4], workers=1):
        pass  # one-off costs out of both clocks
    db = args.out / "throughput.db"
    rows: list[dict[str, Any]] = []
    for w in args.workers:
        ext_s = load_s = write_s = float("inf")
        ext_n = load_n = write_n = 0
        for _ in range(args.repeat):
            records: list[Any] = []
            start = time.perf_counter()
            records.extend(extract_many(articles(), workers=w, on_error=lambda e: None))
            ext_s = min(ext_s, time.perf_counter() - start)
            ext_n = len(records)
            # the store's work alone: the same records written in this process, load()'s batch size
            store = _fresh_store(db)
            start = time.perf_counter()
            write_n = write_records(store, records, command="bench throughput", batch_size=50).added
            write_s = min(write_s, time.perf_counter() - start)
            store.close()
            del records
            store = _fresh_store(db)
            start = time.perf_counter()
            summary = load(store, files, workers=w)
            load_s = min(load_s, time.perf_counter() - start)
            load_n = summary.added
            store.close()
        ext_rate, load_rate = ext_n / ext_s, load_n / load_s
        rows.append(_rate_row("extract_many", w, ext_n, ext_s, ext_rate, None))
        rows.append(
            _rate_row("write_records only", w, write_n, write_s, write_n / write_s, (ext_s + write_s) / ext_s)
        )
        rows.append(_rate_row("load (SQLite)", w, load_n, load_s, load_rate, ext_rate / load_rate))
    return {
        "step": "throughput",
        "data": str(bbc),
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "goal": f"slowdown <= {THROUGHPUT_GOAL}",
        "slowdown": "load: extract rate / load rate; write_records only: (extract + write) / extract seconds",
        "rows": rows,
    }


def _rate_row(mode: str, w: int, n: int, s: float, rate: float, ratio: float | None) -> dict[str, Any]:
    return {
        "mode": mode,
        "workers": w,
        "articles": n,
        "seconds": round(s, 1),
        "articles_per_s": round(rate, 2),
        "slowdown": round(ratio, 3) if ratio is not None else None,
    }


# --------------------------------------------------------------------------- build


def store_size(store: Any, path: Path | None) -> dict[str, Any]:
    from sqlalchemy import func, select

    from newsgraph.store import schema as t

    with store.engine.connect() as conn:
        size = {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (t.articles, t.quote_occurrences, t.quotes, t.entities, t.roles, t.mentions)
        }
    if path is not None:
        size["db_mb"] = round(
            sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()) / 1e6,
            1,
        )
    return size


def distinct_records(out: Path) -> int:
    return sum(1 for path in record_files(out) for _ in read_records(path))


_CLONE = {
    # copy k of copy 0, in SQL: the rows write_record would write for replica(record, k),
    # except fact keys (suffixed, not re-hashed) and resolution (copy 0's entity ids reused)
    "articles": (
        "INSERT INTO articles (id, content_hash, path, date, title, source, url, text, meta,"
        " extractor_version, model, run_id, ingested_at)"
        " SELECT id || :suffix, content_hash, path, date(date, :shift), title, source, url, text, meta,"
        " extractor_version, model, :run_id, ingested_at FROM articles WHERE id NOT LIKE '%~r%'"
    ),
    "mentions": (
        'INSERT INTO mentions (article_id, entity_id, local_id, start, "end", text, kind)'
        ' SELECT article_id || :suffix, entity_id, local_id, start, "end", text, kind'
        " FROM mentions WHERE article_id NOT LIKE '%~r%'"
    ),
    "roles": (
        "INSERT INTO roles (fact_key, article_id, person_id, title, title_key, org, org_key, org_entity_id,"
        ' modifier, as_of, inferred, start, "end", evidence, extractor_version)'
        " SELECT fact_key || :suffix, article_id || :suffix, person_id, title, title_key, org, org_key,"
        ' org_entity_id, modifier, date(as_of, :shift), inferred, start, "end", evidence, extractor_version'
        " FROM roles WHERE article_id NOT LIKE '%~r%'"
    ),
    "quote_occurrences": (
        'INSERT INTO quote_occurrences (fact_key, quote_id, article_id, date, type, start, "end", cue_start,'
        " cue_end, cue, speaker_id, speaker_mention_start, speaker_mention_end, speaker_mention, speaker_title,"
        " confidence, extractor_version)"
        ' SELECT fact_key || :suffix, quote_id, article_id || :suffix, date(date, :shift), type, start, "end",'
        " cue_start, cue_end, cue, speaker_id, speaker_mention_start, speaker_mention_end, speaker_mention,"
        " speaker_title, confidence, extractor_version FROM quote_occurrences WHERE article_id NOT LIKE '%~r%'"
    ),
    "times": (
        'INSERT INTO times (article_id, start, "end", text, type, value, day)'
        ' SELECT article_id || :suffix, start, "end", text, type, value, day'
        " FROM times WHERE article_id NOT LIKE '%~r%'"
    ),
    "credits": (
        'INSERT INTO credits (article_id, kind, name, agency, start, "end")'
        ' SELECT article_id || :suffix, kind, name, agency, start, "end"'
        " FROM credits WHERE article_id NOT LIKE '%~r%'"
    ),
}


def clone_round(store: Any, k: int, run_id: int) -> None:
    """Copy k of every copy-0 article and its facts, in one transaction."""
    from sqlalchemy import text

    params = {"suffix": f"~r{k}", "shift": f"+{7 * k} days", "run_id": run_id}
    with store.engine.begin() as conn:
        for statement in _CLONE.values():
            conn.execute(text(statement), params)


def cmd_build(args: argparse.Namespace) -> dict[str, Any]:
    from sqlalchemy import func, select

    from newsgraph.store import open_store
    from newsgraph.store import schema as t
    from newsgraph.store.write import start_run, write_records

    db = args.out / "bench.db"
    store = open_store(str(db))
    if store.dialect != "sqlite" and args.replay is not None:
        raise SystemExit("the SQL clone phase is SQLite only: use --replay-all")

    def count() -> int:
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.articles)).scalar_one())

    distinct = distinct_records(args.out)
    have = count()
    replay_to = args.target if args.replay is None else min(args.target, max(args.replay, distinct))
    print(f"store {db} holds {have:,} articles; {distinct:,} distinct records", file=sys.stderr)
    start = time.perf_counter()
    last = [start]

    def progress(summary: Any) -> None:
        now = time.perf_counter()
        if now - last[0] >= 30:
            last[0] = now
            print(
                f"  {have + summary.added:,} articles, {summary.added / (now - start):.0f}/s", file=sys.stderr
            )

    # Phase 1, write_records: replaying from `have` continues an interrupted build (ids are deterministic).
    summary = write_records(
        store,
        replayed(args.out, max(0, replay_to - have), start=have),
        command="bench build",
        batch_size=500,
        on_progress=progress,
    )
    replay_s = time.perf_counter() - start
    # Phase 2, SQL: whole further copies of copy 0 until the target is reached.
    clone_start = time.perf_counter()
    rounds = 0
    have = count()
    if have < args.target:
        run_id = start_run(store, "bench build (clone)")
        k = -(-have // distinct)  # the first copy number not yet written
        while have < args.target:
            clone_round(store, k, run_id)
            rounds += 1
            k += 1
            have = count()
            print(
                f"  clone round {k - 1}: {have:,} articles, {time.perf_counter() - clone_start:.0f}s",
                file=sys.stderr,
            )
    clone_s = time.perf_counter() - clone_start
    size = store_size(store, db)
    store.close()
    return {
        "step": "build",
        "db": str(db),
        "distinct_records": distinct,
        "write_records": {
            "added": summary.added,
            "failed": summary.failed,
            "seconds": round(replay_s, 1),
            "articles_per_s": round(summary.added / replay_s, 1) if replay_s else 0.0,
        },
        "sql_clone": {"rounds": rounds, "seconds": round(clone_s, 1)},
        "size": size,
    }


# --------------------------------------------------------------------------- latency


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[rank]


def sample_queries(store: Any, seed: int) -> dict[str, list[Any]]:
    from sqlalchemy import func, select

    from newsgraph.store import schema as t

    rng = random.Random(seed)
    with store.engine.connect() as conn:
        counted = (
            select(t.entities.c.id, func.count().label("n"))
            .join(t.quote_occurrences, t.quote_occurrences.c.speaker_id == t.entities.c.id)
            .where(t.entities.c.type == "PERSON")
            .group_by(t.entities.c.id)
            .order_by(func.count().desc())
        )
        ranked = [row.id for row in conn.execute(counted)]
        people = [
            row.id for row in conn.execute(select(t.entities.c.id).where(t.entities.c.type == "PERSON"))
        ]
        texts = [row.text for row in conn.execute(select(t.quotes.c.text).limit(20000))]
        titles = sorted({row.title for row in conn.execute(select(t.roles.c.title).distinct().limit(5000))})
        days = conn.execute(select(func.min(t.roles.c.as_of), func.max(t.roles.c.as_of))).one()
    speakers = ranked[:50]
    speakers += rng.sample(people, min(len(people), 100 - len(speakers)))
    phrases: list[str] = []
    for text in rng.sample(texts, min(len(texts), 2000)):
        words = re.findall(r"[A-Za-z']+", text)
        if len(words) >= 3:
            n = rng.choice((2, 3))
            i = rng.randrange(len(words) - n + 1)
            phrases.append(" ".join(words[i : i + n]))
        if len(phrases) >= 100:
            break
    titles = rng.sample(titles, min(len(titles), 50))
    lo, hi = days if days[0] else (dt.date(2000, 1, 1), dt.date(2000, 1, 1))
    span = max(1, (hi - lo).days)
    ons = [lo + dt.timedelta(days=rng.randrange(span)) for _ in titles]
    return {"speaker": speakers, "search": phrases, "who": list(zip(titles, ons, strict=True))}


def query_functions(store: Any) -> tuple[str, dict[str, Any]]:
    """The three queries, through newsgraph.query as the CLI and the web run them."""
    from newsgraph import query as q

    return "newsgraph.query", {
        # speakers are sampled as ids: a name several people share is (rightly) ambiguous
        "quotes --speaker": lambda speaker_id: q.quotes(store, speaker=speaker_id, limit=20),
        "quotes --search": lambda phrase: q.quotes(store, search=phrase, limit=20),
        "who": lambda arg: q.who(store, arg[0], on=arg[1]),
    }


def _code_version() -> str:
    """The commit measured, and whether the query and store modules differ from it."""
    repo = HERE.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(repo),
                "status",
                "--porcelain",
                "--",
                "src/newsgraph/query.py",
                "src/newsgraph/store",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (f" (uncommitted: {' '.join(d for d in dirty if '/' in d)})" if dirty else "")


def _answer_size(result: Any) -> int:
    if hasattr(result, "holders"):
        return len(result.holders)
    return len(result)


def cmd_latency(args: argparse.Namespace) -> dict[str, Any]:
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from newsgraph.store import open_store

    db = args.out / "bench.db"
    if not db.exists():
        raise SystemExit(f"no store at {db}: run `build` first")
    store = open_store(str(db))
    size = store_size(store, db)
    samples = sample_queries(store, args.seed)
    # A query still running --cap-ms after it started is interrupted (SQLite progress handler).
    deadline = [float("inf")]
    store.engine.dispose()

    def install(dbapi_connection: Any, _record: Any) -> None:
        handler = lambda: int(time.perf_counter() > deadline[0])  # noqa: E731
        dbapi_connection.set_progress_handler(handler, 10_000)

    event.listen(store.engine, "connect", install)
    source, functions = query_functions(store)
    kinds = {"quotes --speaker": "speaker", "quotes --search": "search", "who": "who"}
    rows = []
    for kind, fn in functions.items():
        inputs = samples[kinds[kind]]
        with contextlib.suppress(LookupError):
            fn(inputs[0])  # warm the statement cache and the page cache
        timings, hits = [], 0
        began = time.perf_counter()
        errors: dict[str, int] = {}
        slowest: tuple[float, Any] = (0.0, None)
        for value in inputs:
            start = time.perf_counter()
            deadline[0] = start + args.cap_ms / 1000
            try:
                result = fn(value)
            except LookupError as exc:  # NotFound / Ambiguous are answers too
                result = []
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            except OperationalError as exc:
                if "interrupted" not in str(exc):
                    raise
                result = []  # stopped by the --cap-ms deadline: counts as cap-ms, a lower bound
                errors["timeout"] = errors.get("timeout", 0) + 1
            deadline[0] = float("inf")
            ms = (time.perf_counter() - start) * 1000
            timings.append(ms)
            hits += _answer_size(result) > 0
            slowest = max(slowest, (ms, value), key=lambda p: p[0])
            if len(timings) % 10 == 0:
                print(f"  {kind}: {len(timings)} done, last {ms:.0f} ms", file=sys.stderr)
            if time.perf_counter() - began > args.budget:
                print(
                    f"  {kind}: stopped after {len(timings)} queries (--budget {args.budget}s)",
                    file=sys.stderr,
                )
                break
        rows.append(
            {
                "query": kind,
                "n": len(timings),
                "of": len(inputs),
                "with_results": hits,
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(percentile(timings, 0.95), 2),
                "max_ms": round(max(timings), 2),
                "errors": errors or None,
                "slowest_input": str(slowest[1]),
            }
        )
    store.close()
    return {
        "step": "latency",
        "queries": source,
        "code": _code_version(),
        "goal_p95_ms": LATENCY_GOAL_MS,
        "cap_ms": args.cap_ms,
        "size": size,
        "rows": rows,
    }


# --------------------------------------------------------------------------- memory


def _ingest_child(args: argparse.Namespace) -> dict[str, Any]:
    """Run in a subprocess by `memory`: ingest N replayed records into a fresh store."""
    from newsgraph.store.write import write_records

    store = _fresh_store(args.out / f"memory-{args.limit}.db")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    summary = write_records(
        store, replayed(args.out, args.limit, corpora=args.corpus), command="bench memory", batch_size=500
    )
    seconds = time.perf_counter() - start
    store.close()
    return {
        "articles": summary.added,
        "seconds": round(seconds, 1),
        "rss_before_ingest_mb": round(baseline / 1024, 1),
    }


def cmd_memory(args: argparse.Namespace) -> dict[str, Any]:
    rows = []
    for n in args.sizes:
        command = [sys.executable, __file__, "_ingest", "--limit", str(n), "--out", str(args.out)]
        if args.corpus:
            command += ["--corpus", *args.corpus]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"ingest of {n} failed:\n{done.stderr}")
        # each child is waited for before the next starts, so the children's max so far
        # is this child's peak as long as peaks grow; read it per child from its own report too
        child = json.loads(done.stdout.strip().splitlines()[-1])
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows.append(
            dict(
                child,
                limit=n,
                max_rss_mb=round(child["max_rss_kb"] / 1024, 1),
                children_max_rss_mb=round(peak_kb / 1024, 1),
            )
        )
        (args.out / f"memory-{n}.db").unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{args.out / f'memory-{n}.db'}{suffix}").unlink(missing_ok=True)
    ratio = rows[-1]["max_rss_mb"] / rows[0]["max_rss_mb"] if len(rows) > 1 else None
    return {"step": "memory", "rows": rows, "ratio_last_first": round(ratio, 3) if ratio else None}


# --------------------------------------------------------------------------- output


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no rows)"
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "|".join("---" for _ in keys) + "|"]
    for row in rows:
        lines.append("| " + " | ".join("" if row.get(k) is None else f"{row.get(k)}" for k in keys) + " |")
    return "\n".join(lines)


def report(result: dict[str, Any]) -> str:
    lines = [f"## {result['step']}"]
    for key, value in result.items():
        if key not in ("step", "rows"):
            lines.append(f"{key}: {json.dumps(value) if isinstance(value, dict) else value}")
    if "rows" in result:
        lines.append(_table(result["rows"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("step", choices=("prepare", "throughput", "build", "latency", "memory", "_ingest"))
    parser.add_argument(
        "--limit", type=int, default=None, help="articles per corpus (prepare, throughput, _ingest)"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (records, stores, results)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument(
        "--corpus", nargs="+", choices=CORPORA, help="prepare (memory: replay) only these corpora"
    )
    parser.add_argument(
        "--workers", type=int, nargs="+", default=None, help="default: prepare 2, throughput 1"
    )
    parser.add_argument("--repeat", type=int, default=1, help="throughput: runs per mode, the best counts")
    parser.add_argument("--target", type=int, default=200_000, help="build: articles in the store")
    parser.add_argument(
        "--replay",
        type=int,
        default=0,
        help="build: articles written through write_records (at least copy 0); the rest are SQL clones",
    )
    parser.add_argument(
        "--replay-all", dest="replay", action="store_const", const=None, help="build: write_records only"
    )
    parser.add_argument("--seed", type=int, default=0, help="latency: sampling seed")
    parser.add_argument(
        "--cap-ms", type=float, default=10_000.0, help="latency: interrupt a query after this long"
    )
    parser.add_argument(
        "--budget", type=float, default=600.0, help="latency: seconds per query kind, then stop (n < of)"
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 20000], help="memory: articles per run"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.workers is None:
        args.workers = [2] if args.step == "prepare" else [1]
    args.repeat = max(1, args.repeat)

    if args.step == "_ingest":
        result = _ingest_child(args)
        result["max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(result))
        return 0
    steps = {
        "prepare": cmd_prepare,
        "throughput": cmd_throughput,
        "build": cmd_build,
        "latency": cmd_latency,
        "memory": cmd_memory,
    }
    result = steps[args.step](args)
    result["at"] = dt.datetime.now().isoformat(timespec="seconds")
    (args.out / f"{args.step}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
