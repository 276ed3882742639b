"""What keeps the web app safe to leave running: the write token, a cap on request bodies,
a per-client rate for costly requests and headers that forbid inline script and framing."""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import OrderedDict, deque
from typing import Any

from fastapi import HTTPException, Request

from newsgraph.settings import setting

TOKEN_ENV = str(setting("token").env)
TOKEN_HEADER = "X-Newsgraph-Token"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def token_matches(configured: str | None, offered: str | None) -> bool:
    if not configured or not offered:
        return False
    return hmac.compare_digest(configured.encode(), offered.encode())


def offered_token(request: Request) -> str | None:
    """The token a request carries: `Authorization: Bearer T` or `X-Newsgraph-Token: T`."""
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return request.headers.get(TOKEN_HEADER)


def check_token(configured: str | None, offered: str | None) -> None:
    """403 when the app is read-only (no token configured), 401 when the token is missing or wrong."""
    if not configured:
        raise HTTPException(403, f"read-only: writing needs ${TOKEN_ENV} set on the server")
    if not token_matches(configured, offered):
        raise HTTPException(401, "a valid token is required", headers={"WWW-Authenticate": "Bearer"})


def require_token(request: Request) -> None:
    """FastAPI dependency for the API's writing endpoints."""
    check_token(request.app.state.token, offered_token(request))


class PerClient:
    """At most `per_minute` requests a client (by address) over any 60 seconds; 429 past that.

    Per server process: with `serve --workers N` a client may get N times as many. Behind a
    proxy every client has the proxy's address, so the proxy should limit instead.
    """

    WINDOW = 60.0
    CLIENTS = 10_000  # addresses remembered; the least recently seen are forgotten first

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        with self._lock:
            times = self._seen.pop(client, None) or deque()
            while times and now - times[0] >= self.WINDOW:
                times.popleft()
            self._seen[client] = times
            while len(self._seen) > self.CLIENTS:
                self._seen.popitem(last=False)
            if len(times) >= self.per_minute:
                wait = max(1, int(self.WINDOW - (now - times[0])) + 1)
                raise HTTPException(
                    429,
                    f"over {self.per_minute} extractions a minute from this address; retry in {wait} s",
                    headers={"Retry-After": str(wait)},
                )
            times.append(now)


class Guard:
    """ASGI middleware: security headers on every response; request bodies over `max_body` bytes
    refused with 413, from Content-Length before anything is read, and while streaming otherwise;
    URLs with a NUL character refused with 400."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        refused = False

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if refused:
                return  # the 413 has gone out; what the app says after it is dropped
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *_HEADERS]}
            await send(message)

        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"").lower():
            # no store field can hold NUL (PostgreSQL text cannot), so no parameter may carry one
            await _error(send_with_headers, 400, "NUL characters are not accepted in the URL")
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _error(send_with_headers, 400, "malformed Content-Length")
                return
            if declared > self.max_body:
                await _error(send_with_headers, 413, f"request body over {self.max_body} bytes")
                return
        received = 0

        async def limited_receive() -> dict[str, Any]:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    if not started:
                        await _error(send_with_headers, 413, f"request body over {self.max_body} bytes")
                    refused = True
                    # the app sees the client gone and stops reading
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except Exception:
            if not refused:
                raise


async def _error(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
