"""Batch extraction at archive scale: inputs split into shards, shards run by an engine.

The plan (which articles go into which shard) and the work on one shard are
the same for every engine; an engine only decides where shards run: worker
processes on this machine (`local`) or actors on a Ray cluster (`ray`).
Each shard becomes one Parquet file of `newsgraph.article/1` records, and a
manifest records what ran, what failed and which shards are complete.

`inputs` plans units and shards, `runner` runs one shard, `local` and
`ray_engine` are the engines, `shards` and `manifest` the output, and `job`
ties them together with the `ENGINES` registry.
"""

from newsgraph.batch.job import ENGINES, Job, JobSummary, run_job

__all__ = ["ENGINES", "Job", "JobSummary", "run_job"]
