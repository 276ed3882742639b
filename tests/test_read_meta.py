"""Article metadata: headlines of .txt files, sidecars, the --meta CSV, dates from paths, outlets
from document ids and JSON fields, and the precedence between them (issue 12)."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.article import Article
from newsgraph.cli import app
from newsgraph.errors import Failure
from newsgraph.read import MetaTable, path_date, read_file, read_inputs, wire_source
from newsgraph.read.headline import headline

# Shaped like a BBC article: headline line, blank line, body (written for this test).
BBC_LIKE = (
    "Minister backs new rail link\n"
    "\n"
    "The transport minister has backed plans for a rail link between the two cities.\n"
    "\n"
    "Speaking on Tuesday, she said the line would open in 2009.\n"
)

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>{docid}</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1997-04-25" functionInDocument="CREATION_TIME">\
April 25, 1997</TIMEX3></DCT>
<TITLE>Talks end</TITLE>
<TEXT>
The talks ended after three days.
</TEXT>
</TimeML>
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def articles(results: list[Article | Failure]) -> list[Article]:
    bad = [r for r in results if isinstance(r, Failure)]
    assert not bad, bad
    return [r for r in results if isinstance(r, Article)]


def only(results: list[Article | Failure]) -> Article:
    (one,) = articles(results)
    return one


# --------------------------------------------------------------------------- headlines


def test_a_bbc_shaped_file_gets_its_headline_as_title_and_keeps_the_whole_text(tmp_path: Path) -> None:
    path = write(tmp_path / "politics" / "001.txt", BBC_LIKE)
    a = only(list(read_file(path)))
    assert a.title == "Minister backs new rail link"
    assert a.text == BBC_LIKE  # offsets index the file as read: the headline stays in
    assert a.text.index("transport minister") == BBC_LIKE.index("transport minister")
    assert a.date is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Blair rejects poll claims\n\nThe prime minister said.", "Blair rejects poll claims"),
        ("Will interest rates rise again?\n\nEconomists are divided.", "Will interest rates rise again?"),
        # Directly followed by a (much longer) body line.
        (
            "Oil price hits record\nOil prices rose to a record high on Monday as traders worried.",
            "Oil price hits record",
        ),
        ("  Padded headline  \r\n\r\nBody text here.", "Padded headline"),
    ],
)
def test_headlines_taken(text: str, title: str) -> None:
    assert headline(text) == title


@pytest.mark.parametrize(
    "text",
    [
        # an ordinary first sentence
        "The minister said on Monday that talks would resume.\n\nMore text.",
        # wire datelines
        "WASHINGTON (AP) -- The president said\n\nmore.",
        "LONDON, Nov 18 (Reuters) - Prime Minister Tony Blair\nsaid on Monday.",
        "MOSCOW, November 18 /TASS/ The Kremlin said\n\nmore.",
        "LONDON\n\nThe body.",
        # a byline, a date alone
        "By John Smith\n\nBody.",
        "Monday, 18 November 2024\n\nBody.",
        # hard-wrapped prose
        "The prime minister said on Tuesday that the government would not\nraise taxes this year.",
        "The prime minister said on Tuesday that the government would not raise\nTaxes this year, he said.",
        "Officials met at the\n\nsummit.",
        # two sentences on the line, a line that is all there is, a lower-case start, too long
        "It rained. Then it snowed\n\nBody.",
        "Only one line",
        "lower-case start\n\nBody.",
        "A" * 151 + "\n\nBody.",
    ],
)
def test_headlines_refused(text: str) -> None:
    assert headline(text) is None


def test_a_wire_body_can_open_with_a_headline(tmp_path: Path) -> None:
    body = "Talks resume in Geneva\n\nDelegates met again on Monday.\n"
    a = only(list(read_file(write(tmp_path / "w.txt", " date 2024-11-18 " + body))))
    assert (a.date, a.title, a.text) == ("2024-11-18", "Talks resume in Geneva", body)


# --------------------------------------------------------------------------- sidecars


def test_a_sidecar_overrides_what_was_inferred_and_keeps_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", BBC_LIKE)
    write(
        tmp_path / "a.meta.json",
        json.dumps(
            {
                "date": "2005-03-01T09:00:00Z",
                "title": "Rail link backed",
                "source": "BBC News",
                "url": "http://news.example/a",
                "section": "politics",
            }
        ),
    )
    a = only(list(read_inputs([str(path)], date="2000-01-01")))
    assert (a.date, a.title, a.source, a.url) == (
        "2005-03-01",
        "Rail link backed",
        "BBC News",
        "http://news.example/a",
    )
    assert a.meta == {"section": "politics"}
    assert a.text == BBC_LIKE


def test_a_sidecar_partial_keeps_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path / "b.txt.gz", gzip.compress(BBC_LIKE.encode()))
    write(tmp_path / "b.meta.json", '{"date": "2005-03-02"}')
    a = only(list(read_file(path)))
    assert (a.date, a.title, a.source) == ("2005-03-02", "Minister backs new rail link", None)


def test_a_sidecar_beside_a_timeml_file_overrides_it(tmp_path: Path) -> None:
    path = write(tmp_path / "doc.tml", TML.format(docid="DOC_1"))
    write(tmp_path / "doc.meta.json", '{"date": "1997-04-26", "source": "Agence France-Presse"}')
    a = only(list(read_file(path)))
    assert (a.date, a.title, a.source) == ("1997-04-26", "Talks end", "Agence France-Presse")


def test_a_sidecar_beside_an_archive_only_fills_what_an_item_lacks(tmp_path: Path) -> None:
    lines = [
        {"text": "One.", "date": "2024-01-01", "source": "Own"},
        {"text": "Two."},
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    write(tmp_path / "feed.meta.json", '{"date": "2024-02-02", "source": "Feed", "title": null}')
    one, two = articles(list(read_file(path)))
    assert (one.date, one.source) == ("2024-01-01", "Own")
    assert (two.date, two.source) == ("2024-02-02", "Feed")


@pytest.mark.parametrize(
    ("sidecar", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"date": "last Tuesday"}', "invalid 'date' 'last Tuesday'"),
        ('{"title": 7}', "'title' must be a string"),
        ('{"title": "bad \\u0000 title"}', "'title' contains a NUL character"),
        (b'{"title": "\xff"}', "not valid UTF-8"),
    ],
)
def test_a_bad_sidecar_fails_its_article_only(tmp_path: Path, sidecar: str | bytes, reason: str) -> None:
    folder = tmp_path / "in"
    bad = write(folder / "bad.txt", BBC_LIKE)
    write(folder / "bad.meta.json", sidecar)
    write(folder / "good.txt", BBC_LIKE.replace("rail", "road"))
    results = list(read_inputs([str(folder)]))
    failures = [r for r in results if isinstance(r, Failure)]
    assert [f.path for f in failures] == [str(bad)]
    assert failures[0].reason.startswith(f"metadata sidecar {folder / 'bad.meta.json'}: ")
    assert reason in failures[0].reason
    assert [a.path for a in results if isinstance(a, Article)] == [str(folder / "good.txt")]


def test_sidecars_are_not_articles_wherever_they_are_met(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "a.txt", BBC_LIKE)
    write(folder / "a.meta.json", '{"source": "BBC News"}')
    write(folder / "orphan.meta.json", '{"source": "nobody"}')
    for inputs in ([str(folder)], [str(folder / "*")], [str(folder / "a.txt"), str(folder / "a.meta.json")]):
        a = only(list(read_inputs(inputs)))
        assert (a.path, a.source) == (str(folder / "a.txt"), "BBC News")
    (empty,) = read_inputs([str(write(tmp_path / "only" / "x.meta.json", "{}").parent)])
    assert isinstance(empty, Failure) and "1 metadata sidecars" in empty.reason


# --------------------------------------------------------------------------- the --meta CSV


def test_the_meta_csv_applies_to_the_inputs_it_lists(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    a = write(corpus / "a.txt", BBC_LIKE)
    b = write(corpus / "sub" / "b.txt", "no headline here.\n\nbody.\n")
    c = write(corpus / "c.txt", "unlisted.\n")
    table_path = write(
        corpus / "meta.csv",
        "path,date,title,source,url,section\n"
        "a.txt,2005-03-01,CSV title,BBC News,http://x/a,politics\n"
        f"{b},2005-03-02,,,,\n"
        "missing.txt,2005-03-03,,,,\n",
    )
    table = MetaTable.load(table_path)
    # The CSV inside the walked folder describes articles; it is not reported as one.
    found = articles(list(read_inputs([str(corpus)], meta=table, date="2000-01-01")))
    by_path = {Path(x.path or ""): x for x in found}
    assert set(by_path) == {a, b, c}
    assert (by_path[a].date, by_path[a].title, by_path[a].source, by_path[a].url) == (
        "2005-03-01",
        "CSV title",  # beats the headline, which was only inferred
        "BBC News",
        "http://x/a",
    )
    assert by_path[a].meta == {"section": "politics"}
    assert (by_path[b].date, by_path[b].title) == ("2005-03-02", None)
    assert by_path[c].date == "2000-01-01"


def test_an_articles_own_date_beats_the_csv(tmp_path: Path) -> None:
    wire = write(tmp_path / "w.txt", " date 2024-11-18 Body of the wire.\n")
    feed = write(
        tmp_path / "feed.jsonl", json.dumps({"text": "x", "date": "2024-01-01", "title": "Own"}) + "\n"
    )
    table = MetaTable.load(
        write(tmp_path / "m.csv", "path,date,title\nw.txt,1999-01-01,T\nfeed.jsonl,1999-01-02,CSV\n")
    )
    w, f = articles(list(read_inputs([str(wire), str(feed)], meta=table)))
    assert (w.date, w.title) == ("2024-11-18", "T")
    assert (f.date, f.title) == ("2024-01-01", "Own")


def test_a_bad_csv_row_fails_its_article_and_a_bad_csv_is_refused(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Good.\n")
    bad = write(tmp_path / "bad.txt", "Bad.\n")
    table = MetaTable.load(write(tmp_path / "m.csv", "path,date\ngood.txt,2020-02-02\nbad.txt,soon\n"))
    results = list(read_inputs([str(good), str(bad)], meta=table))
    assert isinstance(results[0], Article) and results[0].date == "2020-02-02"
    assert isinstance(results[1], Failure) and results[1].path == str(bad)
    assert (
        results[1].reason
        == f"--meta {tmp_path / 'm.csv'} line 3: invalid 'date' 'soon': expected an ISO YYYY-MM-DD date"
    )
    for content, message in (
        ("file,date\na.txt,2020-01-01\n", "no 'path' column"),
        ("path,date\na.txt,2020-01-01\n./a.txt,2020-01-02\n", "already listed on line 2"),
        ("path,date\n,2020-01-01\n", "line 2: no path"),
    ):
        with pytest.raises(ValueError, match=message):
            MetaTable.load(write(tmp_path / "x.csv", content))
    with pytest.raises(ValueError, match="no such file"):
        MetaTable.load(tmp_path / "absent.csv")


# --------------------------------------------------------------------------- dates from paths


@pytest.mark.parametrize(
    ("path", "day"),
    [
        ("news/2024/11/18/story.txt", "2024-11-18"),
        ("news/2024-11-18.txt", "2024-11-18"),
        ("news/20241118.txt", "2024-11-18"),
        ("seed/forum-2024-11-18.txt", "2024-11-18"),
        ("AQUAINT/APW19980213.1310.tml", "1998-02-13"),
        ("archive/2001/01/01/update-2001-01-02.txt", "2001-01-02"),  # nearest the file name
        ("news/2024-13-45.txt", None),
        ("news/20241118123456.txt", None),  # part of a longer number
        ("news/2024/11/story.txt", None),  # a month is not a day
        ("news/2024-11/18.txt", None),  # mixed separators
        ("ids/12345678.txt", None),
    ],
)
def test_path_dates(path: str, day: str | None) -> None:
    assert path_date(path) == day


def test_date_precedence_path_between_csv_and_run_date(tmp_path: Path) -> None:
    listed = write(tmp_path / "2005" / "03" / "01" / "listed.txt", "Listed.\n")
    unlisted = write(tmp_path / "2005" / "03" / "01" / "unlisted.txt", "Unlisted.\n")
    undated = write(tmp_path / "plain" / "undated.txt", "Undated.\n")
    table = MetaTable.load(write(tmp_path / "m.csv", f"path,date\n{listed},2006-06-06\n"))
    inputs = [str(listed), str(unlisted), str(undated)]
    a, b, c = articles(list(read_inputs(inputs, meta=table, date_from_path=True, date="2010-10-10")))
    assert (a.date, b.date, c.date) == ("2006-06-06", "2005-03-01", "2010-10-10")
    # Without the flag the path says nothing; without --date nothing is made up.
    assert [x.date for x in articles(list(read_inputs(inputs)))] == [None, None, None]
    assert only(list(read_inputs([str(undated)], date_from_path=True))).date is None


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("AFP_ENG_19970425.0015", "AFP"),
        ("XIN_ENG_20050101.0012", "Xinhua"),
        ("XIE19980808.0060", "Xinhua"),
        ("APW19980213.1310", "Associated Press"),
        ("AP900815-0044", "Associated Press"),
        ("NYT19980206.0460", "New York Times"),
        ("wsj_0006", "Wall Street Journal"),
        ("ABC19980108.1830.0711", "ABC News"),
        ("SJMN91-06338157", "San Jose Mercury News"),
        ("ea980120.1830.0071", None),  # a broadcast id that names no outlet for sure
        ("notes_2024", None),
        ("APW", None),
        (None, None),
    ],
)
def test_sources_from_document_ids(name: str | None, source: str | None) -> None:
    assert wire_source(name) == source


def test_a_timeml_docid_and_a_file_name_give_the_source(tmp_path: Path) -> None:
    tml = only(list(read_file(write(tmp_path / "x.tml", TML.format(docid="AFP_ENG_19970425.0015")))))
    assert (tml.id, tml.source, tml.date) == ("AFP_ENG_19970425.0015", "AFP", "1997-04-25")
    named = only(list(read_file(write(tmp_path / "NYT19980206.0460.txt", "Body.\n"))))
    assert named.source == "New York Times"
    # A source given beats the one read off the id.
    write(tmp_path / "NYT19980206.0460.meta.json", '{"source": "The New York Times"}')
    assert only(list(read_file(tmp_path / "NYT19980206.0460.txt"))).source == "The New York Times"


def test_json_outlet_fields(tmp_path: Path) -> None:
    lines = [
        {"text": "1", "source": "Source", "publisher": "Publisher"},
        {"text": "2", "publisher": "Publisher"},
        {"text": "3", "outlet": "Outlet"},
        {"text": "4", "site_name": "Site"},
        {"text": "5", "media": "Media"},
        {"text": "6", "source": {"id": "bbc-news", "name": "BBC News"}},
        {"text": "7", "source": "", "publisher": {"name": "Named Publisher"}},
        {"text": "8"},
    ]
    path = write(tmp_path / "f.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    found = articles(list(read_file(path)))
    assert [a.source for a in found] == [
        "Source",
        "Publisher",
        "Outlet",
        "Site",
        "Media",
        "BBC News",
        "Named Publisher",
        None,
    ]
    assert found[1].meta == {"publisher": "Publisher"}  # kept as given too


def test_reuters_sgml_names_reuters(tmp_path: Path) -> None:
    sgm = (
        '<REUTERS NEWID="5"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>COCOA TALKS</TITLE>'
        "<BODY>Cocoa talks ended.\n Reuter\n&#3;</BODY></TEXT></REUTERS>"
    )
    a = only(list(read_file(write(tmp_path / "reut2-000.sgm", sgm))))
    assert (a.source, a.date, a.title) == ("Reuters", "1987-02-26", "COCOA TALKS")


def test_reuters_sgml_dates_the_first_nine_days_of_a_month(tmp_path: Path) -> None:
    # Reuters pads a one-digit day with a space: " 5-MAR-1987 09:17:32.30"
    sgm = (
        '<REUTERS NEWID="9"><DATE> 5-MAR-1987 09:17:32.30</DATE><TEXT>'
        "<BODY>Talks ended.\n Reuter\n&#3;</BODY></TEXT></REUTERS>"
    )
    assert only(list(read_file(write(tmp_path / "reut2-001.sgm", sgm)))).date == "1987-03-05"


# --------------------------------------------------------------------------- the commands

runner = CliRunner()


def test_extract_and_ingest_take_the_metadata_options(tmp_path: Path) -> None:
    corpus = tmp_path / "2005" / "03" / "01"
    write(corpus / "a.txt", BBC_LIKE)
    write(corpus / "b.txt", "The minister said on Monday that talks would resume.\n")
    table = write(tmp_path / "meta.csv", "path,source\n2005/03/01/b.txt,BBC News\n")
    result = runner.invoke(app, ["extract", str(corpus), "--date-from-path", "--meta", str(table)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line)["article"] for line in result.stdout.splitlines()]
    assert [(r["date"], r["title"], r["source"]) for r in records] == [
        ("2005-03-01", "Minister backs new rail link", None),
        ("2005-03-01", None, "BBC News"),
    ]
    db = tmp_path / "kb.db"
    result = runner.invoke(
        app, ["ingest", str(corpus), "--db", str(db), "--meta", str(table), "--date", "2006-01-01"]
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT path, date, title, source FROM articles ORDER BY path").fetchall()
    assert [row[1:] for row in rows] == [
        ("2006-01-01", "Minister backs new rail link", None),
        ("2006-01-01", None, "BBC News"),
    ]


def test_the_options_are_documented_and_a_bad_meta_file_is_a_usage_error(tmp_path: Path) -> None:
    for command in ("extract", "ingest"):
        shown = runner.invoke(app, [command, "--help"], terminal_width=200).output
        assert "--date-from-path" in shown and "--meta" in shown
        assert "highest precedence first" in shown
    bad = write(tmp_path / "bad.csv", "file,date\n")
    result = runner.invoke(app, ["extract", str(tmp_path), "--meta", str(bad)], terminal_width=200)
    assert result.exit_code == 2
    assert "no 'path' column" in " ".join(result.output.replace("\u2502", " ").split())
