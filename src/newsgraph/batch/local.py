"""The local engine: shard runners in this process or in worker processes on this machine."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

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
    """Results in completion order; each worker loads the pipeline once.

    The workers are an executor's, not a multiprocessing.Pool's: a Pool's are
    daemonic and may not start the child each runner extracts in.
    """
    global _runner
    if workers <= 1 or len(specs) <= 1:
        runner = ShardRunner(settings)
        for spec in specs:
            yield runner(spec)
        return
    context = pool_context()
    if context.get_start_method() == "fork":
        _runner = ShardRunner(settings)
    executor = ProcessPoolExecutor(
        min(workers, len(specs)), mp_context=context, initializer=_init, initargs=(settings,)
    )
    try:
        futures = [executor.submit(_run, spec) for spec in specs]
        for future in as_completed(futures):
            yield future.result()
    finally:
        executor.shutdown(cancel_futures=True)
        _runner = None
