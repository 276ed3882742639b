"""Full-text search over quotes and articles, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlalchemy import delete, func, insert, select, update

from newsgraph.store import fts
from newsgraph.store import schema as t
from newsgraph.store.write import write_records

EVIL = [
    "'; DROP TABLE quotes; --",
    '"',
    '""',
    "AND OR",
    "AND",
    "NOT",
    "*",
    "victory*",
    "",
    "   ",
    "-victory",
    "^great",
    "text:victory",
    "{text}: victory",
    "NEAR(great victory)",
    "great + victory",
    "' OR 1=1 --",
    "(",
    ")",
    "\\",
    "a\x00b",
    "!!!",
    ":",
    "é",
]


@pytest.fixture
def filled(store, sample_record):
    write_records(store, [sample_record])
    return store


def _quote_text(store, quote_id: str) -> str:
    with store.engine.connect() as conn:
        return conn.execute(select(t.quotes.c.text).where(t.quotes.c.id == quote_id)).scalar_one()


def _assert_index_intact(conn) -> None:
    if conn.dialect.name == "sqlite":
        # compares the FTS5 index with the content tables; raises on any drift
        for table in fts.SQLITE_TABLES:
            conn.exec_driver_sql(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def _add_article(conn, article_id: str, text: str, title: str | None = None) -> None:
    conn.execute(
        insert(t.articles),
        {
            "id": article_id,
            "content_hash": article_id,
            "title": title,
            "text": text,
            "meta": {},
            "extractor_version": "test",
            "model": "test",
            "ingested_at": dt.datetime.now(dt.UTC),
        },
    )


def test_finds_quote(filled):
    with filled.engine.connect() as conn:
        found = fts.search_quotes(conn, "Great Victory Day")
        # the short statement about the day first, then the long one that also names it
        assert len(found) == 2
        assert _quote_text(filled, found[0]).startswith("The Great Victory Day is an important sacred date")
        assert "Great Victory Day" in _quote_text(filled, found[1])
        # any case, any order, stemmed on PostgreSQL, word for word on SQLite
        assert fts.search_quotes(conn, "day victory GREAT")[0] == found[0]
        assert fts.search_quotes(conn, 'Great "Victory" Day!')[0] == found[0]


def test_all_words_must_match(filled):
    with filled.engine.connect() as conn:
        assert fts.search_quotes(conn, "Great Victory zebra") == []
        assert fts.search_quotes(conn, "xylophone") == []


def test_finds_article(filled, sample_record):
    article_id = sample_record["article"]["id"]
    with filled.engine.connect() as conn:
        assert fts.search_articles(conn, "Kazakh delegation") == [article_id]
        assert fts.search_articles(conn, "hospitality TASS") == [article_id]
        assert fts.search_articles(conn, "zebra") == []


def test_limit(filled):
    with filled.engine.connect() as conn:
        everything = fts.search_quotes(conn, "Kazakhstan")
        assert len(everything) >= 3
        assert len(set(everything)) == len(everything)
        assert fts.search_quotes(conn, "Kazakhstan", limit=2) == everything[:2]
        assert fts.search_quotes(conn, "Kazakhstan", limit=0) == []


def test_quote_ranking(store):
    with store.engine.begin() as conn:
        conn.execute(
            insert(t.quotes),
            [
                {
                    "id": "Qonce",
                    "text": "Victory is one word in a long sentence about many other things.",
                },
                {"id": "Qmany", "text": "Victory, victory and victory again."},
                {"id": "Qnone", "text": "Nothing to see here."},
            ],
        )
    with store.engine.connect() as conn:
        assert fts.search_quotes(conn, "victory") == ["Qmany", "Qonce"]


def test_article_title_counts_more(store):
    with store.engine.begin() as conn:
        _add_article(conn, "body", "The parade was long. People spoke of victory and of peace.", "Parade")
        _add_article(
            conn, "title", "The parade was long. People spoke of peace and of the future.", "Victory"
        )
    with store.engine.connect() as conn:
        assert fts.search_articles(conn, "victory") == ["title", "body"]
        assert fts.search_articles(conn, "parade peace", limit=1) in (["title"], ["body"])


@pytest.mark.parametrize("text", EVIL)
def test_user_text_is_never_query_syntax(filled, text):
    with filled.engine.connect() as conn:
        quotes = fts.search_quotes(conn, text)
        articles = fts.search_articles(conn, text, limit=5)
    assert isinstance(quotes, list) and isinstance(articles, list)
    assert all(isinstance(i, str) for i in quotes + articles)
    with filled.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.quotes)).scalar() > 0
        _assert_index_intact(conn)


def test_no_word_means_no_result(filled):
    with filled.engine.connect() as conn:
        for text in ("", " ", "*", '"', "--", "!!!"):
            assert fts.search_quotes(conn, text) == []
            assert fts.search_articles(conn, text) == []


def test_reingest_keeps_index_in_sync(filled, sample_record):
    """A changed article is deleted and inserted again: the index follows."""
    article_id = sample_record["article"]["id"]
    changed = copy.deepcopy(sample_record)
    changed["article"]["text"] = changed["article"]["text"].replace("Astana", "Nursultan")
    changed["article"]["title"] = "Media forum in Moscow"
    with filled.engine.connect() as conn:
        assert fts.search_articles(conn, "Astana") == [article_id]
        quotes = fts.search_quotes(conn, "Great Victory Day")
    summary = write_records(filled, [changed])
    assert summary.replaced == 1
    with filled.engine.connect() as conn:
        assert fts.search_articles(conn, "Astana") == []
        assert fts.search_articles(conn, "Nursultan") == [article_id]
        assert fts.search_articles(conn, "media forum Moscow") == [article_id]
        # quotes are kept (insert-or-ignore), never duplicated
        assert fts.search_quotes(conn, "Great Victory Day") == quotes
        _assert_index_intact(conn)
    # the same record again is skipped and changes nothing
    assert write_records(filled, [changed]).skipped == 1
    with filled.engine.connect() as conn:
        assert fts.search_articles(conn, "Nursultan") == [article_id]
        _assert_index_intact(conn)


def test_quote_update_and_delete_follow(filled):
    with filled.engine.connect() as conn:
        (quote_id,) = fts.search_quotes(conn, "sacred date")
    with filled.engine.begin() as conn:
        # an update of another column leaves the index alone
        conn.execute(update(t.quotes).where(t.quotes.c.id == quote_id).values(first_seen=None))
    with filled.engine.connect() as conn:
        assert fts.search_quotes(conn, "sacred date") == [quote_id]
    with filled.engine.begin() as conn:
        conn.execute(update(t.quotes).where(t.quotes.c.id == quote_id).values(text="A rewritten statement."))
    with filled.engine.connect() as conn:
        assert fts.search_quotes(conn, "sacred date") == []
        assert fts.search_quotes(conn, "rewritten statement") == [quote_id]
        _assert_index_intact(conn)
    with filled.engine.begin() as conn:
        conn.execute(delete(t.quote_occurrences).where(t.quote_occurrences.c.quote_id == quote_id))
        conn.execute(delete(t.quotes).where(t.quotes.c.id == quote_id))
    with filled.engine.connect() as conn:
        assert fts.search_quotes(conn, "rewritten statement") == []
        _assert_index_intact(conn)


def test_rebuild_is_harmless(filled):
    with filled.engine.begin() as conn:
        before = fts.search_quotes(conn, "Kazakhstan")
        fts.rebuild(conn)
        assert fts.search_quotes(conn, "Kazakhstan") == before
        _assert_index_intact(conn)


def test_fts5_query_quotes_every_word():
    assert fts.fts5_query('say "hi" AND *') == '"say" "hi" "AND"'
    assert fts.fts5_query("Great-Victory") == '"Great" "Victory"'
    assert fts.fts5_query("'; --") is None


def test_common_words_rank_only_the_newest_stored_articles(store):
    if store.engine.dialect.name != "sqlite":
        pytest.skip("the ranking window is SQLite's (FTS5 rowid ranges)")
    with store.engine.begin() as conn:
        for number in range(5):
            _add_article(conn, f"a{number}", "The harbour reopened after the storm.", f"Note {number}")
    with store.engine.connect() as conn:
        assert sorted(fts.search_articles(conn, "harbour storm", window=None)) == [f"a{n}" for n in range(5)]
        assert sorted(fts.search_articles(conn, "harbour storm", window=2)) == ["a3", "a4"]
        assert sorted(fts.search_articles(conn, "harbour storm", window=50)) == [f"a{n}" for n in range(5)]
