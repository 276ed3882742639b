"""What every scorer shares: where the data is, P/R/F1, one-to-one span matching,
timing and the Markdown tables that put newsgraph beside its peer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import newsgraph
from newsgraph import settings

__all__ = [
    "OURS",
    "Timed",
    "data_root",
    "markdown_table",
    "match_exact",
    "match_overlap",
    "pct",
    "prf",
    "resolve_data",
    "seconds_line",
    "shared_chars",
    "timed",
    "write_error_listing",
]

# The name our own system goes by in every table and JSON report.
OURS = "newsgraph"

Offsets = tuple[int, int]
T = TypeVar("T")


def data_root() -> Path:
    """The folder holding the evaluation corpora: $NEWSGRAPH_DATA, else `shared/data`
    next to the checkout (or the working directory, or its parent).

    Returns the first candidate that exists, else the first candidate, so an
    error names a sensible place.
    """
    candidates: list[Path] = []
    if env := settings.value("data"):
        candidates.append(Path(env))
    # src/newsgraph/__init__.py -> parents[3] is the folder holding the checkout.
    package_root = Path(newsgraph.__file__).resolve().parents[3]
    candidates += [
        package_root / "shared" / "data",
        Path.cwd() / "shared" / "data",
        Path.cwd().parent / "shared" / "data",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resolve_data(relative: str, override: Path | None) -> Path:
    """`override` (the --data option) when given, else `relative` under the data root."""
    return Path(override) if override is not None else data_root() / relative


def prf(tp: int, pred: int, gold: int) -> dict[str, Any]:
    """Precision, recall and F1 from counts; 0.0 where a denominator is empty."""
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "pred": pred, "gold": gold}


def shared_chars(a: Sequence[Offsets], b: Sequence[Offsets]) -> int:
    """Characters two piece lists have in common (pieces within a list don't overlap)."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def match_exact(gold: Sequence[Any], pred: Sequence[Any]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of equal keys, in prediction order."""
    free: dict[Any, list[int]] = {}
    for gi, key in enumerate(gold):
        free.setdefault(key, []).append(gi)
    pairs = []
    for pi, key in enumerate(pred):
        candidates = free.get(key)
        if candidates:
            pairs.append((candidates.pop(0), pi))
    return pairs


def match_overlap(
    gold: Sequence[Sequence[Offsets]], pred: Sequence[Sequence[Offsets]]
) -> list[tuple[int, int]]:
    """One-to-one pairs sharing at least one character; each item is a list of pieces.

    Greedy: the pair sharing the most characters is taken first, ties by
    position, so a long prediction is not spent on a gold span it barely
    touches while a better partner waits.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            shared = shared_chars(g, p)
            if shared:
                candidates.append((-shared, gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


@dataclass(slots=True)
class Timed:
    """A system's answer for one document, how long it took, and why it failed if it did."""

    value: Any
    seconds: float
    error: str | None = None


def timed(function: Callable[..., T], *args: Any) -> Timed:
    """Run one system on one document; an exception becomes the error, never a crash."""
    start = time.perf_counter()
    try:
        value: Any = function(*args)
        error = None
    except Exception as exc:
        value, error = None, f"{type(exc).__name__}: {exc}"
    return Timed(value, time.perf_counter() - start, error)


def pct(value: float) -> str:
    """A score in a table: percentage with one decimal, as the literature prints them."""
    return f"{100 * value:.1f}"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]], numeric_from: int = 1) -> str:
    """A GitHub Markdown table; columns from `numeric_from` on are right-aligned."""
    align = ["---" if i < numeric_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def seconds_line(report: dict[str, Any]) -> str:
    """Wall time of the whole run, then time spent per stage summed over documents
    (across workers, so the parts can add up to more than the wall time)."""
    seconds = report["seconds"]
    parts = [f"{name} {value:.1f}" for name, value in seconds.items() if name != "total"]
    return f"Seconds: {seconds['total']:.1f} wall; summed over documents: " + ", ".join(parts)


def write_error_listing(
    documents: Iterable[dict[str, Any]],
    path: Path,
    kinds: Sequence[str],
    lines: Callable[[dict[str, Any]], Iterator[str]],
) -> None:
    """Each document with an error of one of `kinds`: as one JSON object a line (.jsonl),
    else under a `## id` heading as the text `lines` gives."""
    with path.open("w", encoding="utf-8") as out:
        for document in documents:
            if not any(document[kind] for kind in kinds):
                continue
            if path.suffix == ".jsonl":
                keep = {k: document[k] for k in ("id", *kinds)}
                out.write(json.dumps(keep, ensure_ascii=False) + "\n")
                continue
            out.write(f"## {document['id']}\n")
            out.writelines(f"  {line}\n" for line in lines(document))
            out.write("\n")
