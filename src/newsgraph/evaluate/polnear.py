"""Score newsgraph quotes against the PolNeAR attribution corpus.

PolNeAR (Newell et al. 2018) annotates attributions in BRAT standoff: a Source,
a Cue and a Content span per attribution, linked by an `E` line. We score the
three span types separately (exact and overlap P/R/F1) and the whole chain
end to end (content found *and* its speaker pointing at the gold source).

Only `dev` is for development; `test` is for final numbers, never for tuning.

    python -m newsgraph.evaluate.polnear --split dev [--json] [--dump-errors FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import newsgraph
from newsgraph.article import Article

__all__ = [
    "SPAN_TYPES",
    "BratSpan",
    "GoldAttribution",
    "default_data_dir",
    "evaluate",
    "format_markdown",
    "load_split",
    "main",
    "parse_brat",
    "score",
    "score_documents",
]

SPAN_TYPES = ("Source", "Cue", "Content")
SPLITS = ("train", "dev", "test")
# A predicted quote "finds" a gold content when it covers this share of its characters.
CONTENT_COVER = 0.5

Offsets = tuple[int, int]

# Quote marks that Unicode does not file under punctuation (backtick, acute accent).
_EXTRA_STRIP = frozenset("`´")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t(.*)$")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class BratSpan:
    """One BRAT text-bound annotation (`T` line); pieces are in file order."""

    id: str
    type: str
    pieces: tuple[Offsets, ...]
    text: str  # as written in the .ann file: pieces joined by one space

    @property
    def hull(self) -> Offsets:
        return (min(s for s, _ in self.pieces), max(e for _, e in self.pieces))


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution.

    `source`, `cue` and `content` are each role's hull (first to last
    character), which is what exact matching compares. `pieces` keeps the
    real, possibly discontinuous characters per role (Content2 folds into
    Content), which overlap and coverage count.
    """

    source: Offsets | None
    cue: Offsets | None
    content: Offsets | None
    pieces: dict[str, tuple[Offsets, ...]] = field(default_factory=dict)
    spans: tuple[BratSpan, ...] = ()
    id: str = ""

    def role_pieces(self, role: str) -> tuple[Offsets, ...]:
        return self.pieces.get(role, ())


def _role(name: str) -> str:
    # Content2 is a second piece of the same content; Attribution-no-source is the trigger.
    return re.sub(r"\d+$", "", name)


def parse_brat(ann: str) -> tuple[dict[str, BratSpan], list[GoldAttribution]]:
    """Parse one PolNeAR .ann file into its T spans and its attributions.

    Lines that are neither T nor E (annotator notes and their stray
    continuation lines) carry nothing we score and are skipped.
    """
    spans: dict[str, BratSpan] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.split("\n"):
        if m := _T_LINE.match(line):
            tid, kind, offsets, text = m.groups()
            pieces = tuple((int(a), int(b)) for a, b in (p.split() for p in offsets.split(";") if p.strip()))
            spans[tid] = BratSpan(tid, kind, pieces, text)
        elif m := _E_LINE.match(line):
            args = [arg.partition(":") for arg in m.group(2).split() if ":" in arg]
            events.append((m.group(1), [(name, ref) for name, _, ref in args]))

    attributions: list[GoldAttribution] = []
    for eid, args in events:
        pieces: dict[str, list[Offsets]] = {}
        used: list[BratSpan] = []
        for name, ref in args:
            role = _role(name)
            if role not in SPAN_TYPES or ref not in spans:
                continue
            span = spans[ref]
            used.append(span)
            pieces.setdefault(role, []).extend(span.pieces)
        if not pieces:
            continue  # an empty event (trigger only) attributes nothing
        hull = {r: (min(s for s, _ in p), max(e for _, e in p)) for r, p in pieces.items()}
        attributions.append(
            GoldAttribution(
                source=hull.get("Source"),
                cue=hull.get("Cue"),
                content=hull.get("Content"),
                pieces={r: tuple(sorted(p)) for r, p in pieces.items()},
                spans=tuple(used),
                id=eid,
            )
        )
    return spans, attributions


def default_data_dir() -> Path:
    """Where PolNeAR's `data` folder is: $NEWSGRAPH_DATA, else the shared folder.

    Returns the first candidate that exists, else the first candidate (so the
    error a caller raises names a sensible place).
    """
    candidates: list[Path] = []
    if env := os.environ.get("NEWSGRAPH_DATA"):
        candidates.append(Path(env) / "polnear" / "data")
    # src/newsgraph/__init__.py -> parents[3] is the folder holding the checkout.
    package_root = Path(newsgraph.__file__).resolve().parents[3]
    candidates += [
        package_root / "shared" / "data" / "polnear" / "data",
        Path.cwd() / "shared" / "data" / "polnear" / "data",
        Path.cwd().parent / "shared" / "data" / "polnear" / "data",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def _metadata(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / "metadata.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _clean(value: str | None) -> str | None:
    return None if value in (None, "", "None") else value


def load_split(split: str, data_dir: Path | None = None) -> list[tuple[Article, list[GoldAttribution]]]:
    """Every text of a split with its gold attributions, in file-name order.

    Articles annotated by several annotators use the first .ann in name
    order, so a run is reproducible and each article counts once.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    text_dir = data_dir / split / "text"
    ann_dir = data_dir / split / "attributions"
    if not text_dir.is_dir():
        raise FileNotFoundError(f"no PolNeAR texts at {text_dir} (set $NEWSGRAPH_DATA or --data)")
    meta = _metadata(data_dir)
    # NAME_ANNOTATOR.ann: the annotator code never contains "_", the name may.
    annotations: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        annotations.setdefault(ann.stem.rpartition("_")[0], []).append(ann)
    pairs: list[tuple[Article, list[GoldAttribution]]] = []
    for text_path in sorted(text_dir.glob("*.txt")):
        stem = text_path.stem
        # newline="" keeps the text byte-for-byte so BRAT offsets index it.
        with text_path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
        anns = annotations.get(stem, [])
        gold: list[GoldAttribution] = []
        if anns:
            _, gold = parse_brat(anns[0].read_text(encoding="utf-8"))
        row = meta.get(stem, {})
        date = _clean(row.get("publication_date"))
        if date is None and (m := re.search(r"_(\d{4}-\d{2}-\d{2})_", stem)):
            date = m.group(1)
        article = Article(
            text=text,
            id=stem,
            path=str(text_path),
            date=date,
            title=_clean(row.get("title")),
            source=_clean(row.get("publisher")),
            meta={"annotation": anns[0].name} if anns else {},
        )
        pairs.append((article, gold))
    return pairs


# --------------------------------------------------------------------------- scoring


def _strippable(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P") or char in _EXTRA_STRIP


def normalise(text: str, start: int, end: int) -> Offsets:
    """Boundaries without surrounding whitespace, quote marks and punctuation.

    A span made only of such characters keeps its raw boundaries, so it can
    still match itself.
    """
    s, e = start, end
    while s < e and _strippable(text[s]):
        s += 1
    while e > s and _strippable(text[e - 1]):
        e -= 1
    return (s, e) if s < e else (start, end)


def _shared(a: Sequence[Offsets], b: Sequence[Offsets]) -> int:
    """Characters two piece lists have in common (pieces within a list don't overlap)."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _size(pieces: Sequence[Offsets]) -> int:
    return sum(e - s for s, e in pieces)


@dataclass(slots=True)
class _Gold:
    hull: Offsets
    pieces: tuple[Offsets, ...]


def _gold_spans(gold: Iterable[GoldAttribution], role: str) -> list[_Gold]:
    # One span shared by several attributions (typically a Source) is one span to find.
    seen: dict[Offsets, _Gold] = {}
    for attribution in gold:
        pieces = attribution.role_pieces(role)
        if pieces:
            hull = (pieces[0][0], max(e for _, e in pieces))
            seen.setdefault(hull, _Gold(hull, pieces))
    return list(seen.values())


_PRED_KEY = {"Source": "speaker_mention", "Cue": "cue", "Content": "content"}


def _pred_spans(record: dict[str, Any], role: str) -> list[Offsets]:
    seen: dict[Offsets, None] = {}
    for quote in record.get("quotes") or []:
        span = quote.get(_PRED_KEY[role])
        if span and span["end"] > span["start"]:
            seen.setdefault((span["start"], span["end"]), None)
    return list(seen)


def _match_exact(text: str, gold: list[_Gold], pred: list[Offsets]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) with equal normalised boundaries."""
    free: dict[Offsets, list[int]] = {}
    for gi, g in enumerate(gold):
        free.setdefault(normalise(text, *g.hull), []).append(gi)
    pairs = []
    for pi, p in enumerate(pred):
        candidates = free.get(normalise(text, *p))
        if candidates:
            pairs.append((candidates.pop(0), pi))
    return pairs


def _match_overlap(gold: list[_Gold], pred: list[Offsets]) -> list[tuple[int, int]]:
    """One-to-one pairs sharing at least one character.

    Greedy: the pair sharing the most characters is taken first, ties by
    position, so a long prediction is not spent on a gold span it barely
    touches while a better partner waits.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            shared = _shared(g.pieces, [p])
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


def _prf(tp: int, pred: int, gold: int) -> dict[str, Any]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "pred": pred, "gold": gold}


def _snippet(text: str, offsets: Offsets) -> dict[str, Any]:
    return {"start": offsets[0], "end": offsets[1], "text": text[offsets[0] : offsets[1]]}


def _covers(quote_content: Offsets, gold_pieces: tuple[Offsets, ...]) -> bool:
    size = _size(gold_pieces)
    return size > 0 and _shared(gold_pieces, [quote_content]) >= CONTENT_COVER * size


def _score_document(record: dict[str, Any], gold: list[GoldAttribution]) -> dict[str, Any]:
    """Counts for one document plus the errors `--dump-errors` shows."""
    text = record.get("article", {}).get("text", "")
    counts: dict[str, Any] = {}
    content_pairs: list[tuple[int, int]] = []
    gold_content: list[_Gold] = []
    pred_content: list[Offsets] = []
    for role in SPAN_TYPES:
        g = _gold_spans(gold, role)
        p = _pred_spans(record, role)
        overlap = _match_overlap(g, p)
        counts[role] = {
            "exact": len(_match_exact(text, g, p)),
            "overlap": len(overlap),
            "pred": len(p),
            "gold": len(g),
        }
        if role == "Content":
            content_pairs, gold_content, pred_content = overlap, g, p

    quotes = [
        q
        for q in record.get("quotes") or []
        if q.get("content") and q["content"]["end"] > q["content"]["start"]
    ]
    found = total = 0
    wrong_source: list[dict[str, Any]] = []
    for attribution in gold:
        if attribution.source is None or attribution.content is None:
            continue
        total += 1
        content_pieces = attribution.role_pieces("Content")
        source_pieces = attribution.role_pieces("Source")
        covering = [
            q for q in quotes if _covers((q["content"]["start"], q["content"]["end"]), content_pieces)
        ]
        hit = any(
            q.get("speaker_mention")
            and _shared(source_pieces, [(q["speaker_mention"]["start"], q["speaker_mention"]["end"])])
            for q in covering
        )
        found += hit
        if covering and not hit:
            wrong_source.append(
                {
                    "content": _snippet(text, attribution.content),
                    "gold_source": _snippet(text, attribution.source),
                    "predicted": [
                        (q.get("speaker_mention") or {}).get("text") or q.get("speaker") for q in covering
                    ],
                }
            )

    matched_gold = {gi for gi, _ in content_pairs}
    matched_pred = {pi for _, pi in content_pairs}
    sources = {a.content: a.source for a in gold if a.content is not None}
    missed = []
    for gi, g in enumerate(gold_content):
        if gi not in matched_gold:
            item = _snippet(text, g.hull)
            source = sources.get(g.hull)
            item["source"] = text[source[0] : source[1]] if source else None
            missed.append(item)
    speakers = {
        (q["content"]["start"], q["content"]["end"]): (q.get("speaker_mention") or {}).get("text")
        for q in quotes
    }
    spurious = []
    for pi, p in enumerate(pred_content):
        if pi not in matched_pred:
            item = _snippet(text, p)
            item["speaker"] = speakers.get(p)
            spurious.append(item)

    return {
        "id": record.get("article", {}).get("id"),
        "counts": counts,
        "attribution": {"found": found, "total": total},
        "missed": missed,
        "spurious": spurious,
        "wrong_source": wrong_source,
    }


def score_documents(
    pairs: Iterable[tuple[dict[str, Any], list[GoldAttribution]]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The report (as `score`) and the per-document results behind it."""
    documents = [_score_document(record, gold) for record, gold in pairs]
    report: dict[str, Any] = {}
    for role in SPAN_TYPES:
        pred = sum(d["counts"][role]["pred"] for d in documents)
        gold = sum(d["counts"][role]["gold"] for d in documents)
        report[role] = {
            mode: _prf(sum(d["counts"][role][mode] for d in documents), pred, gold)
            for mode in ("exact", "overlap")
        }
    found = sum(d["attribution"]["found"] for d in documents)
    total = sum(d["attribution"]["total"] for d in documents)
    report["attribution"] = {"found": found, "total": total, "share": found / total if total else 0.0}
    report["documents"] = len(documents)
    return report, documents


def score(pairs: Iterable[tuple[dict[str, Any], list[GoldAttribution]]]) -> dict[str, Any]:
    """P/R/F1 per span type (exact and overlap) and the end-to-end attribution share.

    `pairs` are (newsgraph.article/1 record, gold attributions of that article).
    Precision, recall and F1 are micro-averaged over all documents.
    """
    return score_documents(pairs)[0]


# --------------------------------------------------------------------------- running


def _records(
    articles: list[Article], model: str | None, workers: int, failed: list[str]
) -> Iterator[dict[str, Any]]:
    from newsgraph.extract import extract_many  # heavy (spaCy); only when extracting

    def on_error(error: Any) -> None:
        failed.append(f"{error.article.id}: {error.reason}")

    yield from extract_many(articles, workers=workers, model=model, on_error=on_error)


def evaluate(
    split: str = "dev",
    data_dir: Path | None = None,
    model: str | None = None,
    workers: int = 1,
    limit: int | None = None,
    *,
    dump_errors: Path | None = None,
) -> dict[str, Any]:
    """Extract every article of a split and score it. Never tune on `test`."""
    pairs = load_split(split, data_dir)
    if limit is not None:
        pairs = pairs[:limit]
    articles = [article for article, _ in pairs]
    failed: list[str] = []
    by_id = {record["article"]["id"]: record for record in _records(articles, model, workers, failed)}
    scored = []
    for article, gold in pairs:
        # An article the extractor failed on still counts: it found nothing.
        record = by_id.get(article.id) or {"article": article.to_dict(), "quotes": []}
        scored.append((record, gold))
    report, documents = score_documents(scored)
    report["split"] = split
    report["failed"] = failed
    if dump_errors is not None:
        write_errors(documents, Path(dump_errors))
    return report


def write_errors(documents: list[dict[str, Any]], path: Path) -> None:
    """Per document: gold contents nobody overlapped, predicted contents matching no gold,
    and contents found whose speaker missed the gold source.

    `.jsonl` gets one JSON object per document; any other name a plain-text listing.
    """
    with path.open("w", encoding="utf-8") as out:
        for doc in documents:
            if not (doc["missed"] or doc["spurious"] or doc["wrong_source"]):
                continue
            if path.suffix == ".jsonl":
                keep = {k: doc[k] for k in ("id", "missed", "spurious", "wrong_source")}
                out.write(json.dumps(keep, ensure_ascii=False) + "\n")
                continue
            out.write(f"## {doc['id']}\n")
            for item in doc["missed"]:
                out.write(f"  MISSED   [{item['source']}] {_short(item['text'])}\n")
            for item in doc["spurious"]:
                out.write(f"  SPURIOUS [{item['speaker']}] {_short(item['text'])}\n")
            for item in doc["wrong_source"]:
                predicted = ", ".join(str(p) for p in item["predicted"])
                out.write(
                    f"  SOURCE   gold [{item['gold_source']['text']}] got [{predicted}] "
                    f"{_short(item['content']['text'])}\n"
                )
            out.write("\n")


def _short(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def format_markdown(report: dict[str, Any]) -> str:
    lines = [
        "| Span | Exact P | Exact R | Exact F1 | Overlap P | Overlap R | Overlap F1 | Pred | Gold |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for role in SPAN_TYPES:
        ex, ov = report[role]["exact"], report[role]["overlap"]
        lines.append(
            f"| {role} | {ex['p']:.3f} | {ex['r']:.3f} | {ex['f1']:.3f} "
            f"| {ov['p']:.3f} | {ov['r']:.3f} | {ov['f1']:.3f} | {ov['pred']} | {ov['gold']} |"
        )
    att = report["attribution"]
    heading = []
    if "split" in report:
        heading.append(f"PolNeAR {report['split']}, {report.get('documents', '?')} documents\n")
    footer = [
        "",
        f"End-to-end attribution: {att['found']}/{att['total']} = {att['share']:.3f} "
        f"(gold content ≥{CONTENT_COVER:.0%} covered by one quote whose speaker mention "
        "overlaps the gold source)",
    ]
    if report.get("failed"):
        footer.append(f"Extraction failed on {len(report['failed'])} documents (scored as empty).")
    return "\n".join(heading + lines + footer)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsgraph.evaluate.polnear", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--split", default="dev", choices=SPLITS)
    parser.add_argument("--data", type=Path, default=None, help="PolNeAR data folder")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: newsgraph's)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--dump-errors",
        type=Path,
        default=None,
        metavar="FILE",
        help="write missed/spurious contents per document (.jsonl for JSON Lines)",
    )
    args = parser.parse_args(argv)
    if args.split == "test":
        print("note: test is for final numbers only; develop on dev", file=sys.stderr)
    report = evaluate(
        args.split,
        args.data,
        model=args.model,
        workers=args.workers,
        limit=args.limit,
        dump_errors=args.dump_errors,
    )
    print(json.dumps(report, indent=2) if args.json else format_markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
