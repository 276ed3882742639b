"""Tenures and `who`: who held an office when, from reports of people in it.

The first part drives the pure tenure logic (`newsgraph.query.tenures`) with
hand-made reports; the second builds real SQLite stores from hand-made records
and asks `newsgraph.query.who` and `newsgraph who`.
"""

from __future__ import annotations

import datetime as dt

from newsgraph.query import tenures as tn

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
    # before the "former" report it is the one (weak) piece of evidence, and said to be so
    assert _answer(rows, "2006-01-01") == [("rumsfeld", tn.LATER_PAST, 424)]
    # a holder reported in office comes first
    rows.append(("gates", "secretary of defense|US|", "2006-12-20", "current"))
    assert [p for p, *_ in _answer(rows, "2006-01-01")] == ["rumsfeld"]
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
        ("a", tn.LAST_REPORTED),
    ]
