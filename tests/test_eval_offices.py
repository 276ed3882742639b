"""`newsgraph eval offices`: the dev set of office questions, the grep baseline and the scoring."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.article import Article
from newsgraph.cli import app
from newsgraph.errors import Failure
from newsgraph.evaluate.offices import (
    DocumentRef,
    Question,
    default_set_dir,
    evaluate,
    format_markdown,
    grep_corpus,
    grep_holders,
    holder_matches,
    load_documents,
    load_questions,
    read_documents,
)
from newsgraph.names import name_key, surname_key

SET_DIR = default_set_dir()
QUESTIONS = load_questions(SET_DIR / "questions.jsonl")
DOCUMENTS = load_documents(SET_DIR / "documents.txt")
COLLECTIONS = {"tbaq", "reuters", "polnear"}

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _office(question: Question) -> str:
    # Questions on one office share the id's stem ("fed-1", "fed-2", ...).
    return question.id.rsplit("-", 1)[0]


# --------------------------------------------------------------------------- the dev set


def test_the_dev_set_is_large_enough_and_asks_both_sides_of_every_change() -> None:
    assert len(QUESTIONS) >= 45
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    changed = [q for q in QUESTIONS if q.changed_hands]
    assert len(changed) >= 25
    holders: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[bool]] = defaultdict(set)
    for q in QUESTIONS:
        holders[_office(q)].add(name_key(q.holder))
        kinds[_office(q)].add(q.changed_hands)
    for office, seen in kinds.items():
        assert len(seen) == 1, f"{office}: changed hands and stable at once"
        # An office that changed hands is asked of at least two holders; a stable one of one.
        assert (len(holders[office]) >= 2) == seen.pop(), office
    assert len({q.family for q in QUESTIONS}) >= 5


def test_every_question_has_evidence_in_a_listed_document_of_its_day() -> None:
    listed = {(d.collection, d.doc): d for d in DOCUMENTS}
    assert len(listed) == len(DOCUMENTS), "a document listed twice"
    assert 100 <= len(DOCUMENTS) <= 400
    for q in QUESTIONS:
        assert q.evidence, q.id
        for evidence in q.evidence:
            assert evidence.collection in COLLECTIONS, q.id
            ref = listed.get((evidence.collection, evidence.doc))
            assert ref is not None, f"{q.id}: {evidence.doc} is not in documents.txt"
            # The question is asked on a day a document shows the holder in office, by name.
            assert ref.date == q.date, q.id
            assert surname_key(q.holder) in name_key(evidence.text), q.id
            assert not re.search(r"\b(former|then|ex-)\b", evidence.text, re.I), q.id


def test_no_held_out_document_is_listed() -> None:
    for ref in DOCUMENTS:
        assert ref.collection in COLLECTIONS
        if ref.collection == "tbaq":
            assert ref.doc.split("/")[0] in ("TimeBank", "AQUAINT"), ref.doc
        if ref.collection == "reuters":
            assert ref.doc.isdigit(), ref.doc


@pytest.mark.shared
def test_every_evidence_text_is_in_its_document(shared_data: Path) -> None:
    failures: list[Failure] = []
    articles = read_documents(DOCUMENTS, shared_data, failures)
    assert failures == []
    texts = {a.id: _flat(a.text) for a in articles}
    assert len(texts) == len(DOCUMENTS)
    for q in QUESTIONS:
        for evidence in q.evidence:
            ref = DocumentRef(evidence.collection, evidence.doc, q.date)
            assert _flat(evidence.text) in texts[ref.article_id], f"{q.id}: {evidence.text!r} not found"


@pytest.mark.shared
def test_listed_dates_are_the_sources_own(shared_data: Path) -> None:
    articles = {a.id: a for a in read_documents(DOCUMENTS, shared_data, [])}
    with (shared_data / "polnear" / "data" / "metadata.tsv").open(encoding="utf-8", newline="") as handle:
        polnear = {row["filename"]: row["publication_date"] for row in csv.DictReader(handle, delimiter="\t")}
    reuters: dict[str, str] = {}
    for sgm in (shared_data / "reuters21578").glob("reut2-*.sgm"):
        text = sgm.read_text(encoding="latin-1")
        for newid, stamp in re.findall(
            r'<REUTERS[^>]*NEWID="(\d+)"[^>]*>.*?<DATE>([^<]*)</DATE>', text, re.S
        ):
            reuters[newid] = datetime.strptime(stamp.split()[0], "%d-%b-%Y").date().isoformat()
    for ref in DOCUMENTS:
        if ref.collection == "polnear":
            assert polnear[ref.doc.removesuffix(".txt")] == ref.date, ref.doc
            # never the test split
            assert (shared_data / "polnear" / "data" / "test" / "text" / ref.doc).exists() is False
        elif ref.collection == "reuters":
            assert reuters[ref.doc] == ref.date, ref.doc
        else:  # TimeML: the reader's date is the document creation time
            assert articles[ref.article_id].date == ref.date, ref.doc


# --------------------------------------------------------------------------- matching


def _question(holder: str = "Paul Volcker", aliases: tuple[str, ...] = (), **fields: str) -> Question:
    return Question(
        id="q-1",
        office=fields.pop("office", "Federal Reserve chairman"),
        date=fields.pop("date", "1987-03-18"),
        holder=holder,
        family="central bank",
        changed_hands=True,
        evidence=(),
        aliases=aliases,
        **fields,  # type: ignore[arg-type]
    )


def test_a_holder_matches_by_name_key_or_first_name_and_surname() -> None:
    q = _question()
    assert holder_matches("Paul Volcker", q)
    assert holder_matches("PAUL VOLCKER", q)
    assert holder_matches("Mr. Paul Volcker", q)
    assert holder_matches("Paul A. Volcker", q)  # an initial is not a name
    assert holder_matches("Paul Adolph Volcker", q)  # first name and surname agree
    assert not holder_matches("Volcker", q)  # a bare surname could be anyone of that name
    assert holder_matches("Paul Volcker's", q)  # as a name run may end
    assert not holder_matches("Peter Volcker", q)
    assert not holder_matches("", q) and not holder_matches(None, q)
    pereira = _question("Luiz Carlos Bresser Pereira", ("Bresser Pereira", "Luis Carlos Bresser Pereira"))
    assert holder_matches("Bresser Pereira", pereira)
    assert holder_matches("Luis Carlos Bresser Pereira", pereira)
    assert not holder_matches("Carlos Pereira", pereira)


# --------------------------------------------------------------------------- the grep baseline


def _article(text: str, date: str) -> Article:
    return Article(text=text, id=f"a-{date}-{len(text)}", date=date)


def test_grep_takes_the_most_frequent_name_after_the_title_within_the_window() -> None:
    corpus = grep_corpus(
        [
            _article("Federal Reserve Board Chairman Paul Volcker said rates would hold.", "1987-03-02"),
            _article(
                "Markets rose. Federal Reserve chairman Paul Volcker testified on Tuesday.\n"
                "The Federal Reserve chairman, Mr. Paul Volcker, declined to comment.",
                "1987-04-10",
            ),
            _article("Federal Reserve chairman Alan Greenspan pledged support.", "1987-10-20"),
            # a sentence naming the title without a name after it gives nothing
            _article("The Federal Reserve chairman is appointed by the President.", "1987-03-03"),
        ]
    )
    assert grep_holders(_question(date="1987-03-18"), corpus) == ["Paul Volcker"]
    # 180 days either side: in June both are in reach, Volcker more often
    assert grep_holders(_question(date="1987-06-30"), corpus) == ["Paul Volcker", "Alan Greenspan"]
    assert grep_holders(_question(date="1987-10-25"), corpus) == ["Alan Greenspan"]
    assert grep_holders(_question(date="1989-01-01"), corpus) == []


def test_grep_needs_every_title_word_and_the_country_in_the_document() -> None:
    corpus = grep_corpus(
        [
            _article("Brazilian Finance Minister Dilson Funaro met bankers in Rome.", "1987-03-05"),
            _article("Finance Minister Gerhard Stoltenberg said Bonn would act.", "1987-03-06"),
            _article("Trade Minister Alan Clark spoke in London.", "1987-03-06"),
            _article(
                "Finance Minister Luiz Carlos Bresser Pereira said the plan holds. Brazil will pay.",
                "1987-06-02",
            ),
        ]
    )
    brazil = _question("Dilson Funaro", office="Finance Minister", country="Brazil", date="1987-03-10")
    assert grep_holders(brazil, corpus) == ["Dilson Funaro", "Luiz Carlos Bresser"]
    # The country in another sentence of the same document is enough; three words at most, and
    # of two names as frequent the one reported nearer the day first.
    later = _question(
        "Luiz Carlos Bresser Pereira", office="Finance Minister", country="Brazil", date="1987-06-05"
    )
    assert grep_holders(later, corpus)[:1] == ["Luiz Carlos Bresser"]
    anywhere = _question("Dilson Funaro", office="Finance Minister", date="1987-03-10")
    assert set(grep_holders(anywhere, corpus)) == {
        "Dilson Funaro",
        "Gerhard Stoltenberg",
        "Luiz Carlos Bresser",
    }


def test_grep_country_short_forms_count_only_in_capitals() -> None:
    corpus = grep_corpus(
        [
            _article("Tell us more, said Commerce Secretary Malcolm Baldrige.", "1987-03-05"),
            _article("The US Commerce Secretary C. William Verity spoke.", "1987-10-20"),
        ]
    )
    asked = _question(
        "C. William Verity", office="Commerce Secretary", country="United States", date="1987-06-01"
    )
    assert grep_holders(asked, corpus) == ["C. William Verity"]


# --------------------------------------------------------------------------- end to end


@pytest.mark.shared
def test_eval_offices_runs_from_the_command_line(shared_data: Path, tmp_path: Path) -> None:
    dump = tmp_path / "errors.jsonl"
    args = ["eval", "offices", "--split", "dev", "--data", str(shared_data), "--limit", "5"]
    result = runner.invoke(app, [*args, "--workers", "1", "--json", "--dump-errors", str(dump)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["task"] == "offices" and report["questions"] == 5
    assert report["failures"] == []
    assert report["documents"] == len({(e.collection, e.doc) for q in QUESTIONS[:5] for e in q.evidence})
    assert set(report["systems"]) == {"newsgraph", "grep"}
    for system in report["systems"].values():
        overall = system["all"]
        assert overall["questions"] == 5
        assert overall["top1"] <= overall["top3"] <= overall["answered"] <= 5
        assert {"changed hands", "family: central bank"} <= set(system)
    assert [row["id"] for row in report["per_question"]] == [q.id for q in QUESTIONS[:5]]
    wrong = [row for row in report["per_question"] if not row["newsgraph"]["top1"]]
    dumped = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in dumped] == [row["id"] for row in wrong]
    markdown = runner.invoke(app, [*args, "--workers", "1", "--no-peer"])
    assert markdown.exit_code == 0, markdown.output
    assert "| Questions | n | newsgraph top-1 | newsgraph top-3 | newsgraph answered |" in markdown.stdout
    assert "| all | 5 |" in markdown.stdout and "grep" not in markdown.stdout.split("\n\n")[1]


def test_eval_offices_without_the_corpora_says_where_it_looked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "offices", "--split", "dev", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "tempeval3" in result.stderr and str(tmp_path) in result.stderr


SGM = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="7">
<DATE> 5-MAR-1987 09:12:01.00</DATE>
<TEXT>
<TITLE>VOLCKER SEES STEADY RATES</TITLE>
<BODY>Federal Reserve Board Chairman Paul Volcker said on Thursday that interest
rates would stay where they are. Volcker spoke to bankers in Washington.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5545" NEWID="8">
<DATE>26-MAR-1987 10:00:00.00</DATE>
<TEXT><TITLE>UNLISTED</TITLE><BODY>Federal Reserve Chairman Arthur Burns is not in this set.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>wsj_9999</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1987-10-21" functionInDocument="CREATION_TIME">10/21/87</TIMEX3></DCT>
<TEXT>
Federal Reserve Chairman Alan Greenspan said the central bank would provide liquidity.
Greenspan cut short a trip to Dallas.
</TEXT>
</TimeML>
"""

POLNEAR_TEXT = "House Speaker Paul Ryan said on Thursday that he was not ready to endorse anyone.\n"


def _tiny_set(root: Path) -> tuple[Path, Path]:
    """A data root with one document of each collection, and a question set over them."""
    data = root / "data"
    (data / "reuters21578").mkdir(parents=True)
    (data / "reuters21578" / "reut2-000.sgm").write_text(SGM, encoding="latin-1")
    (data / "tempeval3" / "TBAQ-cleaned" / "TimeBank").mkdir(parents=True)
    (data / "tempeval3" / "TBAQ-cleaned" / "TimeBank" / "wsj_9999.tml").write_text(TIMEML, encoding="utf-8")
    (data / "polnear" / "data" / "dev" / "text").mkdir(parents=True)
    polnear = "politico_2016-05-05_ryan-not-ready.txt"
    (data / "polnear" / "data" / "dev" / "text" / polnear).write_text(POLNEAR_TEXT, encoding="utf-8")
    questions = root / "set"
    questions.mkdir()
    (questions / "documents.txt").write_text(
        "# collection, doc, date\n"
        "reuters\t7\t1987-03-05\n"
        "tbaq\tTimeBank/wsj_9999.tml\t1987-10-21\n"
        f"polnear\t{polnear}\t2016-05-05\n",
        encoding="utf-8",
    )
    rows = [
        ("fed-1", "Federal Reserve chairman", "1987-03-10", "Paul Volcker", "reuters", "7", True),
        (
            "fed-2",
            "Federal Reserve chairman",
            "1987-10-25",
            "Alan Greenspan",
            "tbaq",
            "TimeBank/wsj_9999.tml",
            True,
        ),
        ("speaker-1", "Speaker of the House", "2016-05-05", "Paul Ryan", "polnear", polnear, False),
    ]
    with (questions / "questions.jsonl").open("w", encoding="utf-8") as out:
        for qid, office, day, holder, collection, doc, changed in rows:
            evidence = [{"collection": collection, "doc": doc, "text": holder}]
            row = {"id": qid, "office": office, "date": day, "holder": holder, "aliases": []}
            row |= {"family": "test", "evidence": evidence, "changed_hands": changed}
            out.write(json.dumps(row) + "\n")
    return data, questions


def test_evaluate_on_a_tiny_set_of_each_collection(tmp_path: Path) -> None:
    data, questions = _tiny_set(tmp_path)
    failures: list[Failure] = []
    articles = read_documents(load_documents(questions / "documents.txt"), data, failures)
    assert failures == []
    # The wire's own DATE is used even where the reader leaves it out, PolNeAR's from the list.
    assert [(a.id, a.date) for a in articles] == [
        ("reuters-7", "1987-03-05"),
        ("tbaq/TimeBank/wsj_9999.tml", "1987-10-21"),
        ("polnear/politico_2016-05-05_ryan-not-ready.txt", "2016-05-05"),
    ]
    report = evaluate("dev", data, workers=1, set_dir=questions, dump_errors=tmp_path / "errors.txt")
    assert report["failures"] == [] and report["documents"] == 3 and report["questions"] == 3
    grep = {row["id"]: row["grep"]["answers"] for row in report["per_question"]}
    assert grep == {"fed-1": ["Paul Volcker"], "fed-2": ["Alan Greenspan"], "speaker-1": ["Paul Ryan"]}
    ours = report["systems"]["newsgraph"]
    assert ours["all"]["questions"] == 3 and ours["changed hands"]["questions"] == 2
    assert ours["stable"]["questions"] == 1 and ours["family: test"]["questions"] == 3
    # The store holds both chairmen: each is among the first three answers on its side of the change
    # (which comes first after it is `who`'s tenure logic, scored here, not fixed).
    assert ours["changed hands"]["top3"] == 2, report["per_question"]
    assert "| all | 3 |" in format_markdown(report)


def test_a_listed_document_that_is_missing_is_a_failure(tmp_path: Path) -> None:
    data, _ = _tiny_set(tmp_path)
    refs = [DocumentRef("reuters", "99", "1987-03-05"), DocumentRef("polnear", "nowhere.txt", "2016-01-01")]
    failures: list[Failure] = []
    assert read_documents(refs, data, failures) == []
    assert [f.path for f in failures] == ["reuters:99", "polnear:nowhere.txt"]
