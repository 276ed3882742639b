"""Score `newsgraph who` on office questions ("who was Federal Reserve chairman on 1987-10-20"),
beside a grep baseline on the same documents.

The dev set (`tests/data/offices/`) is ours: `questions.jsonl` holds each
question (office as a user types it, optional country and organisation,
date, holder, other accepted spellings, evidence quoted from the texts,
whether the office changed hands inside the corpus) and `documents.txt` the
documents the store is built from (TBAQ, Reuters-21578 and PolNeAR dev and
train: the evidence plus others naming the same titles). Never TE3 silver,
BBC or a test split: those are held out.

A run reads the documents with the project's readers, extracts and stores
them in a temporary SQLite store as `newsgraph ingest` does, and asks `who`
each question. An answer is right when a holder's name has the holder's
name key, or its surname and first name. The baseline greps sentences
dated within 180 days of the question for the title words (and a name of
the country) and takes the most frequent capitalised name right after the
title. Reported: top-1, top-3 and answered, overall, by whether the office
changed hands and by office family.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import newsgraph
from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.evaluate import SCORERS
from newsgraph.evaluate.common import OURS, data_root, markdown_table, pct, seconds_line, write_error_listing
from newsgraph.extract import ExtractError, extract_many
from newsgraph.extract.budget import article_seconds
from newsgraph.lexicon import DEMONYMS
from newsgraph.names import name_key, plain
from newsgraph.query import who
from newsgraph.read import read_file
from newsgraph.record import EXTRACTOR_VERSION
from newsgraph.store import Store, open_store
from newsgraph.store.write import write_records

__all__ = [
    "PEER",
    "WINDOW_DAYS",
    "DocumentRef",
    "Question",
    "default_set_dir",
    "evaluate",
    "format_markdown",
    "grep_corpus",
    "grep_holders",
    "holder_matches",
    "load_documents",
    "load_questions",
    "read_documents",
]

PEER = "grep"
SPLITS = SCORERS["offices"].choices
# The baseline reads sentences dated this close to the question's date.
WINDOW_DAYS = 180
# Where each collection lies under the data root.
TBAQ = Path("tempeval3") / "TBAQ-cleaned"
REUTERS = Path("reuters21578")
POLNEAR = Path("polnear") / "data"
POLNEAR_SPLITS = ("train", "dev")  # never test


@dataclass(frozen=True, slots=True)
class Evidence:
    collection: str
    doc: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    office: str
    date: str
    holder: str
    family: str
    changed_hands: bool
    evidence: tuple[Evidence, ...]
    aliases: tuple[str, ...] = ()
    country: str | None = None
    org: str | None = None

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Question:
        return cls(
            id=row["id"],
            office=row["office"],
            date=dt.date.fromisoformat(row["date"]).isoformat(),
            holder=row["holder"],
            family=row["family"],
            changed_hands=bool(row["changed_hands"]),
            evidence=tuple(Evidence(e["collection"], str(e["doc"]), e["text"]) for e in row["evidence"]),
            aliases=tuple(row.get("aliases") or ()),
            country=row.get("country"),
            org=row.get("org"),
        )


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """One document of the set: its collection, its id there and its date as the source gives it."""

    collection: str
    doc: str
    date: str

    @property
    def article_id(self) -> str:
        # Reuters wires are stored under the reader's id; the others under their file's name.
        return f"reuters-{self.doc}" if self.collection == "reuters" else f"{self.collection}/{self.doc}"


def default_set_dir() -> Path:
    """`tests/data/offices` of the checkout this package runs from."""
    # src/newsgraph/__init__.py -> parents[2] is the checkout.
    return Path(newsgraph.__file__).resolve().parents[2] / "tests" / "data" / "offices"


def load_questions(path: Path) -> list[Question]:
    """The questions of a JSON Lines file, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [Question.from_dict(json.loads(line)) for line in handle if line.strip()]


def load_documents(path: Path) -> list[DocumentRef]:
    """`collection<TAB>doc<TAB>date` lines; `#` starts a comment."""
    refs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                collection, doc, day = line.split("\t")
                refs.append(DocumentRef(collection, doc, dt.date.fromisoformat(day).isoformat()))
    return refs


# --------------------------------------------------------------------------- documents


def _read(path: Path, failures: list[Failure]) -> Iterator[Article]:
    for found in read_file(path):
        if isinstance(found, Failure):
            failures.append(found)
        else:
            yield found


def read_documents(refs: Iterable[DocumentRef], data_dir: Path, failures: list[Failure]) -> list[Article]:
    """The listed documents as Articles, in list order, each under `DocumentRef.article_id`.

    The date is the reader's; where the reader finds none (PolNeAR's plain
    texts carry none) it is the date listed, which comes from the source's
    own metadata (PolNeAR's metadata.tsv, Reuters' DATE field). A listed
    document that cannot be found is a failure.
    """
    refs = list(refs)
    found: dict[str, Article] = {}
    reuters = {ref.article_id for ref in refs if ref.collection == "reuters"}
    if reuters:
        # A file holds a thousand wires: only the listed ones matter, so the others' failures
        # (headline-only briefs) are not ours; a listed wire missing is reported below.
        for sgm in sorted((data_dir / REUTERS).glob("reut2-*.sgm")):
            found.update((a.id, a) for a in _read(sgm, []) if a.id in reuters)
    for ref in refs:
        if ref.collection == "tbaq":
            paths = [data_dir / TBAQ / ref.doc]
        elif ref.collection == "polnear":
            paths = [data_dir / POLNEAR / split / "text" / ref.doc for split in POLNEAR_SPLITS]
        else:
            continue
        for path in paths:
            if path.is_file():
                found.update((ref.article_id, a) for a in _read(path, failures))
                break
    articles = []
    for ref in refs:
        article = found.get(ref.article_id)
        if article is None:
            failures.append(Failure(f"{ref.collection}:{ref.doc}", "listed document not found", system=None))
            continue
        articles.append(dataclasses.replace(article, id=ref.article_id, date=article.date or ref.date))
    return articles


# --------------------------------------------------------------------------- matching


def holder_matches(name: str | None, question: Question) -> bool:
    """The name is the holder's: the same name key as the holder or an alias, or the same
    surname and first name (middle names and initials aside). A bare surname is not enough."""
    if not name:
        return False
    key = name_key(name).split()
    if not key:
        return False
    for accepted in (question.holder, *question.aliases):
        other = name_key(accepted).split()
        if key == other or (len(key) > 1 and len(other) > 1 and key[0] == other[0] and key[-1] == other[-1]):
            return True
    return False


# --------------------------------------------------------------------------- the grep baseline


@dataclass(frozen=True, slots=True)
class Dated:
    """One dated document as the baseline reads it: white space flattened, cut into sentences."""

    date: dt.date
    text: str
    sentences: tuple[str, ...]


# A full stop ends a sentence unless it ends an honorific or an initial ("Mr. Paul Volcker",
# "Loretta E. Lynch").
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\b[A-Z]\.)\s+(?=[\"'“‘(]?[A-Z])"
)
_CAPITALISED = r"(?:[A-Z][\w'’-]*\.?)"
# A run of capitalised words after a title word holds the rest of the title and the name.
_RUN = rf"{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,5}}"
_NOT_NAME = frozenset("mr mrs ms dr sen rep gov gen adm lt col capt sir lord dame".split())


def grep_corpus(articles: Iterable[Article]) -> list[Dated]:
    """The dated articles as the baseline reads them."""
    found = []
    for article in articles:
        if article.date:
            text = " ".join(article.text.split())
            day = dt.date.fromisoformat(article.date)
            found.append(Dated(day, text, tuple(s for s in _SENTENCE_END.split(text) if s)))
    return found


def _country_pattern(country: str) -> re.Pattern[str]:
    """The country and every demonym or short form that means it; short forms ("US", "UK") in
    capitals only, so that "us" the pronoun is not the United States."""
    wanted = plain(country)
    forms = [country, *(form for form, place in DEMONYMS.items() if plain(place) == wanted)]
    parts = [
        re.escape(form.upper()) if len(form.replace(".", "")) <= 3 else f"(?i:{re.escape(form)})"
        for form in forms
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)")


def grep_holders(question: Question, corpus: list[Dated], window_days: int = WINDOW_DAYS) -> list[str]:
    """The baseline's answer, best first: in documents dated within `window_days` of the
    question's date (and naming the country, if one is asked), sentences holding every word of
    the title give the capitalised name (two or three words) right after a title word; the most
    frequent wins (ties: the nearest in time, then first seen)."""
    day = dt.date.fromisoformat(question.date)
    title_words = [w for w in plain(question.office).split() if w not in ("of", "the")]
    if question.org:
        title_words += [w for w in plain(question.org).split() if w not in title_words]
    words = [re.compile(rf"\b{re.escape(w)}\b", re.I) for w in title_words]
    country = _country_pattern(question.country) if question.country else None
    after_title = re.compile(rf"(?i:\b(?:{'|'.join(re.escape(w) for w in title_words)}))\b,?\s+({_RUN})")
    counts: Counter[str] = Counter()
    nearest: dict[str, int] = {}
    for document in corpus:
        gap = abs((document.date - day).days)
        if gap > window_days or (country is not None and not country.search(document.text)):
            continue
        for sentence in document.sentences:
            if not all(w.search(sentence) for w in words):
                continue
            for match in after_title.finditer(sentence):
                name = _name_from(match.group(1), title_words)
                if name:
                    counts[name] += 1
                    nearest[name] = min(gap, nearest.get(name, gap))
    return sorted(counts, key=lambda n: (-counts[n], nearest[n]))


def _name_from(run: str, title_words: list[str]) -> str | None:
    """The name in a run of capitalised words after a title word: what follows the run's last
    title word or honorific ("Reserve Board Chairman Paul Volcker" -> "Paul Volcker")."""
    tokens = run.split()
    skip = [i for i, token in enumerate(tokens) if plain(token) in title_words or plain(token) in _NOT_NAME]
    tokens = tokens[skip[-1] + 1 :][:3] if skip else tokens[:3]
    if tokens:
        tokens[-1] = re.sub(r"(?:['’]s|[.,])$", "", tokens[-1])
    return " ".join(tokens) if len(tokens) >= 2 else None


# --------------------------------------------------------------------------- newsgraph


def _build_store(
    articles: list[Article], db: Path, *, model: str | None, workers: int, failures: list[Failure]
) -> Store:
    """Extract and store the articles as `newsgraph ingest` does (every article under the time budget)."""
    store = open_store(str(db))

    def on_error(error: ExtractError) -> None:
        failures.append(Failure(error.article.where(), error.reason, system=OURS))

    records = extract_many(
        articles, workers=workers, model=model, on_error=on_error, seconds=article_seconds()
    )
    write_records(store, records, command="eval offices")
    return store


def _ask(store: Store, question: Question) -> list[str]:
    """`who`'s holders, in its order, one entry per person."""
    answer = who(store, question.office, on=question.date, country=question.country, org=question.org)
    names: list[str] = []
    for holder in answer.holders:
        if holder.person not in names:
            names.append(holder.person)
    return names


# --------------------------------------------------------------------------- scoring


def _judge(answers: list[str], question: Question) -> dict[str, Any]:
    return {
        "answers": answers[:5],
        "top1": bool(answers) and holder_matches(answers[0], question),
        "top3": any(holder_matches(a, question) for a in answers[:3]),
        "answered": bool(answers),
    }


def _shares(results: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(results)
    counts = {k: sum(r[k] for r in results) for k in ("top1", "top3", "answered")}
    return {"questions": n, **counts, **{f"{k}_share": v / n if n else 0.0 for k, v in counts.items()}}


def _summary(per_question: list[dict[str, Any]], systems: list[str]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {"all": per_question}
    for q in per_question:
        groups.setdefault("changed hands" if q["changed_hands"] else "stable", []).append(q)
    for q in per_question:
        groups.setdefault(f"family: {q['family']}", []).append(q)
    return {
        system: {group: _shares([q[system] for q in items]) for group, items in groups.items()}
        for system in systems
    }


def evaluate(
    split: str = "dev",
    data_dir: Path | None = None,
    *,
    model: str | None = None,
    workers: int = 1,
    peer: bool = True,
    limit: int | None = None,
    dump_errors: Path | None = None,
    set_dir: Path | None = None,
) -> dict[str, Any]:
    """Ask newsgraph (and the grep baseline) every question of the set and score the answers.

    `data_dir` is the data root holding `tempeval3/`, `reuters21578/` and
    `polnear/`; `limit` takes the first N questions over their evidence
    documents only, for a quick look.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    began = time.perf_counter()
    data_dir = Path(data_dir) if data_dir is not None else data_root()
    set_dir = Path(set_dir) if set_dir is not None else default_set_dir()
    if not (set_dir / "questions.jsonl").is_file():
        raise FileNotFoundError(f"no office questions at {set_dir} (run from a checkout)")
    for part in (TBAQ, REUTERS, POLNEAR):
        if not (data_dir / part).is_dir():
            raise FileNotFoundError(f"no {part} under {data_dir} (set $NEWSGRAPH_DATA or --data)")
    questions = load_questions(set_dir / "questions.jsonl")
    refs = load_documents(set_dir / "documents.txt")
    if limit is not None:
        questions = questions[:limit]
        wanted = {(e.collection, e.doc) for q in questions for e in q.evidence}
        refs = [r for r in refs if (r.collection, r.doc) in wanted]
    failures: list[Failure] = []
    seconds: dict[str, float] = {}

    start = time.perf_counter()
    articles = read_documents(refs, data_dir, failures)
    seconds["read"] = time.perf_counter() - start
    systems = [OURS, PEER] if peer else [OURS]
    per_question = [
        {
            "id": q.id,
            "office": q.office,
            "country": q.country,
            "org": q.org,
            "date": q.date,
            "holder": q.holder,
            "family": q.family,
            "changed_hands": q.changed_hands,
        }
        for q in questions
    ]
    with tempfile.TemporaryDirectory(prefix="newsgraph-offices-") as tmp:
        start = time.perf_counter()
        store = _build_store(
            articles, Path(tmp) / "offices.db", model=model, workers=workers, failures=failures
        )
        seconds["store"] = time.perf_counter() - start
        start = time.perf_counter()
        try:
            for q, row in zip(questions, per_question, strict=True):
                try:
                    answers = _ask(store, q)
                except LookupError as exc:  # NotFound: `who` does not know the country asked
                    failures.append(Failure(q.id, str(exc), system=OURS))
                    answers = []
                row[OURS] = _judge(answers, q)
        finally:
            store.close()
        seconds[OURS] = time.perf_counter() - start
    if peer:
        start = time.perf_counter()
        corpus = grep_corpus(articles)
        for q, row in zip(questions, per_question, strict=True):
            row[PEER] = _judge(grep_holders(q, corpus), q)
        seconds[PEER] = time.perf_counter() - start
    report: dict[str, Any] = {
        "task": "offices",
        "split": split,
        "data": str(data_dir),
        "set": str(set_dir),
        "documents": len(articles),
        "questions": len(questions),
        "changed_hands": sum(q.changed_hands for q in questions),
        "window_days": WINDOW_DAYS,
        "extractor_version": EXTRACTOR_VERSION,
        "systems": _summary(per_question, systems),
        "per_question": per_question,
        "seconds": {**seconds, "total": time.perf_counter() - began},
        "failures": [f.to_dict() for f in failures],
    }
    if dump_errors is not None:
        write_errors(per_question, Path(dump_errors))
    return report


def write_errors(per_question: list[dict[str, Any]], path: Path) -> None:
    """Every question newsgraph's first answer gets wrong, with what each system answered."""
    rows = [
        {**q, "wrong": [] if q[OURS]["top1"] else q[OURS]["answers"] or ["(no answer)"]} for q in per_question
    ]
    write_error_listing(rows, path, ("wrong",), _error_lines)


def _error_lines(row: dict[str, Any]) -> Iterator[str]:
    where = ", ".join(v for v in (row["country"], row["org"]) if v)
    yield f"{row['office']}{f' ({where})' if where else ''} on {row['date']}: {row['holder']}"
    for system in (OURS, PEER):
        if system in row:
            # A name as stored may span a line break of its article.
            names = [" ".join(name.split()) for name in row[system]["answers"]]
            yield f"{system}: {', '.join(names) or '(no answer)'}"


def format_markdown(report: dict[str, Any]) -> str:
    """Top-1, top-3 and answered per system, overall, by change of hands and by office family."""
    systems = list(report["systems"])
    groups = list(report["systems"][OURS])
    header = ["Questions", "n", *(f"{s} {m}" for s in systems for m in ("top-1", "top-3", "answered"))]
    rows = []
    for group in groups:
        row: list[Any] = [group, report["systems"][OURS][group]["questions"]]
        for system in systems:
            shares = report["systems"][system][group]
            row += [pct(shares[f"{m}_share"]) for m in ("top1", "top3", "answered")]
        rows.append(row)
    lines = [
        f"Offices {report['split']}: {report['questions']} questions "
        f"({report['changed_hands']} on offices that changed hands), {report['documents']} documents"
        + (
            f"; {PEER}: the most frequent capitalised name after the title within {report['window_days']} days"
            if PEER in systems
            else ""
        ),
        "",
        markdown_table(header, rows),
        "",
        seconds_line(report),
    ]
    if report["failures"]:
        lines.append(f"Failures: {len(report['failures'])} (see stderr)")
    return "\n".join(lines)
