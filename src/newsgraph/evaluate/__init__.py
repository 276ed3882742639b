"""Evaluation against annotated corpora, beside a peer on the same documents.

`polnear` (quotes: Source/Cue/Content, peer textacy), `conll` (entities,
peer: the bare spaCy pipeline) and `timex` (TIMEX3 as in TempEval-3, peer
dateparser; `meantime` reads MEANTIME's CAT XML) and `offices` (`who`
on our office questions, peer: grep for the name after the title) and `speakers` (who
said each statement of our own set, per kind of mention, peer textacy). `runner` parses each
document once in worker processes; `common` holds the shared scoring and
table helpers.

`SCORERS` names each task for the command line, `newsgraph eval`: what a
task is, and what it calls its data. It is plain data, so that building the
command line costs nothing; the task's module, `newsgraph.evaluate.<task>`,
holds its `evaluate(choice, data_dir, model=, workers=, peer=, limit=,
dump_errors=)` (the JSON report) and `format_markdown(report)`.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["SCORERS", "Scorer"]


class Scorer(NamedTuple):
    option: str  # what the task calls its data: "split" or "set"
    choices: tuple[str, ...]
    held_out: str  # the test data: reported once, never used to tune the rules
    summary: str
    choice_help: str


SCORERS: dict[str, Scorer] = {
    "polnear": Scorer(
        "split",
        ("train", "dev", "test"),
        "test",
        "Quotes: Source, Cue and Content spans and end-to-end attribution on PolNeAR (peer: textacy).",
        "dev to develop; test for final figures.",
    ),
    "conll": Scorer(
        "split",
        ("train", "testa", "testb"),
        "testb",
        "Entities: CoNLL-2003 English, entity-level exact micro F1 (peer: the bare spaCy pipeline).",
        "testa to develop; testb for final figures.",
    ),
    "timex": Scorer(
        "set",
        ("te3-platinum", "timebank", "aquaint", "meantime"),
        "te3-platinum",
        "Time: TIMEX3 spans (strict, relaxed) and values as in TempEval-3 (peer: dateparser).",
        "timebank, aquaint or meantime to develop; te3-platinum for final figures.",
    ),
    "offices": Scorer(
        "split",
        ("dev",),
        "",  # no test split here: the held-out office questions are scored elsewhere
        "Offices: who held an office on a date, top-1/top-3/answered on our own question set "
        "(peer: grep for the name after the title).",
        "dev: the office questions in tests/data/offices over TBAQ, Reuters-21578 and PolNeAR "
        "(--data: the folder holding tempeval3/, reuters21578/ and polnear/; --limit: the first N questions).",
    ),
    "speakers": Scorer(
        "split",
        ("dev",),
        "",  # no test split here: the held-out speaker sets (BBC, wires) are scored elsewhere
        "Speakers: statements found and with the right speaker, per mention kind (name, surname, "
        "pronoun, title, organisation, continuation) on our own set (peer: textacy).",
        "dev: the statements in tests/data/speakers over PolNeAR train/dev and TBAQ "
        "(--data: the folder holding polnear/ and tempeval3/; --limit: the first N documents).",
    ),
}
