"""Wikidata ids attached by a curator: to people, organisations and offices, recorded in the
curation log, and refused where they cannot be right."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from newsgraph.canonical import canonical_office
from newsgraph.cli import app
from newsgraph.dates import utc_now
from newsgraph.errors import Ambiguous, CurationError, NotFound
from newsgraph.store import curation
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, list_curation
from newsgraph.store.resolve import resolve_entity
from newsgraph.store.wikidata import (
    attach_wikidata,
    detach_wikidata,
    entity_qids,
    office_qids,
    parse_qid,
    wikidata_ids,
)
from newsgraph.store.write import write_records

runner = CliRunner()


@pytest.fixture
def filled(store, sample_record):
    assert write_records(store, [sample_record]).added == 1
    return store


def _id(store, name: str) -> str:
    with store.engine.connect() as conn:
        return resolve_entity(conn, name, Curation.load(conn))


def _ids(store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return wikidata_ids(conn)


def test_attach_replace_detach_round_trip(filled):
    store = filled
    peskov = _id(store, "Dmitry Peskov")
    link = attach_wikidata(store, "Peskov", "Q4161521", "his Wikidata page")
    assert (link.subject, link.name, link.qid, link.previous) == (peskov, "Dmitry Peskov", "Q4161521", None)
    assert link.sentence() == f"Dmitry Peskov ({peskov}) is now Q4161521 on Wikidata."
    assert _ids(store) == {peskov: "Q4161521"}

    link = attach_wikidata(store, peskov, "q4161522")
    assert (link.qid, link.previous) == ("Q4161522", "Q4161521")
    assert link.sentence().endswith("is now Q4161522 on Wikidata (it was Q4161521).")
    assert _ids(store) == {peskov: "Q4161522"}

    link = detach_wikidata(store, "Dmitry Peskov", "wrong item")
    assert (link.qid, link.previous) == (None, "Q4161522")
    assert link.sentence() == f"Dmitry Peskov ({peskov}) no longer has a Wikidata id (it was Q4161522)."
    assert _ids(store) == {}
    with pytest.raises(CurationError, match="has no Wikidata id"):
        detach_wikidata(store, peskov)

    # every change is in the curation log, which the other curation readers pass over
    log = [e for e in list_curation(store) if e.action == "wikidata"]
    assert [(e.subject, e.target, e.reason) for e in log] == [
        (peskov, "Q4161521", "his Wikidata page"),
        (peskov, "Q4161522", None),
        (peskov, None, "wrong item"),
    ]
    with store.engine.connect() as conn:
        loaded = Curation.load(conn)
    assert peskov not in loaded.merged_into and not loaded.rejected and not loaded.splits


@pytest.mark.parametrize(
    ("given", "qid"),
    [
        ("Q42", "Q42"),
        (" q42 ", "Q42"),
        ("https://www.wikidata.org/wiki/Q42", "Q42"),
        ("http://www.wikidata.org/entity/Q42", "Q42"),
    ],
)
def test_item_ids_as_pasted(given, qid):
    assert parse_qid(given) == qid


@pytest.mark.parametrize("given", ["P39", "Q", "Q0", "Q01", "Tony Blair", "Q42 Q43", "L7", ""])
def test_anything_but_an_item_id_is_refused(filled, given):
    with pytest.raises(CurationError, match="not a Wikidata item id: expected Q followed by digits"):
        parse_qid(given)
    with pytest.raises(CurationError, match="not a Wikidata item id"):
        attach_wikidata(filled, "Dmitry Peskov", given)
    assert _ids(filled) == {}


def test_one_item_is_one_person(filled):
    store = filled
    attach_wikidata(store, "Dmitry Peskov", "Q4161521")
    with pytest.raises(CurationError, match=r"already the Wikidata id of .*merge the two"):
        attach_wikidata(store, "Erlan Karin", "Q4161521")
    with pytest.raises(NotFound):
        attach_wikidata(store, "Nobody Atall", "Q1")


def test_a_name_a_person_shares_with_an_organisation_means_the_person(store, sample_record):
    record = copy.deepcopy(sample_record)
    mention = {"start": 1349, "end": 1362, "text": "Dmitry Peskov", "kind": "name"}
    record["entities"].append({"id": "e999", "type": "ORG", "name": "Dmitry Peskov", "mentions": [mention]})
    assert write_records(store, [record]).added == 1
    with store.engine.connect() as conn, pytest.raises(Ambiguous):
        resolve_entity(conn, "Dmitry Peskov", Curation.load(conn))
    link = attach_wikidata(store, "Dmitry Peskov", "Q4161521")
    assert link.subject == _id_of_kind(store, "Dmitry Peskov", "PERSON")
    # the organisation is still reachable by its id
    organisation = _id_of_kind(store, "Dmitry Peskov", "ORG")
    assert attach_wikidata(store, organisation, "Q1").subject == organisation


def _id_of_kind(store, name: str, kind: str) -> str:
    with store.engine.connect() as conn:
        return resolve_entity(conn, name, Curation.load(conn), kind=kind)


def test_an_id_follows_its_person_through_a_merge(filled):
    store = filled
    kondrashov, peskov = _id(store, "Andrey Kondrashov"), _id(store, "Dmitry Peskov")
    attach_wikidata(store, "Andrey Kondrashov", "Q100")
    curation.merge(store, "Andrey Kondrashov", "Dmitry Peskov", "test")
    with store.engine.connect() as conn:
        cur = Curation.load(conn)
        ids = wikidata_ids(conn)
    assert entity_qids(ids, cur) == {peskov: "Q100"}
    # the merged-into person's own id wins over the one brought by the merge
    attach_wikidata(store, peskov, "Q200")
    assert entity_qids(_ids(store), cur) == {peskov: "Q200"}
    assert _ids(store)[kondrashov] == "Q100"


def test_offices_by_text_under_their_canonical_key(filled):
    store = filled
    key = canonical_office("President", "Russia").key
    link = attach_wikidata(store, "Russian President", "Q218295", office=True)
    assert link.subject == f"office:{key}"
    assert (
        link.sentence()
        == f"{canonical_office('President', 'Russia').label} (office:{key}) is now Q218295 on Wikidata."
    )
    # another way of writing it is the same office
    assert attach_wikidata(store, "President of Russia", "Q218295", office=True).previous == "Q218295"
    assert office_qids(_ids(store)) == {key: "Q218295"}
    # two offices may share an item (keys that differ only in how an organisation was written)
    assert attach_wikidata(store, f"office:{key}", "Q218295").subject == f"office:{key}"
    with pytest.raises(CurationError, match="no role in the store is of the office"):
        attach_wikidata(store, "Emperor of Atlantis", "Q1", office=True)
    assert detach_wikidata(store, "Russian President", office=True).previous == "Q218295"
    # an office no report is of any more (offices re-derived since) can still lose its id
    with store.engine.begin() as conn:
        conn.execute(t.wikidata_ids.insert().values(subject="office:gone||", qid="Q9", at=utc_now()))
    assert detach_wikidata(store, "office:gone||").sentence() == (
        "gone|| (office:gone||) no longer has a Wikidata id (it was Q9)."
    )
    with store.engine.connect() as conn:
        assert conn.execute(select(t.wikidata_ids)).all() == []


def test_cli(filled, store_url):
    store = filled
    peskov = _id(store, "Dmitry Peskov")
    result = runner.invoke(
        app, ["wikidata", "Dmitry Peskov", "Q4161521", "--reason", "checked", "--db", store_url]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Dmitry Peskov ({peskov}) is now Q4161521 on Wikidata.\n"

    result = runner.invoke(
        app, ["wikidata", "Russian President", "Q218295", "--office", "--json", "--db", store_url]
    )
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    assert (entry["action"], entry["target"], entry["qid"]) == ("wikidata", "Q218295", "Q218295")
    assert entry["subject"] == "office:" + canonical_office("President", "Russia").key

    result = runner.invoke(app, ["wikidata", "Dmitry Peskov", "--remove", "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "no longer has a Wikidata id (it was Q4161521)" in result.stdout
    result = runner.invoke(app, ["curation", "--db", store_url])
    assert [json.loads(line)["action"] for line in result.stdout.splitlines()] == ["wikidata"] * 3

    # a malformed id is a usage error, like a bad option: nothing is recorded
    result = runner.invoke(app, ["wikidata", "Dmitry Peskov", "P39", "--db", store_url])
    assert result.exit_code == 2
    assert "not a Wikidata item id" in result.output
    result = runner.invoke(app, ["wikidata", "Dmitry Peskov", "--db", store_url])
    assert result.exit_code == 2 and "--remove" in result.output
    result = runner.invoke(app, ["wikidata", "Dmitry Peskov", "Q1", "--remove", "--db", store_url])
    assert result.exit_code == 2
    # and what the store cannot do is a curation error, as for merge and reject
    result = runner.invoke(app, ["wikidata", "Dmitry Peskov", "--remove", "--db", store_url])
    assert result.exit_code == 1 and "has no Wikidata id" in result.output
    result = runner.invoke(app, ["wikidata", "Nobody Atall", "Q1", "--db", store_url])
    assert result.exit_code == 1
    assert len([e for e in list_curation(store) if e.action == "wikidata"]) == 3


def test_cli_never_creates_a_store(tmp_path):
    missing = tmp_path / "missing.db"
    for command in (["wikidata", "A", "Q1"], ["wikidata", "A", "--remove"]):
        result = runner.invoke(app, [*command, "--db", str(missing)])
        assert result.exit_code == 2, result.output
        assert "no store" in result.output
    assert not missing.exists()
