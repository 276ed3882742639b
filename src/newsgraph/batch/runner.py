"""The one code path below the engines: settings every runner needs, and the shard runner.

`ShardRunner` loads the pipeline once, and for each shard reads its
articles, extracts them, writes the shard file and reports the failures.
Engines only decide where runners live. Articles are extracted in a child
process with a time budget each (`article_seconds`): one stuck in spaCy's C
code becomes a failure of its shard, never a hung run.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from newsgraph.batch.inputs import ShardSpec
from newsgraph.batch.manifest import ShardResult
from newsgraph.batch.shards import Output, to_table
from newsgraph.errors import Failure
from newsgraph.extract import ExtractError, Extractor
from newsgraph.extract.budget import article_seconds
from newsgraph.nlp import load_pipeline, model_name
from newsgraph.read import Columns, read_file
from newsgraph.record import EXTRACTOR_VERSION


@dataclass(frozen=True)
class Settings:
    """What every shard runner needs; plain data, so it pickles to worker processes and Ray actors."""

    out: str
    model: str | None = None
    date: str | None = None
    columns: Columns = field(default_factory=Columns)
    cwd: str = ""  # relative input paths are relative to the directory the job was started in
    # Not in the fingerprint: no record depends on it, only which articles fail.
    article_seconds: float = field(default_factory=article_seconds)

    def fingerprinted(self) -> dict[str, Any]:
        """The settings a shard's content depends on."""
        return {
            "extractor_version": EXTRACTOR_VERSION,
            "model": model_name(self.model),
            "date": self.date,
            "columns": asdict(self.columns),
        }


class ShardRunner:
    """Runs shards with one loaded pipeline."""

    def __init__(self, settings: Settings) -> None:
        # A runner owns its process (a pool worker or a Ray actor), so it may
        # take the job's directory: relative inputs then mean the same file
        # they meant where the job was started.
        if settings.cwd and os.path.isdir(settings.cwd):
            os.chdir(settings.cwd)
        self.settings = settings
        # Loaded now, not on the first shard: a pipeline that cannot load fails the runner at once.
        self.extractor = Extractor(settings.model, nlp=load_pipeline(settings.model))
        self.output = Output(settings.out)

    def __call__(self, spec: ShardSpec) -> ShardResult:
        started = time.perf_counter()
        failures: list[dict[str, str]] = []
        articles = []
        for unit in spec.units:
            found_all = read_file(
                unit.path, date=self.settings.date, columns=self.settings.columns, items=unit.items
            )
            for found in found_all:
                if isinstance(found, Failure):
                    failures.append({"path": found.path, "reason": found.reason})
                else:
                    articles.append(found)

        def on_error(error: ExtractError) -> None:
            failures.append({"path": error.article.where(), "reason": error.reason})

        records = list(
            self.extractor.many(articles, on_error=on_error, seconds=self.settings.article_seconds)
        )
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
