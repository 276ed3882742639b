"""The job every engine runs: plan shards, skip complete ones, run the rest, keep the manifest.

`ENGINES` names where shards run: worker processes on this machine
(`local`) or actors on a Ray cluster (`ray`). The Ray engine is imported
only when chosen, because it needs ray, an optional dependency.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from newsgraph.batch import local
from newsgraph.batch.inputs import ShardSpec, pack, units_of
from newsgraph.batch.manifest import Manifest, ShardResult
from newsgraph.batch.runner import Settings
from newsgraph.batch.shards import Output
from newsgraph.dates import utc_now_text
from newsgraph.read import Columns

# Rewriting the manifest after every shard would cost O(shards^2) on big jobs;
# a killed job redoes at most this many seconds of finished shards.
_SAVE_EVERY_S = 2.0

# specs, settings, workers, cluster address -> results in completion order
Engine = Callable[[list[ShardSpec], Settings, int, str | None], Iterator[ShardResult]]


def _run_local(
    specs: list[ShardSpec], settings: Settings, workers: int, address: str | None
) -> Iterator[ShardResult]:
    # No cluster to join: the command refuses --address without --engine ray.
    return local.run(specs, settings, workers=workers)


def _run_ray(
    specs: list[ShardSpec], settings: Settings, workers: int, address: str | None
) -> Iterator[ShardResult]:
    from newsgraph.batch.ray_engine import run

    return run(specs, settings, workers=workers, address=address)


ENGINES: dict[str, Engine] = {"local": _run_local, "ray": _run_ray}


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


@dataclass
class JobSummary:
    planned: int
    skipped: int  # complete from an earlier run
    ran: int
    articles: int  # written by this run
    failures: list[dict[str, str]]  # met by this run (input failures included)
    totals: dict[str, int]  # the whole output directory, earlier runs included
    seconds: float


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
    engine: str = "local",
    workers: int = 1,
    address: str | None = None,
    on_shard: Callable[[ShardResult], None] | None = None,
) -> JobSummary:
    """Run the job's incomplete shards on the engine (a name in `ENGINES`) and keep the manifest up to date."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    specs, manifest, output = plan(job)
    todo = [spec for spec in specs if spec.name not in manifest.shards]
    manifest.save(output)
    failures = list(manifest.input_failures)
    articles = 0
    ran = 0
    run_entry = {"engine": engine, "workers": workers, "started_at": utc_now_text(), "shards_run": 0}
    manifest.runs.append(run_entry)
    last_save = time.monotonic()
    try:
        # Nothing to run starts no engine (and imports no ray).
        results = ENGINES[engine](todo, job.settings(), workers, address) if todo else iter(())
        for result in results:
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
        run_entry["finished_at"] = utc_now_text()
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
