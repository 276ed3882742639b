"""People, organisations and quotes across articles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from newsgraph.article import Article
from newsgraph.extract import extract
from newsgraph.names import name_key
from newsgraph.store import open_store
from newsgraph.store import schema as t
from newsgraph.store.write import write_records


@pytest.fixture
def kb(tmp_path, nlp):
    store = open_store(str(tmp_path / "kb.db"))

    def add(text: str, article_id: str, date: str):
        record = extract(Article(text, id=article_id, date=date), nlp)
        write_records(store, [record])
        return record

    return store, add


def _person_ids(store, surname: str) -> set[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.mentions.c.entity_id)
            .join(t.entities, t.entities.c.id == t.mentions.c.entity_id)
            .where(t.entities.c.type == "PERSON", t.mentions.c.text.contains(surname))
        )
        return {r.entity_id for r in rows}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Roman Vassilenko", "Roman Vasilenko"),
        ("Daniya Yespayeva", "Daniya Espaeva"),
        ("Yevgeny Khaldei", "Evgeny Khaldei"),
        ("Kassym-Jomart Tokayev", "Kasym-Zhomart Tokayev"),
        ("Dmitry Peskov", "Dmitriy Peskov"),
        ("José Martínez", "Jose Martinez"),
    ],
)
def test_transliteration_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


def test_same_person_in_two_spellings_is_one_person(kb):
    store, add = kb
    add("Deputy Minister Roman Vassilenko opened the forum on Monday.", "a1", "2024-11-18")
    add("Deputy Minister Roman Vasilenko closed the forum on Tuesday.", "a2", "2024-11-19")
    assert len(_person_ids(store, "Vas")) == 1


def test_ids_are_stable_as_articles_arrive(kb):
    store, add = kb
    add("Anna Petrova said that the bridge would open in May.", "a1", "2024-01-01")
    (before,) = _person_ids(store, "Petrova")
    add("Anna Petrova said that the tunnel would open in June.", "a2", "2024-02-01")
    add("Petrova said that the airport would open in July.", "a3", "2024-03-01")
    assert _person_ids(store, "Petrova") == {before}


def test_different_people_with_one_surname_stay_apart(kb):
    store, add = kb
    add("Hillary Clinton said that the plan would work.", "a1", "2016-01-01")
    add("Bill Clinton said that the plan would fail.", "a2", "2016-01-02")
    assert len(_person_ids(store, "Clinton")) == 2


def test_surname_attaches_to_the_articles_own_full_name_first(kb):
    store, add = kb
    add("Hillary Clinton spoke in Iowa.", "a1", "2016-01-01")
    add(
        "Bill Clinton spoke in Ohio. Later Clinton said that he was tired of the campaign.",
        "a2",
        "2016-01-02",
    )
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.mentions.c.text, t.entities.c.name)
            .join(t.entities, t.entities.c.id == t.mentions.c.entity_id)
            .where(t.mentions.c.article_id == "a2", t.mentions.c.text == "Clinton")
        ).all()
    assert {r.name for r in rows} == {"Bill Clinton"}


def test_organisations_resolve_across_articles(kb):
    store, add = kb
    add("The European Commission said that the rules would change.", "a1", "2020-01-01")
    add("The rules will change, the European Commission said on Friday.", "a2", "2020-02-01")
    with store.engine.connect() as conn:
        ids = {
            r.entity_id
            for r in conn.execute(
                select(t.mentions.c.entity_id).where(t.mentions.c.text.contains("European Commission"))
            )
        }
    assert len(ids) == 1


def test_same_statement_in_two_articles_is_one_quote_first_seen_earliest(kb):
    store, add = kb
    statement = "“We will never give up on the people of this city,” said Anna Petrova."
    add(statement, "later", "2024-05-02")
    add("Reporting from the rally. " + statement.replace("“", '"').replace("”", '"'), "earlier", "2024-05-01")
    with store.engine.connect() as conn:
        quotes = conn.execute(select(t.quotes)).all()
        occurrences = conn.execute(select(t.quote_occurrences.c.article_id)).all()
    assert len(quotes) == 1
    assert {o.article_id for o in occurrences} == {"later", "earlier"}
    assert str(quotes[0].first_seen) == "2024-05-01"
    assert quotes[0].first_article_id == "earlier"
