"""Score named entities against CoNLL-2003 English (entity-level exact match, micro F1).

Each document (lines between `-DOCSTART-` markers) is fed as text: tokens
joined by one space, one sentence a line. Predicted entities are character
spans; one counts as found only if it starts at a token start, ends at a token
end and carries the same type as a gold entity over exactly those tokens. A
misaligned prediction is a wrong one.

Types map as OntoNotes -> CoNLL: PERSON -> PER; ORG -> ORG; GPE, LOC, FAC ->
LOC; NORP, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE -> MISC; numeric and
date types are not scored.

`testa` is for development; `testb` is the test set, for final numbers only.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.evaluate import SCORERS
from newsgraph.evaluate.common import (
    OURS,
    Timed,
    markdown_table,
    match_exact,
    pct,
    prf,
    resolve_data,
    seconds_line,
    timed,
    write_error_listing,
)
from newsgraph.evaluate.peers import spacy_entities
from newsgraph.evaluate.runner import answers, run
from newsgraph.extract import extract_doc
from newsgraph.nlp import PARAGRAPHS, pipeline_label
from newsgraph.record import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "SPLITS",
    "TYPES",
    "TYPE_MAP",
    "ConllDocument",
    "evaluate",
    "format_markdown",
    "iob_spans",
    "load_split",
    "parse_conll",
    "score",
    "score_document",
    "write_errors",
]

# split -> file: eng.train, eng.testa (dev), eng.testb (test)
SPLITS = {split: f"eng.{split}" for split in SCORERS["conll"].choices}
DATA_PATH = "conll2003"
PEER = "spacy"
TYPES = ("PER", "ORG", "LOC", "MISC")
TYPE_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
# Mentions that name the entity; pronouns and bare titles are coreference, not NER.
NAME_KINDS = frozenset({"name", "surname"})

TokenSpan = tuple[int, int, str]  # start token, end token (exclusive), CoNLL type
CharSpan = tuple[int, int, str]  # start char, end char (exclusive), system label


@dataclass(frozen=True, slots=True)
class ConllDocument:
    """One CoNLL document as text, with each token's character offsets and the gold entities."""

    id: str
    tokens: tuple[str, ...]
    offsets: tuple[tuple[int, int], ...]
    text: str
    entities: tuple[TokenSpan, ...]

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Tokens exactly covering characters [start, end), or None when misaligned."""
        first = _bisect(self.offsets, start, 0)
        last = _bisect(self.offsets, end, 1)
        if first is None or last is None or last < first:
            return None
        return first, last + 1

    def article(self, path: str) -> Article:
        return Article(text=self.text, id=self.id, path=path)


def _bisect(offsets: Sequence[tuple[int, int]], char: int, side: int) -> int | None:
    lo, hi = 0, len(offsets)
    while lo < hi:
        mid = (lo + hi) // 2
        if offsets[mid][side] < char:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(offsets) and offsets[lo][side] == char else None


def iob_spans(tags: Sequence[str], sentence_starts: Iterable[int] = ()) -> list[TokenSpan]:
    """Entities from IOB1 (or IOB2) tags: (start, end exclusive, type).

    In IOB1, I-X continues an entity of type X or starts one after O or
    another type; B-X starts a new entity right after one of the same type.
    No entity crosses a sentence start.
    """
    starts = set(sentence_starts)
    spans: list[TokenSpan] = []
    current: list[Any] | None = None
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        inside = prefix in ("I", "B") and bool(kind)
        if current is not None and (not inside or prefix == "B" or kind != current[2] or i in starts):
            spans.append((current[0], i, current[2]))
            current = None
        if inside and current is None:
            current = [i, i + 1, kind]
        elif inside and current is not None:
            current[1] = i + 1
    if current is not None:
        spans.append((current[0], len(tags), current[2]))
    return spans


def parse_conll(lines: Iterable[str], name: str) -> tuple[list[ConllDocument], list[Failure]]:
    """Documents of a CoNLL-2003 file: token in the first column, IOB tag in the last.

    A line with a single column is reported and skipped; the rest goes on.
    """
    documents: list[ConllDocument] = []
    failures: list[Failure] = []
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []

    def close_document() -> None:
        if sentence:
            sentences.append(list(sentence))
            sentence.clear()
        if sentences:
            documents.append(_document(f"{name}-{len(documents) + 1:03d}", sentences))
            sentences.clear()

    for lineno, raw in enumerate(lines, 1):
        columns = raw.split()
        if not columns:
            if sentence:
                sentences.append(list(sentence))
                sentence.clear()
        elif columns[0] == "-DOCSTART-":
            close_document()
        elif len(columns) < 2:
            failures.append(Failure(f"{name}:{lineno}", f"expected token and tag, got {raw.strip()!r}"))
        else:
            sentence.append((columns[0], columns[-1]))
    close_document()
    return documents, failures


def _document(doc_id: str, sentences: list[list[tuple[str, str]]]) -> ConllDocument:
    tokens: list[str] = []
    tags: list[str] = []
    offsets: list[tuple[int, int]] = []
    starts: list[int] = []
    lines: list[str] = []
    position = 0
    for sentence in sentences:
        starts.append(len(tokens))
        words = [word for word, _ in sentence]
        for word, tag in sentence:
            offsets.append((position, position + len(word)))
            position += len(word) + 1  # the space after it, or the line's newline
            tokens.append(word)
            tags.append(tag)
        lines.append(" ".join(words))
    return ConllDocument(
        id=doc_id,
        tokens=tuple(tokens),
        offsets=tuple(offsets),
        text="\n".join(lines),
        entities=tuple(iob_spans(tags, starts)),
    )


def load_split(split: str, data_dir: Path | None = None) -> tuple[Path, list[ConllDocument], list[Failure]]:
    """The file of a split, its documents, and lines that could not be read."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    path = resolve_data(DATA_PATH, data_dir) / SPLITS[split]
    if not path.is_file():
        raise FileNotFoundError(f"no CoNLL-2003 file at {path} (set $NEWSGRAPH_DATA or --data)")
    with path.open(encoding="utf-8", errors="replace") as handle:
        documents, failures = parse_conll(handle, split)
    return path, documents, failures


# --------------------------------------------------------------------------- systems


def _ours(article: Article, doc: Doc, nlp: Language) -> list[CharSpan]:
    record = extract_doc(article, doc, pipeline_label(nlp))
    return [
        (mention["start"], mention["end"], entity["type"])
        for entity in record["entities"]
        for mention in entity["mentions"]
        if mention["kind"] in NAME_KINDS
    ]


def _bare_spacy(article: Article, nlp: Language) -> list[CharSpan]:
    # newsgraph's line-break component changes which entities spaCy tags (none
    # crosses a line then), so the peer parses again without it.
    with nlp.select_pipes(disable=[name for name in (PARAGRAPHS,) if name in nlp.pipe_names]):
        return spacy_entities(nlp(article.text))


def _analyse(peer: bool, article: Article, doc: Doc, nlp: Language) -> dict[str, Timed]:
    results = {OURS: timed(_ours, article, doc, nlp)}
    if peer:
        results[PEER] = timed(_bare_spacy, article, nlp)
    return results


# --------------------------------------------------------------------------- scoring


def _predicted(document: ConllDocument, spans: Iterable[CharSpan]) -> tuple[list[Any], int]:
    """Scored predictions as token-span keys (misaligned ones as unmatched keys), and how
    many were misaligned. Unscored types are dropped; duplicates count once."""
    keys: dict[Any, None] = {}
    misaligned = 0
    for start, end, label in spans:
        kind = TYPE_MAP.get(label)
        if kind is None:
            continue
        tokens = document.token_span(start, end)
        if tokens is None:
            misaligned += 1
            keys.setdefault(("misaligned", start, end, kind), None)
        else:
            keys.setdefault((tokens[0], tokens[1], kind), None)
    return list(keys), misaligned


def score_document(document: ConllDocument, spans: Iterable[CharSpan]) -> dict[str, Any]:
    """Per-type counts for one document, plus its misses and spurious predictions."""
    pred, misaligned = _predicted(document, spans)
    gold = list(document.entities)
    pairs = match_exact(gold, pred)
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    counts = {
        "tp": Counter(gold[gi][2] for gi in matched_gold),
        "pred": Counter(key[-1] for key in pred),
        "gold": Counter(key[2] for key in gold),
    }

    def words(key: Any) -> str:
        if key[0] == "misaligned":
            return document.text[key[1] : key[2]]
        return " ".join(document.tokens[key[0] : key[1]])

    return {
        "id": document.id,
        "counts": counts,
        "misaligned": misaligned,
        "missed": [(words(g), g[2]) for gi, g in enumerate(gold) if gi not in matched_gold],
        "spurious": [(words(p), p[-1]) for pi, p in enumerate(pred) if pi not in matched_pred],
    }


def score(scored: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Micro P/R/F1 over all types, and per type, from `score_document` results."""
    tp: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    misaligned = 0
    for document in scored:
        tp.update(document["counts"]["tp"])
        pred.update(document["counts"]["pred"])
        gold.update(document["counts"]["gold"])
        misaligned += document["misaligned"]
    report = {kind: prf(tp[kind], pred[kind], gold[kind]) for kind in TYPES}
    report["all"] = prf(sum(tp.values()), sum(pred.values()), sum(gold.values()))
    report["misaligned"] = misaligned
    return report


def evaluate(
    split: str = "testa",
    data_dir: Path | None = None,
    *,
    model: str | None = None,
    workers: int = 1,
    peer: bool = True,
    limit: int | None = None,
    dump_errors: Path | None = None,
) -> dict[str, Any]:
    """Run newsgraph (and the bare spaCy pipeline) on a split and score both."""
    began = time.perf_counter()
    path, documents, failures = load_split(split, data_dir)
    if limit is not None:
        documents = documents[:limit]
    systems = [OURS, PEER] if peer else [OURS]
    by_id = {d.id: d for d in documents}
    articles = [d.article(f"{path}#{d.id}") for d in documents]
    scored: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    seconds = dict.fromkeys(["parse", *systems], 0.0)
    for outcome in run(articles, functools.partial(_analyse, peer), workers=workers, model=model):
        found = answers(outcome, systems, failures, seconds)
        for system in systems:
            # A failed document still counts: that system found nothing in it.
            scored[system].append(score_document(by_id[outcome.article.id], found[system] or []))
    report = {
        "task": "conll",
        "split": split,
        "data": str(path),
        "documents": len(documents),
        "gold_entities": sum(len(d.entities) for d in documents),
        "extractor_version": EXTRACTOR_VERSION,
        "systems": {system: score(scored[system]) for system in systems},
        "seconds": {**seconds, "total": time.perf_counter() - began},
        "failures": [f.to_dict() for f in failures],
    }
    if dump_errors is not None:
        write_errors(scored[OURS], Path(dump_errors))
    return report


def write_errors(documents: list[dict[str, Any]], path: Path) -> None:
    """newsgraph's misses and spurious entities per document (.jsonl: one JSON object a line)."""
    write_error_listing(documents, path, ("missed", "spurious"), _error_lines)


def _error_lines(document: dict[str, Any]) -> Iterator[str]:
    for words, kind in document["missed"]:
        yield f"MISSED   {kind:4} {words}"
    for words, kind in document["spurious"]:
        yield f"SPURIOUS {kind:4} {words}"


def format_markdown(report: dict[str, Any]) -> str:
    """Per type and overall: P, R, F1 of each system, side by side."""
    systems = list(report["systems"])
    header = ["Type"] + [f"{s} {m}" for s in systems for m in ("P", "R", "F1")] + ["Gold"]
    rows = []
    for kind in (*TYPES, "all"):
        row: list[Any] = [kind if kind != "all" else "**all (micro)**"]
        for system in systems:
            scores = report["systems"][system][kind]
            row += [pct(scores["p"]), pct(scores["r"]), pct(scores["f1"])]
        row.append(report["systems"][systems[0]][kind]["gold"])
        rows.append(row)
    lines = [
        f"CoNLL-2003 {report['split']}: {report['documents']} documents, "
        f"{report['gold_entities']} gold entities; entity-level exact match",
        "",
        markdown_table(header, rows),
        "",
        "Predicted / misaligned (not on token boundaries): "
        + "; ".join(
            f"{s} {report['systems'][s]['all']['pred']} / {report['systems'][s]['misaligned']}"
            for s in systems
        ),
        seconds_line(report),
    ]
    if report["failures"]:
        lines.append(f"Failures: {len(report['failures'])} (see stderr)")
    return "\n".join(lines)
