"""What can go wrong, as values and as exceptions, shared by every layer.

A failing input is a `Failure` value that travels with the results (read,
extract, ingest, batch and evaluation all report the same shape); lookups
that cannot answer raise `NotFound` or `Ambiguous`, which the CLI turns into
exit status 1 and the web app into 404 and 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Failure:
    """One input (a file, or one line of it as `file.jsonl:LINENO`) that gave no result, and why.

    `system` names who failed where several run over the same input (an
    evaluation's peers); None means the input itself.
    """

    path: str
    reason: str
    system: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason, "system": self.system}

    def line(self) -> str:
        who = f"{self.system}: " if self.system else ""
        return f"{who}{self.path}: {self.reason}"


class NotFound(LookupError):
    """Nothing in the store matches what was asked for."""


class Ambiguous(LookupError):
    """Several entities match a name; `candidates` lists (id, name) pairs."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]) -> None:
        listed = ", ".join(f"{n} ({i})" for i, n in candidates)
        super().__init__(f"{name!r} matches several entities: {listed}; pass an id")
        self.candidates = candidates


class CurationError(ValueError):
    """A curation action that cannot be applied (unknown entity or fact, merge into itself, ...)."""
