"""Score time expressions as TempEval-3 task A does: TIMEX3 spans, types and values.

Sets: `te3-platinum` (the TempEval-3 test set: final numbers only),
`timebank` and `aquaint` (TBAQ-cleaned, for development) and `meantime`
(NewsReader MEANTIME, English Wikinews).

Each document's creation time (DCT) is the anchor for relative expressions:
newsgraph gets it as the article date, dateparser as its RELATIVE_BASE. The
DCT TIMEX3 itself is never scored, for either system: in TimeML it sits in
the header, outside the text; in MEANTIME it is the dateline, and any
expression overlapping it is dropped from gold and from both systems' output.
Only annotated text is scored: a TimeML TITLE is read (it is part of the
article) but carries no TIMEX3 annotation, and MEANTIME annotates only the
first sentences of each article, so expressions found elsewhere are dropped
the same way.

Measures, as in the official TE3 scorer (UzZaman et al. 2013):

- strict span: P/R/F1 of expressions with exactly the gold boundaries;
- relaxed span: P/R/F1 of one-to-one matches sharing at least one character
  (the pair sharing most characters first);
- type and value: attribute F1 over the relaxed matches, where
  P = matches with the attribute right / system expressions and
  R = matches with the attribute right / gold expressions; values are
  compared as strings. Type accuracy = right types / relaxed matches.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.article import Article
from newsgraph.dates import parse_date
from newsgraph.errors import Failure
from newsgraph.evaluate.common import (
    OURS,
    Timed,
    markdown_table,
    match_exact,
    match_overlap,
    pct,
    prf,
    resolve_data,
    seconds_line,
    timed,
    write_error_listing,
)
from newsgraph.evaluate.meantime import read_meantime
from newsgraph.evaluate.peers import dateparser_times, load_dateparser
from newsgraph.evaluate.runner import answers, run
from newsgraph.extract import extract_doc
from newsgraph.extract.timex import explain_times
from newsgraph.nlp import pipeline_label
from newsgraph.read import read_file, timeml_gold
from newsgraph.record import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "SETS",
    "TimexDocument",
    "evaluate",
    "format_markdown",
    "load_set",
    "read_timeml",
    "score",
    "score_document",
    "write_errors",
]

PEER = "dateparser"
# set name -> (folder under the data root, format)
SETS = {
    "te3-platinum": ("tempeval3/te3-platinum", "timeml"),
    "timebank": ("tempeval3/TBAQ-cleaned/TimeBank", "timeml"),
    "aquaint": ("tempeval3/TBAQ-cleaned/AQUAINT", "timeml"),
    "meantime": ("meantime_en/intra-doc_annotation", "meantime"),
}
MEASURES = ("strict", "relaxed", "type", "value")

Offsets = tuple[int, int]


@dataclass(frozen=True, slots=True)
class TimexDocument:
    """One document: the article as newsgraph reads it, gold TIMEX3s in its text,
    and the character ranges whose expressions are not scored."""

    article: Article
    gold: tuple[dict[str, Any], ...]
    unscored: tuple[Offsets, ...] = ()

    def scored(self, start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in self.unscored)


_TIMEX_TAG = re.compile(r"<TIMEX3\b([^>]*)>")
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _creation_tids(xml: str) -> set[str]:
    tids = set()
    for tag in _TIMEX_TAG.finditer(xml):
        attributes = {m.group(1): m.group(2) or m.group(3) or "" for m in _ATTRIBUTE.finditer(tag.group(1))}
        if attributes.get("functionInDocument") == "CREATION_TIME":
            tids.add(attributes.get("tid", ""))
    return tids


def read_timeml(path: Path) -> TimexDocument:
    """A TimeML file as `newsgraph extract` reads it, with its gold expressions.

    Raises ValueError (or OSError) when the file cannot be read.
    """
    items = list(read_file(path))
    if len(items) != 1 or isinstance(items[0], Failure):
        reason = items[0].reason if items and isinstance(items[0], Failure) else "no article"
        raise ValueError(reason)
    article = items[0]
    creation = _creation_tids(path.read_text(encoding="utf-8", errors="replace"))
    gold = tuple(
        span for span in timeml_gold(path) if span["end"] > span["start"] and span["tid"] not in creation
    )
    unscored: tuple[Offsets, ...] = ()
    if article.title and article.text.startswith(article.title):
        # read.py lays the body out as TITLE, a blank line, TEXT.
        unscored = ((0, len(article.title) + 2),)
    return TimexDocument(article, gold, unscored)


def _read_meantime(path: Path) -> TimexDocument:
    document = read_meantime(path)
    return TimexDocument(document.article, document.timexes, document.unscored)


def load_set(
    name: str, data_dir: Path | None = None
) -> tuple[Path, list[TimexDocument], list[Failure], list[Failure]]:
    """The folder of a set, its documents, files that could not be read, and documents
    left out because they have no usable creation time to anchor them."""
    if name not in SETS:
        raise ValueError(f"unknown set {name!r}; expected one of {', '.join(SETS)}")
    relative, fmt = SETS[name]
    folder = resolve_data(relative, data_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"no {name} files at {folder} (set $NEWSGRAPH_DATA or --data)")
    pattern, reader = ("*.tml", read_timeml) if fmt == "timeml" else ("*.xml", _read_meantime)
    documents: list[TimexDocument] = []
    failures: list[Failure] = []
    undated: list[Failure] = []
    for path in sorted(folder.rglob(pattern)):
        try:
            document = reader(path)
        except (OSError, ValueError) as exc:
            failures.append(Failure(str(path), str(exc)))
            continue
        if parse_date(document.article.date) is None:
            # Without an anchor dateparser would count from today: not reproducible.
            undated.append(Failure(str(path), "no valid creation time (DCT)"))
            continue
        documents.append(document)
    return folder, documents, failures, undated


# --------------------------------------------------------------------------- systems


def _ours(article: Article, doc: Doc, nlp: Language) -> list[dict[str, Any]]:
    return list(extract_doc(article, doc, pipeline_label(nlp))["times"])


def _with_rules(times: list[dict[str, Any]], article: Article, doc: Doc) -> list[dict[str, Any]]:
    """Each of our expressions with the name of the TIMEX rule that produced it, for the
    error listing (the record itself carries no rule)."""
    rules = {(t["start"], t["end"]): rule for t, rule in explain_times(doc, parse_date(article.date))}
    return [{**t, "rule": rules.get((t["start"], t["end"]))} for t in times]


def _analyse(peer: bool, article: Article, doc: Doc, nlp: Language) -> dict[str, Timed]:
    results = {OURS: timed(_ours, article, doc, nlp)}
    if results[OURS].value is not None:
        # Outside the timing: naming the rules is the evaluation's work, not extraction's.
        results[OURS].value = _with_rules(results[OURS].value, article, doc)
    if peer:
        results[PEER] = timed(dateparser_times, article.text, parse_date(article.date))
    return results


# --------------------------------------------------------------------------- scoring


def _strip(text: str, start: int, end: int) -> Offsets:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def score_document(document: TimexDocument, predicted: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts for one document, and the gold/system pairs behind them."""
    text = document.article.text
    gold = [g for g in document.gold if document.scored(g["start"], g["end"])]
    pred = [p for p in predicted if p["end"] > p["start"] and document.scored(p["start"], p["end"])]
    gold_at = [_strip(text, g["start"], g["end"]) for g in gold]
    pred_at = [_strip(text, p["start"], p["end"]) for p in pred]
    strict = match_exact(gold_at, pred_at)
    relaxed = match_overlap([[g] for g in gold_at], [[p] for p in pred_at])
    type_ok = sum(gold[gi]["type"] == pred[pi]["type"] for gi, pi in relaxed)
    value_ok = sum(gold[gi]["value"] == pred[pi]["value"] for gi, pi in relaxed)
    matched_gold = {gi for gi, _ in relaxed}
    matched_pred = {pi for _, pi in relaxed}

    def show(item: dict[str, Any]) -> dict[str, Any]:
        # "rule": the TIMEX rule behind one of our expressions (gold and peers have none).
        return {k: item[k] for k in ("start", "end", "text", "type", "value", "rule") if k in item}

    return {
        "id": document.article.id,
        "counts": {
            "gold": len(gold),
            "pred": len(pred),
            "strict": len(strict),
            "relaxed": len(relaxed),
            "type": type_ok,
            "value": value_ok,
        },
        "missed": [show(g) for gi, g in enumerate(gold) if gi not in matched_gold],
        "spurious": [show(p) for pi, p in enumerate(pred) if pi not in matched_pred],
        "wrong": [
            {"gold": show(gold[gi]), "system": show(pred[pi])}
            for gi, pi in relaxed
            if gold[gi]["value"] != pred[pi]["value"] or gold[gi]["type"] != pred[pi]["type"]
        ],
    }


def score(documents: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Micro-averaged P/R/F1 for each measure, plus type accuracy, over scored documents."""
    total = dict.fromkeys(("gold", "pred", *MEASURES), 0)
    for document in documents:
        for key in total:
            total[key] += document["counts"][key]
    report: dict[str, Any] = {m: prf(total[m], total["pred"], total["gold"]) for m in MEASURES}
    report["type_accuracy"] = total["type"] / total["relaxed"] if total["relaxed"] else 0.0
    return report


def evaluate(
    name: str = "timebank",
    data_dir: Path | None = None,
    *,
    model: str | None = None,
    workers: int = 1,
    peer: bool = True,
    limit: int | None = None,
    dump_errors: Path | None = None,
) -> dict[str, Any]:
    """Run newsgraph (and dateparser) on a set and score both."""
    began = time.perf_counter()
    folder, documents, failures, undated = load_set(name, data_dir)
    if limit is not None:
        documents = documents[:limit]
    systems = [OURS, PEER] if peer else [OURS]
    scored: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    seconds = dict.fromkeys(["parse", *systems], 0.0)
    if peer:
        load_dateparser()
    outcomes = run(
        (d.article for d in documents), functools.partial(_analyse, peer), workers=workers, model=model
    )
    for document, outcome in zip(documents, outcomes, strict=True):
        found = answers(outcome, systems, failures, seconds)
        for system in systems:
            # A failed document still counts: that system found nothing in it.
            scored[system].append(score_document(document, found[system] or []))
    report = {
        "task": "timex",
        "set": name,
        "data": str(folder),
        "documents": len(documents),
        "gold_timexes": sum(d["counts"]["gold"] for d in scored[OURS]),
        "extractor_version": EXTRACTOR_VERSION,
        "systems": {system: score(scored[system]) for system in systems},
        "seconds": {**seconds, "total": time.perf_counter() - began},
        "failures": [f.to_dict() for f in failures],
        "skipped": [f.to_dict() for f in undated],
    }
    if dump_errors is not None:
        write_errors(scored[OURS], Path(dump_errors))
    return report


def write_errors(documents: list[dict[str, Any]], path: Path) -> None:
    """newsgraph's missed, spurious and wrongly typed or valued expressions per document,
    each of ours with the TIMEX rule that produced it (.jsonl: one JSON object a line)."""
    write_error_listing(documents, path, ("missed", "spurious", "wrong"), _error_lines)


def _error_lines(document: dict[str, Any]) -> Iterator[str]:
    for g in document["missed"]:
        yield f"MISSED   {g['type']:8} {g['value']:16} {g['text']!r}"
    for p in document["spurious"]:
        yield f"SPURIOUS {p['type']:8} {p['value']:16} {p['text']!r}{_rule(p)}"
    for pair in document["wrong"]:
        g, p = pair["gold"], pair["system"]
        yield (
            f"WRONG    gold {g['type']} {g['value']} {g['text']!r} "
            f"| got {p['type']} {p['value']} {p['text']!r}{_rule(p)}"
        )


def _rule(item: dict[str, Any]) -> str:
    return f" [rule {item['rule']}]" if item.get("rule") else ""


def format_markdown(report: dict[str, Any]) -> str:
    """Strict, relaxed, type and value P/R/F1 of each system, side by side."""
    systems = list(report["systems"])
    header = ["Measure"] + [f"{s} {m}" for s in systems for m in ("P", "R", "F1")]
    labels = {
        "strict": "strict span",
        "relaxed": "relaxed span",
        "type": "type (attribute F1)",
        "value": "**value (attribute F1)**",
    }
    rows = []
    for measure in MEASURES:
        row: list[Any] = [labels[measure]]
        for system in systems:
            scores = report["systems"][system][measure]
            row += [pct(scores["p"]), pct(scores["r"]), pct(scores["f1"])]
        rows.append(row)
    lines = [
        f"TIMEX3 {report['set']}: {report['documents']} documents, {report['gold_timexes']} gold expressions "
        "(creation time excluded)",
        "",
        markdown_table(header, rows),
        "",
        "System expressions / type accuracy on relaxed matches: "
        + "; ".join(
            f"{s} {report['systems'][s]['strict']['pred']} / {pct(report['systems'][s]['type_accuracy'])}"
            for s in systems
        ),
        seconds_line(report),
    ]
    if report["skipped"]:
        lines.append(f"Left out (no valid creation time): {len(report['skipped'])} documents")
    if report["failures"]:
        lines.append(f"Failures: {len(report['failures'])} (see stderr)")
    return "\n".join(lines)
