"""Evaluation against annotated corpora, beside a peer on the same documents.

`polnear` (quotes: Source/Cue/Content, peer textacy), `conll` (entities,
peer: the bare spaCy pipeline) and `timex` (TIMEX3 as in TempEval-3, peer
dateparser; `meantime` reads MEANTIME's CAT XML). `runner` parses each
document once in worker processes; `common` holds the shared scoring and
table helpers. `SCORERS` names each task for the command line, `newsgraph eval`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from newsgraph.evaluate import conll, polnear, timex

__all__ = ["SCORERS", "Scorer"]


class Scorer(NamedTuple):
    """One evaluation task: how to run and print it, and on what.

    `evaluate(choice, data_dir, model=, workers=, peer=, limit=, dump_errors=)`
    returns the JSON report that `format_markdown` prints as tables.
    """

    evaluate: Callable[..., dict[str, Any]]
    format_markdown: Callable[[dict[str, Any]], str]
    option: str  # what the task calls its data: "split" or "set"
    choices: tuple[str, ...]
    held_out: str  # the test data: reported once, never used to tune the rules
    summary: str
    choice_help: str


SCORERS: dict[str, Scorer] = {
    "polnear": Scorer(
        polnear.evaluate,
        polnear.format_markdown,
        "split",
        polnear.SPLITS,
        "test",
        "Quotes: Source, Cue and Content spans and end-to-end attribution on PolNeAR (peer: textacy).",
        "dev to develop; test for final figures.",
    ),
    "conll": Scorer(
        conll.evaluate,
        conll.format_markdown,
        "split",
        tuple(conll.SPLITS),
        "testb",
        "Entities: CoNLL-2003 English, entity-level exact micro F1 (peer: the bare spaCy pipeline).",
        "testa to develop; testb for final figures.",
    ),
    "timex": Scorer(
        timex.evaluate,
        timex.format_markdown,
        "set",
        tuple(timex.SETS),
        "te3-platinum",
        "Time: TIMEX3 spans (strict, relaxed) and values as in TempEval-3 (peer: dateparser).",
        "timebank, aquaint or meantime to develop; te3-platinum for final figures.",
    ),
}
