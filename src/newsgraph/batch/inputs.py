"""Archive-scale inputs as work units, packed into deterministic shards.

A unit is one file, or a slice of the items of an archive file (JSONL lines,
Parquet rows, WARC records, SGML wires) when the file holds more than one
shard's worth. Units are packed in input order into shards of about
`shard_size` articles, so the same inputs always give the same shards,
whichever engine runs them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsgraph.errors import Failure
from newsgraph.read import input_files, item_count


@dataclass(frozen=True)
class Unit:
    path: str
    items: tuple[int, int] | None  # None: the whole file
    weight: int  # articles expected, for packing
    stamp: str  # size and modification time: a changed file makes its shard stale

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "items": list(self.items) if self.items else None, "stamp": self.stamp}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        items = data.get("items")
        weight = items[1] - items[0] if items else 1
        return cls(data["path"], (int(items[0]), int(items[1])) if items else None, weight, data["stamp"])


@dataclass(frozen=True)
class ShardSpec:
    index: int
    units: tuple[Unit, ...]
    fingerprint: str  # what the shard's content depends on: its units and the job's settings

    @property
    def name(self) -> str:
        return f"shard-{self.index:05d}"

    @property
    def file(self) -> str:
        return f"{self.name}-{self.fingerprint[:10]}.parquet"

    def to_json(self) -> str:
        units = [unit.to_dict() for unit in self.units]
        return json.dumps({"index": self.index, "units": units, "fingerprint": self.fingerprint})

    @classmethod
    def from_json(cls, text: str) -> ShardSpec:
        data = json.loads(text)
        units = tuple(Unit.from_dict(unit) for unit in data["units"])
        return cls(int(data["index"]), units, data["fingerprint"])


def _stamp(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return "missing"
    return f"{info.st_size}:{info.st_mtime_ns}"


def units_of(inputs: Iterable[str], shard_size: int) -> tuple[list[Unit], list[Failure]]:
    """Every input file as units in reading order, and the inputs that name no file."""
    units: list[Unit] = []
    failures: list[Failure] = []
    for found in input_files(inputs):
        if isinstance(found, Failure):
            failures.append(found)
            continue
        stamp = _stamp(found)
        count = item_count(found)
        if not count or count <= shard_size:
            units.append(Unit(found, None, count or 1, stamp))
            continue
        for start in range(0, count, shard_size):
            stop = min(start + shard_size, count)
            units.append(Unit(found, (start, stop), stop - start, stamp))
    return units, failures


def pack(units: list[Unit], shard_size: int, settings: dict[str, Any]) -> list[ShardSpec]:
    """Consecutive units into shards of at most `shard_size` articles (a larger unit is a shard alone)."""
    groups: list[list[Unit]] = []
    weight = 0
    for unit in units:
        if not groups or weight + unit.weight > shard_size:
            groups.append([])
            weight = 0
        groups[-1].append(unit)
        weight += unit.weight
    common = json.dumps(settings, sort_keys=True)
    specs = []
    for index, group in enumerate(groups):
        content = json.dumps([unit.to_dict() for unit in group]) + common
        fingerprint = hashlib.sha256(content.encode("utf-8")).hexdigest()
        specs.append(ShardSpec(index, tuple(group), fingerprint))
    return specs
