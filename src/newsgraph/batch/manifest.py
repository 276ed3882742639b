"""The job's manifest: what was asked, which shards are complete, what failed.

It is rewritten whole, under a temporary name moved into place, so a job
killed at any moment leaves either the previous manifest or the new one.
A shard counts as complete only once its Parquet file is in place and the
manifest names that file with the shard's current fingerprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from newsgraph.batch.shards import Output
from newsgraph.dates import utc_now_text

NAME = "manifest.json"
FORMAT = "newsgraph.batch/1"


@dataclass
class ShardResult:
    """One shard's outcome, as an engine hands it back."""

    name: str
    file: str
    fingerprint: str
    units: list[dict[str, Any]]
    articles: int
    failures: list[dict[str, str]]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "fingerprint": self.fingerprint,
            "units": self.units,
            "articles": self.articles,
            "failures": self.failures,
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> ShardResult:
        return cls(
            name,
            data["file"],
            data["fingerprint"],
            data["units"],
            int(data["articles"]),
            list(data["failures"]),
            float(data["seconds"]),
        )


@dataclass
class Manifest:
    inputs: list[str]
    settings: dict[str, Any]
    shards: dict[str, ShardResult] = field(default_factory=dict)
    input_failures: list[dict[str, str]] = field(default_factory=list)
    planned: int = 0
    runs: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, output: Output) -> Manifest | None:
        raw = output.read_bytes(NAME)
        if raw is None:
            return None
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError(f"{output.path(NAME)} is not a {FORMAT} manifest")
        shards = {name: ShardResult.from_dict(name, entry) for name, entry in data["shards"].items()}
        return cls(
            data["inputs"],
            data["settings"],
            shards,
            data.get("input_failures", []),
            int(data.get("planned", 0)),
            data.get("runs", []),
        )

    def totals(self) -> dict[str, int]:
        return {
            "shards_planned": self.planned,
            "shards_complete": len(self.shards),
            "articles": sum(shard.articles for shard in self.shards.values()),
            "failures": sum(len(shard.failures) for shard in self.shards.values()) + len(self.input_failures),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "inputs": self.inputs,
            "settings": self.settings,
            "planned": self.planned,
            "totals": self.totals(),
            "input_failures": self.input_failures,
            "runs": self.runs,
            "shards": {name: self.shards[name].to_dict() for name in sorted(self.shards)},
            "updated_at": utc_now_text(),
        }

    def save(self, output: Output) -> None:
        data = json.dumps(self.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
        output.write_bytes(NAME, data)

    def complete_files(self) -> list[str]:
        """The shard files of complete shards, in shard order."""
        return [self.shards[name].file for name in sorted(self.shards)]
