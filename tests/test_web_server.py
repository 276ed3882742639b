"""The server as `newsgraph serve` runs it: a deadline on reading each request, keep-alive, and
several processes (`--workers`), over real sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsgraph.web import create_app

from .web_fixtures import Server, free_port, run_server, sample_store

READ_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, sample_record: dict[str, Any]) -> Path:
    path = tmp_path_factory.mktemp("server") / "web.db"
    sample_store(path, [sample_record]).close()
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[Server]:
    yield from run_server(create_app(str(db)), read_timeout=READ_TIMEOUT)


def _connect(server: Server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=READ_TIMEOUT + 10)
    return sock


def _answer(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and how long that took."""
    started = time.monotonic()
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received, time.monotonic() - started


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # connects and says nothing
        b"GET /api/stats HTTP/1.1\r\nHost: x\r\n",  # headers never end
        b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"text": "',  # body never ends
    ],
    ids=["silent", "slow-headers", "slow-body"],
)
def test_slow_clients_are_cut_off(server: Server, sent: bytes) -> None:
    with _connect(server) as sock:
        sock.sendall(sent)
        received, took = _answer(sock)
    assert received.startswith(b"HTTP/1.1 408"), received[:200]
    assert READ_TIMEOUT * 0.8 <= took < READ_TIMEOUT + 5


def test_a_steady_client_is_served(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for _ in range(3):
            assert client.get("/api/stats").status_code == 200
            time.sleep(READ_TIMEOUT * 0.6)  # the clock runs per request, not per connection
    with _connect(server) as sock:
        # a request sent in pieces, each well within the deadline, is answered
        for piece in (b"GET /api/stats HTTP/1.1\r\n", b"Host: x\r\n", b"Connection: close\r\n\r\n"):
            sock.sendall(piece)
            time.sleep(READ_TIMEOUT * 0.2)
        received, _ = _answer(sock)
    assert received.startswith(b"HTTP/1.1 200"), received[:200]


def test_serve_with_several_workers(db: Path) -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "newsgraph.cli",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    env = {**os.environ, "NEWSGRAPH_TOKEN": ""}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"{url}/api/stats", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(
                        f"serve --workers 2 did not start: {process.stdout and process.stdout.read()}"
                    )
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()["articles"] == 1
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        if children.exists():
            # the supervisor and its two serving processes
            assert len(children.read_text().split()) >= 2
        with httpx.Client(base_url=url, timeout=10) as client:
            assert all(client.get("/api/articles").status_code == 200 for _ in range(20))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, process.stdout and process.stdout.read()
