"""What routes get from the app: its store, and extraction for /api/extract and ingest."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from fastapi import Request

from newsgraph.article import Article
from newsgraph.extract import Extractor
from newsgraph.record import Record
from newsgraph.store import Store

if TYPE_CHECKING:
    from spacy.language import Language


class Extraction:
    """The app's `Extractor`, made on the first request that extracts: serving reads needs no
    spaCy, and a pipeline loads once, on first use."""

    def __init__(self, model: str | None = None, nlp: Language | None = None) -> None:
        self._model = model
        self._nlp = nlp
        self._extractor: Extractor | None = None
        # one extraction at a time: a pipeline is not meant to be shared between threads
        self._lock = threading.Lock()

    def __call__(self, article: Article) -> Record:
        with self._lock:
            if self._extractor is None:
                self._extractor = Extractor(self._model, nlp=self._nlp)
            return self._extractor(article)


def store(request: Request) -> Store:
    return request.app.state.store


def extract(request: Request, article: Article) -> Record:
    return request.app.state.extraction(article)
