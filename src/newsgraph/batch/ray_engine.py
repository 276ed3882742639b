"""The Ray engine: Ray Data runs shards in actors that each load the pipeline once.

The shard specs form a Dataset of one row per block; `map_batches` hands
them one at a time to a pool of `ExtractActor`s. An actor whose process dies
is restarted and its shard retried; shard files are written whole under a
deterministic name, so a retried shard replaces, never duplicates, records.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from newsgraph.batch.inputs import ShardSpec
from newsgraph.batch.manifest import ShardResult
from newsgraph.batch.runner import Settings, ShardRunner


class ExtractActor:
    """A Ray Data callable class: one pipeline per actor, one shard per call."""

    def __init__(self, settings: Settings) -> None:
        self.runner = ShardRunner(settings)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        results = []
        for text in batch["spec"]:
            result = self.runner(ShardSpec.from_json(str(text)))
            results.append(json.dumps(asdict(result), ensure_ascii=False))
        return {"result": results}


def connect(address: str | None, workers: int) -> None:
    """Join the cluster at `address` (`auto`, HOST:PORT, ray://...) or start a private one here."""
    import ray

    # No usage reports: the job must not reach the network on its own.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():
        return
    common: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
    if address:
        _check_reachable(address)
        _use_token_like_ray_start()
        ray.init(address=address, **common)
    else:
        ray.init(num_cpus=workers, include_dashboard=False, **common)


def _check_reachable(address: str) -> None:
    """Fail fast on a HOST:PORT nobody listens on: ray.init would retry for minutes."""
    host, sep, port = address.rpartition(":")
    if address == "auto" or "://" in address or not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as exc:
        raise ConnectionError(f"no Ray cluster answers at {address}: {exc}") from None


def _use_token_like_ray_start() -> None:
    """Authenticate as `ray start` does.

    `ray start` turns token authentication on when a token exists (such as
    the ~/.ray/auth_token a first private `ray.init()` writes), but
    `ray.init(address=...)` does not (Ray 2.60), so without this a driver
    cannot join a cluster started on the same machine after that.
    """
    try:
        from ray._private.authentication.authentication_token_setup import (
            maybe_enable_token_auth_if_token_available,
        )
    except ImportError:  # a Ray without token authentication
        return
    maybe_enable_token_auth_if_token_available(warn_if_disabled=False)


def run(
    specs: list[ShardSpec], settings: Settings, *, workers: int = 1, address: str | None = None
) -> Iterator[ShardResult]:
    """Results in completion order, as the cluster finishes shards."""
    import ray
    import ray.data

    connect(address, workers)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        items = [{"spec": spec.to_json()} for spec in specs]
        dataset = ray.data.from_items(items, override_num_blocks=len(items))
        results = dataset.map_batches(
            ExtractActor,
            fn_constructor_args=(settings,),
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=max(1, min(workers, len(specs)))),
            # Ray Data's defaults restart a dead actor and retry its task
            # (max_restarts and max_task_retries of -1), which is what a killed
            # worker needs: the shard runs again on a fresh actor.
            num_cpus=1,
        )
        for row in results.iter_rows():
            yield ShardResult(**json.loads(row["result"]))
    finally:
        ray.shutdown()
