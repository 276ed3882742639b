"""The PolNeAR scorer, on hand-made records so extraction quality never moves these tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsgraph.errors import Failure
from newsgraph.evaluate.peers import PeerSkipped, textacy_quotes
from newsgraph.evaluate.polnear import (
    GoldAttribution,
    default_data_dir,
    load_split,
    normalise,
    parse_brat,
    score,
    score_documents,
    write_errors,
)

TEXT = 'The Post reported that "taxes will rise," officials said, and he added it was bad.'


def at(fragment: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def span(offsets: tuple[int, int] | None, text: str = TEXT) -> dict[str, Any] | None:
    if offsets is None:
        return None
    return {"start": offsets[0], "end": offsets[1], "text": text[offsets[0] : offsets[1]]}


def quote(content, cue=None, speaker=None, text: str = TEXT) -> dict[str, Any]:
    return {
        "id": "q",
        "type": "direct",
        "content": span(content, text),
        "cue": span(cue, text),
        "speaker": None,
        "speaker_mention": span(speaker, text),
        "speaker_title": None,
        "confidence": 1.0,
    }


def record(quotes: list[dict[str, Any]], text: str = TEXT) -> dict[str, Any]:
    return {
        "schema": "newsgraph.article/1",
        "extractor": {},
        "article": {"id": "doc", "text": text},
        "entities": [],
        "roles": [],
        "quotes": quotes,
        "times": [],
        "credits": [],
    }


def gold(source=None, cue=None, content=None, content_pieces=None) -> GoldAttribution:
    pieces = {}
    if source:
        pieces["Source"] = (source,)
    if cue:
        pieces["Cue"] = (cue,)
    if content_pieces or content:
        pieces["Content"] = tuple(content_pieces or (content,))
    hull = None
    if pieces.get("Content"):
        hull = (min(s for s, _ in pieces["Content"]), max(e for _, e in pieces["Content"]))
    return GoldAttribution(source=source, cue=cue, content=hull, pieces=pieces)


# ---------------------------------------------------------------- BRAT parsing

ANN = "\n".join(
    [
        "T1\tSource 0 8\tThe Post",
        "T2\tCue 9 17\treported",
        'T3\tContent 18 22;23 40\tthat "taxes will rise,',
        "T4\tAttribution 9 17\treported",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tCue 52 56\tsaid",
        "T6\tAttribution 52 56\tsaid",
        "T7\tContent 62 66\the a",
        "E2\tAttribution:T6 Cue:T5 Source:T1 Content:T7 Content2:T8",
        "T8\tContent 70 72\tit",
        "#1\tAnnotatorNotes T3\ta note",
        "a stray continuation line of the note",
        "E3\tAttribution-no-source:T9 ",
        "",
    ]
)


def test_parse_brat_discontinuous_and_shared_source() -> None:
    spans, attributions = parse_brat(ANN)
    assert spans["T3"].pieces == ((18, 22), (23, 40))
    assert spans["T3"].hull == (18, 40)
    assert len(attributions) == 2  # the empty E3 attributes nothing
    first, second = attributions
    assert first.source == (0, 8) and first.cue == (9, 17) and first.content == (18, 40)
    assert first.role_pieces("Content") == ((18, 22), (23, 40))
    # Both attributions point at the same Source T line.
    assert second.source == first.source
    # Content2 is a further piece of the content: the hull spans both.
    assert second.content == (62, 72)
    assert second.role_pieces("Content") == ((62, 66), (70, 72))


def test_parse_brat_brat_text_is_pieces_joined_by_space() -> None:
    spans, _ = parse_brat(ANN)
    t3 = spans["T3"]
    assert " ".join(TEXT[s:e] for s, e in t3.pieces) == t3.text


# ---------------------------------------------------------------- normalisation


def test_normalise_strips_quotes_punctuation_whitespace() -> None:
    text = ' «“"taxes will rise,"” ' + "‘x’."
    s, e = normalise(text, 0, len(text) - 5)
    assert text[s:e] == "taxes will rise"
    s, e = normalise(text, len(text) - 4, len(text))
    assert text[s:e] == "x"
    # Nothing but punctuation: keep the raw span so it can match itself.
    assert normalise('"."', 0, 3) == (0, 3)


def test_exact_ignores_quote_marks_and_punctuation_overlap_any_char() -> None:
    content = at('"taxes will rise,"')
    g = [gold(source=at("officials"), cue=at("said"), content=content)]
    # Prediction without the quote marks and comma: exact after normalisation.
    pred = record([quote(at("taxes will rise"), cue=at("said"), speaker=at("officials"))])
    report = score([(pred, g)])
    assert report["Content"]["exact"]["tp"] == 1
    assert report["Content"]["overlap"]["tp"] == 1
    assert report["Cue"]["exact"]["f1"] == 1.0

    # One word short: still overlaps, no longer exact.
    pred = record([quote(at("taxes will"), cue=at("said"), speaker=at("officials"))])
    report = score([(pred, g)])
    assert report["Content"]["exact"]["tp"] == 0
    assert report["Content"]["overlap"]["tp"] == 1
    assert report["Content"]["overlap"]["p"] == 1.0


def test_exact_uses_first_to_last_char_of_discontinuous_gold() -> None:
    g = [gold(content_pieces=[at("The Post"), at("that")])]
    pred = record([quote(at("The Post reported that"))])
    assert score([(pred, g)])["Content"]["exact"]["tp"] == 1


def test_overlap_counts_only_real_pieces_of_discontinuous_gold() -> None:
    # The gap between the pieces ("reported") is not part of the gold content.
    g = [gold(content_pieces=[at("The Post"), at("that")])]
    pred = record([quote(at("reported"))])
    assert score([(pred, g)])["Content"]["overlap"]["tp"] == 0


# ---------------------------------------------------------------- counting


def test_shared_gold_source_counts_once_and_predictions_dedupe() -> None:
    source = at("officials")
    g = [
        gold(source=source, cue=at("said"), content=at("taxes will rise")),
        gold(source=source, cue=at("added"), content=at("it was bad")),
    ]
    pred = record(
        [
            quote(at("taxes will rise"), cue=at("said"), speaker=source),
            quote(at("it was bad"), cue=at("added"), speaker=source),
        ]
    )
    report = score([(pred, g)])
    assert report["Source"]["exact"] == {
        "p": 1.0,
        "r": 1.0,
        "f1": 1.0,
        "tp": 1,
        "pred": 1,
        "gold": 1,
    }
    assert report["Content"]["exact"]["gold"] == 2


def test_matching_is_one_to_one() -> None:
    # One long prediction overlapping two gold contents finds only one of them.
    g = [gold(content=at("taxes will rise")), gold(content=at("it was bad"))]
    pred = record([quote((at("taxes")[0], len(TEXT)))])
    report = score([(pred, g)])
    assert report["Content"]["overlap"]["tp"] == 1
    assert report["Content"]["overlap"]["r"] == 0.5
    assert report["Content"]["overlap"]["p"] == 1.0


def test_overlap_greedy_prefers_largest_shared() -> None:
    # Gold A = "reported that", gold B = "taxes will rise". Prediction 1 touches A slightly
    # and covers B; prediction 2 covers A. Best-first pairing finds both.
    g = [gold(content=at("reported that")), gold(content=at("taxes will rise"))]
    p1 = (at("that")[0] + 2, at("taxes will rise")[1])
    pred = record([quote(p1), quote(at("reported"))])
    assert score([(pred, g)])["Content"]["overlap"]["tp"] == 2


def test_empty_inputs_score_zero_without_dividing_by_zero() -> None:
    report = score([(record([]), [])])
    assert report["Content"]["exact"]["f1"] == 0.0
    assert report["attribution"] == {"found": 0, "total": 0, "share": 0.0}


# ---------------------------------------------------------------- end to end


def test_attribution_needs_half_the_content_and_the_source() -> None:
    content = at("taxes will rise")  # 15 characters
    g = [gold(source=at("officials"), content=content)]
    s = content[0]

    def share(quotes: list[dict[str, Any]]) -> tuple[int, int]:
        att = score([(record(quotes), g)])["attribution"]
        return att["found"], att["total"]

    speaker = at("officials")
    assert share([quote((s, s + 8), speaker=speaker)]) == (1, 1)  # 8/15 covered
    assert share([quote((s, s + 7), speaker=speaker)]) == (0, 1)  # 7/15: not enough
    assert share([quote(content, speaker=at("The Post"))]) == (0, 1)  # wrong speaker
    assert share([quote(content, speaker=None)]) == (0, 1)  # no speaker
    # The covering quote must itself carry the speaker; another quote's does not count.
    assert share([quote(content), quote(at("it was bad"), speaker=speaker)]) == (0, 1)
    # A speaker mention that only overlaps the gold source is enough.
    assert share([quote(content, speaker=at("official"))]) == (1, 1)


def test_attribution_total_only_counts_gold_with_a_source() -> None:
    g = [gold(content=at("taxes will rise")), gold(source=at("he"), content=at("it was bad"))]
    pred = record([quote(at("it was bad"), speaker=at("he"))])
    assert score([(pred, g)])["attribution"] == {"found": 1, "total": 1, "share": 1.0}


def test_error_dump_lists_missed_and_spurious(tmp_path: Path) -> None:
    g = [gold(source=at("officials"), content=at("taxes will rise"))]
    pred = record([quote(at("it was bad"), speaker=at("he"))])
    _, documents = score_documents([(pred, g)])
    jsonl = tmp_path / "errors.jsonl"
    write_errors(documents, jsonl)
    row = json.loads(jsonl.read_text(encoding="utf-8"))
    assert [m["text"] for m in row["missed"]] == ["taxes will rise"]
    assert row["missed"][0]["source"] == "officials"
    assert [s["text"] for s in row["spurious"]] == ["it was bad"]
    plain = tmp_path / "errors.txt"
    write_errors(documents, plain)
    assert "MISSED" in plain.read_text(encoding="utf-8")


# ---------------------------------------------------------------- real data


@pytest.mark.shared
def test_dev_split_loads_and_offsets_match_text(shared_data: Path) -> None:
    pairs = load_split("dev", shared_data / "polnear" / "data")
    assert len(pairs) == 84
    assert all(article.date for article, _ in pairs)
    assert all(article.path and article.path.endswith(f"{article.id}.txt") for article, _ in pairs)
    spans = 0
    for article, attributions in pairs:
        assert attributions, article.id
        for attribution in attributions:
            assert attribution.content or attribution.cue or attribution.source
            for brat in attribution.spans:
                spans += 1
                pieces = " ".join(article.text[s:e] for s, e in brat.pieces)
                assert pieces == brat.text, (article.id, brat.id)
    assert spans > 5000


@pytest.mark.shared
def test_dev_split_scores_gold_against_itself_perfectly(shared_data: Path) -> None:
    # Gold turned into a record must score 1.0 everywhere: checks the plumbing end to end.
    pairs = load_split("dev", shared_data / "polnear" / "data")[:10]
    scored = []
    for article, attributions in pairs:
        quotes = [
            quote(a.content, cue=a.cue, speaker=a.source, text=article.text)
            for a in attributions
            if a.content
        ]
        scored.append((record(quotes, text=article.text), attributions))
    report = score(scored)
    for role in ("Source", "Cue", "Content"):
        assert report[role]["exact"]["f1"] == 1.0, role
    assert report["attribution"]["share"] == 1.0


@pytest.mark.shared
def test_test_split_gold_parses(shared_data: Path) -> None:
    # Gold loading only: the test split is for the final report, never for extraction here.
    pairs = load_split("test", shared_data / "polnear" / "data")
    assert len(pairs) == 84
    assert all(gold for _, gold in pairs)


def test_default_data_dir_follows_newsgraph_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_DATA", str(tmp_path))
    assert default_data_dir() == tmp_path / "polnear" / "data"


def test_unreadable_text_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    for folder in ("text", "attributions"):
        (tmp_path / "dev" / folder).mkdir(parents=True)
    (tmp_path / "dev" / "text" / "good_2016-01-02_x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "dev" / "attributions" / "good_2016-01-02_x_ann1.ann").write_text(ANN, encoding="utf-8")
    bad = tmp_path / "dev" / "text" / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait")
    failures: list[Failure] = []
    pairs = load_split("dev", tmp_path, failures)
    assert [article.id for article, _ in pairs] == ["good_2016-01-02_x"]
    assert pairs[0][0].date == "2016-01-02"
    assert len(pairs[0][1]) == 2
    assert [f.path for f in failures] == [str(bad)]
    assert "UnicodeDecodeError" in failures[0].reason
    with pytest.raises(UnicodeDecodeError):
        load_split("dev", tmp_path)


# ---------------------------------------------------------------- the peer


def test_textacy_triples_become_character_spans(nlp) -> None:
    text = 'The plan is dead. "We will not pay for this wall at all," the minister said on Monday.'
    quotes = textacy_quotes(nlp(text))
    assert len(quotes) == 1
    q = quotes[0]
    assert q["content"]["text"] == '"We will not pay for this wall at all,"'
    assert q["speaker_mention"]["text"] == "minister"  # textacy's expand_noun leaves out "the"
    assert q["cue"]["text"] == "said"
    assert text[q["cue"]["start"] : q["cue"]["end"]] == "said"


def test_textacy_declines_unbalanced_quote_marks(nlp) -> None:
    with pytest.raises(PeerSkipped):
        textacy_quotes(nlp('"We will not pay for this wall, the minister said on Monday.'))
