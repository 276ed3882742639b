"""The local engine: shard runners in this process or in worker processes on this machine."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.batch.inputs import ShardSpec
from newsgraph.batch.manifest import ShardResult
from newsgraph.batch.runner import Settings, ShardRunner
from newsgraph.extract import pool_context

_runner: ShardRunner | None = None


def _init(settings: Settings) -> None:
    global _runner
    if _runner is None:  # not inherited from the parent through fork
        _runner = ShardRunner(settings)


def _run(spec: ShardSpec) -> ShardResult:
    assert _runner is not None, "pool worker without a runner"
    return _runner(spec)


def run(specs: list[ShardSpec], settings: Settings, *, workers: int = 1) -> Iterator[ShardResult]:
    """Results in completion order; each worker loads the pipeline once."""
    global _runner
    if workers <= 1 or len(specs) <= 1:
        runner = ShardRunner(settings)
        for spec in specs:
            yield runner(spec)
        return
    context = pool_context()
    if context.get_start_method() == "fork":
        _runner = ShardRunner(settings)
    try:
        with context.Pool(min(workers, len(specs)), initializer=_init, initargs=(settings,)) as pool:
            yield from pool.imap_unordered(_run, specs, chunksize=1)
    finally:
        _runner = None
