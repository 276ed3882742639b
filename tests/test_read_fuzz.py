"""Fuzzing the readers: whatever the bytes, JSON lines, gzip or file names, a reader answers
`Article | Failure` quickly and never raises.

A per-example deadline makes a slow path (a regex that backtracks, a parser
that recurses, a bomb unpacked whole) fail the test like an exception.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.article import Article
from newsgraph.errors import Failure
from newsgraph.read import printable, read_file, read_inputs

CAP = 2_000  # characters: a lowered `max_article_chars`, so caps are met within small examples
FUZZ = settings(
    max_examples=60,
    deadline=2000,  # milliseconds an example may take
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXTENSIONS = [".txt", ".jsonl", ".ndjson", ".html", ".tml", ".sgm", ".warc", ".parquet", ".doc", ""]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
article_objects = st.fixed_dictionaries(
    {"text": st.text(max_size=200)},
    optional={
        "id": json_values,
        "date": st.one_of(json_values, st.dates().map(str)),
        "title": json_values,
        "url": json_values,
        "extra": json_values,
    },
)
jsonl_lines = st.lists(
    st.one_of(
        article_objects.map(json.dumps),
        json_values.map(json.dumps),
        st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
        st.text(max_size=60),
    ),
    max_size=6,
).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))
contents = st.one_of(st.binary(max_size=3000), jsonl_lines, st.text(max_size=3000).map(str.encode))
names = st.one_of(
    st.text(
        st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]), min_size=1, max_size=20
    ),
    st.binary(min_size=1, max_size=20)
    .filter(lambda raw: b"/" not in raw and b"\x00" not in raw)
    .map(os.fsdecode),
)


def _check(results: Iterator[Article | Failure]) -> list[Article | Failure]:
    found = list(results)
    for result in found:
        assert isinstance(result, Article | Failure), result
        if isinstance(result, Failure):
            assert result.path == printable(result.path), result
            assert "\n" not in result.reason or result.reason.startswith("invalid"), result
        else:
            assert len(result.text) <= CAP and "\x00" not in result.text
            result.text.encode("utf-8")  # no lone surrogate reaches an article
    return found


@FUZZ
@given(data=contents, extension=st.sampled_from(EXTENSIONS), gzipped=st.booleans())
def test_any_file_gives_articles_or_failures(data: bytes, extension: str, gzipped: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}{'.gz' if gzipped else ''}"
        path.write_bytes(gzip.compress(data) if gzipped else data)
        _check(read_file(path, max_chars=CAP))
        _check(read_inputs([folder], max_chars=CAP))


@FUZZ
@given(data=contents, gzipped=st.booleans())
def test_any_stdin_gives_articles_or_failures(data: bytes, gzipped: bool) -> None:
    stdin = io.BytesIO(gzip.compress(data) if gzipped else data)
    _check(read_inputs(["-"], stdin=stdin, max_chars=CAP))


@FUZZ
@given(entries=st.lists(st.tuples(names, st.sampled_from(EXTENSIONS), contents), max_size=5))
def test_any_folder_gives_one_result_an_entry_at_least(entries: list[tuple[str, str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        written = set()
        for name, extension, data in entries:
            full = os.path.join(os.fsencode(folder), os.fsencode(name + extension))
            try:
                with open(full, "wb") as fh:
                    fh.write(data)
            except OSError:
                continue  # a name this file system refuses (too long, reserved)
            written.add(full)
        found = _check(read_inputs([folder], max_chars=CAP))
        assert found  # an empty folder says so
        unhidden = {full for full in written if not os.path.basename(full).startswith(b".")}
        assert len({str(r.path).split(":")[0] for r in found}) >= min(1, len(unhidden))


def test_a_gzip_bomb_on_stdin_is_cut_off_at_the_cap() -> None:
    bomb = gzip.compress(b" " * (50 * 1024 * 1024))
    (failure,) = _check(read_inputs(["-"], stdin=io.BytesIO(bomb), max_chars=CAP))
    assert isinstance(failure, Failure) and failure.reason.startswith("oversized")


def test_stdin_json_lines_beyond_one_article_are_streamed_line_by_line() -> None:
    lines = b"".join(json.dumps({"text": f"Article {n} " + "x" * 500}).encode() + b"\n" for n in range(100))
    found = _check(read_inputs(["-"], stdin=io.BytesIO(gzip.compress(lines)), max_chars=CAP))
    assert len(found) == 100 and all(isinstance(r, Article) for r in found)


def test_a_warc_without_an_html_page_says_so(tmp_path) -> None:
    # found by the folder property above: warcio reads "\t\t" as one record, which is no page
    (tmp_path / "0.warc").write_bytes(b"\t\t")
    (failure,) = _check(read_inputs([str(tmp_path)], max_chars=CAP))
    assert isinstance(failure, Failure) and failure.reason.startswith("no HTML page")
