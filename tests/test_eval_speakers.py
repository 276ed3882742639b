"""`newsgraph eval speakers`: our speaker dev set, the matching of statements to quotes, the command."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.errors import Failure
from newsgraph.evaluate.speakers import (
    MENTION_KINDS,
    Prediction,
    Statement,
    default_set_path,
    load_statements,
    read_documents,
    same_speaker,
    score_document,
    summarise,
)

STATEMENTS = load_statements(default_set_path())

runner = CliRunner()


# --------------------------------------------------------------------------- the dev set


def test_the_set_is_large_varied_and_never_held_out_data() -> None:
    assert len(STATEMENTS) >= 300
    documents = {s.article_id for s in STATEMENTS}
    assert len(documents) >= 40
    assert {s.collection for s in STATEMENTS} == {"polnear-train", "polnear-dev", "tbaq"}
    publishers = {s.doc.split("_")[0] for s in STATEMENTS if s.collection.startswith("polnear")}
    assert len(publishers) == 7
    wires = {Path(s.doc).name[:3] for s in STATEMENTS if s.collection == "tbaq"}
    assert {"APW", "NYT", "XIE", "wsj"} <= wires
    assert not any("bbc" in s.doc.lower() or "silver" in s.doc.lower() for s in STATEMENTS)


def test_every_kind_is_counted_with_enough_statements() -> None:
    kinds = Counter(s.mention_kind for s in STATEMENTS)
    assert set(kinds) == set(MENTION_KINDS)
    assert kinds["pronoun"] >= 30 and kinds["surname"] >= 30 and kinds["title"] >= 30
    assert kinds["organisation"] >= 20 and kinds["continuation"] >= 15
    # A continuation is attributed by context: it has no mention of its own; every other kind has one.
    assert all((s.mention is None) == (s.mention_kind == "continuation") for s in STATEMENTS)
    # An unknown speaker ("a senior official") carries no name; every known one does.
    assert all((s.speaker is None) == (s.speaker_type == "unknown") for s in STATEMENTS)


@pytest.mark.shared
def test_every_span_slices_to_its_text_in_the_article_as_read(shared_data: Path) -> None:
    failures: list[Failure] = []
    articles = {a.id: a for a in read_documents(STATEMENTS, shared_data, failures)}
    assert failures == []
    rows = [json.loads(line) for line in default_set_path().read_text(encoding="utf-8").splitlines()]
    for statement, row in zip(STATEMENTS, rows, strict=True):
        text = articles[statement.article_id].text
        for role in ("content", "cue", "mention"):
            if row[role] is not None:
                assert text[row[role]["start"] : row[role]["end"]] == row[role]["text"], (statement.doc, role)
        if statement.speaker_type == "person":
            # The speaker is someone the article names, at least by surname.
            assert statement.speaker.split()[-1] in text, (statement.doc, statement.speaker)


# --------------------------------------------------------------------------- matching


def _statement(
    start: int, end: int, speaker: str | None, kind: str = "name", speaker_type: str = "person"
) -> Statement:
    return Statement(
        collection="tbaq",
        doc="made-up.tml",
        content=(start, end),
        content_text="x" * (end - start),
        cue=None,
        speaker=speaker,
        speaker_type=speaker_type,
        mention=None if kind == "continuation" else (0, 2),
        mention_text=None if kind == "continuation" else "he",
        mention_kind=kind,
    )


def test_a_statement_is_found_by_the_quote_covering_half_its_content_and_scored_on_its_speaker() -> None:
    gold = [
        _statement(10, 30, "Juan Miguel Gonzalez", "surname"),  # half covered by the right quote
        _statement(40, 60, "Madeleine Albright", "pronoun"),  # a third covered: missed
        _statement(70, 90, None, "title", "unknown"),  # nobody named: right
        _statement(100, 120, "Cilcorp", "organisation", "organisation"),
        _statement(130, 150, "Juan Miguel Gonzalez", "continuation"),
    ]
    predictions = [
        Prediction((0, 12), "Elian Gonzalez"),  # overlaps the first statement less than the next one
        Prediction((20, 35), "Gonzalez", via="surname"),
        Prediction((53, 80), "Madeleine Albright"),
        Prediction((78, 95), None),
        Prediction((100, 125), "Cilcorp Inc.", via="organisation"),
        Prediction((130, 150), "Elian Gonzalez", via="continuation"),
    ]
    results = score_document(gold, predictions)
    assert [(r["found"], r["right"]) for r in results] == [
        (True, True),
        (False, False),
        (True, True),
        (True, True),
        (True, False),
    ]
    report = summarise(results)
    assert report["overall"] == {
        "total": 5,
        "found": 4,
        "right": 3,
        "found_share": 0.8,
        "right_of_found": 0.75,
    }
    assert report["by_kind"]["continuation"]["right"] == 0
    assert report["by_kind"]["pronoun"]["found"] == 0
    assert report["speaker_via"] == {
        "surname": {"surname": 1},
        "title": {"-": 1},
        "organisation": {"organisation": 1},
        "continuation": {"continuation": 1},
    }


@pytest.mark.parametrize(
    ("predicted", "gold", "gold_type", "right"),
    [
        ("Mr. Schwarz", "H. Marshall Schwarz", "person", True),
        ("Kenneth Starr", "Ken Starr", "person", True),
        ("Elian Gonzalez", "Juan Miguel Gonzalez", "person", False),
        ("Bill Clinton", "Hillary Clinton", "person", False),
        (None, "Hillary Clinton", "person", False),
        ("the U.S. Justice Department", "Justice Department", "organisation", True),
        ("S.E.C.", "Securities and Exchange Commission", "organisation", True),
        ("Fox News", "Cilcorp", "organisation", False),
        (None, None, "unknown", True),
        ("Louis Freeh", None, "unknown", False),
    ],
)
def test_same_speaker(predicted: str | None, gold: str | None, gold_type: str, right: bool) -> None:
    assert same_speaker(predicted, gold, gold_type) is right


# --------------------------------------------------------------------------- end to end


@pytest.mark.shared
def test_eval_speakers_runs_from_the_command_line(shared_data: Path, tmp_path: Path) -> None:
    dump = tmp_path / "errors.txt"
    args = [
        "eval",
        "speakers",
        "--split",
        "dev",
        "--data",
        str(shared_data),
        "--limit",
        "3",
        "--workers",
        "1",
    ]
    result = runner.invoke(app, [*args, "--json", "--dump-errors", str(dump)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["task"] == "speakers" and report["documents"] == 3
    assert report["failures"] == []
    first = list(dict.fromkeys(s.article_id for s in STATEMENTS))[:3]
    assert report["statements"] == sum(s.article_id in first for s in STATEMENTS)
    assert set(report["systems"]) == {"newsgraph", "textacy"}
    for system in report["systems"].values():
        overall = system["overall"]
        assert overall["right"] <= overall["found"] <= overall["total"] == report["statements"]
        assert sum(k["total"] for k in system["by_kind"].values()) == overall["total"]
    ours = report["systems"]["newsgraph"]["overall"]
    listed = dump.read_text(encoding="utf-8").count("\n  ")
    assert listed == ours["total"] - ours["right"]
    markdown = runner.invoke(app, [*args, "--no-peer"])
    assert markdown.exit_code == 0, markdown.output
    assert "| Mention kind | Gold | newsgraph found |" in markdown.stdout
    assert "textacy" not in markdown.stdout


def test_eval_speakers_without_the_corpora_says_where_it_looked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "speakers", "--split", "dev", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert str(tmp_path) in result.stderr
