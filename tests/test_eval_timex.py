"""The TIMEX3 scorer, its TimeML and MEANTIME readers and the dateparser peer, on
hand-made documents; then the real sets' gold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from newsgraph.article import Article
from newsgraph.evaluate.meantime import detokenize, parse_meantime
from newsgraph.evaluate.peers import dateparser_times, timex_value
from newsgraph.evaluate.timex import (
    SETS,
    TimexDocument,
    load_set,
    read_timeml,
    score,
    score_document,
    write_errors,
)

TEXT = "Prices rose on Friday and fell last week; they will rise for two years."


def at(fragment: str, kind: str, value: str, text: str = TEXT) -> dict[str, Any]:
    start = text.index(fragment)
    return {"start": start, "end": start + len(fragment), "text": fragment, "type": kind, "value": value}


def document(gold: list[dict[str, Any]], unscored: tuple[tuple[int, int], ...] = ()) -> TimexDocument:
    return TimexDocument(Article(TEXT, date="1998-01-08"), tuple(gold), unscored)


GOLD = [
    at("Friday", "DATE", "1998-01-02"),
    at("last week", "DATE", "1997-W01"),
    at("two years", "DURATION", "P2Y"),
]


# ---------------------------------------------------------------- scoring


def test_strict_relaxed_type_and_value() -> None:
    predicted = [
        at("Friday", "DATE", "1998-01-02"),  # all right
        at("week", "DATE", "1998-W01"),  # overlaps only, wrong value
        at("two years", "DATE", "P2Y"),  # exact, wrong type, right value
        at("Prices", "DATE", "XXXX"),  # spurious
    ]
    report = score([score_document(document(GOLD), predicted)])
    assert report["strict"]["tp"] == 2
    assert report["relaxed"]["tp"] == 3
    assert report["type"]["tp"] == 2
    assert report["value"]["tp"] == 2
    # Attribute F1 as in TempEval-3: precision over all system expressions, recall over all gold.
    assert report["value"]["p"] == pytest.approx(2 / 4)
    assert report["value"]["r"] == pytest.approx(2 / 3)
    assert report["type_accuracy"] == pytest.approx(2 / 3)


def test_relaxed_matching_is_one_to_one() -> None:
    # One prediction over both "Friday" and "last week" finds only one of them.
    start = TEXT.index("Friday")
    end = TEXT.index("last week") + len("last week")
    wide = {"start": start, "end": end, "text": TEXT[start:end], "type": "DATE", "value": "1998-01-02"}
    report = score([score_document(document(GOLD), [wide])])
    assert report["relaxed"]["tp"] == 1 and report["strict"]["tp"] == 0


def test_unscored_regions_drop_gold_and_predictions_alike() -> None:
    friday = at("Friday", "DATE", "1998-01-02")
    region = ((friday["start"], friday["end"]),)
    result = score_document(document(GOLD, region), [friday, at("Prices", "DATE", "X")])
    assert result["counts"]["gold"] == 2 and result["counts"]["pred"] == 1


def test_empty_scores_zero() -> None:
    report = score([score_document(document([]), [])])
    assert report["value"]["f1"] == 0.0 and report["type_accuracy"] == 0.0


def test_error_listing_names_the_rule_behind_each_wrong_expression(tmp_path: Path) -> None:
    predicted = [
        {**at("week", "DATE", "1998-W01"), "rule": "relative_unit"},
        {**at("Prices", "DATE", "XXXX"), "rule": "month"},
    ]
    result = score_document(document(GOLD), predicted)
    assert result["spurious"][0]["rule"] == "month"
    assert "rule" not in result["missed"][0]  # gold has no rule
    listing = tmp_path / "errors.txt"
    write_errors([result], listing)
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("  SPURIOUS") and line.endswith("'Prices' [rule month]") for line in lines)
    assert any(line.startswith("  WRONG") and line.endswith("'week' [rule relative_unit]") for line in lines)
    assert any(line.startswith("  MISSED") and "[rule" not in line for line in lines)


# ---------------------------------------------------------------- TimeML

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TITLE>Talks resume on Monday</TITLE>
<TEXT>
The talks ended <TIMEX3 tid="t1" type="DATE" value="1998-01-07" functionInDocument="NONE">yesterday</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_timeml_body_gold_and_unscored_title(tmp_path: Path) -> None:
    path = tmp_path / "x.tml"
    path.write_text(TML, encoding="utf-8")
    doc = read_timeml(path)
    assert doc.article.date == "1998-01-08"
    assert [g["text"] for g in doc.gold] == ["yesterday"]  # the DCT is not in the scored gold
    monday = doc.article.text.index("Monday")
    assert not doc.scored(monday, monday + 6)  # the title is read, not scored
    g = doc.gold[0]
    assert doc.scored(g["start"], g["end"])


def test_bad_timeml_is_a_failure_and_the_rest_loads(tmp_path: Path) -> None:
    (tmp_path / "good.tml").write_text(TML, encoding="utf-8")
    (tmp_path / "bad.tml").write_text("<TimeML><TEXT>unclosed", encoding="utf-8")
    (tmp_path / "undated.tml").write_text(
        TML.replace('value="1998-01-08"', 'value="sometime"'), encoding="utf-8"
    )
    folder, documents, failures, undated = load_set("timebank", tmp_path)
    assert folder == tmp_path
    assert [d.article.path for d in documents] == [str(tmp_path / "good.tml")]
    assert [f.path for f in failures] == [str(tmp_path / "bad.tml")]
    assert [f.path for f in undated] == [str(tmp_path / "undated.tml")]


# ---------------------------------------------------------------- MEANTIME

CAT = """<?xml version="1.0" ?><Document doc_id="7" doc_name="7_Sales_fall" lang="en" url="http://x">
<token number="0" sentence="0" t_id="1">Sales</token>
<token number="1" sentence="0" t_id="2">fall</token>
<token number="2" sentence="1" t_id="3">June</token>
<token number="3" sentence="1" t_id="4">13</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2005</token>
<token number="6" sentence="2" t_id="7">Sales</token>
<token number="7" sentence="2" t_id="8">fell</token>
<token number="8" sentence="2" t_id="9">last</token>
<token number="9" sentence="2" t_id="10">month</token>
<token number="10" sentence="2" t_id="11">.</token>
<token number="11" sentence="3" t_id="12">Not</token>
<token number="12" sentence="3" t_id="13">annotated</token>
<token number="13" sentence="3" t_id="14">today</token>
<token number="14" sentence="3" t_id="15">.</token>
<Markables>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="1" type="DATE" value="2005-06-13">
<token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/>
</TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="2" type="DATE" value="2005-05">
<token_anchor t_id="9"/><token_anchor t_id="10"/>
</TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="3" type="DATE" value="2005-06-12"></TIMEX3>
</Markables>
</Document>
"""


def test_meantime_text_gold_dct_and_unannotated_tail() -> None:
    doc = parse_meantime(CAT, "7.xml")
    text = doc.article.text
    assert text.split("\n") == [
        "Sales fall",
        "June 13, 2005",
        "Sales fell last month.",
        "Not annotated today.",
    ]
    assert doc.article.date == "2005-06-13" and doc.article.title == "Sales fall"
    assert [(t["text"], t["value"]) for t in doc.timexes] == [("last month", "2005-05")]
    dateline = text.index("June 13, 2005")
    tail = text.index("Not annotated")
    assert doc.unscored == ((dateline, dateline + len("June 13, 2005")), (tail - 1, len(text)))


def test_detokenize_spacing_and_offsets() -> None:
    tokens = [
        "He",
        "said",
        "``",
        "no",
        "''",
        "(",
        "twice",
        ")",
        "to",
        "Airbus",
        "'",
        "staff",
        "'s",
        "team",
        ".",
    ]
    text, offsets = detokenize(tokens)
    assert text == "He said ``no'' (twice) to Airbus' staff's team."
    assert [text[s:e] for s, e in offsets] == tokens
    text, _ = detokenize(["He", "said", '"', "no", '"', "twice", "."])
    assert text == 'He said "no" twice.'


def test_meantime_rejects_other_xml() -> None:
    with pytest.raises(ValueError):
        parse_meantime("<TimeML/>", "x.xml")
    with pytest.raises(ValueError):
        parse_meantime("<Document", "x.xml")


# ---------------------------------------------------------------- the dateparser peer


def test_dateparser_values_follow_its_granularity() -> None:
    moment = dt.datetime(1997, 6, 8, 17, 30)
    assert timex_value(moment, "day") == ("DATE", "1997-06-08")
    assert timex_value(moment, "month") == ("DATE", "1997-06")
    assert timex_value(moment, "year") == ("DATE", "1997")
    assert timex_value(moment, "week") == ("DATE", "1997-W23")
    assert timex_value(moment, "time") == ("TIME", "1997-06-08T17:30")


def test_dateparser_peer_anchors_trims_prepositions_and_locates_spans() -> None:
    text = "On Friday, officials said prices fell in June 1997."
    times = dateparser_times(text, dt.date(1998, 1, 8))
    assert [(t["text"], t["value"]) for t in times] == [("Friday", "1998-01-02"), ("June 1997", "1997-06")]
    for t in times:
        assert text[t["start"] : t["end"]] == t["text"]


# ---------------------------------------------------------------- real sets (gold only)


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "documents"), [("timebank", 183), ("aquaint", 73), ("meantime", 117), ("te3-platinum", 20)]
)
def test_real_sets_load_with_dates(shared_data: Path, name: str, documents: int) -> None:
    # te3-platinum is parsed here, never extracted: it is reported once, at the end.
    _, docs, failures, undated = load_set(name, shared_data / _relative(name))
    assert not failures
    assert len(docs) == documents
    assert len(undated) == (3 if name == "meantime" else 0)
    for doc in docs:
        assert doc.article.date
        for g in doc.gold:
            assert doc.article.text[g["start"] : g["end"]].strip()


def _relative(name: str) -> str:
    return SETS[name][0]


@pytest.mark.shared
def test_timebank_gold_scores_itself_perfectly(shared_data: Path) -> None:
    _, docs, _, _ = load_set("timebank", shared_data / _relative("timebank"))
    report = score([score_document(doc, doc.gold) for doc in docs])
    for measure in ("strict", "relaxed", "type", "value"):
        assert report[measure]["f1"] == 1.0, measure
    assert report["strict"]["gold"] > 1000
