"""Parse each document once, then run newsgraph and its peer on it, in worker processes.

Scorers hand over an `analyse(article, doc, nlp)` function (module level, so
it pickles) that returns one `Timed` answer per system. The spaCy parse is
shared: newsgraph's record comes from `extract_doc` on the Doc that
`extract_many` would build, and a peer that reads the same Doc needs no
parse of its own. `nlp` is the prepared pipeline, for a peer that must run
without newsgraph's components.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.evaluate.common import OURS, Timed, timed
from newsgraph.extract import Extractor, batches, map_batches, parse_batch, worker_pipeline

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["Analyse", "Outcome", "answers", "peer_then_ours", "run"]

Analyse = Callable[[Article, "Doc", "Language"], dict[str, Timed]]


@dataclass(slots=True)
class Outcome:
    """One document: each system's answer, or why the document could not be parsed."""

    article: Article
    results: dict[str, Timed] = field(default_factory=dict)
    parse_seconds: float = 0.0
    error: str | None = None


def answers(
    outcome: Outcome, systems: list[str], failures: list[Failure], seconds: dict[str, float]
) -> dict[str, Any]:
    """Each system's answer for one document, None where it failed.

    A failure is recorded with the document's path and the reason; the time
    each system and the shared parse took is added to `seconds`.
    """
    seconds["parse"] += outcome.parse_seconds
    found: dict[str, Any] = {}
    for system in systems:
        result = outcome.results.get(system)
        if result is None or result.error is not None:
            reason = outcome.error or (result.error if result else "no result")
            failures.append(Failure(outcome.article.where(), reason, system))
            found[system] = None
        else:
            seconds[system] += result.seconds
            found[system] = result.value
    return found


def peer_then_ours(
    ours: Callable[[Article, Doc, Language], Any],
    theirs: Callable[[Doc], Any],
    peer_name: str,
    peer: bool,
    article: Article,
    doc: Doc,
    nlp: Language,
) -> dict[str, Timed]:
    """An `Analyse` (with the first four bound by `functools.partial`) for a peer that reads
    the shared Doc: the peer first, so it reads the Doc exactly as spaCy left it; then ours."""
    results = {}
    if peer:
        results[peer_name] = timed(theirs, doc)
    results[OURS] = timed(ours, article, doc, nlp)
    return results


def _analyse_batch(nlp: Language, analyse: Analyse, articles: list[Article]) -> list[Outcome]:
    start = time.perf_counter()
    docs = parse_batch(nlp, articles)
    each = (time.perf_counter() - start) / max(1, len(articles))
    outcomes = []
    for article, doc in zip(articles, docs, strict=True):
        if isinstance(doc, str):
            outcomes.append(Outcome(article, parse_seconds=each, error=f"spaCy could not parse it: {doc}"))
        else:
            outcomes.append(Outcome(article, analyse(article, doc, nlp), each))
    return outcomes


def _worker_batch(analyse: Analyse, articles: list[Article]) -> list[Outcome]:
    return _analyse_batch(worker_pipeline(), analyse, articles)


def run(
    articles: Iterable[Article],
    analyse: Analyse,
    *,
    workers: int = 1,
    model: str | None = None,
    batch_size: int = 8,
) -> Iterator[Outcome]:
    """Outcomes in input order. Raises OSError only when the pipeline cannot be loaded."""
    nlp = Extractor(model).nlp
    if workers <= 1:
        for batch in batches(articles, batch_size):
            yield from _analyse_batch(nlp, analyse, batch)
        return
    work = functools.partial(_worker_batch, analyse)
    for outcomes in map_batches(work, articles, batch_size, workers, model, lambda: nlp):
        yield from outcomes
