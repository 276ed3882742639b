"""One name resolver: `person`, `quotes --speaker`, `merge` and the web pick the same id for a
name, on a store where the name belongs to two entities ("Putin" alone in one article,
"Vladimir Putin" in another)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from newsgraph.article import Article
from newsgraph.cli import app
from newsgraph.extract import extract
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.resolve import candidates, resolve_entity
from newsgraph.store.write import write_records
from newsgraph.web import create_app

runner = CliRunner()
# the surname alone comes first, so that it is minted as an entity of its own
ARTICLES = [
    Article('Putin said that "the talks went well."', id="putin-alone", date="2025-01-10"),
    Article(
        'Russian President Vladimir Putin said that "the economy is growing."',
        id="putin-full",
        date="2025-02-10",
    ),
]


@pytest.fixture
def two_putins(store: Any, nlp: Any) -> Any:
    summary = write_records(store, [extract(article, nlp) for article in ARTICLES], command="test")
    assert summary.failed == 0
    with store.engine.connect() as conn:
        named = {r.name for r in conn.execute(select(t.entities.c.name).where(t.entities.c.type == "PERSON"))}
    assert {"Putin", "Vladimir Putin"} <= named, named
    return store


@pytest.fixture
def client(two_putins: Any, nlp: Any) -> Iterator[TestClient]:
    with TestClient(create_app(two_putins, token="t" * 20, nlp=nlp)) as test_client:
        yield test_client


def _cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_reader_and_curation_pick_the_same_id(
    two_putins: Any, store_url: str, client: TestClient
) -> None:
    with two_putins.engine.connect() as conn:
        curation = Curation.load(conn)
        chosen = resolve_entity(conn, "Putin", curation)
        assert candidates(conn, "Putin", curation) == [chosen]
        assert resolve_entity(conn, "Putin", curation, kind="PERSON") == chosen
        # a surname alone means the person known by that surname: the one with the full name
        assert resolve_entity(conn, "Vladimir Putin", curation) == chosen
        alone = conn.execute(
            select(t.entities.c.id).where(t.entities.c.type == "PERSON", t.entities.c.name == "Putin")
        ).scalar_one()
    assert alone != chosen

    assert _cli("person", "Putin", "--json", "--db", store_url)["id"] == chosen
    hits = _cli("quotes", "--speaker", "Putin", "--json", "--db", store_url)
    assert hits and {h["speaker_id"] for h in hits} == {chosen}

    assert [p["id"] for p in client.get("/api/people", params={"name": "Putin"}).json()["items"]] == [chosen]
    assert client.get("/api/people/Putin").json()["id"] == chosen
    redirect = client.get("/person", params={"name": "Putin"}, follow_redirects=False)
    assert redirect.headers["location"] == f"/person/{chosen}"
    quoted = client.get("/api/quotes", params={"speaker": "Putin"}).json()["items"]
    assert quoted and {q["speaker_id"] for q in quoted} == {chosen}

    # the lone "Putin" is linked to the only Putin the corpus knows: its id answers with him
    with two_putins.engine.connect() as conn:
        assert resolve_entity(conn, alone, Curation.load(conn)) == chosen
    # `merge` acts on the same person: once the link is undone, the lone "Putin" is reached by
    # its id
    _cli("reject", f"link:{alone}:{chosen}", "--reason", "another Putin", "--db", store_url)
    merged = _cli("merge", "Vladimir Putin", alone, "--reason", "same man", "--db", store_url)
    assert (merged["subject"], merged["target"]) == (chosen, alone)
