"""The CLI and the web read through the same `newsgraph.query` functions: for one person they
give the same person (name, roles, quotes), and they give the same timeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.extract import extract
from newsgraph.store.write import write_records
from newsgraph.web import create_app

from .test_query import EXTRA

runner = CliRunner()


@pytest.fixture
def kb(store: Any, nlp: Any, sample_record: dict[str, Any]) -> Any:
    records = [sample_record, *(extract(article, nlp) for article in EXTRA)]
    assert write_records(store, records, command="test").failed == 0
    return store


@pytest.fixture
def client(kb: Any, nlp: Any) -> Iterator[TestClient]:
    with TestClient(create_app(kb, nlp=nlp)) as test_client:
        yield test_client


def _cli(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_same_person_from_the_cli_and_the_web(kb: Any, store_url: str, client: TestClient) -> None:
    person_id = _cli("person", "Peskov", "--db", store_url)["id"]
    cli = _cli("person", person_id, "--latest", "50", "--db", store_url)
    web = client.get(f"/api/people/{person_id}", params={"limit": 50}).json()
    assert cli["id"] == web["id"] == person_id
    for key in ("name", "aliases", "roles", "quote_count", "quotes", "co_mentioned"):
        assert cli[key] == web[key], key
    assert len(cli["quotes"]) == cli["quote_count"] > 5
    assert {r["title"] for r in cli["roles"]} >= {"Press Secretary", "spokesman"}


def test_same_timeline_from_the_cli_and_the_web(kb: Any, store_url: str, client: TestClient) -> None:
    cli = _cli("timeline", "--db", store_url)
    web = client.get("/api/timeline", params={"limit": 100}).json()
    assert web["more"] is False
    assert cli == web["items"]
    # every precision is on both: days, months, weeks and years
    assert {e["precision"] for e in cli} >= {"day", "month", "week"}
    window = _cli("timeline", "--from", "2025-01-01", "--to", "2025-03-31", "--db", store_url)
    paged = client.get("/api/timeline", params={"since": "2025-01-01", "until": "2025-03-31"}).json()
    assert window == paged["items"]
