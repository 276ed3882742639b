"""Fuzzing the web app: random paths, query strings and JSON bodies, with lone surrogates, NUL,
huge numbers and deep nesting among them. Never a 500, and never slower than the deadline of
each example (hypothesis fails a slow example as it fails a wrong one)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.web import create_app
from newsgraph.web.pool import ExtractLimits

from .web_fixtures import TOKEN, sample_store

DEADLINE_MS = 3000
FUZZ = settings(
    deadline=DEADLINE_MS,
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ROUTES = [
    "/api/stats",
    "/api/articles",
    "/api/articles/{}",
    "/api/people",
    "/api/people/{}",
    "/api/quotes",
    "/api/quotes/{}",
    "/api/search",
    "/api/who",
    "/api/timeline",
    "/api/{}",
    "/",
    "/search",
    "/article/{}",
    "/person",
    "/person/{}",
    "/office",
    "/quote/{}",
    "/timeline",
    "/{}",
]
PARAMETERS = ["q", "speaker", "search", "source", "month", "since", "until", "on", "title", "name"]
PARAMETERS += ["offset", "limit", "page", "future", "from", "to"]

# text with what breaks naive code: lone surrogates, NUL and other controls, RTL marks, emoji
nasty_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\ud800", "\udfff", "\x00", "\x1b", "\u202e", "\ufeff", "💥", ".", "/", "%", "&"]),
    ),
    max_size=40,
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["9" * 5000, "-0", "1e309", "NaN", "0x10", "1_000"]),
)
values = st.one_of(nasty_text, numbers, st.just("../../etc/passwd"), st.text(max_size=2000))


def _url_piece(text: str) -> str:
    # as a client would send it: UTF-8 percent-encoded, a lone surrogate as its raw code units
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, sample_record: dict[str, Any], nlp: Any
) -> Iterator[Any]:
    store = sample_store(tmp_path_factory.mktemp("fuzz") / "web.db", [sample_record])
    limits = ExtractLimits(workers=1, queue=1, seconds=2, per_minute=10)
    with TestClient(create_app(store, token=TOKEN, nlp=nlp, limits=limits)) as test_client:
        yield test_client
    store.close()


def _check(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if response.headers.get("content-type", "").startswith("application/json") and response.content:
        response.json()


@FUZZ
@given(
    method=st.sampled_from(["GET", "HEAD"]),
    route=st.sampled_from(ROUTES),
    segment=values,
    query=st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=4),
)
def test_any_url_is_answered(client: TestClient, method: str, route: str, segment: str, query: Any) -> None:
    path = route.format(_url_piece(segment))
    if query:
        path += "?" + "&".join(f"{name}={_url_piece(value)}" for name, value in query)
    _check(client.request(method, path))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(nasty_text, children, max_size=4)
    ),
    max_leaves=12,
)
article_like = st.fixed_dictionaries(
    {"text": st.one_of(nasty_text, json_values)},
    optional={
        "id": st.one_of(nasty_text, json_values),
        "date": st.one_of(st.dates().map(str), nasty_text, numbers),
        "title": nasty_text,
        "fact_key": nasty_text,
        "reason": nasty_text,
        "a": nasty_text,
        "b": nasty_text,
    },
)


def _raw_bodies() -> st.SearchStrategy[bytes]:
    depth = st.integers(min_value=1, max_value=100_000)
    return st.one_of(
        depth.map(lambda n: b"[" * n + b"]" * n),
        depth.map(lambda n: b'{"text": ' + b"[" * n + b"]" * n + b"}"),
        st.sampled_from([b'{"text": ' + b"9" * 5000 + b"}", b'{"text": 1e999999}', b"", b"{", b"\xff\xfe"]),
        st.binary(max_size=200),
    )


@FUZZ
@given(
    path=st.sampled_from(["/api/extract", "/api/articles", "/api/curate/merge", "/api/curate/reject"]),
    body=st.one_of(
        article_like.map(lambda b: json.dumps(b).encode()),
        json_values.map(lambda b: json.dumps(b).encode()),
        _raw_bodies(),
    ),
    token=st.booleans(),
)
def test_any_body_is_answered(client: TestClient, path: str, body: bytes, token: bool) -> None:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {TOKEN}"
    _check(client.post(path, content=body, headers=headers))
