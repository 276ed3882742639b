"""Extraction for the web app, off the request loop: a bounded pool of worker processes with a
deadline per article and a limit on how many extractions may wait.

Processes, not threads: extraction is CPU-bound Python that would hold the GIL against every
read request, and a pathological text can keep spaCy's tokenizer busy for minutes with no way
to interrupt it but killing the process. A worker over its deadline is killed and replaced.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from newsgraph.article import Article
from newsgraph.extract import Extractor, pool_context
from newsgraph.extract.budget import article_seconds, let_go_of_inherited, limit_memory
from newsgraph.record import Record
from newsgraph.settings import value

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from spacy.language import Language


WORKER_NICENESS = 10
LOAD_SECONDS = 300  # a pipeline loads once per worker; a large one from a cold disk takes a while


@dataclass(frozen=True, slots=True)
class ExtractLimits:
    """How much extraction the web app does for its clients (the settings of the same names)."""

    workers: int = 1
    queue: int = 4
    seconds: float = 30
    per_minute: int = 30
    needs_token: bool = False

    @classmethod
    def from_settings(cls) -> ExtractLimits:
        return cls(
            workers=max(1, int(value("extract_workers") or 1)),
            queue=max(0, int(value("extract_queue") or 0)),
            seconds=article_seconds() or 30,
            per_minute=int(value("extract_per_minute") or 0),
            needs_token=str(value("extract_needs_token") or "no").lower() in ("yes", "true", "1"),
        )


class PoolError(Exception):
    """An extraction the pool could not do; `status` is the HTTP status that says why."""

    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Busy(PoolError):
    status = 429


class TimedOut(PoolError):
    status = 504


class WorkerLost(PoolError):
    status = 503


class ExtractionFailed(PoolError):
    # the extractor raised on this input: the input is what it could not process
    status = 422


def _serve(conn: Connection, model: str | None, nlp: Language | None) -> None:
    """A worker's loop: articles in, ("ok", record) or ("error", reason) out, until the pipe closes."""
    # what the server had is the server's: never collected (and finalised) here
    gc.freeze()
    let_go_of_inherited(conn.fileno())
    # Ctrl-C in a terminal reaches the whole process group; the server stops its workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # on a busy machine the server's reads come first: an extraction may wait, a page should not
    os.nice(WORKER_NICENESS)
    limit_memory()
    extractor = Extractor(model, nlp=nlp)
    try:
        extractor.nlp  # noqa: B018 - loaded before the first article, so its deadline is extraction's alone
    except Exception as exc:
        conn.send(
            ("failed", f"the extraction worker could not load the pipeline: {type(exc).__name__}: {exc}")
        )
        return
    conn.send(("ready", None))
    while True:
        try:
            article = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", extractor(article))
        except Exception as exc:
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


class _Worker:
    def __init__(self, model: str | None, nlp: Language | None) -> None:
        context = pool_context()
        self.conn, child = context.Pipe()
        # fork (where the platform has it) hands the worker the parent's pipeline, if it has one
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, model, nlp), name="newsgraph-extract", daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False

    def run(self, article: Article, seconds: float) -> Record:
        """The record, or a PoolError; blocks its thread (never the event loop) until done."""
        try:
            if not self.ready:
                self._wait_until_loaded()
            self.conn.send(article)
            if not self.conn.poll(seconds):
                self.stop()
                raise TimedOut(f"extraction took over {seconds:g} s and was stopped")
            kind, payload = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            code = self.process.exitcode
            raise WorkerLost(f"the extraction worker ended (exit code {code}); try again") from exc
        if kind == "error":
            raise ExtractionFailed(f"extraction failed: {payload}")
        return payload

    def _wait_until_loaded(self) -> None:
        if not self.conn.poll(LOAD_SECONDS):
            self.stop()
            raise WorkerLost(f"the extraction worker did not load its pipeline in {LOAD_SECONDS} s")
        kind, reason = self.conn.recv()
        if kind != "ready":
            self.stop()
            raise WorkerLost(reason)
        self.ready = True

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not self.conn.closed

    def stop(self) -> None:
        # the only way to interrupt spaCy's tokenizer mid-text
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ExtractionPool:
    """`await pool.extract(article)`: at most `workers` extractions run, at most `queue` more wait
    (more are `Busy`), each within `seconds` (else `TimedOut`, and its worker is replaced).

    Workers start on the first extraction, so a server that only reads never starts one.
    """

    def __init__(self, limits: ExtractLimits, model: str | None = None, nlp: Language | None = None) -> None:
        self.limits = limits
        self._model = model
        self._nlp = nlp
        self._idle: list[_Worker] = []
        self._admitted = 0
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._lock = threading.Lock()
        self._closed = False

    async def extract(self, article: Article) -> Record:
        with self._lock:
            if self._closed:
                raise WorkerLost("the server is shutting down")
            if self._admitted >= self.limits.workers + self.limits.queue:
                raise Busy(
                    f"{self._admitted} extractions running or waiting (the limit is "
                    f"{self.limits.workers} + {self.limits.queue}); try again later"
                )
            self._admitted += 1
        try:
            # a thread per admitted extraction, bounded by the admission above; it waits on the
            # worker's pipe so the event loop never does
            return await asyncio.to_thread(self._run, article)
        finally:
            with self._lock:
                self._admitted -= 1

    def _run(self, article: Article) -> Record:
        with self._slots:
            worker = self._take()
            try:
                return worker.run(article, self.limits.seconds)
            finally:
                self._give_back(worker)

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                worker.stop()
        return _Worker(self._model, self._nlp)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.alive and not self._closed:
                self._idle.append(worker)
                return
        worker.stop()
        if not self._closed:
            # a killed worker's replacement starts now, loading its pipeline before it is needed
            replacement = _Worker(self._model, self._nlp)
            with self._lock:
                self._idle.append(replacement)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.stop()
