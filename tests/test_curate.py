"""Merge, split and reject: recorded with time and reason, applied at once,
and kept through re-ingest and re-extraction (on SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.errors import Ambiguous, CurationError, NotFound
from newsgraph.export import iter_rows
from newsgraph.store import curation as curate
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation
from newsgraph.store.resolve import Resolver, resolve_entity
from newsgraph.store.rows import entity_id
from newsgraph.store.write import write_records

runner = CliRunner()


def _person(store, name: str) -> str:
    with store.engine.connect() as conn:
        return resolve_entity(conn, name, Curation.load(conn))


def _ids(store, table, column, **where) -> set[str]:
    statement = select(table.c[column])
    for key, value in where.items():
        statement = statement.where(table.c[key] == value)
    with store.engine.connect() as conn:
        return {row[0] for row in conn.execute(statement)}


@pytest.fixture
def filled(store, sample_record):
    summary = write_records(store, [sample_record])
    assert summary.added == 1
    return store


def _check_curated(
    store, article_id, *, peskov, kondrashov, karin, karin_split, rejected_quote, rejected_role
):
    # merge: nothing names Kondrashov any more, his quotes and role are Peskov's
    for table, column in (
        (t.mentions, "entity_id"),
        (t.roles, "person_id"),
        (t.quote_occurrences, "speaker_id"),
        (t.quotes, "speaker_id"),
        (t.aliases, "entity_id"),
    ):
        assert kondrashov not in _ids(store, table, column), table.name
    assert "Director General" in {r["title"] for r in iter_rows(store, "roles") if r["person_id"] == peskov}
    # split: Karin's mentions, roles and quotes in the article belong to the new entity
    assert karin not in _ids(store, t.mentions, "entity_id", article_id=article_id)
    assert karin_split in _ids(store, t.mentions, "entity_id", article_id=article_id)
    speakers = {q["speaker_id"] for q in iter_rows(store, "quotes")}
    assert karin_split in speakers and karin not in speakers
    assert karin_split in _ids(store, t.roles, "person_id", article_id=article_id)
    # reject: the facts are stored but exported by no one
    assert rejected_quote in _ids(store, t.quote_occurrences, "fact_key")
    assert rejected_quote not in {q["fact_key"] for q in iter_rows(store, "quotes")}
    assert rejected_role not in {r["fact_key"] for r in iter_rows(store, "roles")}
    people = {p["id"]: p for p in iter_rows(store, "people")}
    assert kondrashov not in people
    assert "Andrey Kondrashov" in people[peskov]["aliases"]
    assert people[karin_split]["name"] == "Erlan Karin"


def test_curation_is_recorded_applied_and_kept_through_reingest(filled, sample_record):
    store = filled
    article_id = sample_record["article"]["id"]
    peskov = _person(store, "Dmitry Peskov")
    kondrashov = _person(store, "Kondrashov")
    karin = _person(store, "Erlan Karin")
    quote = next(q for q in iter_rows(store, "quotes") if q["speaker_id"] == peskov)
    role = next(r for r in iter_rows(store, "roles") if r["title"] == "Ambassador to Russia")

    before = dt.datetime.now(dt.UTC)
    rejected_quote = curate.reject(store, quote["fact_key"], "not a quote: a paraphrase")
    rejected_role = curate.reject(store, role["fact_key"], "wrong person")
    merged = curate.merge(store, "Andrey Kondrashov", peskov, "test merge")
    splitted = curate.split(store, "Erlan Karin", article_id, "a namesake")
    assert merged.subject == kondrashov and merged.target == peskov
    assert splitted.target == entity_id("PERSON", f"split:{karin}:{article_id}")

    records = curate.list_curation(store)
    assert [(r.action, r.subject, r.target, r.article_id, r.reason) for r in records] == [
        ("reject", quote["fact_key"], None, None, "not a quote: a paraphrase"),
        ("reject", role["fact_key"], None, None, "wrong person"),
        ("merge", kondrashov, peskov, None, "test merge"),
        ("split", karin, splitted.target, article_id, "a namesake"),
    ]
    for record in records:
        at = record.at if record.at.tzinfo else record.at.replace(tzinfo=dt.UTC)
        assert before - dt.timedelta(seconds=5) <= at <= dt.datetime.now(dt.UTC)

    expected = {
        "peskov": peskov,
        "kondrashov": kondrashov,
        "karin": karin,
        "karin_split": splitted.target,
        "rejected_quote": rejected_quote.subject,
        "rejected_role": rejected_role.subject,
    }
    _check_curated(store, article_id, **expected)

    # re-extraction: a new extractor version replaces the article and all its facts
    for version in ("0.0.9-test", "0.0.10-test"):
        record = copy.deepcopy(sample_record)
        record["extractor"]["version"] = version
        summary = write_records(store, [record])
        assert summary.replaced == 1, summary.failures
        assert _ids(store, t.roles, "extractor_version", article_id=article_id) == {version}
        _check_curated(store, article_id, **expected)
    assert len(curate.list_curation(store)) == 4


def test_errors(filled, sample_record):
    store = filled
    article_id = sample_record["article"]["id"]
    with pytest.raises(NotFound, match="no entity"):
        curate.merge(store, "Nobody Atall", "Dmitry Peskov", "x")
    with pytest.raises(Ambiguous, match="several"):
        curate.merge(store, "Kazakh", "Dmitry Peskov", "x")
    with pytest.raises(CurationError, match="already one entity"):
        curate.merge(store, "Peskov", "Dmitry Peskov", "x")
    with pytest.raises(CurationError, match="cannot merge"):
        curate.merge(store, "Dmitry Peskov", "TASS", "x")
    with pytest.raises(CurationError, match="reason"):
        curate.merge(store, "Andrey Kondrashov", "Dmitry Peskov", "  ")
    with pytest.raises(CurationError, match="not mentioned"):
        curate.split(store, "Dmitry Peskov", "no-such-article", "x")
    with pytest.raises(CurationError, match="fact key"):
        curate.reject(store, "quote:0000", "x")
    curate.split(store, "Dmitry Peskov", article_id, "x")
    with pytest.raises(CurationError, match="already split"):
        curate.split(store, "Dmitry Peskov", article_id, "x")
    assert [r.action for r in curate.list_curation(store)] == ["split"]


def test_merged_name_resolves_to_target(filled):
    store = filled
    peskov = _person(store, "Dmitry Peskov")
    curate.merge(store, "Andrey Kondrashov", "Dmitry Peskov", "same man")
    assert _person(store, "Andrey Kondrashov") == peskov
    assert _person(store, "Kondrashov") == peskov


def test_cli_commands(filled, store_url):
    store = filled
    quote = next(iter_rows(store, "quotes"))
    result = runner.invoke(app, ["reject", quote["fact_key"], "--reason", "misattributed", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["subject"] == quote["fact_key"]
    result = runner.invoke(
        app, ["merge", "Kondrashov", "Dmitry Peskov", "--reason", "same", "--db", store_url]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"] == _person(store, "Dmitry Peskov")
    result = runner.invoke(
        app,
        ["split", "Erlan Karin", "--article", quote["article_id"], "--reason", "namesake", "--db", store_url],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["curation", "--db", store_url])
    assert result.exit_code == 0, result.output
    listed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["action"] for r in listed] == ["reject", "merge", "split"]
    assert [r["reason"] for r in listed] == ["misattributed", "same", "namesake"]
    assert all(dt.datetime.fromisoformat(r["at"]).tzinfo is not None for r in listed)

    result = runner.invoke(app, ["reject", "role:nope", "--reason", "x", "--db", store_url])
    assert result.exit_code == 1
    assert "role:nope" in result.output
    result = runner.invoke(app, ["merge", "Kondrashov", "Dmitry Peskov", "--db", store_url])
    assert result.exit_code != 0  # --reason is required


def test_split_entity_is_not_found_by_name_after_reingest(filled, sample_record):
    store = filled
    article_id = sample_record["article"]["id"]
    karin = _person(store, "Erlan Karin")
    curate.split(store, "Erlan Karin", article_id, "namesake")
    record = copy.deepcopy(sample_record)
    record["extractor"]["version"] = "0.0.9-test"
    write_records(store, [record])
    assert _person(store, "Erlan Karin") == karin


def test_split_does_not_capture_the_surname_elsewhere(filled, sample_record):
    store = filled
    article_id = sample_record["article"]["id"]
    karin = _person(store, "Erlan Karin")
    curate.split(store, "Erlan Karin", article_id, "namesake")
    record = copy.deepcopy(sample_record)
    record["extractor"]["version"] = "0.0.9-test"
    write_records(store, [record])
    surname_only = {
        "id": "e1",
        "type": "PERSON",
        "name": "Karin",
        "mentions": [{"start": 0, "end": 5, "text": "Karin", "kind": "name"}],
    }
    with store.engine.begin() as conn:
        assert Resolver(conn, Curation.load(conn)).resolve(surname_only, "another-article") == karin
