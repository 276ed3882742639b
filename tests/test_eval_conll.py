"""The CoNLL-2003 scorer on hand-made documents and predictions, and the real files' gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.evaluate.conll import (
    ConllDocument,
    iob_spans,
    load_split,
    parse_conll,
    score,
    score_document,
)

SAMPLE = """\
-DOCSTART- -X- O O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O
. . O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
in IN I-PP O
New NNP I-NP I-LOC
York NNP I-NP I-LOC
. . O O

-DOCSTART- -X- O O

Rome NNP I-NP I-LOC
Paris NNP I-NP B-LOC
broken
"""


def _documents() -> list[ConllDocument]:
    documents, failures = parse_conll(SAMPLE.splitlines(), "t")
    assert [f.path for f in failures] == ["t:20"]
    return documents


# ---------------------------------------------------------------- reading


def test_iob1_starts_an_entity_at_a_type_change_or_b() -> None:
    tags = ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG"]
    assert iob_spans(tags) == [(0, 2, "PER"), (2, 3, "PER"), (4, 5, "LOC"), (5, 7, "ORG")]


def test_iob2_and_sentence_starts_end_entities() -> None:
    assert iob_spans(["B-LOC", "I-LOC", "B-LOC"]) == [(0, 2, "LOC"), (2, 3, "LOC")]
    # The same I-ORG run across a sentence start is two entities.
    assert iob_spans(["I-ORG", "I-ORG", "I-ORG"], sentence_starts=[0, 2]) == [(0, 2, "ORG"), (2, 3, "ORG")]


def test_documents_split_at_docstart_one_sentence_a_line() -> None:
    first, second = _documents()
    assert first.text == "EU rejects German call .\nPeter Blackburn in New York ."
    for token, (start, end) in zip(first.tokens, first.offsets, strict=True):
        assert first.text[start:end] == token
    assert first.entities == ((0, 1, "ORG"), (2, 3, "MISC"), (5, 7, "PER"), (8, 10, "LOC"))
    # The malformed line is reported and skipped; B-LOC splits Rome from Paris.
    assert second.text == "Rome Paris"
    assert second.entities == ((0, 1, "LOC"), (1, 2, "LOC"))
    assert (first.id, second.id) == ("t-001", "t-002")


def test_character_spans_map_to_tokens_only_on_token_boundaries() -> None:
    first = _documents()[0]
    york = first.text.index("New York")
    assert first.token_span(york, york + len("New York")) == (8, 10)
    assert first.token_span(york, york + len("New Yo")) is None  # ends inside a token
    assert first.token_span(york + 1, york + len("New York")) is None  # starts inside a token


# ---------------------------------------------------------------- scoring


def _at(document: ConllDocument, words: str, label: str) -> tuple[int, int, str]:
    start = document.text.index(words)
    return start, start + len(words), label


def test_exact_type_and_boundaries_with_ontonotes_mapping() -> None:
    first = _documents()[0]
    predicted = [
        _at(first, "EU", "ORG"),
        _at(first, "German", "NORP"),  # NORP -> MISC
        _at(first, "Peter Blackburn", "PERSON"),
        _at(first, "Peter Blackburn", "PERSON"),  # a duplicate counts once
        _at(first, "New York", "GPE"),  # GPE -> LOC
        _at(first, "call", "DATE"),  # not a scored type
    ]
    report = score([score_document(first, predicted)])
    assert report["all"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 4, "pred": 4, "gold": 4}
    assert report["misaligned"] == 0


def test_wrong_type_and_misaligned_spans_are_errors() -> None:
    first = _documents()[0]
    predicted = [
        _at(first, "EU", "GPE"),  # LOC, gold says ORG
        _at(first, "Peter Blackbur", "PERSON"),  # misaligned
        _at(first, "New York", "GPE"),
    ]
    result = score_document(first, predicted)
    report = score([result])
    assert report["all"]["tp"] == 1 and report["all"]["pred"] == 3 and report["all"]["gold"] == 4
    assert report["misaligned"] == 1
    assert report["LOC"] == {"p": 0.5, "r": 1.0, "f1": pytest.approx(2 / 3), "tp": 1, "pred": 2, "gold": 1}
    assert report["ORG"]["r"] == 0.0
    assert ("Peter Blackburn", "PER") in result["missed"]
    assert ("Peter Blackbur", "PER") in result["spurious"]


def test_no_predictions_score_zero() -> None:
    report = score([score_document(doc, []) for doc in _documents()])
    assert report["all"]["f1"] == 0.0
    assert report["all"]["gold"] == 6


# ---------------------------------------------------------------- real files (gold only)


@pytest.mark.shared
def test_testa_gold_counts_and_scores_itself_perfectly(shared_data: Path) -> None:
    path, documents, failures = load_split("testa", shared_data / "conll2003")
    assert path.name == "eng.testa" and not failures
    assert len(documents) == 216
    kinds = [kind for doc in documents for _, _, kind in doc.entities]
    # The published CoNLL-2003 development set figures.
    assert len(kinds) == 5942
    assert {k: kinds.count(k) for k in ("PER", "ORG", "LOC", "MISC")} == {
        "PER": 1842,
        "ORG": 1341,
        "LOC": 1837,
        "MISC": 922,
    }
    label = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}
    scored = []
    for doc in documents:
        spans = [(doc.offsets[s][0], doc.offsets[e - 1][1], label[kind]) for s, e, kind in doc.entities]
        scored.append(score_document(doc, spans))
    assert score(scored)["all"]["f1"] == 1.0


@pytest.mark.shared
def test_testb_gold_parses(shared_data: Path) -> None:
    # Gold loading only: testb is for the final report, never for extraction here.
    _, documents, failures = load_split("testb", shared_data / "conll2003")
    assert not failures
    assert len(documents) == 231
    assert sum(len(doc.entities) for doc in documents) == 5648


def test_unknown_split_and_missing_file() -> None:
    with pytest.raises(ValueError):
        load_split("dev")
    with pytest.raises(FileNotFoundError):
        load_split("testa", Path("/nonexistent"))
