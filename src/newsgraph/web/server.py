"""Serving the app with uvicorn: a deadline on reading each request, and several processes.

uvicorn's h11 protocol waits for a request's headers and body as long as the client
likes, so a few hundred slow clients hold the server's connections open at no cost to them.
Here a connection has `read_timeout` seconds from its first byte (or from being opened) until
its request has fully arrived; past that it gets a 408 where nothing was answered yet, and is
closed. Idle keep-alive connections are closed after `KEEP_ALIVE` seconds (uvicorn's own timer).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors import Multiprocess

KEEP_ALIVE = 5  # seconds an idle keep-alive connection is kept

_TIMED_OUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
# the client's side of a request still arriving
_READING = (h11.IDLE, h11.SEND_BODY)


class ReadTimeoutProtocol(H11Protocol):
    """h11 with a deadline on each request's arrival (headers and body)."""

    def __init__(self, config: ServerConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.read_timeout = config.read_timeout
        self._read_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state in _READING:
            # the first byte of a new request starts its clock (uvicorn stops keep-alive's)
            self._arm()
        super().data_received(data)
        if self.conn.their_state not in _READING:
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # a pipelined request already buffered is now being read: its clock runs
        if self.conn.their_state in _READING and self.conn.trailing_data[0]:
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._read_deadline is None:
            self._read_deadline = self.loop.call_later(self.read_timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _timed_out(self) -> None:
        self._read_deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete or not self.cycle.response_started:
            self.transport.write(_TIMED_OUT)
        if self.cycle is not None:
            # the app waiting on the body sees the client gone
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.transport.close()


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration with the read deadline; picklable, so `workers` > 1 works."""

    def __init__(self, app: Any, *, read_timeout: float, **kwargs: Any) -> None:
        super().__init__(
            app,
            http=ReadTimeoutProtocol,
            timeout_keep_alive=min(KEEP_ALIVE, max(1, int(read_timeout))),
            **kwargs,
        )
        self.read_timeout = read_timeout


def serve(
    app: FastAPI,
    *,
    host: str,
    port: int,
    workers: int = 1,
    factory: Callable[[], FastAPI] | None = None,
    read_timeout: float = 30,
    log_level: str = "warning",
) -> None:
    """Serve `app`; with `workers` > 1, in that many processes sharing one socket, each with the
    app `factory` makes there (its own store connections and extraction pool): `factory` must be
    picklable, a module-level function or a `functools.partial` of one."""
    several = workers > 1 and factory is not None
    config = ServerConfig(
        factory if several else app,
        factory=several,
        host=host,
        port=port,
        workers=workers if several else 1,
        read_timeout=read_timeout,
        log_level=log_level,
    )
    if not several:
        uvicorn.Server(config).run()
        return
    # uvicorn's own supervisor (as `uvicorn --workers`): it restarts a serving process that dies
    Multiprocess(config, sockets=[config.bind_socket()]).run()
