"""Tenures and `who`: who held an office when, from reports of people in it.

The first part drives the pure tenure logic (`newsgraph.query.tenures`) with
hand-made reports; the second builds real SQLite stores from hand-made records
and asks `newsgraph.query.who` and `newsgraph who`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph import query
from newsgraph.canonical import Country
from newsgraph.cli import app
from newsgraph.errors import NotFound
from newsgraph.query import tenures as tn
from newsgraph.store.write import write_records
from newsgraph.web import create_app

from .records import record, role, span

runner = CliRunner()

PM = "prime minister|GB|"
CHANCELLOR = "chancellor|DE|"


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _reports(rows: list[tuple[str, str, str, str]], on: str | None = None) -> list[tn.Reports]:
    asked = _day(on) if on else None
    return [tn.Reports.one(person, key, _day(day), status, on=asked) for person, key, day, status in rows]


def _held(
    rows: list[tuple[str, str, str, str]], on: str | None = None, single: bool = True
) -> list[tn.Tenure]:
    return tn.tenures(_reports(rows, on), lambda _key: single)


def _answer(rows: list[tuple[str, str, str, str]], on: str) -> list[tuple[str, str, int | None]]:
    return [(s.tenure.person_id, s.status, s.stale_days) for s in tn.on_day(_held(rows, on), _day(on))]


GERMANY = [
    ("kohl", CHANCELLOR, "1995-03-01", "current"),
    ("kohl", CHANCELLOR, "1997-06-01", "current"),
    ("schroeder", CHANCELLOR, "1998-11-02", "current"),
    ("schroeder", CHANCELLOR, "2005-09-20", "current"),
    ("merkel", CHANCELLOR, "2005-11-23", "current"),
    ("merkel", CHANCELLOR, "2006-04-01", "current"),
]


def test_a_tenure_runs_from_first_to_last_report_and_is_closed_by_the_successor():
    kohl, schroeder, merkel = _held(GERMANY)
    assert (kohl.first, kohl.last) == (_day("1995-03-01"), _day("1997-06-01"))
    assert (kohl.successor, kohl.succeeded_on) == ("schroeder", _day("1998-11-02"))
    assert (schroeder.successor, schroeder.succeeded_on) == ("merkel", _day("2005-11-23"))
    assert merkel.successor is None and merkel.end is None
    assert [tn.undated_status(t) for t in (kohl, schroeder, merkel)] == [
        tn.SUCCEEDED,
        tn.SUCCEEDED,
        tn.REPORTED,
    ]


def test_who_on_a_day_is_not_a_predecessor_the_corpus_saw_succeeded():
    # Kohl was last reported in 1997, Schroeder since 1998: on 2005-11-10 it is Schroeder
    assert _answer(GERMANY, "2005-11-10") == [("schroeder", tn.LAST_REPORTED, 51)]
    assert _answer(GERMANY, "2001-01-01") == [("schroeder", tn.IN_OFFICE, 791)]
    assert _answer(GERMANY, "2006-01-01") == [("merkel", tn.IN_OFFICE, 39)]
    # between Kohl's last report and Schroeder's first, Kohl is the latest holder, stale
    assert _answer(GERMANY, "1998-05-01") == [("kohl", tn.LAST_REPORTED, 334)]


def test_a_lone_stale_holder_answers_but_says_how_stale():
    (standing,) = tn.on_day(_held(GERMANY[:2], "2005-11-10"), _day("2005-11-10"))
    assert (standing.tenure.person_id, standing.status) == ("kohl", tn.LAST_REPORTED)
    assert standing.stale_days == (_day("2005-11-10") - _day("1997-06-01")).days


def test_a_tenure_is_never_extended_back_before_its_first_report():
    assert _answer(GERMANY, "1990-01-01") == []
    assert _answer(GERMANY[2:], "1997-01-01") == []


def test_former_closes_and_then_never_extends_nor_makes_current():
    rows = [
        ("koizumi", "prime minister|JP|", "2005-01-10", "current"),
        ("koizumi", "prime minister|JP|", "2006-08-01", "current"),
        ("abe", "prime minister|JP|", "2006-10-01", "current"),
        # "Japan's then prime minister Junichiro Koizumi", reported after Abe took over
        ("koizumi", "prime minister|JP|", "2006-12-22", "then"),
    ]
    koizumi, abe = _held(rows)
    assert abe.successor is None
    assert koizumi.last == _day("2006-08-01") and koizumi.past_last == _day("2006-12-22")
    assert koizumi.ended is None and koizumi.succeeded_on == _day("2006-10-01")
    assert _answer(rows, "2006-12-22") == [("abe", tn.LAST_REPORTED, 82)]

    closed = [
        ("peskov", "press secretary|RU|", "2024-11-18", "current"),
        ("peskov", "press secretary|RU|", "2026-02-10", "former"),
    ]
    (peskov,) = _held(closed)
    assert peskov.ended == _day("2026-02-10") and peskov.last == _day("2024-11-18")
    assert _answer(closed, "2025-06-01") == [("peskov", tn.LAST_REPORTED, 195)]
    assert _answer(closed, "2026-03-01") == []
    assert tn.undated_status(peskov) == tn.ENDED


def test_past_reports_alone_never_put_anyone_in_office():
    rows = [("rumsfeld", "secretary of defense|US|", "2007-03-01", "former")]
    (rumsfeld,) = _held(rows)
    assert not rumsfeld.opened and rumsfeld.ended == _day("2007-03-01")
    assert _answer(rows, "2008-01-01") == []
    # soon before the "former" report it is the one (weak) piece of evidence, and said to be so
    assert _answer(rows, "2006-06-01") == [("rumsfeld", tn.LATER_PAST, 273)]
    assert _answer(rows, "2006-01-01") == []
    # a holder reported in office comes first
    rows.append(("gates", "secretary of defense|US|", "2006-12-20", "current"))
    assert [p for p, *_ in _answer(rows, "2006-06-01")] == ["rumsfeld"]
    assert [p for p, *_ in _answer(rows, "2007-01-01")] == ["gates"]


def test_a_former_report_before_the_last_one_in_office_closes_nothing():
    rows = [
        ("netanyahu", "prime minister|IL|", "1997-01-01", "former"),
        ("netanyahu", "prime minister|IL|", "1998-01-01", "current"),
    ]
    (tenure,) = _held(rows)
    assert tenure.ended is None and _answer(rows, "1998-06-01")[0][1] == tn.LAST_REPORTED


def test_designate_reports_neither_open_nor_succeed():
    rows = [
        ("schroeder", CHANCELLOR, "2005-09-20", "current"),
        ("merkel", CHANCELLOR, "2005-10-11", "designate"),
    ]
    schroeder, merkel = _held(rows)
    assert not merkel.opened and schroeder.successor is None
    assert _answer(rows, "2005-11-01") == [("schroeder", tn.LAST_REPORTED, 42)]


def test_overlapping_holders_conflict_and_rank_by_evidence_near_the_day():
    rows = [
        ("putin", "president|RU|", "2024-11-18", "current"),
        ("putin", "president|RU|", "2025-01-20", "current"),
        ("yeltsin", "president|RU|", "2024-12-01", "current"),
        ("yeltsin", "president|RU|", "1995-06-01", "current"),
    ]
    held = _held(rows, "2024-12-01")
    assert [(p, s) for p, s, _ in _answer(rows, "2024-12-01")] == [
        ("putin", tn.IN_OFFICE),
        ("yeltsin", tn.IN_OFFICE),
    ]
    (clash,) = tn.clashes(held)
    assert (clash.overlap_from, clash.overlap_to) == (_day("2024-11-18"), _day("2024-12-01"))
    assert [t.person_id for t in clash.tenures] == ["putin", "yeltsin"] and clash.near == 3


def test_offices_with_many_holders_have_no_successors():
    rows = [
        ("a", "spokesman|RU|", "2020-01-01", "current"),
        ("b", "spokesman|RU|", "2021-01-01", "current"),
    ]
    held = _held(rows, "2021-06-01", single=False)
    assert all(t.successor is None for t in held)
    assert [(s.tenure.person_id, s.status) for s in tn.on_day(held, _day("2021-06-01"))] == [
        ("b", tn.LAST_REPORTED),
    ]
    # both when both are reported within a year of the day
    assert [
        s.tenure.person_id for s in tn.on_day(_held(rows, "2020-12-31", single=False), _day("2020-12-31"))
    ] == ["a"]


def test_a_holder_first_reported_soon_after_beats_one_last_reported_years_before():
    rows = [
        ("major", "prime minister|GB|", "1997-04-01", "current"),
        ("blair", "prime minister|GB|", "2005-11-14", "current"),
        ("blair", "prime minister|GB|", "2006-12-15", "current"),
    ]
    assert _answer(rows, "2005-03-01") == [("blair", tn.NEXT_REPORTED, 258)]
    # a predecessor reported within the year still answers
    assert _answer(rows, "1997-09-01") == [("major", tn.LAST_REPORTED, 153)]
    # with nothing near, the last holder reported, however stale
    assert _answer(rows[:1], "2005-03-01") == [("major", tn.LAST_REPORTED, 2891)]


# ---------------------------------------------------------------- who over a real store

Role = tuple[str, str, str | None, str | None]  # person, title as written, organisation, modifier


def _record(
    article_id: str, date: str, text: str, roles: list[Role], places: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A record of `text` with one role per (person, title, organisation, modifier), each person
    named once in the text, and the places (GPE) the article mentions."""
    entities: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for name in dict.fromkeys([reported[0] for reported in roles]):
        ids[name] = f"p{len(ids) + 1}"
        entities.append(
            {
                "id": ids[name],
                "type": "PERSON",
                "name": name,
                "mentions": [{**span(text, name), "kind": "name"}],
            }
        )
    for n, place in enumerate(places, 1):
        entities.append(
            {"id": f"g{n}", "type": "GPE", "name": place, "mentions": [{**span(text, place), "kind": "name"}]}
        )

    def evidence(person: str, title: str) -> dict[str, Any]:
        start = text.find(title)
        start, end = (start, start + len(title)) if start >= 0 else (0, len(text))
        end = max(end, text.index(person) + len(person)) if start < text.index(person) else end
        return {"start": start, "end": end, "text": text[start:end]}

    return record(
        article_id,
        date,
        text,
        entities,
        roles=[
            role(ids[person], title, evidence(person, title), date, org, modifier)
            for person, title, org, modifier in roles
        ],
    )


MAJOR, BLAIR, JUPPE, HAWKE = "John Major", "Tony Blair", "Alain Juppe", "Bob Hawke"

BRITAIN = [
    _record(
        "major-1995",
        "1995-03-01",
        "British Prime Minister John Major met his cabinet.",
        [(MAJOR, "British Prime Minister", None, None)],
    ),
    # a wire that leaves the country implicit: Major's other reports say British
    _record(
        "major-1996",
        "1996-06-01",
        "Prime Minister John Major spoke in the Commons.",
        [(MAJOR, "Prime Minister", None, None)],
    ),
    _record(
        "blair-1997",
        "1997-05-02",
        "Tony Blair, the Prime Minister of Britain, entered Downing Street.",
        [(BLAIR, "Prime Minister of Britain", None, None)],
    ),
    # the country from the article alone: Blair has no other report saying it
    _record(
        "blair-1998",
        "1998-02-01",
        "Prime Minister Tony Blair visited schools across Britain, watched by the British press.",
        [(BLAIR, "Prime Minister", None, None)],
        places=("Britain", "British"),
    ),
    _record(
        "major-1999",
        "1999-04-01",
        "Former Prime Minister John Major spoke at a dinner.",
        [(MAJOR, "Prime Minister", None, "former")],
    ),
    # "then": about the past, after Blair took over; it must not make Major current again
    _record(
        "major-2000",
        "2000-06-01",
        "Then Prime Minister John Major had signed the treaty in 1992.",
        [(MAJOR, "Prime Minister", None, "then")],
    ),
    _record(
        "juppe-1996",
        "1996-05-01",
        "French Prime Minister Alain Juppe announced cuts in Paris.",
        [(JUPPE, "French Prime Minister", None, None)],
    ),
    _record(
        "hawke-1990",
        "1990-02-01",
        "Australian Prime Minister Bob Hawke called an election.",
        [(HAWKE, "Australian Prime Minister", None, None)],
    ),
]


@pytest.fixture
def britain(store):
    summary = write_records(store, BRITAIN, command="test")
    assert summary.failed == 0
    return store


def _who(store: Any, title: str, **kwargs: Any) -> list[tuple[str, str]]:
    return [(h.person, h.status) for h in query.who(store, title, **kwargs).holders]


def test_who_reads_the_title_as_a_canonical_office(britain):
    # "premier" asks for prime ministers however written, in every country
    assert _who(britain, "premier", on="1996-06-01")[0] == (MAJOR, tn.IN_OFFICE)
    assert {p for p, _ in _who(britain, "premier")} == {MAJOR, BLAIR, JUPPE, HAWKE}
    # with the country in the title or apart, one question
    for title, country in [
        ("British Prime Minister", None),
        ("Prime Minister of the United Kingdom", None),
        ("Prime Minister", "United Kingdom"),
        ("Prime Minister", "UK"),
        ("PM", "Britain"),
    ]:
        assert _who(britain, title, on="1996-06-01", country=country) == [(MAJOR, tn.IN_OFFICE)], title


def test_a_report_without_a_country_takes_the_persons_other_reports_or_the_articles(britain):
    (major,) = query.who(britain, "British Prime Minister", on="1996-06-01").holders
    # the bare "Prime Minister John Major" of 1996 counts, as British
    assert (major.first_seen, major.last_seen) == ("1995-03-01", "1996-06-01")
    assert {e.article_id for e in major.evidence} >= {"major-1995", "major-1996"}
    assert major.country == Country("United Kingdom", "GB") and not major.country_inferred
    assert major.office == "Prime Minister (United Kingdom)"
    # Blair's bare report takes his other report's country; Juppe's French one is no answer
    (blair,) = query.who(britain, "Prime Minister", on="1998-02-01", country="GB").holders
    assert (blair.person, blair.last_seen, blair.evidence_count) == (BLAIR, "1998-02-01", 2)
    assert _who(britain, "British Prime Minister", on="1996-05-01") == [(MAJOR, tn.IN_OFFICE)]


def test_country_inferred_from_the_article_is_marked(store):
    write_records(store, [BRITAIN[3]], command="test")
    (blair,) = query.who(store, "British Prime Minister", on="1998-02-01").holders
    assert blair.person == BLAIR and blair.country_inferred is True
    assert blair.country == Country("United Kingdom", "GB")
    # the article's country is a hint only: asked for France, Blair is a prime minister of no
    # known country, an answer only while no French one is reported near the day
    (unknown,) = query.who(store, "French Prime Minister", on="1998-02-01").holders
    assert (unknown.person, unknown.country, unknown.office) == (BLAIR, None, "Prime Minister")
    write_records(store, [BRITAIN[6]], command="test")
    assert _who(store, "French Prime Minister", on="1996-06-01") == [(JUPPE, tn.LAST_REPORTED)]


def test_a_tenure_closed_by_its_successor_and_never_reopened_by_past_reports(britain):
    assert _who(britain, "British Prime Minister", on="1999-06-01") == [(BLAIR, tn.LAST_REPORTED)]
    # "then Prime Minister John Major" in 2000 neither extends his tenure nor makes him current
    assert _who(britain, "British Prime Minister", on="2000-06-01") == [(BLAIR, tn.LAST_REPORTED)]
    everyone = {h.person: h for h in query.who(britain, "British Prime Minister").holders}
    major = everyone[MAJOR]
    assert major.last_seen == "1996-06-01" and major.ended_by == "1997-05-02"
    assert major.status == f"succeeded by {BLAIR} on 1997-05-02"
    assert (major.successor, major.succeeded_on) == (BLAIR, "1997-05-02")
    assert everyone[BLAIR].status == tn.REPORTED and everyone[BLAIR].successor is None
    # between Major's last report and Blair's first, Major is the latest holder, said to be stale
    (stale,) = query.who(britain, "British Prime Minister", on="1997-03-01").holders
    assert (stale.person, stale.status, stale.stale_days) == (MAJOR, tn.LAST_REPORTED, 273)


def test_a_stale_holder_ranks_below_one_in_office(britain):
    holders = query.who(britain, "Prime Minister", on="1996-05-20").holders
    assert [(h.person, h.status, h.stale_days) for h in holders] == [
        (MAJOR, tn.IN_OFFICE, 12),
        (JUPPE, tn.LAST_REPORTED, 19),
        (HAWKE, tn.LAST_REPORTED, (dt.date(1996, 5, 20) - dt.date(1990, 2, 1)).days),
    ]


def test_conflicts_are_listed_with_evidence_and_ranked_by_evidence_near_the_day(store):
    records = [
        _record(
            f"kohl-{d}",
            d,
            "German Chancellor Helmut Kohl spoke.",
            [("Helmut Kohl", "German Chancellor", None, None)],
        )
        for d in ("1997-01-10", "1997-06-10", "1997-09-10")
    ] + [
        _record(
            "schroeder-1997",
            "1997-06-20",
            "Chancellor Gerhard Schroeder of Germany spoke.",
            [("Gerhard Schroeder", "Chancellor", "Germany", None)],
        ),
        _record(
            "schroeder-1999",
            "1999-01-10",
            "German Chancellor Gerhard Schroeder spoke.",
            [("Gerhard Schroeder", "German Chancellor", None, None)],
        ),
    ]
    write_records(store, records, command="test")
    answer = query.who(store, "German Chancellor", on="1997-06-20")
    assert [(h.person, h.status) for h in answer.holders] == [
        ("Helmut Kohl", tn.IN_OFFICE),
        ("Gerhard Schroeder", tn.IN_OFFICE),
    ]
    (conflict,) = answer.conflicts
    assert [h.person for h in conflict.holders] == ["Helmut Kohl", "Gerhard Schroeder"]
    assert [h.evidence_near for h in conflict.holders] == [3, 1]
    assert (conflict.overlap_from, conflict.overlap_to) == ("1997-06-20", "1997-09-10")
    assert conflict.office == "Chancellor (Germany)" and all(h.evidence for h in conflict.holders)
    # in 1999 Kohl was last reported long before and Schroeder since: no conflict that day
    later = query.who(store, "German Chancellor", on="1999-01-10")
    assert [(h.person, h.status) for h in later.holders] == [("Gerhard Schroeder", tn.IN_OFFICE)]


def test_org_filters_and_an_unknown_country(store):
    records = [
        _record(
            "volcker",
            "1987-03-01",
            "Fed chairman Paul Volcker testified.",
            [("Paul Volcker", "chairman", "Fed", None)],
        ),
        _record(
            "greenspan",
            "1987-09-01",
            "Federal Reserve Chairman Alan Greenspan spoke.",
            [("Alan Greenspan", "Chairman", "Federal Reserve", None)],
        ),
        _record(
            "gates",
            "1987-09-02",
            "Microsoft chairman Bill Gates spoke.",
            [("Bill Gates", "chairman", "Microsoft", None)],
        ),
    ]
    write_records(store, records, command="test")
    for title, org in [
        ("Fed chairman", None),
        ("chairman", "Federal Reserve"),
        ("Federal Reserve Chairman", None),
    ]:
        assert _who(store, title, on="1987-10-01", org=org) == [("Alan Greenspan", tn.LAST_REPORTED)], title
    assert _who(store, "chairman", on="1987-06-01", org="Fed") == [("Paul Volcker", tn.LAST_REPORTED)]
    assert {p for p, _ in _who(store, "chairman", on="1987-10-01")} == {"Alan Greenspan", "Bill Gates"}
    assert _who(store, "chairman", on="1987-10-01", org="Microsoft") == [("Bill Gates", tn.LAST_REPORTED)]
    with pytest.raises(NotFound):
        query.who(store, "Prime Minister", country="Narnia")


def test_cli_who_with_country(britain, store_url):
    args = ["who", "Prime Minister", "--on", "1998-02-01", "--country", "United Kingdom", "--db", store_url]
    answer = json.loads(_invoke(*args, "--json").stdout)
    assert answer["office"] == "Prime Minister (United Kingdom)"
    assert answer["country"] == {"name": "United Kingdom", "code": "GB"}
    (blair,) = answer["holders"]
    assert (blair["person"], blair["status"], blair["country"]["code"]) == (BLAIR, tn.IN_OFFICE, "GB")
    assert {"office", "country_inferred", "org", "stale_days", "successor", "evidence"} <= blair.keys()
    table = _invoke(*args).stdout
    assert "Prime Minister (United Kingdom)" in table and BLAIR in table and MAJOR not in table
    stale = _invoke("who", "British Prime Minister", "--on", "1997-03-01", "--db", store_url).stdout
    assert MAJOR in stale and "stale 9 months" in stale
    missing = runner.invoke(app, ["who", "Prime Minister", "--country", "Narnia", "--db", store_url])
    assert missing.exit_code == 1 and "Narnia" in missing.output


def _invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


def test_web_who_page_and_api_take_country_and_org(britain, nlp):
    with TestClient(create_app(britain, nlp=nlp)) as client:
        params = {"title": "Prime Minister", "on": "1996-06-01", "country": "UK"}
        answer = client.get("/api/who", params=params).json()
        assert [(h["person"], h["country"]["code"]) for h in answer["holders"]] == [(MAJOR, "GB")]
        french = client.get("/api/who", params={**params, "country": "France"}).json()
        assert [h["person"] for h in french["holders"]] == [JUPPE]
        assert client.get("/api/who", params={**params, "country": "Narnia"}).status_code == 404
        page = client.get("/office", params=params)
        assert page.status_code == 200
        assert (
            "Prime Minister (United Kingdom)" in page.text and MAJOR in page.text and JUPPE not in page.text
        )
        assert 'name="country" value="UK"' in page.text
        fed = client.get("/api/who", params={"title": "chairman", "org": "Federal Reserve"}).json()
        assert fed["holders"] == [] and fed["org"] == "Federal Reserve"


def test_a_long_answer_shows_its_best_holders_and_says_how_many_there_were(britain, monkeypatch):
    from newsgraph.query import offices

    monkeypatch.setattr(offices, "MAX_HOLDERS", 2)
    everyone = query.who(britain, "premier")
    # the best-reported tenures, in the order they began
    assert [h.person for h in everyone.holders] == [MAJOR, BLAIR] and everyone.holders_total == 4
    on_day = query.who(britain, "premier", on="1996-05-20")
    assert [h.person for h in on_day.holders] == [MAJOR, JUPPE] and on_day.holders_total == 3


def test_a_fresh_report_without_the_country_beats_a_stale_one_with_it(store):
    records = [
        _record(
            "reagan-1987",
            "1987-03-02",
            "US President Ronald Reagan spoke.",
            [("Ronald Reagan", "US President", None, None)],
        ),
        _record(
            "bush-1990",
            "1990-08-13",
            "President George Bush spoke.",
            [("George Bush", "President", None, None)],
        ),
        _record(
            "bush-1990b",
            "1990-08-20",
            "US President George Bush spoke.",
            [("George Bush", "US President", None, None)],
        ),
    ]
    write_records(store, records[:2], command="test")
    # Reagan, last reported three years before, is the only US president on record: Bush's
    # bare "President" of that week comes first, Reagan after
    assert _who(store, "President", on="1990-08-13", country="US") == [
        ("George Bush", tn.IN_OFFICE),
        ("Ronald Reagan", tn.LAST_REPORTED),
    ]
    # once a fresh report names the country, the bare ones of others no longer answer
    write_records(store, records[2:], command="test")
    (bush,) = query.who(store, "President", on="1990-08-13", country="US").holders
    assert (bush.person, bush.status, bush.country_inferred) == ("George Bush", tn.IN_OFFICE, False)


def test_one_person_answers_once_on_a_day(store):
    records = [
        _record(
            "craxi-1",
            "1987-03-03",
            "Italian Prime Minister Bettino Craxi resigned from the coalition.",
            [("Bettino Craxi", "Italian Prime Minister", "coalition", None)],
        ),
        # a stray organisation makes another office of the same title
        _record(
            "craxi-2",
            "1987-03-04",
            "Socialist Prime Minister Bettino Craxi of Italy spoke.",
            [("Bettino Craxi", "Prime Minister", "Socialist", None)],
        ),
    ]
    write_records(store, records, command="test")
    assert len(query.who(store, "Prime Minister").holders) == 2
    assert _who(store, "Prime Minister", on="1987-03-04") == [("Bettino Craxi", tn.IN_OFFICE)]


def test_an_organisation_written_shorter_is_a_weak_match(store):
    records = [
        _record(
            "lewandowski",
            "2016-03-12",
            "Trump manager Corey Lewandowski was charged.",
            [("Corey Lewandowski", "manager", "Trump", None)],
        ),
        _record(
            "mook",
            "2016-03-12",
            "Clinton campaign manager Robby Mook said the race was close.",
            [("Robby Mook", "campaign manager", "Clinton", None)],
        ),
    ]
    write_records(store, records, command="test")
    assert [p for p, _ in _who(store, "Trump campaign manager", on="2016-03-20")] == ["Corey Lewandowski"]
    # a manager of no organisation named, reported closer to the day, comes after him
    weaver = _record(
        "weaver", "2016-03-19", "Manager Jeff Weaver spoke.", [("Jeff Weaver", "manager", None, None)]
    )
    write_records(store, [weaver], command="test")
    assert [p for p, _ in _who(store, "Trump campaign manager", on="2016-03-20")] == [
        "Corey Lewandowski",
        "Jeff Weaver",
    ]
    # another organisation is no match; none named is a weak one
    assert [p for p, _ in _who(store, "manager", on="2016-03-20", org="Microsoft")] == ["Jeff Weaver"]


def test_a_person_page_shows_one_office_however_written_and_then_never_extends_it(store):
    from newsgraph.query import person

    write_records(
        store,
        [
            _record(
                "k1",
                "2005-01-10",
                "Japanese Prime Minister Junichiro Koizumi spoke.",
                [("Junichiro Koizumi", "Prime Minister", "Japan", None)],
            ),
            _record(
                "k2",
                "2006-08-01",
                "Premier Junichiro Koizumi spoke.",
                [("Junichiro Koizumi", "Premier", None, None)],
            ),
            _record(
                "k3",
                "2006-12-22",
                "Japan's then prime minister Junichiro Koizumi spoke.",
                [("Junichiro Koizumi", "prime minister", "Japan", "then")],
            ),
        ],
    )
    (office,) = person(store, "Junichiro Koizumi").roles
    assert office.office == "Prime Minister (Japan)"
    assert (office.first_seen, office.last_seen, office.ended_by) == ("2005-01-10", "2006-08-01", None)
    assert office.evidence_count == 3


def test_an_office_of_another_place_is_no_answer_for_the_country_asked(store):
    records = [
        _record(
            "major",
            "1997-04-01",
            "British Prime Minister John Major spoke.",
            [(MAJOR, "British Prime Minister", None, None)],
        ),
        _record(
            "blair",
            "2005-11-14",
            "British Prime Minister Tony Blair spoke.",
            [(BLAIR, "British Prime Minister", None, None)],
        ),
        # a provincial premier in office over the day names a province, not the country asked
        _record(
            "klein-1",
            "1997-04-12",
            "Alberta Premier Ralph Klein spoke.",
            [("Ralph Klein", "Premier", "Alberta", None)],
        ),
        _record(
            "klein-2",
            "2005-11-24",
            "Alberta Premier Ralph Klein spoke.",
            [("Ralph Klein", "Premier", "Alberta", None)],
        ),
    ]
    write_records(store, records, command="test")
    assert _who(store, "Prime Minister", on="2005-03-01", country="United Kingdom") == [
        (BLAIR, tn.NEXT_REPORTED)
    ]
