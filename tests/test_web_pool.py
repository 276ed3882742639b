"""Extraction in the web app runs in worker processes: a real server (uvicorn), real processes,
a real pipeline with one extra component that stalls (a regex that backtracks for minutes while
holding the GIL, as spaCy's tokenizer does on a long punctuation run) or kills its process."""

from __future__ import annotations

import multiprocessing
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from newsgraph.web import create_app
from newsgraph.web.pool import ExtractLimits

from .web_fixtures import TOKEN, Server, run_server

STALL = "STALL-THIS-WORKER"
CRASH = "CRASH-THIS-WORKER"
ARTICLE = {"text": "Press Secretary Anna Example said on Tuesday that the reform will start in May."}
DEADLINE = 2.0


def _trap(doc: Any) -> Any:
    if STALL in doc.text:
        re.match(r"(a+)+$", "a" * 34 + "b")  # hours of backtracking, GIL held throughout
    if CRASH in doc.text:
        os._exit(3)
    return doc


@pytest.fixture(scope="module")
def trapped_nlp() -> Any:
    from spacy.language import Language

    from newsgraph.nlp import load_pipeline

    if not Language.has_factory("newsgraph_test_trap"):
        Language.component("newsgraph_test_trap", func=_trap)
    # a pipeline of its own, past the loader's cache: the session's shared one must not carry the trap
    nlp = load_pipeline.__wrapped__()
    nlp.add_pipe("newsgraph_test_trap", first=True)
    return nlp


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory, sample_record: dict[str, Any]) -> Iterator[Any]:
    from .web_fixtures import sample_store

    store = sample_store(tmp_path_factory.mktemp("pool") / "web.db", [sample_record])
    yield store
    store.close()


def _serve(kb: Any, nlp: Any, read_timeout: float = 30, **limits: Any) -> Iterator[Server]:
    wanted = {"workers": 1, "queue": 1, "seconds": DEADLINE, "per_minute": 1000, **limits}
    app = create_app(kb, token=TOKEN, nlp=nlp, limits=ExtractLimits(**wanted))
    yield from run_server(app, read_timeout=read_timeout)


@pytest.fixture(scope="module")
def server(kb: Any, trapped_nlp: Any) -> Iterator[Server]:
    yield from _serve(kb, trapped_nlp)


def _extract(url: str, text: str, results: list[httpx.Response]) -> None:
    results.append(httpx.post(f"{url}/api/extract", json={"text": text}, timeout=60))


def test_a_stalled_extraction_is_stopped_and_reads_go_on(server: Server) -> None:
    results: list[httpx.Response] = []
    started = time.monotonic()
    poster = threading.Thread(target=_extract, args=(server.url, f"Text. {STALL}", results))
    poster.start()
    slowest = 0.0
    with httpx.Client(base_url=server.url, timeout=30) as client:
        while poster.is_alive():
            began = time.monotonic()
            assert client.get("/api/stats").status_code == 200
            slowest = max(slowest, time.monotonic() - began)
            time.sleep(0.05)
    poster.join()
    took = time.monotonic() - started
    (stalled,) = results
    assert stalled.status_code == 504, stalled.text
    assert f"over {DEADLINE:g} s" in stalled.json()["detail"]
    assert DEADLINE <= took < DEADLINE + 20
    # no read waited for the stalled extraction
    assert slowest < 1.0, slowest
    # the killed worker was replaced: the next extraction works
    fine = httpx.post(f"{server.url}/api/extract", json=ARTICLE, timeout=60)
    assert fine.status_code == 200 and fine.json()["quotes"], fine.text


def test_a_lost_worker_is_503_and_replaced(server: Server) -> None:
    lost = httpx.post(f"{server.url}/api/extract", json={"text": f"Text. {CRASH}"}, timeout=60)
    assert lost.status_code == 503 and "exit code 3" in lost.json()["detail"], lost.text
    assert httpx.post(f"{server.url}/api/extract", json=ARTICLE, timeout=60).status_code == 200


def test_a_full_queue_is_429(kb: Any, trapped_nlp: Any) -> None:
    for server in _serve(kb, trapped_nlp, queue=0):
        results: list[httpx.Response] = []
        poster = threading.Thread(target=_extract, args=(server.url, f"Text. {STALL}", results))
        poster.start()
        time.sleep(0.5)  # the stalled one holds the only worker
        refused = httpx.post(f"{server.url}/api/extract", json=ARTICLE, timeout=60)
        assert refused.status_code == 429 and "limit is 1 + 0" in refused.json()["detail"], refused.text
        assert refused.headers["retry-after"]
        ingest = httpx.post(
            f"{server.url}/api/articles",
            json=ARTICLE,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
        assert ingest.status_code == 429, "ingest goes through the same pool"
        poster.join()
        assert results[0].status_code == 504


def test_rate_per_client_and_token(kb: Any, nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    limits = ExtractLimits(per_minute=2, needs_token=True)
    with TestClient(create_app(kb, token=TOKEN, nlp=nlp, limits=limits)) as client:
        assert client.post("/api/extract", json=ARTICLE).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert [client.post("/api/extract", json=ARTICLE, headers=auth).status_code for _ in range(2)] == [
            200,
            200,
        ]
        third = client.post("/api/extract", json=ARTICLE, headers=auth)
        assert third.status_code == 429 and int(third.headers["retry-after"]) > 0
    assert ExtractLimits.from_settings().needs_token is False
    monkeypatch.setenv("NEWSGRAPH_EXTRACT_NEEDS_TOKEN", "yes")
    assert ExtractLimits.from_settings().needs_token is True


def test_workers_stop_with_the_server(kb: Any, nlp: Any) -> None:
    def extract_workers() -> list[Any]:
        return [p for p in multiprocessing.active_children() if p.name == "newsgraph-extract"]

    before = len(extract_workers())
    for server in _serve(kb, nlp, workers=2):
        assert httpx.post(f"{server.url}/api/extract", json=ARTICLE, timeout=60).status_code == 200
        assert len(extract_workers()) == before + 1  # started on demand, one per extraction at once
    assert len(extract_workers()) == before


def test_workers_hold_no_connection_of_the_server(kb: Any, nlp: Any) -> None:
    """A worker forks from the server: a connection open then must still close when the server
    closes it, not when the worker ends."""
    for server in _serve(kb, nlp, read_timeout=1):
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as silent:
            # the worker starts (forks) while `silent` is open
            assert httpx.post(f"{server.url}/api/extract", json=ARTICLE, timeout=60).status_code == 200
            started = time.monotonic()
            received = b""
            while chunk := silent.recv(65536):  # the read deadline closes it; a held copy would not
                received += chunk
        assert received.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 5
