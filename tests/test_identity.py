"""Corpus-level identity: "Mr Blair" and "Blair" are the one man named Blair the corpus can mean,
"Mrs Blair" the woman; ambiguous names and other first names are refused; the user's word wins
over a link and survives the next run; every reader finds one person by each of its names.

Stores are real (SQLite file, and PostgreSQL where configured) and filled with hand-made
records, so that what is tested is the identity pass, not the extractor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.dates import utc_now
from newsgraph.errors import Ambiguous
from newsgraph.query.people import people, person
from newsgraph.store import curation as curate
from newsgraph.store import schema as t
from newsgraph.store.curation import Curation, link_key
from newsgraph.store.identity import link_people
from newsgraph.store.resolve import resolve_entity
from newsgraph.store.rows import entity_id
from newsgraph.store.write import write_records
from newsgraph.web import create_app

from .records import record, role, span

runner = CliRunner()


def _record(
    article_id: str,
    date: str | None,
    text: str,
    people: dict[str, list[str]],
    *,
    roles: dict[str, str] | None = None,
    quotes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A record of `text` whose people are `people` (name -> the words that mention them, found
    in order in the text; "he"/"she" are pronouns), with a role and a quote each as given."""
    entities, local, cursor = [], {}, 0
    for n, (name, written) in enumerate(people.items(), 1):
        mentions = []
        for words in written:
            start = text.index(words, cursor)
            cursor = start + len(words)
            kind = "pronoun" if words.casefold() in {"he", "she"} else "name"
            mentions.append({"start": start, "end": cursor, "text": words, "kind": kind})
        local[name] = f"e{n}"
        entities.append({"id": f"e{n}", "type": "PERSON", "name": name, "mentions": mentions})

    return record(
        article_id,
        date,
        text,
        entities,
        roles=[role(local[name], title, span(text, title), date) for name, title in (roles or {}).items()],
        quotes=[
            {
                "id": f"q{n}",
                "type": "direct",
                "content": span(text, said),
                "cue": None,
                "speaker": local[name],
                "speaker_mention": None,
                "speaker_title": None,
                "confidence": 0.9,
            }
            for n, (name, said) in enumerate((quotes or {}).items(), 1)
        ],
    )


def _write(store: Any, *records: dict[str, Any]) -> None:
    summary = write_records(store, list(records), command="test")
    assert summary.failed == 0


def _link(store: Any) -> Any:
    with store.engine.begin() as conn:
        return link_people(conn)


def _resolve(store: Any, ref: str) -> str:
    with store.engine.connect() as conn:
        return resolve_entity(conn, ref, Curation.load(conn), kind="PERSON")


def _named(store: Any, name: str) -> str:
    with store.engine.connect() as conn:
        return conn.execute(select(t.entities.c.id).where(t.entities.c.name == name)).scalar_one()


def _links(store: Any) -> dict[str, tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.identity_links)).all()
    return {r.alias_id: (r.person_id, r.reason) for r in rows}


BLAIRS = [
    _record(
        "tony",
        "2005-03-01",
        'Prime Minister Tony Blair said "we will win the election".',
        {"Tony Blair": ["Tony Blair"]},
        roles={"Tony Blair": "Prime Minister"},
        quotes={"Tony Blair": "we will win the election"},
    ),
    _record(
        "cherie",
        "2005-03-02",
        'Cherie Blair said "the campaign is long".',
        {"Cherie Blair": ["Cherie Blair"]},
        quotes={"Cherie Blair": "the campaign is long"},
    ),
    _record(
        "mr",
        "2005-03-10",
        'The Prime Minister, Mr Blair, said "schools come first". He spoke in Leeds.',
        {"Blair": ["Blair", "He"]},
        roles={"Blair": "Prime Minister"},
        quotes={"Blair": "schools come first"},
    ),
    _record(
        "mrs",
        "2005-03-11",
        'Mrs Blair said "I am proud of him".',
        {"Mrs Blair": ["Mrs Blair"]},
        quotes={"Mrs Blair": "I am proud of him"},
    ),
]


@pytest.fixture
def blairs(store: Any) -> Any:
    _write(store, *BLAIRS)
    return store


def test_mr_x_is_the_only_man_named_x_and_mrs_x_the_woman(blairs: Any) -> None:
    mr = _named(blairs, "Blair")
    tony, cherie = _named(blairs, "Tony Blair"), _named(blairs, "Cherie Blair")
    summary = _link(blairs)
    assert summary.links == 1
    person_id, reason = _links(blairs)[mr]
    assert person_id == tony
    assert reason.startswith("'Mr Blair' is Tony Blair: the only man named Blair")
    assert "both Prime Minister" in reason

    for name in ("Mr Blair", "Blair", "Tony Blair", mr):
        assert _resolve(blairs, name) == tony, name
    # the article wrote "Mrs": never the man, and the write-time resolver already said so
    assert _resolve(blairs, "Mrs Blair") == cherie
    assert _resolve(blairs, "Cherie Blair") == cherie

    view = person(blairs, "Mr Blair")
    assert view.id == tony and view.quote_count == 2
    (link,) = view.links
    assert (link.id, link.kind, link.undo) == (mr, "identity link", link_key(mr, tony))
    assert link.evidence["alias_gender"] == "male" and link.evidence["shared_roles"] == ["Prime Minister"]
    listed = {p["id"] for p in people(blairs).items}
    assert mr not in listed and {tony, cherie} <= listed


def test_mrs_x_is_the_woman_when_a_man_and_a_woman_share_the_name(store: Any) -> None:
    # first names that no list knows: the corpus's own pronouns tell the genders
    _write(
        store,
        _record(
            "kerry",
            "2001-05-01",
            "Kerry Marlow opened the bridge. He cut the ribbon and he waved.",
            {"Kerry Marlow": ["Kerry Marlow", "He", "he"]},
        ),
        _record(
            "sasha",
            "2001-05-01",
            "Sasha Marlow opened the museum. She cut the ribbon and she waved.",
            {"Sasha Marlow": ["Sasha Marlow", "She", "she"]},
        ),
        _record(
            "mrs",
            "2001-05-03",
            'Mrs Marlow said "the museum is open".',
            {"Mrs Marlow": ["Mrs Marlow"]},
            quotes={"Mrs Marlow": "the museum is open"},
        ),
    )
    mrs, sasha = _named(store, "Mrs Marlow"), _named(store, "Sasha Marlow")
    _link(store)
    person_id, reason = _links(store)[mrs]
    assert person_id == sasha
    assert reason.startswith("'Mrs Marlow' is Sasha Marlow: the only woman named Marlow")
    assert _resolve(store, "Mrs Marlow") == sasha
    assert _resolve(store, "Kerry Marlow") != sasha


def test_two_close_candidates_are_refused(store: Any) -> None:
    _write(
        store,
        _record("tony", "2005-03-01", "Tony Blair spoke.", {"Tony Blair": ["Tony Blair"]}),
        _record("ian", "2005-03-01", "Ian Blair spoke.", {"Ian Blair": ["Ian Blair"]}),
        _record("mr", "2005-03-02", "Mr Blair spoke.", {"Blair": ["Blair"]}),
    )
    mr = _named(store, "Blair")
    summary = _link(store)
    assert summary.links == 0 and summary.refused == {"ambiguous": 1}
    # the entity actually named "Mr Blair", not a guess at which Blair it is
    assert _resolve(store, "Mr Blair") == mr
    assert mr not in {_resolve(store, "Tony Blair"), _resolve(store, "Ian Blair")}


def test_a_name_written_both_mr_and_mrs_is_refused(store: Any) -> None:
    # the extractor left both honorifics out of the names, as older extractors did
    _write(
        store,
        _record("tony", "2005-03-01", "Tony Blair spoke.", {"Tony Blair": ["Tony Blair"]}),
        _record("cherie", "2005-03-01", "Cherie Blair spoke.", {"Cherie Blair": ["Cherie Blair"]}),
        _record("mr", "2005-03-02", "Mr Blair spoke.", {"Blair": ["Blair"]}),
        _record("mrs", "2005-03-03", "Mrs Blair spoke.", {"Blair": ["Blair"]}),
    )
    summary = _link(store)
    assert summary.links == 0 and summary.refused == {"mixed gender": 1}


def test_nearest_in_time_decides_between_two_men(store: Any) -> None:
    _write(
        store,
        _record(
            "john", "1990-06-01", "John Smith spoke. John Smith left.", {"John Smith": ["John Smith"] * 2}
        ),
        _record("peter", "2005-02-20", "Peter Smith spoke.", {"Peter Smith": ["Peter Smith"]}),
        _record("mr", "2005-03-01", "Mr Smith spoke.", {"Smith": ["Smith"]}),
    )
    mr, peter = _named(store, "Smith"), _named(store, "Peter Smith")
    _link(store)
    person_id, reason = _links(store)[mr]
    assert person_id == peter
    assert "reported within 30 days of 1 of its 1 dated articles (John Smith: 0)" in reason
    assert _resolve(store, "Mr Smith") == peter


def test_other_first_names_are_never_joined(store: Any) -> None:
    _write(
        store,
        # the extractor cut "Howard Baker" to "Baker", and "Jose Sarney" to "Jose"
        _record(
            "howard", "1987-03-01", 'Howard Baker said "no".', {"Baker": ["Baker"]}, quotes={"Baker": "no"}
        ),
        _record(
            "sarney", "1987-03-01", 'Jose Sarney said "yes".', {"Jose": ["Jose"]}, quotes={"Jose": "yes"}
        ),
        _record("james", "1987-03-02", "James Baker spoke.", {"James Baker": ["James Baker"]}),
        _record("jose", "1987-03-02", "Jose Melicias spoke.", {"Jose Melicias": ["Jose Melicias"]}),
        _record("prodi", "2006-05-01", "Romano Prodi spoke.", {"Romano Prodi": ["Romano Prodi"]}),
        _record(
            "romano", "2006-05-02", 'Romano said "yes".', {"Romano": ["Romano"]}, quotes={"Romano": "yes"}
        ),
        _record("brown", "2006-05-01", "Gordon Brown spoke.", {"Gordon Brown": ["Gordon Brown"]}),
        _record("mr-gordon", "2006-05-02", "Mr Gordon spoke.", {"Mr Gordon": ["Mr Gordon"]}),
        _record("gowda", "1996-06-01", "H.D. Deve Gowda spoke.", {"H.D. Deve Gowda": ["H.D. Deve Gowda"]}),
        _record(
            "deve",
            "1996-06-02",
            'H.D. Deve said "no".',
            {"H.D. Deve": ["H.D. Deve"]},
            quotes={"H.D. Deve": "no"},
        ),
        _record("peter", "2005-02-20", "Peter Jones spoke.", {"Peter Jones": ["Peter Jones"]}),
        _record(
            "j",
            "2005-02-21",
            'J. Jones said "maybe".',
            {"J. Jones": ["J. Jones"]},
            quotes={"J. Jones": "maybe"},
        ),
        _record("benn", "2005-02-20", "Tony Benn spoke.", {"Tony Benn": ["Tony Benn"]}),
        _record("blair", "2005-02-20", "Tony Blair spoke.", {"Tony Blair": ["Tony Blair"]}),
        _record("tony", "2005-02-21", 'Tony said "never".', {"Tony": ["Tony"]}, quotes={"Tony": "never"}),
    )
    summary = _link(store)
    links = _links(store)
    # Baker and J. Jones: their one candidate ruled out; Jose: a first name with no candidate
    # of its surname; Tony: two; Mr Gordon: an honorific goes with a surname
    assert summary.refused == {
        "ambiguous": 1,
        "no candidate": 2,
        "every candidate ruled out": 2,
    }
    # a first name alone, or the start of a longer name, joins the one name it can begin
    assert links[_named(store, "Romano")][0] == _named(store, "Romano Prodi")
    assert links[_named(store, "H.D. Deve")][0] == _named(store, "H.D. Deve Gowda")
    assert "the only person whose name starts with 'H.D. Deve'" in links[_named(store, "H.D. Deve")][1]
    # "Mr Gordon" is a surname, not Gordon Brown; J. is not Peter; "Tony" may begin two names
    assert _named(store, "Mr Gordon") not in links
    assert _named(store, "Baker") not in links and _named(store, "Jose") not in links
    assert _named(store, "J. Jones") not in links
    assert _named(store, "Tony") not in links
    assert len(links) == 2


def test_an_honorific_stored_apart_by_an_older_extractor_joins_its_name(store: Any) -> None:
    _write(
        store,
        _record("falconer", "2005-03-01", 'Falconer said "the bill stands".', {"Falconer": ["Falconer"]}),
        _record("lord", "2005-03-02", 'Lord Falconer said "no".', {"Lord Falconer": ["Lord Falconer"]}),
    )
    plain_id = entity_id("PERSON", "falconer")
    with store.engine.begin() as conn:
        # what a store written before "Lord" was an honorific holds: an entity of its own
        (lord,) = conn.execute(select(t.mentions.c.id).where(t.mentions.c.article_id == "lord")).scalars()
        old = entity_id("PERSON", "lord falconer")
        conn.execute(
            insert(t.entities).values(
                id=old, type="PERSON", name="Lord Falconer", key="lord falconer", created_at=utc_now()
            )
        )
        conn.execute(update(t.mentions).where(t.mentions.c.id == lord).values(entity_id=old))
    summary = _link(store)
    assert summary.links == 1
    person_id, reason = _links(store)[old]
    assert person_id == plain_id
    # the display name is the longest written: "Lord Falconer" for both
    assert reason.startswith("'Lord Falconer' is Lord Falconer: the same name, its honorific aside")
    assert _resolve(store, "Lord Falconer") == _resolve(store, "Falconer") == plain_id


def test_a_surname_that_never_acts_as_a_person_is_left_alone(store: Any) -> None:
    _write(
        store,
        # first, so that the write-time resolver knows no Johnson to give it to
        _record("jj", "1987-03-02", "Shares of Johnson and Johnson rose.", {"Johnson": ["Johnson"]}),
        _record("dana", "1987-03-01", 'Dana Johnson said "sales rose".', {"Dana Johnson": ["Dana Johnson"]}),
    )
    summary = _link(store)
    assert summary.links == 0 and summary.refused == {"no sign of a person": 1}


def test_parties_and_groups_are_neither_linked_nor_listed(store: Any) -> None:
    _write(
        store,
        _record(
            "dems",
            "2005-03-01",
            "Lib Dems gathered. Britons voted.",
            {"Lib Dems": ["Lib Dems"], "Britons": ["Britons"]},
        ),
        _record(
            "labour",
            "2005-03-01",
            "Labour said no. Ian Labour said yes.",
            {"Labour": ["Labour"], "Ian Labour": ["Ian Labour"]},
        ),
    )
    assert _link(store).links == 0
    listed = {p["name"] for p in people(store).items}
    assert listed == {"Ian Labour"}


def test_a_rejected_link_is_undone_and_stays_undone(blairs: Any) -> None:
    mr, tony = _named(blairs, "Blair"), _named(blairs, "Tony Blair")
    _link(blairs)
    curate.reject(blairs, link_key(mr, tony), "this Mr Blair is Euan's teacher")
    summary = _link(blairs)
    assert summary.links == 0 and summary.refused == {"undone by curation": 1}
    # the user said this Mr Blair is somebody else: the name means the entity written so
    assert _resolve(blairs, "Mr Blair") == mr
    assert _resolve(blairs, mr) == mr
    assert person(blairs, "Tony Blair").quote_count == 1


def test_curation_by_hand_wins_and_survives_rerunning(blairs: Any) -> None:
    mr, cherie = _named(blairs, "Blair"), _named(blairs, "Cherie Blair")
    first = _link(blairs)
    with blairs.engine.connect() as conn:
        made = {r.alias_id: r.created_at for r in conn.execute(select(t.identity_links))}
    # a rerun gives the same links, made when they were first made
    again = _link(blairs)
    assert (again.links, again.considered, again.refused) == (first.links, first.considered, first.refused)
    with blairs.engine.connect() as conn:
        assert {r.alias_id: r.created_at for r in conn.execute(select(t.identity_links))} == made
    curate.reject(blairs, link_key(mr, _named(blairs, "Tony Blair")), "not him")
    curate.merge(blairs, mr, cherie, "the article was about her")
    summary = _link(blairs)
    assert summary.links == 0
    assert _resolve(blairs, "Mr Blair") == cherie
    assert mr in {link.id for link in person(blairs, "Cherie Blair").links if link.kind == "merge"}


@pytest.fixture
def client(blairs: Any, nlp: Any) -> Iterator[TestClient]:
    _link(blairs)
    with TestClient(create_app(blairs, token="t" * 20, nlp=nlp)) as test_client:
        yield test_client


def _cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_reader_finds_one_person_by_each_name(blairs: Any, store_url: str, client: TestClient) -> None:
    tony, mr = _named(blairs, "Tony Blair"), _named(blairs, "Blair")
    for name in ("Mr Blair", "Blair", "Tony Blair"):
        shown = _cli("person", name, "--json", "--db", store_url)
        assert shown["id"] == tony, name
        assert [(link["id"], link["kind"]) for link in shown["links"]] == [(mr, "identity link")]
        hits = _cli("quotes", "--speaker", name, "--json", "--db", store_url)
        assert {h["speaker_id"] for h in hits} == {tony} and len(hits) == 2, name
        assert [p["id"] for p in client.get("/api/people", params={"name": name}).json()["items"]] == [tony]
        assert client.get(f"/api/people/{name}").json()["id"] == tony
        quoted = client.get("/api/quotes", params={"speaker": name}).json()["items"]
        assert {q["speaker_id"] for q in quoted} == {tony}, name


def test_a_folded_spelling_a_peerage_or_a_tagging_slip_is_no_namesake(store: Any) -> None:
    _write(
        store,
        # keys fold "Scott" and "Scot" together; the spelling tells them apart
        _record("scott", None, "Nicholas Scott spoke.", {"Nicholas Scott": ["Nicholas Scott"]}),
        _record("scot", None, 'Mr Scot said "no".', {"Scot": ["Scot"]}, quotes={"Scot": "no"}),
        # the only Hoffmann is a skier; a law lord shares neither office nor time with him
        _record(
            "skier", None, "Ambrosi Hoffmann won, he said.", {"Ambrosi Hoffmann": ["Ambrosi Hoffmann", "he"]}
        ),
        _record(
            "judge",
            None,
            'Lord Hoffmann said "no".',
            {"Lord Hoffmann": ["Hoffmann"]},
            quotes={"Lord Hoffmann": "no"},
        ),
        # "Supplier Gazprom" is a tagging slip: no first name, nothing a person does
        _record("slip", None, "Supplier Gazprom cut gas.", {"Supplier Gazprom": ["Supplier Gazprom"]}),
        _record("firm", None, 'Mr Gazprom said "cut".', {"Gazprom": ["Gazprom"]}, quotes={"Gazprom": "cut"}),
    )
    summary = _link(store)
    assert summary.links == 0, _links(store)
    assert summary.refused == {"every candidate ruled out": 1, "peerage without shared office or time": 1}
    assert len({_resolve(store, name) for name in ("Scot", "Nicholas Scott")}) == 2


def test_a_peer_sharing_an_office_with_the_only_namesake_is_linked(store: Any) -> None:
    _write(
        store,
        _record(
            "falconer",
            None,
            "Lord Chancellor Charles Falconer spoke.",
            {"Charles Falconer": ["Charles Falconer"]},
            roles={"Charles Falconer": "Lord Chancellor"},
        ),
        _record(
            "lord",
            None,
            'Lord Chancellor Lord Falconer said "yes".',
            {"Lord Falconer": ["Falconer"]},
            roles={"Lord Falconer": "Lord Chancellor"},
            quotes={"Lord Falconer": "yes"},
        ),
    )
    assert _link(store).links == 1
    assert _resolve(store, "Lord Falconer") == _named(store, "Charles Falconer")


def test_a_name_read_mostly_undated_is_not_decided_by_its_few_dated_articles(store: Any) -> None:
    gordon = [
        _record(
            f"g{n}",
            None,
            'Gordon Brown said "yes".',
            {"Gordon Brown": ["Gordon Brown"]},
            quotes={"Gordon Brown": "yes"},
        )
        for n in range(6)
    ]
    _write(
        store,
        *gordon,
        _record(
            "jon",
            "2006-12-19",
            'Jon Brown said "no".',
            {"Jon Brown": ["Jon Brown"]},
            quotes={"Jon Brown": "no"},
        ),
        # "Mr Brown" in three undated articles and one dated near Jon Brown's
        *[
            _record(f"mr{n}", date, 'Mr Brown said "so".', {"Brown": ["Brown"]}, quotes={"Brown": "so"})
            for n, date in enumerate([None, None, None, "2006-12-20"])
        ],
    )
    _link(store)
    assert _resolve(store, "Mr Brown") == _named(store, "Gordon Brown")


def test_a_surname_asked_alone_means_the_namesake_the_corpus_mostly_names(store: Any) -> None:
    charles = [
        _record(f"c{n}", None, "Charles Kennedy spoke.", {"Charles Kennedy": ["Charles Kennedy"]})
        for n in range(6)
    ]
    _write(store, *charles, _record("jfk", None, "John Kennedy spoke.", {"John Kennedy": ["John Kennedy"]}))
    assert _resolve(store, "Mr Kennedy") == _named(store, "Charles Kennedy")
    with pytest.raises(Ambiguous):
        _resolve(store, "Kennedy")  # no honorific: anyone of that name
    _write(
        store,
        *[
            _record(f"j{n}", None, "John Kennedy spoke.", {"John Kennedy": ["John Kennedy"]})
            for n in range(3)
        ],
    )
    with pytest.raises(Ambiguous):
        _resolve(store, "Mr Kennedy")


def test_a_place_or_a_glued_name_is_never_linked(store: Any) -> None:
    _write(
        store,
        _record(
            "concern",
            None,
            'Concern England said "no".',
            {"Concern England": ["Concern England"]},
            quotes={"Concern England": "no"},
        ),
        _record("england", None, 'England said "yes".', {"England": ["England"]}, quotes={"England": "yes"}),
        _record(
            "xinhua",
            None,
            'UN Alejandro Wolff said "so".',
            {"UN Alejandro Wolff": ["UN Alejandro Wolff"]},
            quotes={"UN Alejandro Wolff": "so"},
        ),
        _record("wolff", None, 'Mr Wolff said "so".', {"Wolff": ["Wolff"]}, quotes={"Wolff": "so"}),
    )
    summary = _link(store)
    assert summary.links == 0
    assert summary.refused.get("a place") == 1
