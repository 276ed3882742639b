"""Batch extraction at archive scale: inputs split into shards, shards run by an engine.

The plan (which articles go into which shard) and the work on one shard are
the same for every engine; an engine only decides where shards run: worker
processes on this machine (`local`) or actors on a Ray cluster (`ray`).
Each shard becomes one Parquet file of `newsgraph.article/1` records, and a
manifest records what ran, what failed and which shards are complete.
"""

from newsgraph.batch.job import Job, JobSummary, run_job

__all__ = ["Job", "JobSummary", "run_job"]
