"""The job both engines run: plan shards, skip complete ones, run the rest, keep the manifest.

`ShardRunner` is the one code path below the engines: it loads the pipeline
once, and for each shard reads its articles, extracts them, writes the
shard file and reports the failures. Engines only decide where runners live.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from newsgraph.batch.inputs import ShardSpec, pack, units_of
from newsgraph.batch.manifest import Manifest, ShardResult
from newsgraph.batch.shards import Output, to_table
from newsgraph.read import Columns, ReadFailure, read_file
from newsgraph.record import EXTRACTOR_VERSION

Engine = Literal["local", "ray"]

# Rewriting the manifest after every shard would cost O(shards^2) on big jobs;
# a killed job redoes at most this many seconds of finished shards.
_SAVE_EVERY_S = 2.0


@dataclass(frozen=True)
class Settings:
    """What every shard runner needs; plain data, so it pickles to worker processes and Ray actors."""

    out: str
    model: str | None = None
    date: str | None = None
    columns: Columns = field(default_factory=Columns)
    cwd: str = ""  # relative input paths are relative to the directory the job was started in

    def fingerprinted(self) -> dict[str, Any]:
        """The settings a shard's content depends on."""
        from newsgraph.nlp import model_name

        return {
            "extractor_version": EXTRACTOR_VERSION,
            "model": model_name(self.model),
            "date": self.date,
            "columns": asdict(self.columns),
        }


@dataclass(frozen=True)
class Job:
    inputs: list[str]
    out: str
    shard_size: int = 500
    model: str | None = None
    date: str | None = None
    columns: Columns = field(default_factory=Columns)

    def settings(self) -> Settings:
        out = self.out if "://" in self.out else os.path.abspath(self.out)
        return Settings(out, self.model, self.date, self.columns, os.getcwd())


class ShardRunner:
    """Runs shards with one loaded pipeline."""

    def __init__(self, settings: Settings) -> None:
        from newsgraph.extract import prepare
        from newsgraph.nlp import load_pipeline

        # A runner owns its process (a pool worker or a Ray actor), so it may
        # take the job's directory: relative inputs then mean the same file
        # they meant where the job was started.
        if settings.cwd and os.path.isdir(settings.cwd):
            os.chdir(settings.cwd)
        self.settings = settings
        self.nlp = prepare(load_pipeline(settings.model))
        self.output = Output(settings.out)

    def __call__(self, spec: ShardSpec) -> ShardResult:
        from newsgraph.extract import ExtractError, extract_many

        started = time.perf_counter()
        failures: list[dict[str, str]] = []
        articles = []
        for unit in spec.units:
            found_all = read_file(
                unit.path, date=self.settings.date, columns=self.settings.columns, items=unit.items
            )
            for found in found_all:
                if isinstance(found, ReadFailure):
                    failures.append({"path": found.path, "reason": found.reason})
                else:
                    articles.append(found)

        def on_error(error: ExtractError) -> None:
            failures.append({"path": error.article.path or error.article.id, "reason": error.reason})

        records = list(extract_many(articles, nlp=self.nlp, on_error=on_error))
        self.output.write_table(spec.file, to_table(records))
        return ShardResult(
            spec.name,
            spec.file,
            spec.fingerprint,
            [unit.to_dict() for unit in spec.units],
            len(records),
            failures,
            time.perf_counter() - started,
        )


@dataclass
class JobSummary:
    planned: int
    skipped: int  # complete from an earlier run
    ran: int
    articles: int  # written by this run
    failures: list[dict[str, str]]  # met by this run (input failures included)
    totals: dict[str, int]  # the whole output directory, earlier runs included
    seconds: float


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def plan(job: Job) -> tuple[list[ShardSpec], Manifest, Output]:
    """The job's shards, and its manifest holding the shards an earlier run already completed."""
    settings = job.settings()
    output = Output(settings.out)
    output.ensure()
    units, input_failures = units_of(job.inputs, job.shard_size)
    specs = pack(units, job.shard_size, settings.fingerprinted())
    previous = Manifest.load(output)
    present = output.names()
    manifest = Manifest(
        inputs=list(job.inputs),
        settings={**settings.fingerprinted(), "shard_size": job.shard_size},
        input_failures=[{"path": f.path, "reason": f.reason} for f in input_failures],
        planned=len(specs),
        runs=previous.runs if previous else [],
    )
    if previous is not None:
        for spec in specs:
            done = previous.shards.get(spec.name)
            if done is not None and done.fingerprint == spec.fingerprint and done.file in present:
                manifest.shards[spec.name] = done
    # Shard files of other plans (changed inputs or settings) and temporary
    # files of killed runs would otherwise linger beside the current shards.
    keep = set(manifest.complete_files())
    for name in present:
        if name.startswith("shard-") and name not in keep:
            output.delete(name)
    return specs, manifest, output


def run_job(
    job: Job,
    *,
    engine: Engine = "local",
    workers: int = 1,
    address: str | None = None,
    on_shard: Callable[[ShardResult], None] | None = None,
) -> JobSummary:
    """Run the job's incomplete shards on the engine and keep the manifest up to date."""
    started = time.perf_counter()
    specs, manifest, output = plan(job)
    todo = [spec for spec in specs if spec.name not in manifest.shards]
    manifest.save(output)
    failures = list(manifest.input_failures)
    articles = 0
    ran = 0
    run_entry = {"engine": engine, "workers": workers, "started_at": _now(), "shards_run": 0}
    manifest.runs.append(run_entry)
    last_save = time.monotonic()
    try:
        for result in _engine_results(engine, todo, job.settings(), workers, address):
            manifest.shards[result.name] = result
            ran += 1
            articles += result.articles
            failures.extend(result.failures)
            run_entry["shards_run"] = ran
            if on_shard is not None:
                on_shard(result)
            if time.monotonic() - last_save >= _SAVE_EVERY_S:
                manifest.save(output)
                last_save = time.monotonic()
    finally:
        run_entry["finished_at"] = _now()
        manifest.save(output)
    return JobSummary(
        planned=len(specs),
        skipped=len(specs) - len(todo),
        ran=ran,
        articles=articles,
        failures=failures,
        totals=manifest.totals(),
        seconds=time.perf_counter() - started,
    )


def _engine_results(
    engine: Engine, specs: list[ShardSpec], settings: Settings, workers: int, address: str | None
) -> Iterator[ShardResult]:
    if not specs:
        return iter(())
    if engine == "ray":
        from newsgraph.batch import ray_engine

        return ray_engine.run(specs, settings, workers=workers, address=address)
    from newsgraph.batch import local

    return local.run(specs, settings, workers=workers)
