"""The sample article against the hand-checked table in the core issue."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

STATEMENTS = [
    ("a good impetus for the cooperation between Kazakhstan and Russia", {"Erlan Karin"}),
    ("We have already agreed to hold the next forum in Kazakhstan", {"Erlan Karin"}),
    ("a large delegation of Kazakhstan arrived at the forum", {"Erlan Karin"}),
    ("the meeting is taking place ahead of the state visit", {"Dmitry Peskov"}),
    ("the Russian President’s visit would become a landmark event", {"Erlan Karin"}),
    ("Thanks to joint efforts, bilateral trade", {"Erlan Karin"}),
    ("without a dialogue between the two countries’ media outlets", {"Dmitry Peskov"}),
    (
        "the preparations for Vladimir Putin’s visit to Kazakhstan are already at the final stage",
        {"Dmitry Peskov"},
    ),
    ("Each time, the highest-level communication", {"Dmitry Peskov"}),
    ("both presidents’ articles will be published", {"Dmitry Peskov"}),
    ("it is probably difficult to overestimate the role of media", {"Dmitry Peskov"}),
    (
        "events dedicated to this anniversary date will begin in Kazakhstan as early as January 2025",
        {"Erlan Karin"},
    ),
    ("The Great Victory Day is an important sacred date", {"Erlan Karin"}),
    ("A lot of work has been done over the past five to six months", {"Erlan Karin"}),
    ("the Agency’s readiness to freely provide rare photo materials", {"Andrey Kondrashov"}),
    ("Possessing a large archive of wartime photographs", {"Andrey Kondrashov"}),
]

ROLES = {
    "Daniya Yespayeva": ("Vice Speaker", "Majilis of the Kazakh Parliament"),
    "Roman Vassilenko": ("Deputy Minister of Foreign Affairs", None),
    "Raushan Kazhibayeva": ("Director", "TV and Radio Complex of the President of Kazakhstan"),
    "Dauren Abayev": ("Ambassador", "Kazakhstan"),
    "Kassym-Jomart Tokayev": ("President", None),
    "Dmitry Peskov": ("Press Secretary", "Russian President"),
    "Vladimir Putin": ("President", "Russia"),
    "Andrey Kondrashov": ("Director General", "TASS"),
    "Erlan Karin": ("State Counselor", None),
}


def _names(record):
    return {e["id"]: e["name"] for e in record["entities"]}


def test_record_is_plain_json(sample_record):
    assert json.loads(json.dumps(sample_record)) == sample_record
    assert sample_record["schema"] == "newsgraph.article/1"
    assert sample_record["article"]["date"] == "2024-11-18"


@pytest.mark.parametrize(("fragment", "speakers"), STATEMENTS, ids=[s[0][:30] for s in STATEMENTS])
def test_statement_has_right_speaker(sample_record, fragment, speakers):
    names = _names(sample_record)
    found = [q for q in sample_record["quotes"] if fragment in q["content"]["text"]]
    assert len(found) == 1, f"{fragment!r}: {len(found)} quotes"
    assert names.get(found[0]["speaker"]) in speakers


def test_few_extra_quotes(sample_record):
    matched = {
        q["id"]
        for q in sample_record["quotes"]
        for fragment, _ in STATEMENTS
        if fragment in q["content"]["text"]
    }
    assert len(sample_record["quotes"]) - len(matched) <= 2


def test_pronoun_and_title_speakers_are_resolved(sample_record):
    names = _names(sample_record)
    mentions = {
        (q["speaker_mention"]["text"], names.get(q["speaker"]))
        for q in sample_record["quotes"]
        if q["speaker_mention"]
    }
    assert ("he", "Erlan Karin") in mentions
    assert ("He", "Erlan Karin") in mentions
    assert ("him", "Dmitry Peskov") in mentions
    assert ("the State Counselor", "Erlan Karin") in mentions
    karin = next(q for q in sample_record["quotes"] if "A lot of work" in q["content"]["text"])
    assert karin["speaker_title"] == "State Counselor"


def test_quote_offsets_index_the_text(sample_record):
    text = sample_record["article"]["text"]
    for quote in sample_record["quotes"]:
        for key in ("content", "cue", "speaker_mention"):
            part = quote[key]
            if part:
                assert text[part["start"] : part["end"]] == part["text"]
        assert 0.0 <= quote["confidence"] <= 1.0


@pytest.mark.parametrize("person", sorted(ROLES))
def test_roles(sample_record, person):
    names = _names(sample_record)
    title, org = ROLES[person]
    roles = [r for r in sample_record["roles"] if names[r["person"]] == person]
    assert len(roles) == 1, roles
    (role,) = roles
    assert role["title"].startswith(title)
    assert (role.get("org_name") or None) == org or (org and org in role["title"])
    assert role["as_of"] == "2024-11-18"
    assert role["inferred"] is (person == "Erlan Karin")
    text = sample_record["article"]["text"]
    assert text[role["evidence"]["start"] : role["evidence"]["end"]] == role["evidence"]["text"]


def test_nine_roles(sample_record):
    assert len(sample_record["roles"]) == 9


def test_clean_entity_spans(sample_record):
    by_type = {(e["type"], e["name"]) for e in sample_record["entities"]}
    assert ("PERSON", "Daniya Yespayeva") in by_type
    assert ("ORG", "Kazakh Parliament") in by_type
    putin = next(e for e in sample_record["entities"] if e["name"] == "Vladimir Putin")
    assert all("’s" not in m["text"] for m in putin["mentions"])
    kinds = {m["kind"] for m in putin["mentions"]}
    assert {"name", "surname"} <= kinds
    karin = next(e for e in sample_record["entities"] if e["name"] == "Erlan Karin")
    assert {"name", "pronoun", "title"} <= {m["kind"] for m in karin["mentions"]}


def test_times(sample_record):
    values = {(t["text"], t["value"]) for t in sample_record["times"]}
    assert ("January 2025", "2025-01") in values
    assert ("today", "2024-11-18") in values
    assert any(t["type"] == "DURATION" and t["value"] == "P2D" for t in sample_record["times"])


def test_photo_credits(sample_record):
    photos = [c for c in sample_record["credits"] if c["kind"] == "photo"]
    assert [c["name"] for c in photos] == ["Saparbek Zhaksylyk"] * 3
    credit_starts = [c["start"] for c in photos]
    for quote in sample_record["quotes"]:
        assert not any(quote["content"]["start"] <= s < quote["content"]["end"] for s in credit_starts)


def test_sample_record_matches_the_golden_file(sample_record):
    """Byte for byte, so that a change meant to change nothing shows every difference it made;
    `scripts/update_golden.py` rewrites the file when a change to extraction is meant."""
    record = {
        **sample_record,
        "article": {**sample_record["article"], "path": "examples/forum-2024-11-18.txt"},
    }
    golden = (ROOT / "tests" / "golden" / "forum-2024-11-18.json").read_text(encoding="utf-8")
    assert json.dumps(record, ensure_ascii=False, indent=1) + "\n" == golden
