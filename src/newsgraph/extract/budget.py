"""Worker processes with a time budget per article: one stuck article costs its budget, never the run.

No signal stops a worker stuck in C code (spaCy's tokenizer or parser), so each
worker is a process the parent watches. Every article's result must come within
the budget of the one before, else the worker is killed and replaced, the
article becomes a failure, and the rest of its batch runs again in the new worker.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from newsgraph.article import Article
from newsgraph.settings import value

# (articles, together) -> one result per article, in order. With `together` the
# articles may be parsed as one batch (nlp.pipe) before the first result comes.
Work = Callable[[list[Article], bool], Iterator[Any]]
# (article, reason) -> the result that stands for an article that gave none
Fail = Callable[[Article, str], Any]

# Well under the small English pipeline's parse speed on a shared 2-core machine: a batch
# with fewer characters than this times the budget is parsed together, in one budget,
# with room to spare; a bigger one article by article, each with its own.
CHARS_PER_SECOND = 8_000


def article_seconds() -> float:
    """The time budget of one article, the `article_seconds` setting."""
    return float(value("article_seconds") or 0)


def over_budget(seconds: float) -> str:
    return f"over the {seconds:g} s time budget"


@dataclass
class _Task:
    batch: int  # which batch, to put results back in input order
    start: int  # the task runs the batch's articles from here on
    together: bool


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: _Task | None = None
    received: int = 0
    deadline: float = 0.0


def let_go_of_inherited(keep: int) -> None:
    """Point every socket, pipe and open file a forked worker inherited at /dev/null: a server's
    listening socket and its clients' connections, a store's database connections and files,
    the lock file an ingest run holds, the parent's end of this worker's own pipe, pipes to
    other programs. Otherwise a connection the server closes stays open while the worker
    lives, its client waits on it, a killed ingest's database session and run lock (flock
    locks belong to the open file, which a fork shares) outlive it, and this worker never sees
    its own pipe close when its parent dies.
    dup2 rather than close: a number stays taken, so nothing inherited can later close a new one.
    """
    if not os.path.isdir("/proc/self/fd"):
        return  # not Linux: workers are spawned there, and inherit nothing
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd <= 2 or fd in (keep, devnull):
                continue
            try:
                mode = os.fstat(fd).st_mode
            except OSError:
                continue  # the descriptor listdir itself used
            if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode) or stat.S_ISREG(mode):
                os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def limit_memory() -> None:
    """Let this (worker) process grow by at most `article_memory_mb` of address space beyond what
    it holds now: an article whose parse would take gigabytes then fails with MemoryError in its
    worker, the machine unharmed. Relative, not absolute, because what a worker inherits differs
    widely (a Ray actor reserves gigabytes of address space it never touches)."""
    megabytes = int(value("article_memory_mb") or 0)
    if megabytes <= 0 or not hasattr(resource, "RLIMIT_AS") or not os.path.exists("/proc/self/statm"):
        return
    with open("/proc/self/statm") as statm:
        held = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = held + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _serve(conn: Connection, inherited: list[Connection], init: Callable[[], None], work: Work) -> None:
    # A forked worker holds copies of the parent's ends of every pipe open at the fork,
    # its own included: closed here, so that the parent's close reads as EOF.
    for end in inherited:
        end.close()
    let_go_of_inherited(conn.fileno())
    limit_memory()
    init()
    while True:
        try:
            articles, together = conn.recv()
        except EOFError:  # the parent closed the pool or is gone
            return
        for result in work(articles, together):
            conn.send(result)


class BudgetPool:
    """`workers` processes that run `work` on batches of articles, each article within `seconds`.

    `init` runs first in each new worker (loading the pipeline where the
    worker did not inherit it); `fail` makes the result of an article that
    ran over or whose worker died.
    """

    def __init__(
        self,
        workers: int,
        *,
        init: Callable[[], None],
        work: Work,
        fail: Fail,
        seconds: float,
        context: multiprocessing.context.BaseContext,
    ) -> None:
        self.seconds = seconds
        self._init, self._work, self._fail, self._context = init, work, fail, context
        self._workers: list[_Worker] = []
        for _ in range(max(1, workers)):
            self._workers.append(self._start())
        self._articles: dict[int, list[Article]] = {}
        self._results: dict[int, list[Any]] = {}
        self._left: dict[int, int] = {}
        self._todo: deque[_Task] = deque()

    def __enter__(self) -> BudgetPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.conn.close()  # an idle worker reads EOF and returns
            if worker.task is not None:
                worker.process.kill()
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self._workers = []

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[Any]]:
        """Each batch's results, in input order; at most a few batches per worker are read ahead."""
        source = enumerate(batches)
        following = 0
        exhausted = False
        while True:
            while not exhausted and len(self._left) < 3 * len(self._workers):
                try:
                    number, batch = next(source)
                except StopIteration:
                    exhausted = True
                    break
                self._articles[number], self._results[number] = batch, [None] * len(batch)
                self._left[number] = len(batch)
                chars = sum(len(a.text) for a in batch)
                self._todo.append(
                    _Task(number, 0, len(batch) > 1 and chars <= self.seconds * CHARS_PER_SECOND)
                )
            while following in self._left and self._left[following] == 0:
                del self._left[following], self._articles[following]
                yield self._results.pop(following)
                following += 1
            if exhausted and not self._left:
                return
            self._dispatch()
            busy = [w for w in self._workers if w.task is not None]
            wait([w.conn for w in busy], timeout=max(0.0, min(w.deadline for w in busy) - time.monotonic()))
            for worker in busy:
                self._collect(worker)

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        inherited = []
        if self._context.get_start_method() == "fork":
            inherited = [ours, *(w.conn for w in self._workers if not w.conn.closed)]
        process = self._context.Process(
            target=_serve, args=(theirs, inherited, self._init, self._work), daemon=True
        )
        process.start()
        theirs.close()  # so that the worker's death reads as EOF here
        return _Worker(process, ours)

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers[self._workers.index(worker)] = self._start()

    def _dispatch(self) -> None:
        for worker in list(self._workers):
            if worker.task is None and self._todo:
                task = self._todo.popleft()
                try:
                    worker.conn.send((self._articles[task.batch][task.start :], task.together))
                except OSError:  # died while idle: nothing of its own is lost
                    self._todo.appendleft(task)
                    self._replace(worker)
                    continue
                worker.task, worker.received = task, 0
                worker.deadline = time.monotonic() + self.seconds

    def _record(self, batch: int, index: int, result: Any) -> None:
        self._results[batch][index] = result
        self._left[batch] -= 1

    def _collect(self, worker: _Worker) -> None:
        """Take what `worker` has sent; lose it if it died or its article ran over."""
        task = worker.task
        assert task is not None
        size = len(self._articles[task.batch])
        try:
            while worker.task is not None and worker.conn.poll():
                self._record(task.batch, task.start + worker.received, worker.conn.recv())
                worker.received += 1
                worker.deadline = time.monotonic() + self.seconds
                if task.start + worker.received == size:
                    worker.task = None
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            self._lose(worker, f"worker process died (exit code {worker.process.exitcode})")
            return
        if worker.task is not None and time.monotonic() >= worker.deadline:
            self._lose(worker, over_budget(self.seconds))

    def _lose(self, worker: _Worker, reason: str) -> None:
        """Replace the worker, fail the article it was on (unless a whole batch was being
        parsed: then none is to blame yet), and run the rest of its task again."""
        task = worker.task
        assert task is not None
        index = task.start + worker.received
        self._replace(worker)
        batch = self._articles[task.batch]
        if not (task.together and index == task.start and len(batch) - index > 1):
            self._record(task.batch, index, self._fail(batch[index], reason))
            index += 1
        if index < len(batch):
            self._todo.appendleft(_Task(task.batch, index, together=False))
