"""The evaluation runner: one parse per document, per-system answers, failures recorded, order kept."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.evaluate.common import Timed, timed
from newsgraph.evaluate.runner import answers, run


def _tokens(doc: Doc) -> int:
    if "explode" in doc.text:
        raise RuntimeError("boom")
    return len(doc)


def _analyse(article: Article, doc: Doc, nlp: Language) -> dict[str, Timed]:
    return {"counter": timed(_tokens, doc), "echo": timed(str, article.id)}


def test_a_failing_system_is_recorded_and_the_rest_goes_on() -> None:
    articles = [
        Article("Anna Petrova spoke.", id="a", path="a.txt"),
        Article("This one will explode.", id="b", path="b.txt"),
        Article("Short.", id="c"),
    ]
    outcomes = list(run(articles, _analyse, workers=1))
    assert [o.article.id for o in outcomes] == ["a", "b", "c"]
    failures: list[Failure] = []
    seconds = {"parse": 0.0, "counter": 0.0, "echo": 0.0}
    found = [answers(o, ["counter", "echo"], failures, seconds) for o in outcomes]
    assert found[0] == {"counter": 4, "echo": "a"}
    assert found[1] == {"counter": None, "echo": "b"}
    assert found[2]["counter"] == 2
    assert [(f.path, f.system, f.reason) for f in failures] == [("b.txt", "counter", "RuntimeError: boom")]
    assert seconds["parse"] > 0 and seconds["echo"] >= 0


def test_a_system_missing_from_the_answers_is_a_failure() -> None:
    (outcome,) = run([Article("One line.", id="x")], _analyse, workers=1)
    failures: list[Failure] = []
    found = answers(outcome, ["echo", "absent"], failures, {"parse": 0.0, "echo": 0.0, "absent": 0.0})
    assert found == {"echo": "x", "absent": None}
    assert [(f.path, f.system, f.reason) for f in failures] == [("x", "absent", "no result")]
