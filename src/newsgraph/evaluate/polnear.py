"""Score newsgraph quotes against the PolNeAR attribution corpus.

PolNeAR (Newell et al. 2018) annotates attributions in BRAT standoff: a Source,
a Cue and a Content span per attribution, linked by an `E` line. We score the
three span types separately (exact and overlap P/R/F1) and the whole chain
end to end (content found *and* its speaker pointing at the gold source).

Only `dev` (and `train`) are for development; `test` is for final numbers,
never for tuning. Run it as `newsgraph eval polnear --split dev`; the peer
beside us is textacy's `direct_quotations` on the same parse.
"""

from __future__ import annotations

import csv
import functools
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.evaluate import SCORERS
from newsgraph.evaluate.common import (
    OURS,
    data_root,
    markdown_table,
    match_exact,
    match_overlap,
    pct,
    prf,
    seconds_line,
    shared_chars,
    write_error_listing,
)
from newsgraph.evaluate.peers import PeerSkipped, load_textacy, textacy_quotes
from newsgraph.evaluate.runner import answers, peer_then_ours, run
from newsgraph.extract import extract_doc
from newsgraph.nlp import pipeline_label
from newsgraph.record import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "SPAN_TYPES",
    "BratSpan",
    "GoldAttribution",
    "default_data_dir",
    "evaluate",
    "format_markdown",
    "load_split",
    "parse_brat",
    "score",
    "score_documents",
    "write_errors",
]

PEER = "textacy"
SPAN_TYPES = ("Source", "Cue", "Content")
SPLITS = SCORERS["polnear"].choices
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
    """Where PolNeAR's `data` folder is: `polnear/data` under the data root
    ($NEWSGRAPH_DATA, else the shared folder next to the checkout)."""
    return data_root() / "polnear" / "data"


def _metadata(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / "metadata.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _clean(value: str | None) -> str | None:
    return None if value in (None, "", "None") else value


def load_split(
    split: str, data_dir: Path | None = None, failures: list[Failure] | None = None
) -> list[tuple[Article, list[GoldAttribution]]]:
    """Every text of a split with its gold attributions, in file-name order.

    Articles annotated by several annotators use the first .ann in name
    order, so a run is reproducible and each article counts once. A text or
    annotation file that cannot be read is recorded in `failures` and left
    out; without a `failures` list it raises.
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
        anns = annotations.get(stem, [])
        try:
            # newline="" keeps the text byte-for-byte so BRAT offsets index it.
            with text_path.open(encoding="utf-8", newline="") as handle:
                text = handle.read()
            gold: list[GoldAttribution] = []
            if anns:
                _, gold = parse_brat(anns[0].read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            if failures is None:
                raise
            failures.append(Failure(str(text_path), f"{type(exc).__name__}: {exc}"))
            continue
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


def _size(pieces: tuple[Offsets, ...]) -> int:
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


def attributions(quotes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes read as PolNeAR attributions: the pieces of one quotation cut by its
    attribution ("“A,” she said. “B.”") are statements of their own sharing one cue and
    one speaker mention; PolNeAR makes them one attribution whose content runs from the
    first piece to the last."""
    grouped: dict[tuple[Offsets, Offsets | None], dict[str, Any]] = {}
    found: list[dict[str, Any]] = []
    for quote in quotes:
        cue, mention, content = quote.get("cue"), quote.get("speaker_mention"), quote.get("content")
        if not cue or not content:
            found.append(quote)
            continue
        key = ((cue["start"], cue["end"]), (mention["start"], mention["end"]) if mention else None)
        first = grouped.get(key)
        if first is None:
            grouped[key] = dict(quote)
            found.append(grouped[key])
            continue
        start = min(first["content"]["start"], content["start"])
        end = max(first["content"]["end"], content["end"])
        first["content"] = {"start": start, "end": end, "text": ""}
    return found


def _pred_spans(record: dict[str, Any], role: str) -> list[Offsets]:
    seen: dict[Offsets, None] = {}
    for quote in attributions(record.get("quotes") or []):
        span = quote.get(_PRED_KEY[role])
        if span and span["end"] > span["start"]:
            seen.setdefault((span["start"], span["end"]), None)
    return list(seen)


def _match_exact(text: str, gold: list[_Gold], pred: list[Offsets]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) with equal normalised boundaries."""
    return match_exact([normalise(text, *g.hull) for g in gold], [normalise(text, *p) for p in pred])


def _match_overlap(gold: list[_Gold], pred: list[Offsets]) -> list[tuple[int, int]]:
    """One-to-one pairs sharing at least one character of the gold's real pieces."""
    return match_overlap([g.pieces for g in gold], [[p] for p in pred])


def _snippet(text: str, offsets: Offsets) -> dict[str, Any]:
    return {"start": offsets[0], "end": offsets[1], "text": text[offsets[0] : offsets[1]]}


def _covers(quote_content: Offsets, gold_pieces: tuple[Offsets, ...]) -> bool:
    size = _size(gold_pieces)
    return size > 0 and shared_chars(gold_pieces, [quote_content]) >= CONTENT_COVER * size


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
        for q in attributions(record.get("quotes") or [])
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
            and shared_chars(source_pieces, [(q["speaker_mention"]["start"], q["speaker_mention"]["end"])])
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
            mode: prf(sum(d["counts"][role][mode] for d in documents), pred, gold)
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


def _ours(article: Article, doc: Doc, nlp: Language) -> list[dict[str, Any]]:
    return list(extract_doc(article, doc, pipeline_label(nlp))["quotes"])


def _textacy(doc: Doc) -> dict[str, Any]:
    try:
        return {"quotes": textacy_quotes(doc), "skipped": None}
    except PeerSkipped as exc:
        return {"quotes": [], "skipped": str(exc)}


def evaluate(
    split: str = "dev",
    data_dir: Path | None = None,
    *,
    model: str | None = None,
    workers: int = 1,
    peer: bool = True,
    limit: int | None = None,
    dump_errors: Path | None = None,
) -> dict[str, Any]:
    """Extract every article of a split with newsgraph (and textacy) and score both.

    Never tune on `test`.
    """
    began = time.perf_counter()
    failures: list[Failure] = []
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    pairs = load_split(split, data_dir, failures)
    if limit is not None:
        pairs = pairs[:limit]
    systems = [OURS, PEER] if peer else [OURS]
    scored: dict[str, list[tuple[dict[str, Any], list[GoldAttribution]]]] = {s: [] for s in systems}
    seconds = dict.fromkeys(["parse", *systems], 0.0)
    skipped: list[str] = []
    if peer:
        load_textacy()
    outcomes = run(
        (a for a, _ in pairs),
        functools.partial(peer_then_ours, _ours, _textacy, PEER, peer),
        workers=workers,
        model=model,
    )
    for (article, gold), outcome in zip(pairs, outcomes, strict=True):
        found = answers(outcome, systems, failures, seconds)
        if peer and found[PEER] is not None:
            if found[PEER]["skipped"]:
                skipped.append(article.id)
            found[PEER] = found[PEER]["quotes"]
        for system in systems:
            # A failed document still counts: that system found nothing in it.
            record = {"article": {"id": article.id, "text": article.text}, "quotes": found[system] or []}
            scored[system].append((record, gold))
    reports = {}
    documents: list[dict[str, Any]] = []
    for system in systems:
        reports[system], per_document = score_documents(scored[system])
        if system == OURS:
            documents = per_document
    report: dict[str, Any] = {
        "task": "polnear",
        "split": split,
        "data": str(data_dir),
        "documents": len(pairs),
        "gold": {role: reports[OURS][role]["exact"]["gold"] for role in SPAN_TYPES},
        "extractor_version": EXTRACTOR_VERSION,
        "systems": reports,
        "seconds": {**seconds, "total": time.perf_counter() - began},
        "failures": [f.to_dict() for f in failures],
    }
    if peer:
        report["peer_skipped"] = skipped
    if dump_errors is not None:
        write_errors(documents, Path(dump_errors))
    return report


def write_errors(documents: list[dict[str, Any]], path: Path) -> None:
    """Per document: gold contents nobody overlapped, predicted contents matching no gold,
    and contents found whose speaker missed the gold source.

    `.jsonl` gets one JSON object per document; any other name a plain-text listing.
    """
    write_error_listing(documents, path, ("missed", "spurious", "wrong_source"), _error_lines)


def _error_lines(document: dict[str, Any]) -> Iterator[str]:
    for item in document["missed"]:
        yield f"MISSED   [{item['source']}] {_short(item['text'])}"
    for item in document["spurious"]:
        yield f"SPURIOUS [{item['speaker']}] {_short(item['text'])}"
    for item in document["wrong_source"]:
        predicted = ", ".join(str(p) for p in item["predicted"])
        yield (
            f"SOURCE   gold [{item['gold_source']['text']}] got [{predicted}] "
            f"{_short(item['content']['text'])}"
        )


def _short(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def format_markdown(report: dict[str, Any]) -> str:
    """Each span type, each system: exact and overlap P/R/F1; then the end-to-end share."""
    systems = list(report["systems"])
    header = ["Span", "System", "Exact P", "Exact R", "Exact F1", "Overlap P", "Overlap R", "Overlap F1"]
    header += ["Pred", "Gold"]
    rows = []
    for role in SPAN_TYPES:
        for system in systems:
            ex, ov = report["systems"][system][role]["exact"], report["systems"][system][role]["overlap"]
            rows.append(
                [role, system]
                + [pct(ex[k]) for k in ("p", "r", "f1")]
                + [pct(ov[k]) for k in ("p", "r", "f1")]
                + [ov["pred"], ov["gold"]]
            )
    lines = [
        f"PolNeAR {report['split']}: {report['documents']} documents, gold spans "
        + ", ".join(f"{role} {report['gold'][role]}" for role in SPAN_TYPES),
        "",
        markdown_table(header, rows, numeric_from=2),
        "",
        f"End-to-end attribution (gold content ≥{CONTENT_COVER:.0%} covered by one quote whose "
        "speaker mention overlaps the gold source):",
    ]
    for system in systems:
        att = report["systems"][system]["attribution"]
        lines.append(f"- {system}: {att['found']}/{att['total']} = {pct(att['share'])}")
    lines.append("")
    if report.get("peer_skipped"):
        lines.append(
            f"textacy declined {len(report['peer_skipped'])} documents (odd number of quote marks): "
            "scored as finding nothing."
        )
    lines.append(seconds_line(report))
    if report["failures"]:
        lines.append(f"Failures: {len(report['failures'])} (see stderr)")
    return "\n".join(lines)
