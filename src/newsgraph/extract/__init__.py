"""Extraction: one article in, one plain `newsgraph.article/1` record out.

`extract` is a pure function of the article (and the loaded pipeline), so it
runs the same in this process, in worker processes or on a cluster.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

from newsgraph.article import Article
from newsgraph.dates import parse_date
from newsgraph.extract.budget import BudgetPool, article_seconds
from newsgraph.extract.coref import Discourse
from newsgraph.extract.credits import find_credits
from newsgraph.extract.entities import build_entities, entity_gender, entity_spans
from newsgraph.extract.quotes import QuoteFinder
from newsgraph.extract.roles import extract_roles
from newsgraph.extract.timex import find_times
from newsgraph.nlp import load_pipeline, parse_input, pipeline_label, prepare
from newsgraph.record import EXTRACTOR_VERSION, SCHEMA, Record
from newsgraph.settings import value

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "ExtractError",
    "Extractor",
    "batches",
    "extract",
    "extract_doc",
    "extract_many",
    "map_batches",
    "parse_batch",
    "pool_context",
    "too_long",
    "worker_pipeline",
]


class ExtractError(Exception):
    """An article the extractor could not process; carries the article."""

    def __init__(self, article: Article, reason: str) -> None:
        super().__init__(reason)
        self.article = article
        self.reason = reason

    def __reduce__(self) -> tuple[type[ExtractError], tuple[Article, str]]:
        # Workers send failures back pickled; the default would call ExtractError(reason).
        return ExtractError, (self.article, self.reason)


def extract_doc(article: Article, doc: Doc, model_label: str) -> Record:
    """Build the record from an article and its parsed text."""
    credits, credit_lines = find_credits(article.text)
    table = build_entities(doc, entity_spans(doc))
    roles = extract_roles(doc, table, article.date)
    finder = QuoteFinder(doc, table, roles, Discourse(doc, table, credit_lines), credit_lines, article.date)
    quotes = finder.run()
    roles = roles + finder.inferred_roles
    times = find_times(doc, parse_date(article.date))
    entities = []
    for entity in table.entities:
        mentions = sorted(entity.mentions)
        entry: dict[str, Any] = {
            "id": entity.id,
            "type": entity.type,
            # a name wrapped over a line end ("Corazon\nAquino") is one name, spaced once
            "name": " ".join(entity.name.split()),
            "mentions": [
                {"start": s, "end": e, "text": article.text[s:e], "kind": kind} for s, e, kind in mentions
            ],
        }
        if entity.type == "PERSON" and (gender := entity_gender(entity, article.text)) is not None:
            entry["gender"] = gender
        entities.append(entry)
    return {
        "schema": SCHEMA,
        "extractor": {"version": EXTRACTOR_VERSION, "model": model_label},
        "article": article.to_dict(),
        "entities": entities,
        "roles": roles,
        "quotes": quotes,
        "times": times,
        "credits": credits,
    }


def too_long(article: Article) -> str | None:
    """Why `article` is not parsed at all, if it is over the size limit."""
    limit = int(value("max_article_chars") or 0)
    if len(article.text) <= limit:
        return None
    return f"{len(article.text):,} characters, over the {limit:,}-character limit (max_article_chars)"


def extract(article: Article, nlp: Language | None = None, model: str | None = None) -> Record:
    """Extract one article. `nlp` (or the pipeline named `model`) does the parsing."""
    if reason := too_long(article):
        raise ExtractError(article, reason)
    nlp = prepare(nlp) if nlp is not None else load_pipeline(model)
    return extract_doc(article, nlp(parse_input(nlp, article.text)), pipeline_label(nlp))


ErrorHandler = Callable[[ExtractError], None]


def parse_batch(nlp: Language, articles: list[Article]) -> list[Doc | str]:
    """Each article's Doc, or why it was not parsed (over the size limit, or spaCy failed)."""
    refused = [too_long(a) for a in articles]
    parsed = [a for a, reason in zip(articles, refused, strict=True) if reason is None]
    try:
        docs: list[Doc | str] = list(nlp.pipe(parse_input(nlp, a.text) for a in parsed))
    except Exception:  # one bad text spoils nlp.pipe's batch: parse one by one
        docs = []
        for article in parsed:
            try:
                docs.append(nlp(parse_input(nlp, article.text)))
            except Exception as exc:
                docs.append(f"{type(exc).__name__}: {exc}")
    found = iter(docs)
    return [reason if reason is not None else next(found) for reason in refused]


def _extract_batch(nlp: Language, articles: list[Article]) -> Iterator[Record | ExtractError]:
    """Records, or ExtractError for the articles that failed, in input order."""
    label = pipeline_label(nlp)
    for article, doc in zip(articles, parse_batch(nlp, articles), strict=True):
        if isinstance(doc, str):
            yield ExtractError(article, doc)
            continue
        try:
            yield extract_doc(article, doc, label)
        except Exception as exc:
            yield ExtractError(article, f"{type(exc).__name__}: {exc}")


_worker_nlp: Language | None = None
_worker_failure: str | None = None


def _worker_init(model: str | None) -> None:
    global _worker_nlp, _worker_failure
    if _worker_nlp is not None:
        return  # inherited from the parent through fork
    try:
        _worker_nlp = load_pipeline(model)
    except Exception as exc:
        # Raising here would make the pool restart the worker forever.
        _worker_failure = f"worker could not load the pipeline: {type(exc).__name__}: {exc}"


def worker_pipeline() -> Language:
    """The prepared pipeline of this worker process of `map_batches`."""
    if _worker_nlp is None:
        raise RuntimeError(_worker_failure or "worker has no pipeline")
    return _worker_nlp


def _worker_results(articles: list[Article], together: bool) -> Iterator[Record | ExtractError]:
    """A `BudgetPool` worker's work: each result sent as soon as it is made, so that the
    parent can tell which article runs over."""
    try:
        nlp = worker_pipeline()
    except RuntimeError as exc:
        yield from (ExtractError(article, str(exc)) for article in articles)
        return
    if together:
        yield from _extract_batch(nlp, articles)
        return
    for article in articles:
        yield from _extract_batch(nlp, [article])


def _share_pipeline(context: multiprocessing.context.BaseContext, parent: Callable[[], Language]) -> None:
    """Forked workers inherit the parent's loaded pipeline instead of loading their own."""
    global _worker_nlp
    if context.get_start_method() == "fork":
        _worker_nlp = parent()


def batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Lists of `size` articles (the last one shorter), read lazily."""
    iterator = iter(articles)
    while batch := list(islice(iterator, size)):
        yield batch


def pool_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it: workers share what the parent loaded
    (the pipeline) copy-on-write and start at once; spawn (macOS, Windows)
    makes every worker load it again."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def map_batches(
    function: Callable[[list[Article]], list[Any]],
    articles: Iterable[Article],
    batch_size: int,
    workers: int,
    model: str | None,
    parent: Callable[[], Language],
) -> Iterator[list[Any]]:
    """`function` of each batch, in input order, run in worker processes where
    `worker_pipeline()` is the prepared pipeline.

    At most a few batches per worker are in flight, so memory stays flat
    however long the input.
    """
    context = pool_context()
    _share_pipeline(context, parent)
    with context.Pool(workers, initializer=_worker_init, initargs=(model,)) as pool:
        pending: deque[Any] = deque()
        for batch in batches(articles, batch_size):
            pending.append(pool.apply_async(function, (batch,)))
            while len(pending) >= workers * 3:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def extract_many(
    articles: Iterable[Article],
    workers: int = 1,
    model: str | None = None,
    *,
    nlp: Language | None = None,
    batch_size: int = 32,
    on_error: ErrorHandler | None = None,
    seconds: float | None = None,
) -> Iterator[Record]:
    """Stream records in input order.

    With a time budget per article (`seconds`; with workers > 1 the
    `article_seconds` setting unless given) the extraction runs in worker
    processes (`workers`, at least one) that share the loaded pipeline and
    run the whole extraction on batches; an article over budget is a
    failure ("over the 30 s time budget") and the rest of its batch goes on.
    At most a few batches per worker are in flight, so memory stays flat
    however long the input. Without a budget (workers <= 1) it runs in this
    process. A failing article goes to `on_error` (or raises ExtractError
    when none is given) and the stream goes on.
    """

    def emit(results: Iterable[Any]) -> Iterator[Record]:
        for result in results:
            if isinstance(result, ExtractError):
                if on_error is None:
                    raise result
                on_error(result)
            else:
                yield result

    def pipeline() -> Language:
        return prepare(nlp) if nlp is not None else load_pipeline(model)

    if seconds is None and workers > 1:
        seconds = article_seconds()
    if seconds is None:
        loaded = pipeline()
        for batch in batches(articles, batch_size):
            yield from emit(_extract_batch(loaded, batch))
        return
    context = pool_context()
    _share_pipeline(context, pipeline)
    with BudgetPool(
        workers,
        init=partial(_worker_init, model),
        work=_worker_results,
        fail=ExtractError,
        seconds=seconds,
        context=context,
    ) as pool:
        for results in pool.map(batches(articles, batch_size)):
            yield from emit(results)


class Extractor:
    """The extraction every caller shares (CLI, web, batch, evaluation, tests): the pipeline
    named `model` (or the given `nlp`) is loaded on first use, once, and kept."""

    def __init__(self, model: str | None = None, *, nlp: Language | None = None) -> None:
        self.model = model
        self._nlp = prepare(nlp) if nlp is not None else None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_pipeline(self.model)
        return self._nlp

    @property
    def label(self) -> str:
        return pipeline_label(self.nlp)

    def __call__(self, article: Article) -> Record:
        return extract(article, self.nlp)

    def many(
        self,
        articles: Iterable[Article],
        workers: int = 1,
        *,
        batch_size: int = 32,
        on_error: ErrorHandler | None = None,
        seconds: float | None = None,
    ) -> Iterator[Record]:
        return extract_many(
            articles,
            workers,
            self.model,
            nlp=self.nlp,
            batch_size=batch_size,
            on_error=on_error,
            seconds=seconds,
        )
