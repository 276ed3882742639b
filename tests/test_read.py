from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest

from newsgraph.article import Article, content_id
from newsgraph.errors import Failure
from newsgraph.read import (
    FORMATS,
    MAX_TEXT_CHARS,
    input_files,
    item_count,
    parse_wire,
    read_file,
    read_inputs,
    timeml_gold,
)
from newsgraph.settings import value

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "forum-2024-11-18.txt"

WIRE = " date 2024-11-18 The minister said on Monday.\n\nSecond  paragraph\tkept.\n"
BODY = "The minister said on Monday.\n\nSecond  paragraph\tkept.\n"

TML = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">

<DOCID>DOC_1</DOCID>

<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" temporalFunction="false" \
functionInDocument="CREATION_TIME">January 8, 1998</TIMEX3></DCT>

<TITLE>Talks end <TIMEX3 tid="t9" type="DATE" value="1998-01-07">Wednesday</TIMEX3></TITLE>

<TEXT>
The talks <EVENT eid="e1" class="OCCURRENCE">ended</EVENT> \
<TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> after \
<TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3>.

Officials &amp; aides left.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
</TimeML>
"""

HTML = """<html><head><title>Big news - Example Times</title>
<meta property="article:published_time" content="2024-11-18T10:00:00Z">
<meta property="og:site_name" content="Example Times"></head>
<body><nav>Home | World | Sport</nav><article><h1>Big news</h1>
<p>The minister said on Monday that the talks had gone well and would continue next week
in the capital, according to officials who attended the meeting.</p>
<p>Opposition leaders criticised the delay and called for a vote before the end of the year.</p>
</article><footer>Copyright 2024 Example Times</footer></body></html>
"""


def shared_data() -> Path:
    """The shared evaluation data next to the checkout, or skip the test."""
    data = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    if not data.is_dir():
        pytest.skip(f"shared evaluation data not found at {data}")
    return data


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    if path.suffix == ".gz":
        content = gzip.compress(content)
    path.write_bytes(content)
    return path


def only(results: list[Article | Failure]) -> Article | Failure:
    assert len(results) == 1, results
    return results[0]


def article(results: list[Article | Failure]) -> Article:
    result = only(results)
    assert isinstance(result, Article), result
    return result


def failure(results: list[Article | Failure]) -> Failure:
    result = only(results)
    assert isinstance(result, Failure), result
    return result


# --------------------------------------------------------------------------- wire / plain


def test_parse_wire_removes_exactly_the_header() -> None:
    assert parse_wire(WIRE) == ("2024-11-18", BODY)
    assert parse_wire(BODY) == (None, BODY)
    # Not a real calendar day: not a header, so nothing is removed.
    assert parse_wire(" date 2024-13-45 text") == (None, " date 2024-13-45 text")
    assert parse_wire("date 2024-11-18 text") == (None, "date 2024-11-18 text")


def test_wire_file(tmp_path: Path) -> None:
    path = write(tmp_path / "w.txt", WIRE)
    a = article(list(read_file(path, date="2000-01-01")))
    assert a.text == BODY
    assert a.date == "2024-11-18"  # the header wins over --date
    assert a.title is None
    assert a.path == str(path)
    assert a.id == content_id(BODY)


def test_sample_wire_body_is_file_text_minus_header() -> None:
    raw = SAMPLE.read_text(encoding="utf-8")
    a = article(list(read_file(SAMPLE)))
    assert a.date == "2024-11-18"
    assert raw.startswith(" date 2024-11-18 ")
    assert a.text == raw[len(" date 2024-11-18 ") :]


def test_plain_txt_unchanged_and_date_fallback(tmp_path: Path) -> None:
    text = "Headline\n\n  Body with  odd   spacing.\r\n"
    path = write(tmp_path / "p.txt", text)
    a = article(list(read_file(path)))
    # The headline is the title and stays in the text, which every offset indexes.
    assert (a.text, a.date, a.title) == (text, None, "Headline")
    a = article(list(read_inputs([str(path)], date="2024-01-02T08:00:00")))
    assert a.date == "2024-01-02"


def test_bom_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path / "b.txt", b"\xef\xbb\xbf" + WIRE.encode())
    a = article(list(read_file(path)))
    assert (a.date, a.text) == ("2024-11-18", BODY)


def test_invalid_date_option_raises() -> None:
    with pytest.raises(ValueError):
        list(read_inputs([], date="yesterday"))


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_fields_meta_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": "First body.",
                "date": "2024-03-05T23:30:00+02:00",
                "title": "T",
                "source": "S",
                "url": "http://example.com/a",
                "lang": "en",
            }
        ),
        "{not json",
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": 42}),
        json.dumps(["text"]),
        json.dumps({"id": 7, "text": "Second body.", "date": "2024-03-06"}),
        json.dumps({"text": "Third body."}),
        json.dumps({"text": "Fourth body.", "date": "soon"}),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    results = list(read_inputs([str(path)], date="2020-01-01"))
    good = [r for r in results if isinstance(r, Article)]
    bad = [r for r in results if isinstance(r, Failure)]
    assert [f.path for f in bad] == [f"{path}:{n}" for n in (2, 4, 5, 6, 9)]
    assert [a.text for a in good] == ["First body.", "Second body.", "Third body."]
    first, second, third = good
    assert (first.id, first.date, first.title, first.source, first.url) == (
        "a1",
        "2024-03-05",
        "T",
        "S",
        "http://example.com/a",
    )
    assert first.meta == {"lang": "en"}
    assert first.path == str(path)
    assert (second.id, second.date) == ("7", "2024-03-06")
    assert (third.id, third.date) == (content_id("Third body."), "2020-01-01")
    # A date that cannot be read is reported, not replaced by --date in silence.
    assert bad[-1].reason == "invalid 'date' \"soon\": expected an ISO YYYY-MM-DD string"


def test_ndjson_gz_and_bad_utf8_line(tmp_path: Path) -> None:
    raw = b'{"text": "ok 1"}\n{"text": "bad \xff"}\n{"text": "ok 2"}\n'
    path = write(tmp_path / "a.ndjson.gz", raw)
    results = list(read_file(path))
    assert [r.text for r in results if isinstance(r, Article)] == ["ok 1", "ok 2"]
    (bad,) = [r for r in results if isinstance(r, Failure)]
    assert bad.path == f"{path}:2"
    bad_byte = raw.index(b"\xff")
    assert bad.reason == f"not valid UTF-8 at byte {bad_byte}"


def test_jsonl_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "e.jsonl", "\n  \n")
    assert failure(list(read_file(path))).reason == "empty"


# --------------------------------------------------------------------------- HTML


def test_html_extracts_text_title_date(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura", exc_type=ImportError)
    path = write(tmp_path / "page.html", HTML)
    a = article(list(read_file(path)))
    assert "talks had gone well" in a.text
    assert "Home | World" not in a.text
    assert "Copyright" not in a.text
    assert a.title == "Big news"
    assert a.date == "2024-11-18"
    assert a.source == "Example Times"


def test_html_without_date_uses_fallback(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura", exc_type=ImportError)
    page = HTML.replace("2024-11-18T10:00:00Z", "").replace("2024", "")
    path = write(tmp_path / "page.htm.gz", page)
    a = article(list(read_file(path, date="2023-05-06")))
    assert a.date == "2023-05-06"


def test_html_without_trafilatura_is_a_failure(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    path = write(tmp_path / "page.html", HTML)
    assert failure(list(read_file(path))).reason.startswith("HTML support unavailable")


# --------------------------------------------------------------------------- TimeML


def test_timeml_body_date_id_and_gold(tmp_path: Path) -> None:
    path = write(tmp_path / "doc.tml", TML)
    a = article(list(read_file(path)))
    assert a.id == "DOC_1"
    assert a.date == "1998-01-08"
    assert a.title == "Talks end Wednesday"
    assert a.text == (
        "Talks end Wednesday\n\nThe talks ended yesterday after three days.\n\nOfficials & aides left."
    )
    gold = timeml_gold(path)
    assert [(g["text"], g["type"], g["value"]) for g in gold] == [
        ("Wednesday", "DATE", "1998-01-07"),
        ("yesterday", "DATE", "1998-01-07"),
        ("three days", "DURATION", "P3D"),
    ]
    for g in gold:
        assert a.text[g["start"] : g["end"]] == g["text"]


def test_timeml_without_title_gz_and_html_entities(tmp_path: Path) -> None:
    tml = TML.replace("<TITLE>Talks end ", "").replace("</TITLE>", "")
    tml = tml.replace('<TIMEX3 tid="t9" type="DATE" value="1998-01-07">Wednesday</TIMEX3>', "")
    tml = tml.replace("Officials &amp; aides", "Officials&nbsp;&amp; aides & staff")
    path = write(tmp_path / "doc.tml.gz", tml)
    a = article(list(read_file(path)))
    assert a.title is None
    assert a.text.startswith("The talks ended")
    assert a.text.endswith("Officials\u00a0& aides & staff left.")
    for g in timeml_gold(path):
        assert a.text[g["start"] : g["end"]] == g["text"]


def test_timeml_broken_xml_is_a_failure(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.tml", "<TimeML><TEXT>unclosed</TimeML>")
    assert failure(list(read_file(path))).reason.startswith("invalid TimeML XML")
    with pytest.raises(ValueError):
        timeml_gold(path)


# --------------------------------------------------------------------------- collections


def make_tree(root: Path) -> None:
    write(root / "b.txt", "plain b")
    write(root / "a.txt.gz", WIRE)
    write(root / "sub" / "c.jsonl", '{"text": "c1"}\n{"text": "c2"}\n')
    write(root / "sub" / "d.tml", TML)
    write(root / "notes.md", "not an article")
    write(root / ".hidden.txt", "hidden")
    write(root / ".git" / "x.txt", "hidden dir")


def test_directory_recursive_sorted_skipping(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    found = list(read_inputs([str(tmp_path / "in")]))
    results = [r for r in found if isinstance(r, Article)]
    assert [r.text[:7] for r in results] == ["The min", "plain b", "c1", "c2", "Talks e"]
    assert results[0].path == os.path.join(str(tmp_path / "in"), "a.txt.gz")
    # What is not read is said, hidden entries excepted.
    (skipped,) = [r for r in found if isinstance(r, Failure)]
    assert skipped.path == str(tmp_path / "in" / "notes.md")
    assert skipped.reason.startswith("skipped: unknown extension (.md); readable: .htm, .html")


def test_a_directory_lists_exactly_the_registered_extensions(tmp_path: Path) -> None:
    for ext in [*FORMATS, ".json", ".md", ".csv"]:
        write(tmp_path / f"a{ext}", "x")
        write(tmp_path / f"b{ext.upper()}.gz", "x")
    listed = {Path(found).name for found in input_files([str(tmp_path)]) if isinstance(found, str)}
    assert listed == {f"a{ext}" for ext in FORMATS} | {f"b{ext.upper()}.gz" for ext in FORMATS}


def test_only_archive_formats_count_items(tmp_path: Path) -> None:
    jsonl = write(tmp_path / "a.jsonl.gz", '{"text": "x"}\n{"text": "y"}')
    assert item_count(jsonl) == 2
    assert item_count(write(tmp_path / "a.txt", "x\ny\n")) is None
    assert item_count(tmp_path / "missing.jsonl") is None
    assert {ext for ext, fmt in FORMATS.items() if fmt.count} == {
        ".jsonl",
        ".ndjson",
        ".parquet",
        ".warc",
        ".sgm",
    }


def test_glob_and_unknown_extension_named_explicitly(tmp_path: Path) -> None:
    make_tree(tmp_path)
    results = list(read_inputs([str(tmp_path / "**" / "*.jsonl"), str(tmp_path / "notes.md")]))
    assert [r.text for r in results] == ["c1", "c2", "not an article"]
    (none,) = list(read_inputs([str(tmp_path / "*.xyz")]))
    assert none == Failure(str(tmp_path / "*.xyz"), "no files match pattern")


def test_stdin_plain_wire_jsonl_gzip() -> None:
    a = article(list(read_inputs(["-"], stdin=io.StringIO(WIRE))))
    assert (a.text, a.date, a.path) == (BODY, "2024-11-18", "-")
    results = list(read_inputs(["-"], stdin=io.BytesIO(b'{"text": "x"}\n\n{"text": "y"}\n')))
    assert [r.text for r in results] == ["x", "y"]
    # One line that is not an article object: the whole input is prose.
    mixed = '{"text": "x"}\nand then prose\n'
    assert article(list(read_inputs(["-"], stdin=io.StringIO(mixed)))).text == mixed
    gz = gzip.compress(b"plain gz on stdin")
    a = article(list(read_inputs(["-"], stdin=io.BytesIO(gz), date="2024-02-03")))
    assert (a.text, a.date) == ("plain gz on stdin", "2024-02-03")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("latin1.txt", "caf\xe9 au lait".encode("latin-1"), "not valid UTF-8 at byte 3"),
        ("nul.txt", b"abc\x00def", "binary"),
        ("noise.txt", bytes(range(128, 256)) * 4 + b"\x01\x02\x03" * 50, "binary"),
        ("utf16.txt", "hello".encode("utf-16"), "not valid UTF-8 at byte 0"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t\n", "empty"),
        ("header-only.txt", b" date 2024-11-18 ", "empty"),
        ("bad.txt.gz", b"not gzip at all", "corrupt gzip"),
        ("empty.tml", b"<TimeML><TEXT>  </TEXT></TimeML>", "empty"),
    ],
)
def test_bad_files_fail_and_stream_continues(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = write(tmp_path / "good.txt", "fine")
    results = list(read_inputs([str(bad), str(good)]))
    assert len(results) == 2
    assert isinstance(results[0], Failure)
    assert results[0].path == str(bad)
    assert results[0].reason.startswith(reason)
    assert isinstance(results[1], Article) and results[1].text == "fine"


OVERSIZED = "oversized: over the 1,000,000-character limit (setting max_article_chars)"


def test_the_limit_is_the_setting() -> None:
    assert MAX_TEXT_CHARS == value("max_article_chars") == 1_000_000


def test_oversized(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "a" * (MAX_TEXT_CHARS + 1))
    assert failure(list(read_file(path))).reason == OVERSIZED
    path = write(tmp_path / "edge.txt", "a" * MAX_TEXT_CHARS)
    assert len(article(list(read_file(path))).text) == MAX_TEXT_CHARS
    line = json.dumps({"text": "a" * (MAX_TEXT_CHARS + 1)})
    path = write(tmp_path / "big.jsonl", line + '\n{"text": "small"}\n')
    results = list(read_file(path))
    assert results[0] == Failure(f"{path}:1", OVERSIZED)
    assert isinstance(results[1], Article) and results[1].text == "small"


def test_missing_and_unreadable(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    assert list(read_inputs([missing])) == [Failure(missing, "no such file or directory")]
    assert failure(list(read_file(missing))).reason == "no such file or directory"
    assert failure(list(read_file(tmp_path))).reason == "is a directory"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        locked = write(tmp_path / "locked.txt", "secret")
        locked.chmod(0)
        try:
            assert failure(list(read_file(locked))).reason == "permission denied"
        finally:
            locked.chmod(0o644)


# --------------------------------------------------------------------------- shared data


@pytest.mark.shared
def test_real_timeml_gold_offsets() -> None:
    data = shared_data()
    path = data / "tempeval3" / "TBAQ-cleaned" / "TimeBank" / "ABC19980108.1830.0711.tml"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    a = article(list(read_file(path)))
    assert a.id == "ABC19980108.1830.0711"
    assert a.date == "1998-01-08"
    assert a.text.startswith("On the other hand, it's turning out")
    gold = timeml_gold(path)
    raw = path.read_text(encoding="utf-8")
    assert len(gold) == raw.count("<TIMEX3") - 1  # all but the DCT
    assert gold[0]["text"] == "week"
    for g in gold:
        assert a.text[g["start"] : g["end"]] == g["text"]


@pytest.mark.shared
def test_real_platinum_timeml_with_title() -> None:
    data = shared_data()
    path = data / "tempeval3" / "te3-platinum" / "AP_20130322.tml"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    a = article(list(read_file(path)))
    assert a.title == "105 U.S. Kids Died From Flu, CDC Says"
    assert a.text.startswith(a.title + "\n\nThe flu season")
    assert a.date == "2013-03-22"
    for g in timeml_gold(path):
        assert a.text[g["start"] : g["end"]] == g["text"]


@pytest.mark.shared
def test_real_bbc_invalid_utf8() -> None:
    data = shared_data()
    path = data / "bbc" / "sport" / "199.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    assert failure(list(read_file(path))).reason.startswith("not valid UTF-8 at byte ")
    ok = data / "bbc" / "sport" / "001.txt"
    if ok.is_file():
        a = article(list(read_file(ok)))
        assert a.text == ok.read_text(encoding="utf-8").removeprefix("\ufeff")
        # BBC files open with their headline: the title, still part of the text.
        assert a.title is not None and a.text.startswith(a.title)


def test_an_archive_article_knows_its_line_for_a_failure_to_name(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"text": "one"}\n\n{"text": "two"}\n')
    one, two = read_file(path)
    assert (one.where(), two.where()) == (f"{path}:1", f"{path}:3")
    # Not part of the article: records and equality do not see it.
    assert "origin" not in two.to_dict() and two == Article("two", path=str(path))
    assert Article("plain", path="p.txt").where() == "p.txt"
