"""The read side: `newsgraph.query` and the quotes/person/who/timeline/stats commands.

Each test builds a real store (SQLite, and PostgreSQL where configured) from
the sample article plus a few made-up ones that exercise cross-article
behaviour: one person under two spellings, a "former" title, two people
reported as president of the same country at overlapping times.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from newsgraph import query
from newsgraph.article import Article
from newsgraph.cli import app
from newsgraph.store import curation
from newsgraph.store import schema as t
from newsgraph.store.write import write_records

from .conftest import SAMPLE

runner = CliRunner()

SAMPLE_ID_DATE = "2024-11-18"
EXTRA = [
    Article(
        'Kremlin spokesman Dmitriy Peskov said on Monday that "the talks will continue next week." '
        "Peskov added that Russian President Vladimir Putin would travel to China on March 3, 2025.",
        id="kremlin-2025-01-20",
        date="2025-01-20",
    ),
    Article(
        'President of Russia Boris Yeltsin said that "reforms will go on." Yeltsin spoke in Moscow.',
        id="moscow-2024-12-01",
        date="2024-12-01",
    ),
    Article(
        'Former Press Secretary Dmitry Peskov said on Tuesday that "nothing has changed." '
        "The new Press Secretary of the Russian President, Ivan Petrov, declined to comment.",
        id="kremlin-2026-02-10",
        date="2026-02-10",
    ),
    Article(
        'Presidential aide Dmitri Peskoff told reporters that "the summit will take place in June." '
        "Peskoff spoke in Moscow.",
        id="aide-2025-03-01",
        date="2025-03-01",
    ),
]


@pytest.fixture(scope="module")
def sample_only(nlp):
    from newsgraph.extract import extract
    from newsgraph.read import read_file

    (article,) = list(read_file(SAMPLE))
    return [extract(article, nlp)]


@pytest.fixture(scope="module")
def corpus(nlp, sample_only):
    from newsgraph.extract import extract

    return sample_only + [extract(article, nlp) for article in EXTRA]


@pytest.fixture
def kb(store, corpus):
    summary = write_records(store, corpus, command="test")
    assert summary.failed == 0
    return store


def _sample_id(records) -> str:
    return records[0]["article"]["id"]


def _invoke(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


def _json(*args: str):
    return json.loads(_invoke(*args, "--json").stdout)


# ---------------------------------------------------------------- acceptance (the sample alone)


def test_acceptance_on_the_sample_alone(store, store_url, sample_only):
    write_records(store, sample_only)
    sample_id = _sample_id(sample_only)
    text = sample_only[0]["article"]["text"]

    answer = _json("who", "Press Secretary", "--on", "2024-11-18", "--db", store_url)
    assert [h["person"] for h in answer["holders"]] == ["Dmitry Peskov"]
    holder = answer["holders"][0]
    assert holder["status"] == "in office"
    # the office as meant: the Russian President's press secretary
    assert (holder["office"], holder["org"], holder["country"]) == (
        "Press Secretary (President of Russia)",
        "president",
        {"name": "Russia", "code": "RU"},
    )
    evidence = holder["evidence"][0]
    assert evidence["article_id"] == sample_id and evidence["date"] == "2024-11-18"
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert "Press Secretary of the Russian President" in evidence["text"]

    hits = _json("quotes", "--speaker", "Peskov", "--db", store_url)
    assert len(hits) == 6
    assert {h["speaker"] for h in hits} == {"Dmitry Peskov"}
    assert {h["speaker_title"] for h in hits} == {"Press Secretary, Russian President"}
    assert all(h["date"] == "2024-11-18" and h["article_id"] == sample_id for h in hits)

    karin = _json("person", "Karin", "--db", store_url)
    assert karin["name"] == "Erlan Karin"
    roles = {r["title"]: r for r in karin["roles"]}
    assert roles["State Counselor"]["inferred"] is True
    table = _invoke("person", "Karin", "--db", store_url).stdout
    assert "State Counselor" in table and "inferred" in table


# ---------------------------------------------------------------- quotes


def test_quotes_one_person_under_two_spellings_and_date_filters(kb):
    by_surname = query.quotes(kb, speaker="Peskov")
    assert len(by_surname) == 9  # six in the sample, two on 2025-01-20, one on 2026-02-10
    for name in ("Dmitriy Peskov", "Dmitry Peskov", "dmitri peskov", by_surname[0].speaker_id):
        assert [h.fact_key for h in query.quotes(kb, speaker=name)] == [h.fact_key for h in by_surname]
    # newest first; the title at the time of each statement
    assert [h.date for h in by_surname[:3]] == ["2026-02-10", "2025-01-20", "2025-01-20"]
    assert by_surname[1].speaker_title == "spokesman, Kremlin"
    assert by_surname[-1].speaker_title == "Press Secretary, Russian President"

    assert len(query.quotes(kb, speaker="Peskov", until="2024-12-31")) == 6
    assert len(query.quotes(kb, speaker="Peskov", since="2025-01-01")) == 3
    assert len(query.quotes(kb, speaker="Peskov", since="2025-01-01", until=dt.date(2025, 12, 31))) == 2
    assert len(query.quotes(kb, speaker="Peskov", limit=4)) == 4
    assert {h.article_id for h in query.quotes(kb, since="2024-12-01", until="2024-12-01")} == {
        "moscow-2024-12-01"
    }
    with pytest.raises(query.NotFound):
        query.quotes(kb, speaker="Nobody Atall")


def test_quotes_apply_rejections_and_merges(kb):
    peskov = query.quotes(kb, speaker="Peskov")
    peskoff = query.quotes(kb, speaker="Peskoff")
    assert [h.speaker for h in peskoff] == ["Dmitri Peskoff"]
    target, subject = peskov[0].speaker_id, peskoff[0].speaker_id
    assert target != subject
    now = dt.datetime.now(dt.UTC)
    with kb.engine.begin() as conn:
        conn.execute(
            insert(t.curation),
            [
                {"action": "merge", "subject": subject, "target": target, "at": now},
                {"action": "reject", "subject": peskov[0].fact_key, "target": None, "at": now},
            ],
        )
    merged = query.quotes(kb, speaker="Peskov")
    # the rejected statement is gone, the merged person's statement shows under the target
    assert len(merged) == len(peskov) - 1 + 1
    assert peskov[0].fact_key not in {h.fact_key for h in merged}
    assert {h.speaker_id for h in merged} == {target}
    assert {h.speaker for h in merged} == {"Dmitry Peskov"}
    # either name finds them all
    assert [h.fact_key for h in query.quotes(kb, speaker="Peskoff")] == [h.fact_key for h in merged]

    person = query.person(kb, "Peskoff")
    assert person.id == target and person.merged == [subject]
    assert "Dmitri Peskoff" in person.aliases and "Dmitriy Peskov" in person.aliases
    assert person.quote_count == len(merged)
    assert "aide" in {r.title for r in person.roles}
    assert query.stats(kb).people == query.stats(kb).people  # stable
    with kb.engine.connect() as conn:
        people = conn.execute(select(t.entities.c.id).where(t.entities.c.type == "PERSON")).all()
    assert query.stats(kb).people == len(people) - 1


def test_quotes_full_text_search(kb):
    # needs newsgraph.store.fts (FTS5 on SQLite, tsvector on PostgreSQL)
    hits = query.quotes(kb, search="overestimate media")
    assert hits and all("overestimate" in h.text for h in hits)
    assert hits[0].speaker == "Dmitry Peskov"
    assert query.quotes(kb, search="overestimate", speaker="Karin") == []
    assert query.quotes(kb, search="zzzunknownword") == []
    cli = _json("quotes", "--search", "summit", "--db", str(kb.engine.url.render_as_string(False)))
    assert [h["speaker"] for h in cli] == ["Dmitri Peskoff"]


def test_speaker_search_intersects_their_quotes_with_the_matches(kb, store_url, monkeypatch):
    # a common word and one speaker: the speaker's own quotes meet the matches, the ranking of
    # the whole store is never walked (the web's fast path, for the CLI too)
    module = importlib.import_module("newsgraph.query.quotes")

    def walk(*args, **kwargs):
        raise AssertionError("walked the whole store's ranking")

    monkeypatch.setattr(module, "_matches", walk)
    hits = _json("quotes", "--speaker", "Peskov", "--search", "media", "--db", store_url)
    assert hits and {h["speaker"] for h in hits} == {"Dmitry Peskov"}
    assert all("media" in h["text"].lower() for h in hits)


# ---------------------------------------------------------------- person


def test_person_role_timeline_former_closes_a_role(kb):
    peskov = query.person(kb, "Dmitriy Peskov")
    assert peskov.name == "Dmitry Peskov"
    assert {"Dmitry Peskov", "Dmitriy Peskov"} <= set(peskov.aliases)
    roles = {(r.title, r.org): r for r in peskov.roles}
    press = roles[("Press Secretary", "Russian President")]
    # "Former Press Secretary" (2026) closes the office seen in 2024; it opens none
    assert (press.first_seen, press.last_seen, press.ended_by) == ("2024-11-18", "2024-11-18", "2026-02-10")
    assert press.evidence_count == 2 and press.inferred is False
    assert [e.modifier for e in press.evidence] == [None, "former"]
    spokesman = roles[("spokesman", "Kremlin")]
    assert (spokesman.first_seen, spokesman.last_seen, spokesman.ended_by) == (
        "2025-01-20",
        "2025-01-20",
        None,
    )
    assert len(peskov.roles) == 2
    assert peskov.quote_count == 9
    assert [q.date for q in peskov.quotes[:5]] == [
        "2026-02-10",
        "2025-01-20",
        "2025-01-20",
        "2024-11-18",
        "2024-11-18",
    ]
    co = {c.name: c.articles for c in peskov.co_mentioned}
    assert co["Vladimir Putin"] == 2  # the sample and 2025-01-20
    assert co["Erlan Karin"] == 1 and co["Ivan Petrov"] == 1
    assert "Dmitry Peskov" not in co
    assert peskov.co_mentioned[0].name == "Vladimir Putin"


def test_person_unknown_and_by_id(kb):
    with pytest.raises(query.NotFound):
        query.person(kb, "Nobody Atall")
    karin = query.person(kb, "Erlan Karin")
    assert query.person(kb, karin.id).name == "Erlan Karin"
    assert karin.quote_count == 8


def test_ambiguous_surname(store, corpus, nlp):
    from newsgraph.extract import extract

    other = Article(
        'Anna Karin, a teacher, said that "the school will reopen."', id="karin-2", date="2025-02-01"
    )
    write_records(store, [*corpus, extract(other, nlp)])
    with pytest.raises(query.Ambiguous) as caught:
        query.person(store, "Karin")
    assert {name for _id, name in caught.value.candidates} == {"Erlan Karin", "Anna Karin"}
    assert query.person(store, "Erlan Karin").quote_count == 8


# ---------------------------------------------------------------- who


def test_who_on_a_date_and_last_reported(kb):
    on_day = query.who(kb, "Press Secretary", on="2024-11-18")
    assert [(h.person, h.status) for h in on_day.holders] == [("Dmitry Peskov", "in office")]
    for title in ("press secretary of the Russian President", "Russian President's Press Secretary"):
        assert [h.person for h in query.who(kb, title, on="2024-11-18").holders] == ["Dmitry Peskov"]

    # nobody reported in office that day: the latest report before it
    between = query.who(kb, "Press Secretary", on="2025-06-01")
    assert [(h.person, h.status) for h in between.holders] == [("Dmitry Peskov", "last reported")]
    # after "former Press Secretary Peskov", his successor
    after = query.who(kb, "Press Secretary", on="2026-03-01")
    assert [(h.person, h.status) for h in after.holders] == [("Ivan Petrov", "last reported")]
    assert after.holders[0].evidence[0].article_id == "kremlin-2026-02-10"
    # before the first report: never in office then, but the nearest evidence, said to be so
    soon_after = query.who(kb, "Press Secretary", on="2024-01-01")
    assert [(h.person, h.status) for h in soon_after.holders] == [
        ("Dmitry Peskov", "first reported soon after")
    ]
    assert query.who(kb, "Press Secretary", on="2023-06-01").holders == []

    everyone = query.who(kb, "Press Secretary")
    # "former" and the successor's first report close Peskov's tenure on the same day
    assert [(h.person, h.status) for h in everyone.holders] == [
        ("Dmitry Peskov", "succeeded by Ivan Petrov on 2026-02-10"),
        ("Ivan Petrov", "reported"),
    ]
    assert everyone.holders[0].ended_by == "2026-02-10"
    assert everyone.conflicts == []
    # a title is not matched by a different one that shares a word
    assert {h.title for h in query.who(kb, "President").holders} == {"president"}
    assert query.who(kb, "Secretary of State").holders == []


def test_who_president_of_russia_flags_a_conflict(kb):
    for title in ("President of Russia", "Russian President"):
        answer = query.who(kb, title, on="2024-12-01")
        assert [(h.person, h.status) for h in answer.holders] == [
            ("Vladimir Putin", "in office"),
            ("Boris Yeltsin", "in office"),
        ]
        # Tokayev is a president, but not of Russia
        assert "Kassym-Jomart Tokayev" not in {h.person for h in query.who(kb, title).holders}
        (conflict,) = answer.conflicts
        assert {h.person for h in conflict.holders} == {"Vladimir Putin", "Boris Yeltsin"}
        assert (conflict.overlap_from, conflict.overlap_to) == ("2024-12-01", "2024-12-01")
        assert all(h.evidence for h in conflict.holders)
    putin = query.who(kb, "President of Russia", on="2025-01-20").holders
    assert [h.person for h in putin] == ["Vladimir Putin"]
    assert {e.article_id for e in putin[0].evidence} == {"kremlin-2025-01-20", _sample_id_of(kb)}


def _sample_id_of(store) -> str:
    with store.engine.connect() as conn:
        return conn.execute(
            select(t.articles.c.id).where(t.articles.c.date == dt.date(2024, 11, 18))
        ).scalar_one()


def test_who_ignores_rejected_roles(kb):
    answer = query.who(kb, "Press Secretary", on="2024-11-18")
    fact_key = answer.holders[0].evidence[0].fact_key
    with kb.engine.begin() as conn:
        conn.execute(
            insert(t.curation), {"action": "reject", "subject": fact_key, "at": dt.datetime.now(dt.UTC)}
        )
    assert query.who(kb, "Press Secretary", on="2024-11-18").holders == []


# ---------------------------------------------------------------- timeline and stats


def test_timeline_order_future_and_quotes(kb):
    entries = query.timeline(kb)
    days = [e.day for e in entries]
    assert days == sorted(days)
    by_text = {(e.article_id, e.text): e for e in entries}
    march = by_text[("kremlin-2025-01-20", "March 3, 2025")]
    assert march.day == "2025-03-03" and march.future is True
    assert march.quote is not None and march.quote["speaker"] == "Dmitry Peskov"
    assert "travel to China on March 3, 2025" in march.context
    monday = by_text[("kremlin-2025-01-20", "Monday")]
    assert monday.future is False and monday.quote is None
    week = by_text[("kremlin-2025-01-20", "next week")]
    assert (week.day, week.precision, week.future) == ("2025-01-27", "week", True)
    june = by_text[("aide-2025-03-01", "June")]
    assert (june.day, june.precision, june.future) == ("2025-06-01", "month", True)
    assert june.quote["speaker"] == "Dmitri Peskoff"
    sample_january = [e for e in entries if e.article_date == "2024-11-18" and e.day == "2025-01-01"]
    assert sample_january and all(e.future for e in sample_january)
    assert all(e.quote["speaker"] == "Erlan Karin" for e in sample_january)
    # context is the sentence, not the whole article
    assert all(len(e.context) < 400 and e.text in e.context for e in entries)

    window = query.timeline(kb, since="2025-01-01", until="2025-03-31")
    assert [e.day for e in window] == ["2025-01-01", "2025-01-01", "2025-01-20", "2025-01-27", "2025-03-03"]
    assert all(e.future for e in query.timeline(kb, future_only=True))
    assert len(query.timeline(kb, limit=2)) == 2


def test_stats(kb, corpus):
    counts = query.stats(kb)
    assert counts.articles == 5
    assert counts.runs == 1 and counts.ingest_errors == 0
    assert counts.occurrences == sum(len(r["quotes"]) for r in corpus)
    assert counts.roles == sum(len(r["roles"]) for r in corpus)
    assert counts.quotes == counts.occurrences
    assert (counts.first_date, counts.last_date) == ("2024-11-18", "2026-02-10")
    assert counts.people >= 10 and counts.organisations >= 3 and counts.places >= 3


# ---------------------------------------------------------------- the commands


def test_commands_json_and_tables(kb, store_url):
    hits = _json("quotes", "--speaker", "Dmitriy Peskov", "--since", "2025-01-01", "--db", store_url)
    assert [h["date"] for h in hits] == ["2026-02-10", "2025-01-20", "2025-01-20"]
    assert len(_json("quotes", "--limit", "3", "--db", store_url)) == 3

    answer = _json("who", "President of Russia", "--on", "2024-12-01", "--db", store_url)
    assert len(answer["conflicts"]) == 1 and answer["on"] == "2024-12-01"
    table = _invoke("who", "President of Russia", "--on", "2024-12-01", "--db", store_url).stdout
    assert "conflict" in table and "Yeltsin" in table

    entries = _json("timeline", "--from", "2025-03-01", "--to", "2025-12-31", "--db", store_url)
    assert [e["day"] for e in entries] == ["2025-03-03", "2025-06-01"]
    assert "future" in _invoke("timeline", "--future", "--db", store_url).stdout

    counts = _json("stats", "--db", store_url)
    assert counts["articles"] == 5
    assert "articles" in _invoke("stats", "--db", store_url).stdout
    assert "Peskov" in _invoke("quotes", "--speaker", "Peskov", "--db", store_url).stdout
    assert "Kremlin" in _invoke("person", "Peskov", "--db", store_url).stdout


def test_commands_db_from_environment(kb, store_url, monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_DB", store_url)
    assert json.loads(_invoke("stats", "--json").stdout)["articles"] == 5


def test_commands_report_bad_input(kb, store_url, tmp_path):
    result = runner.invoke(app, ["person", "Nobody Atall", "--db", store_url])
    assert result.exit_code == 1 and "no person matches" in result.output
    result = runner.invoke(app, ["quotes", "--since", "yesterday", "--db", store_url])
    assert result.exit_code == 2
    result = runner.invoke(app, ["stats", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "no store" in result.output
    assert not (tmp_path / "missing.db").exists()


def test_queries_after_curation_commands(kb):
    curation.merge(kb, "Dmitri Peskoff", "Dmitry Peskov", "same man")
    assert len(query.quotes(kb, speaker="Peskoff")) == 10
    assert query.person(kb, "Peskoff").name == "Dmitry Peskov"
    # the 2026 article's Peskov becomes someone else: his "former" title no longer closes the office
    curation.split(kb, "Dmitry Peskov", "kremlin-2026-02-10", "a namesake")
    assert len(query.quotes(kb, speaker="Peskov")) == 9
    roles = {r.title: r for r in query.person(kb, "Dmitriy Peskov").roles}
    assert roles["Press Secretary"].ended_by is None
    assert [h.person for h in query.who(kb, "Press Secretary", on="2025-06-01").holders] == ["Dmitry Peskov"]
