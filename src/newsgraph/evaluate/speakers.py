"""Score who newsgraph says made each statement, per kind of mention, beside textacy.

The dev set (`tests/data/speakers/statements.jsonl`) is ours: statements in
PolNeAR train and dev texts and in TBAQ (TimeBank and AQUAINT), each with
its content span, its cue, the speaker the article establishes (a full name,
an organisation, or unknown: "a senior official"), the mention that
attributes it here and that mention's kind: name, surname, pronoun, title,
organisation, or continuation (a paragraph that is only a quotation,
attributed by context). Never BBC, TE3 silver or a test split: those are
held out. `tests/data/speakers/README.md` says how it was made.

Each document is read with the project's readers and extracted; a gold
statement is found when one predicted quote covers at least half of its
content's characters (the quote covering most), and its speaker is right
when the quote's speaker entity has the gold speaker's name key, or the
same surname and no conflicting first name ("Ken" and "Kenneth" agree); an organisation by its
organisation key (or one key a run of the other's words at its start or
end: "Justice Department", "the U.S. Justice Department"; or an acronym of the
other: "S.E.C."). A statement
whose speaker is unknown is right when the quote names nobody. textacy's
`direct_quotations` runs on the same parse and is scored the same way, its
speaker being the text of its speaker span.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import newsgraph
from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.evaluate import SCORERS
from newsgraph.evaluate.common import (
    OURS,
    data_root,
    markdown_table,
    pct,
    seconds_line,
    write_error_listing,
)
from newsgraph.evaluate.peers import PeerSkipped, load_textacy, textacy_quotes
from newsgraph.evaluate.runner import answers, peer_then_ours, run
from newsgraph.extract import extract_doc
from newsgraph.names import name_key, org_key
from newsgraph.nlp import pipeline_label
from newsgraph.read import read_file
from newsgraph.record import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "COLLECTIONS",
    "CONTENT_COVER",
    "MENTION_KINDS",
    "PEER",
    "Prediction",
    "Statement",
    "default_set_path",
    "evaluate",
    "format_markdown",
    "load_statements",
    "read_documents",
    "same_speaker",
    "score_document",
    "summarise",
]

PEER = "textacy"
SPLITS = SCORERS["speakers"].choices
MENTION_KINDS = ("name", "surname", "pronoun", "title", "organisation", "continuation")
SPEAKER_TYPES = ("person", "organisation", "unknown")
# Where each collection's files lie under the data root; PolNeAR test is never used.
COLLECTIONS = {
    "polnear-train": Path("polnear") / "data" / "train" / "text",
    "polnear-dev": Path("polnear") / "data" / "dev" / "text",
    "tbaq": Path("tempeval3") / "TBAQ-cleaned",
}
# A predicted quote finds a gold statement when it covers this share of the content's characters.
CONTENT_COVER = 0.5

Offsets = tuple[int, int]


# --------------------------------------------------------------------------- the set


@dataclass(frozen=True, slots=True)
class Statement:
    """One annotated statement; spans are (start, end) into the text as `read_file` gives it."""

    collection: str
    doc: str
    content: Offsets
    content_text: str
    cue: Offsets | None
    speaker: str | None
    speaker_type: str
    mention: Offsets | None
    mention_text: str | None
    mention_kind: str

    @property
    def article_id(self) -> str:
        return f"{self.collection}/{self.doc}"

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Statement:
        kind, speaker_type = row["mention_kind"], row["speaker_type"]
        if kind not in MENTION_KINDS:
            raise ValueError(f"unknown mention kind {kind!r}")
        if speaker_type not in SPEAKER_TYPES or (speaker_type == "unknown") != (row["speaker"] is None):
            raise ValueError(f"speaker {row['speaker']!r} does not fit speaker type {speaker_type!r}")
        if row["collection"] not in COLLECTIONS:
            raise ValueError(f"unknown collection {row['collection']!r}")
        mention, cue = row.get("mention"), row.get("cue")
        return cls(
            collection=row["collection"],
            doc=row["doc"],
            content=(row["content"]["start"], row["content"]["end"]),
            content_text=row["content"]["text"],
            cue=(cue["start"], cue["end"]) if cue else None,
            speaker=row["speaker"],
            speaker_type=speaker_type,
            mention=(mention["start"], mention["end"]) if mention else None,
            mention_text=mention["text"] if mention else None,
            mention_kind=kind,
        )


def default_set_path() -> Path:
    """`tests/data/speakers/statements.jsonl` of the checkout this package runs from."""
    # src/newsgraph/__init__.py -> parents[2] is the checkout.
    return Path(newsgraph.__file__).resolve().parents[2] / "tests" / "data" / "speakers" / "statements.jsonl"


def load_statements(path: Path) -> list[Statement]:
    """The statements of a JSON Lines file, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [Statement.from_dict(json.loads(line)) for line in handle if line.strip()]


def read_documents(statements: Iterable[Statement], data_dir: Path, failures: list[Failure]) -> list[Article]:
    """Each document the statements name, once, in first-mention order, under `Statement.article_id`.

    A document that cannot be read, or whose text no longer holds a
    statement's spans, is a failure and left out.
    """
    by_doc: dict[str, list[Statement]] = {}
    for statement in statements:
        by_doc.setdefault(statement.article_id, []).append(statement)
    articles = []
    for article_id, group in by_doc.items():
        first = group[0]
        path = data_dir / COLLECTIONS[first.collection] / first.doc
        found = [a for a in read_file(path) if isinstance(a, Article)] if path.is_file() else []
        if not found:
            failures.append(Failure(str(path), "listed document not found or unreadable", system=None))
            continue
        article = found[0]
        if any(article.text[s.content[0] : s.content[1]] != s.content_text for s in group):
            failures.append(Failure(str(path), "the text no longer holds the annotated spans", system=None))
            continue
        articles.append(dataclasses.replace(article, id=article_id))
    return articles


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class Prediction:
    """One predicted quote as the scorer needs it: its content, and who it names."""

    content: Offsets
    speaker: str | None  # the name, as the system gives it
    mention: str | None = None
    via: str | None = None


# Words an acronym leaves out: "S.E.C." is the Securities and Exchange Commission.
_ACRONYM_SKIPS = frozenset({"and", "of", "for", "the", "on"})


def _org_run(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return 0 < n <= len(long) and (long[:n] == short or long[-n:] == short)


def _acronym(short: list[str], long: list[str]) -> bool:
    letters = "".join(short)
    initials = "".join(w[0] for w in long if w not in _ACRONYM_SKIPS)
    return len(short) in (1, len(letters)) and len(letters) > 1 and letters == initials


def _first_names_agree(a: str, b: str) -> bool:
    # "Ken" is short for "Kenneth": a first name that starts the other is no conflict.
    return a.startswith(b) or b.startswith(a)


def same_speaker(predicted: str | None, gold: str | None, gold_type: str) -> bool:
    """Whether a predicted speaker name is the gold speaker (see the module's docstring)."""
    if gold_type == "unknown" or gold is None:
        return predicted is None
    if not predicted:
        return False
    if gold_type == "organisation":
        ours, theirs = org_key(predicted).split(), org_key(gold).split()
        shorter, longer = sorted((ours, theirs), key=len)
        return _org_run(shorter, longer) or _acronym(shorter, longer)
    ours, theirs = name_key(predicted).split(), name_key(gold).split()
    if not ours or not theirs:
        return False
    if ours == theirs:
        return True
    # Same surname; first names conflict only when both are written and differ.
    return ours[-1] == theirs[-1] and (
        len(ours) == 1 or len(theirs) == 1 or _first_names_agree(ours[0], theirs[0])
    )


def _overlap(a: Offsets, b: Offsets) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_document(statements: list[Statement], predictions: list[Prediction]) -> list[dict[str, Any]]:
    """Per gold statement: found, right, the quote it matched; in gold order."""
    results = []
    for statement in statements:
        length = statement.content[1] - statement.content[0]
        best = max(predictions, key=lambda p: _overlap(statement.content, p.content), default=None)
        covered = _overlap(statement.content, best.content) if best else 0
        found = best is not None and length > 0 and covered >= CONTENT_COVER * length
        right = (
            found
            and best is not None
            and same_speaker(best.speaker, statement.speaker, statement.speaker_type)
        )
        results.append(
            {
                "statement": statement,
                "found": found,
                "right": right,
                "predicted": best if found else None,
            }
        )
    return results


def _tally(results: Iterable[dict[str, Any]]) -> dict[str, Any]:
    results = list(results)
    total = len(results)
    found = sum(r["found"] for r in results)
    right = sum(r["right"] for r in results)
    return {
        "total": total,
        "found": found,
        "right": right,
        "found_share": found / total if total else 0.0,
        "right_of_found": right / found if found else 0.0,
    }


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals overall, per mention kind, per collection and per speaker type, and the
    `speaker_via` the system reported per gold mention kind (found statements only)."""
    via: dict[str, Counter[str]] = {kind: Counter() for kind in MENTION_KINDS}
    for r in results:
        if r["found"]:
            via[r["statement"].mention_kind][r["predicted"].via or "-"] += 1
    return {
        "overall": _tally(results),
        "by_kind": {k: _tally(r for r in results if r["statement"].mention_kind == k) for k in MENTION_KINDS},
        "by_collection": {
            c: _tally(r for r in results if r["statement"].collection == c) for c in COLLECTIONS
        },
        "by_speaker_type": {
            t: _tally(r for r in results if r["statement"].speaker_type == t) for t in SPEAKER_TYPES
        },
        "speaker_via": {kind: dict(counts) for kind, counts in via.items() if counts},
    }


# --------------------------------------------------------------------------- running


def _ours(article: Article, doc: Doc, nlp: Language) -> list[Prediction]:
    record = extract_doc(article, doc, pipeline_label(nlp))
    names = {entity["id"]: entity["name"] for entity in record["entities"]}
    predictions = []
    for quote in record["quotes"]:
        content = (quote["content"]["start"], quote["content"]["end"])
        mention = quote["speaker_mention"]["text"] if quote["speaker_mention"] else None
        speaker = names.get(quote["speaker"]) if quote["speaker"] else None
        predictions.append(Prediction(content, speaker, mention, quote.get("speaker_via")))
    return predictions


def _textacy(doc: Doc) -> dict[str, Any]:
    try:
        quotes = textacy_quotes(doc)
    except PeerSkipped as exc:
        return {"predictions": [], "skipped": str(exc)}
    predictions = [
        Prediction((q["content"]["start"], q["content"]["end"]), q["speaker"], q["speaker"]) for q in quotes
    ]
    return {"predictions": predictions, "skipped": None}


def evaluate(
    split: str = "dev",
    data_dir: Path | None = None,
    *,
    model: str | None = None,
    workers: int = 1,
    peer: bool = True,
    limit: int | None = None,
    dump_errors: Path | None = None,
    set_path: Path | None = None,
) -> dict[str, Any]:
    """Extract every document of the set with newsgraph (and textacy) and score who said what.

    `data_dir` is the folder holding `polnear/` and `tempeval3/` (default:
    the data root); `limit` keeps the first N documents.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    began = time.perf_counter()
    failures: list[Failure] = []
    data_dir = Path(data_dir) if data_dir is not None else data_root()
    path = Path(set_path) if set_path is not None else default_set_path()
    if not path.is_file():
        raise FileNotFoundError(f"no speaker set at {path}")
    if not any((data_dir / folder).is_dir() for folder in COLLECTIONS.values()):
        raise FileNotFoundError(
            f"no polnear/ or tempeval3/ texts under {data_dir} (set $NEWSGRAPH_DATA or --data)"
        )
    statements = load_statements(path)
    articles = read_documents(statements, data_dir, failures)
    if limit is not None:
        articles = articles[:limit]
    kept = {a.id for a in articles}
    by_doc: dict[str, list[Statement]] = {}
    for statement in statements:
        if statement.article_id in kept:
            by_doc.setdefault(statement.article_id, []).append(statement)
    systems = [OURS, PEER] if peer else [OURS]
    seconds = dict.fromkeys(["parse", *systems], 0.0)
    results: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    skipped: list[str] = []
    if peer:
        load_textacy()
    outcomes = run(
        articles, functools.partial(peer_then_ours, _ours, _textacy, PEER, peer), workers=workers, model=model
    )
    for article, outcome in zip(articles, outcomes, strict=True):
        found = answers(outcome, systems, failures, seconds)
        if peer and found[PEER] is not None:
            if found[PEER]["skipped"]:
                skipped.append(article.id)
            found[PEER] = found[PEER]["predictions"]
        for system in systems:
            # A failed document still counts: that system found nothing in it.
            results[system] += score_document(by_doc[article.id], found[system] or [])
    report: dict[str, Any] = {
        "task": "speakers",
        "split": split,
        "data": str(data_dir),
        "set": str(path),
        "documents": len(articles),
        "statements": sum(len(group) for group in by_doc.values()),
        "gold": {
            "by_kind": dict(Counter(s.mention_kind for g in by_doc.values() for s in g)),
            "by_collection": dict(Counter(s.collection for g in by_doc.values() for s in g)),
        },
        "extractor_version": EXTRACTOR_VERSION,
        "systems": {system: summarise(results[system]) for system in systems},
        "seconds": {**seconds, "total": time.perf_counter() - began},
        "failures": [f.to_dict() for f in failures],
    }
    if peer:
        report["peer_skipped"] = skipped
    if dump_errors is not None:
        write_errors(results[OURS], Path(dump_errors))
    return report


# --------------------------------------------------------------------------- output


def _error(result: dict[str, Any]) -> dict[str, Any]:
    statement: Statement = result["statement"]
    predicted: Prediction | None = result["predicted"]
    return {
        "kind": statement.mention_kind,
        "mention": statement.mention_text,
        "gold": statement.speaker,
        "content": statement.content_text,
        "start": statement.content[0],
        "predicted": predicted.speaker if predicted else None,
        "predicted_mention": predicted.mention if predicted else None,
        "via": predicted.via if predicted else None,
    }


def write_errors(results: list[dict[str, Any]], path: Path) -> None:
    """Per document: statements no quote found, and found statements with the wrong speaker.

    `.jsonl` gets one JSON object per document; any other name a plain-text listing.
    """
    documents: dict[str, dict[str, Any]] = {}
    for result in results:
        statement: Statement = result["statement"]
        document = documents.setdefault(
            statement.article_id, {"id": statement.article_id, "missed": [], "wrong": []}
        )
        if not result["found"]:
            document["missed"].append(_error(result))
        elif not result["right"]:
            document["wrong"].append(_error(result))
    write_error_listing(documents.values(), path, ("missed", "wrong"), _error_lines)


def _error_lines(document: dict[str, Any]) -> Iterator[str]:
    for item in document["missed"]:
        yield f"MISSED {item['kind']:<12} [{item['mention'] or '(continues)'}] gold {item['gold']}: {_short(item['content'])}"
    for item in document["wrong"]:
        yield (
            f"WRONG  {item['kind']:<12} [{item['mention'] or '(continues)'}] gold {item['gold']} "
            f"got {item['predicted']} via [{item['predicted_mention']}] ({item['via'] or '-'}): {_short(item['content'])}"
        )


def _short(text: str, width: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _cells(tally: dict[str, Any]) -> list[str]:
    return [f"{tally['found']}/{tally['total']}", pct(tally["found_share"]), pct(tally["right_of_found"])]


def format_markdown(report: dict[str, Any]) -> str:
    """Found and right-of-found per mention kind, collection and speaker type, each system side by side."""
    systems = list(report["systems"])
    header = ["", "Gold"]
    for system in systems:
        header += [f"{system} found", f"{system} found %", f"{system} right of found %"]
    lines = [
        f"Speakers {report['split']}: {report['documents']} documents, {report['statements']} statements "
        "(a statement is found when one quote covers "
        f"≥{CONTENT_COVER:.0%} of its content; right: the quote names its speaker).",
        "",
    ]
    sections = (
        ("Mention kind", "by_kind", MENTION_KINDS),
        ("Collection", "by_collection", tuple(COLLECTIONS)),
        ("Speaker", "by_speaker_type", SPEAKER_TYPES),
    )
    for title, key, names in sections:
        rows = []
        for name in names:
            first = report["systems"][systems[0]][key][name]
            if not first["total"]:
                continue
            row: list[Any] = [name, first["total"]]
            for system in systems:
                row += _cells(report["systems"][system][key][name])
            rows.append(row)
        if key == "by_kind":
            overall = report["systems"][systems[0]]["overall"]
            row = ["all", overall["total"]]
            for system in systems:
                row += _cells(report["systems"][system]["overall"])
            rows.append(row)
        lines += [markdown_table([title, *header[1:]], rows, numeric_from=1), ""]
    via = report["systems"][OURS]["speaker_via"]
    if via:
        lines.append(
            "newsgraph speaker_via on found statements, per gold kind: "
            + "; ".join(
                f"{kind}: " + ", ".join(f"{v} {n}" for v, n in sorted(c.items())) for kind, c in via.items()
            )
        )
    if report.get("peer_skipped"):
        lines.append(
            f"textacy declined {len(report['peer_skipped'])} documents (odd number of quote marks): "
            "scored as finding nothing."
        )
    lines.append(seconds_line(report))
    if report["failures"]:
        lines.append(f"Failures: {len(report['failures'])} (see stderr)")
    return "\n".join(lines)
