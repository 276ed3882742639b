"""A web app over a real SQLite store filled from the sample article, and a real server for the browser."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.store import Store, open_store
from newsgraph.store.write import write_records

TOKEN = "test-token-0123456789"
# the sample's Press Secretary and one of his statements
PESKOV = "Dmitry Peskov"
PHRASE = "good impetus"


def sample_store(path: Path, records: list[dict[str, Any]]) -> Store:
    store = open_store(str(path))
    summary = write_records(store, records, command="web test")
    assert summary.failed == 0, summary.failures
    return store


def table_counts(store: Store) -> dict[str, int]:
    from sqlalchemy import func, select

    from newsgraph.store import schema as t

    with store.engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in t.metadata.sorted_tables
        }


@dataclass
class Server:
    url: str
    thread: threading.Thread
    server: Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_server(app: Any, read_timeout: float = 30) -> Iterator[Server]:
    """uvicorn serving `app` on a free port in a background thread, as `newsgraph serve` does
    (with its read deadline), until the generator is closed."""
    import uvicorn

    from newsgraph.web.server import ServerConfig

    port = free_port()
    config = ServerConfig(app, host="127.0.0.1", port=port, log_level="warning", read_timeout=read_timeout)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", thread, server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
