"""`newsgraph eval`, run as users run it: a few development documents, the real pipeline and peers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.evaluate import SCORERS

runner = CliRunner()

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
The talks ended <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> and resume on
<TIMEX3 tid="t2" type="DATE" value="1998-01-12">Monday</TIMEX3>, officials said.
</TEXT>
</TimeML>
"""


@pytest.mark.shared
def test_polnear_dev_json_has_both_systems(shared_data: Path) -> None:
    data = str(shared_data / "polnear" / "data")
    args = ["eval", "polnear", "--split", "dev", "--data", data, "--limit", "3", "--json", "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["task"] == "polnear" and report["split"] == "dev" and report["documents"] == 3
    assert set(report["systems"]) == {"newsgraph", "textacy"}
    for system in report["systems"].values():
        assert system["Content"]["exact"]["gold"] == report["gold"]["Content"] > 0
    assert report["systems"]["newsgraph"]["Content"]["overlap"]["tp"] > 0
    assert report["seconds"]["total"] > 0 and report["failures"] == []


@pytest.mark.shared
def test_conll_testa_markdown_and_error_dump(shared_data: Path, tmp_path: Path) -> None:
    dump = tmp_path / "errors.jsonl"
    data = str(shared_data / "conll2003")
    args = ["eval", "conll", "--split", "testa", "--data", data, "--limit", "2", "--workers", "2"]
    result = runner.invoke(app, [*args, "--dump-errors", str(dump)])
    assert result.exit_code == 0, result.output
    assert "| Type | newsgraph P | newsgraph R | newsgraph F1 | spacy P |" in result.stdout
    assert "| **all (micro)** |" in result.stdout
    rows = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert rows and all(row["missed"] or row["spurious"] for row in rows)


@pytest.mark.shared
def test_timex_timebank_without_peer(shared_data: Path) -> None:
    folder = shared_data / "tempeval3" / "TBAQ-cleaned" / "TimeBank"
    result = runner.invoke(
        app,
        ["eval", "timex", "--set", "timebank", "--data", str(folder), "--limit", "2", "--no-peer", "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report["systems"]) == ["newsgraph"]
    assert report["documents"] == 2 and report["gold_timexes"] > 0


def test_timex_bad_file_is_reported_and_the_rest_scored(tmp_path: Path) -> None:
    (tmp_path / "good.tml").write_text(TML, encoding="utf-8")
    (tmp_path / "bad.tml").write_bytes(b"\xff\xfe<TimeML>")
    result = runner.invoke(
        app, ["eval", "timex", "--set", "aquaint", "--data", str(tmp_path), "--workers", "1"]
    )
    assert result.exit_code == 1
    assert "bad.tml" in result.stderr and "UTF-16" in result.stderr
    assert "TIMEX3 aquaint: 1 documents, 2 gold expressions" in result.stdout
    assert "| **value (attribute F1)** |" in result.stdout


def test_missing_data_is_an_error_naming_the_place(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = runner.invoke(app, ["eval", "conll", "--split", "testa", "--data", str(missing)])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr


def test_unknown_split_is_refused() -> None:
    result = runner.invoke(app, ["eval", "polnear", "--split", "validation"])
    assert result.exit_code == 2


@pytest.mark.parametrize("task", sorted(SCORERS))
def test_every_scorer_is_a_command_that_notes_its_held_out_data(task: str, tmp_path: Path) -> None:
    scorer = SCORERS[task]
    if scorer.held_out not in scorer.choices:
        pytest.skip(f"{task} has no held-out data of its own")
    args = ["eval", task, f"--{scorer.option}", scorer.held_out, "--data", str(tmp_path / "nowhere")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert f"{scorer.held_out} is held out" in result.stderr


def test_each_timex_set_the_command_offers_is_one_the_scorer_reads() -> None:
    from newsgraph.evaluate import timex

    assert tuple(timex.SETS) == SCORERS["timex"].choices
