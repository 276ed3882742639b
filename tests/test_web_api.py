"""The web app through FastAPI's test client, over a real store (SQLite, and PostgreSQL where configured)
filled from the sample article: pages, JSON API, paging, hostile input, the token, the body limit."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from newsgraph import query
from newsgraph.web import api, create_app, pages

from .web_fixtures import PESKOV, PHRASE, TOKEN, table_counts

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW_ARTICLE = {
    "id": "web-new-1",
    "date": "2025-03-04",
    "title": "A new article",
    "source": "Test Wire",
    "text": 'Press Secretary Anna Example said on Tuesday that "the reform will start in May." '
    "Example spoke in Berlin.",
}


@pytest.fixture
def kb(store: Any, sample_record: dict[str, Any]) -> Any:
    from newsgraph.store.write import write_records

    assert write_records(store, [sample_record], command="web test").failed == 0
    return store


@pytest.fixture
def client(kb: Any, nlp: Any) -> Iterator[TestClient]:
    with TestClient(create_app(kb, token=TOKEN, nlp=nlp)) as test_client:
        yield test_client


@pytest.fixture
def read_only(kb: Any, nlp: Any) -> Iterator[TestClient]:
    with TestClient(create_app(kb, nlp=nlp)) as test_client:
        yield test_client


def _peskov(client: TestClient) -> str:
    found = client.get("/api/people", params={"name": "Peskov"}).json()["items"]
    assert [p["name"] for p in found] == [PESKOV]
    return found[0]["id"]


# ---------------------------------------------------------------------------- pages


def test_pages_render(client: TestClient, kb: Any, sample_record: dict[str, Any]) -> None:
    article_id = sample_record["article"]["id"]
    peskov = _peskov(client)
    quote_id = query.quotes(kb, speaker=peskov)[0].quote_id
    stats = query.stats(kb)
    home = client.get("/")
    assert home.status_code == 200
    assert f"{stats.articles:,}" in home.text and f"{stats.quotes:,}" in home.text
    assert 'name="q"' in home.text
    for path, expected in [
        (f"/search?q={PHRASE}", "a good impetus for the cooperation"),
        ("/search", "Latest quotes"),
        (f"/article/{article_id}", 'class="q sp-'),
        (f"/person/{peskov}", "Press Secretary"),
        ("/office?title=Press+Secretary", PESKOV),
        ("/office?title=Press+Secretary&on=2024-11-18", "in office"),
        (f"/quote/{quote_id}", article_id),
        ("/timeline", "2024-11-18"),
        ("/docs", "/api/quotes"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert expected in response.text, path
        # pages carry no script at all, and a policy that forbids inline script
        assert "<script" not in response.text.lower(), path
        assert "script-src 'self'" in response.headers["content-security-policy"], path


def test_person_by_name_redirects(client: TestClient) -> None:
    response = client.get("/person", params={"name": "Peskov"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/person/{_peskov(client)}"
    assert client.get("/person", params={"name": "Nobody Atall"}).status_code == 404


def test_search_facets_narrow(client: TestClient) -> None:
    everything = client.get("/api/search").json()
    speakers = everything["facets"]["speaker"]
    assert speakers and sum(f["count"] for f in speakers) <= everything["total"]
    top = speakers[0]
    narrowed = client.get("/api/search", params={"speaker": top["value"]}).json()
    assert narrowed["total"] == top["count"]
    assert {r["hit"]["speaker_id"] for r in narrowed["results"]} == {top["value"]}
    month = everything["facets"]["month"][0]["value"]
    assert client.get("/api/search", params={"month": month}).json()["total"] > 0
    page = client.get("/search", params={"speaker": top["value"]})
    assert page.status_code == 200 and top["label"] in page.text


# ---------------------------------------------------------------------------- API


def test_api_article_offsets(client: TestClient, sample_record: dict[str, Any]) -> None:
    article_id = sample_record["article"]["id"]
    view = client.get(f"/api/articles/{article_id}").json()
    text = view["text"]
    assert text == sample_record["article"]["text"]
    assert len(view["quotes"]) == len(sample_record["quotes"])
    for quote in view["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]
    for entity in view["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    for time in view["times"]:
        assert text[time["start"] : time["end"]] == time["text"]
    listed = client.get("/api/articles").json()
    assert [a["id"] for a in listed["items"]] == [article_id] and listed["more"] is False


def test_highlight_keeps_the_text(kb: Any, sample_record: dict[str, Any]) -> None:
    """The marked-up article, tags stripped and entities decoded, is the article text exactly:
    every fact is a tag around text, and nothing of the text is lost, doubled or left raw."""
    from newsgraph.web.highlight import highlight, marks

    view = query.article(kb, sample_record["article"]["id"])
    markup = str(highlight(view))
    assert html.unescape(re.sub(r"<[^>]*>", "", markup)) == view.text
    opened = len(re.findall(r"<(?:span|a) ", markup))
    assert opened == len(re.findall(r"</(?:span|a)>", markup)) >= len(marks(view))
    # crossing facts: a role's evidence that ends inside a quote is cut, never left unclosed
    view.roles[0].end = view.quotes[0].start + 3
    view.roles[0].start = view.quotes[0].start - 3
    crossed = str(highlight(view))
    assert html.unescape(re.sub(r"<[^>]*>", "", crossed)) == view.text


def test_api_matches_the_query_layer(client: TestClient, kb: Any) -> None:
    assert client.get("/api/stats").json() == query.to_jsonable(query.stats(kb))
    peskov = _peskov(client)
    person = client.get(f"/api/people/{peskov}").json()
    assert person["name"] == PESKOV
    assert any(r["title"] == "Press Secretary" for r in person["roles"])
    expected = [h.fact_key for h in query.quotes(kb, speaker=PESKOV)]
    assert person["quote_count"] == len(expected)
    assert [q["fact_key"] for q in person["quotes"]] == expected
    by_name = client.get("/api/quotes", params={"speaker": "Dmitry Peskov", "limit": 100}).json()
    assert [q["fact_key"] for q in by_name["items"]] == expected
    searched = client.get("/api/quotes", params={"search": PHRASE}).json()["items"]
    assert [q["fact_key"] for q in searched] == [
        h.fact_key for h in query.quotes(kb, search=PHRASE, limit=20)
    ]
    for words in ("visit", "the", "Kazakhstan media"):
        both = client.get("/api/quotes", params={"search": words, "speaker": PESKOV}).json()["items"]
        expected_both = query.quotes(kb, search=words, speaker=PESKOV, limit=20)
        assert [q["fact_key"] for q in both] == [h.fact_key for h in expected_both]
    who = client.get("/api/who", params={"title": "Press Secretary", "on": "2024-11-18"}).json()
    assert [h["person"] for h in who["holders"]] == [PESKOV]
    quote_id = expected and person["quotes"][0]["quote_id"]
    quote = client.get(f"/api/quotes/{quote_id}").json()
    assert quote["total"] == len(quote["occurrences"]) == 1
    timeline = client.get("/api/timeline").json()["items"]
    days = [e["day"] for e in timeline]
    assert days and days == sorted(days)


def test_paging_is_stable(client: TestClient) -> None:
    whole = client.get("/api/quotes", params={"limit": 100}).json()
    assert whole["more"] is False and len(whole["items"]) > 4
    pieces = []
    for offset in range(0, len(whole["items"]), 3):
        page = client.get("/api/quotes", params={"offset": offset, "limit": 3}).json()
        pieces.extend(page["items"])
    assert pieces == whole["items"]
    dates = [q["date"] for q in whole["items"]]
    assert dates == sorted(dates, reverse=True)


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in [
        "/api/articles/nope",
        "/api/people/Pnope",
        "/api/quotes/Qnope",
        "/article/nope",
        "/person/Pnope",
        "/quote/Qnope",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
    assert client.get("/api/quotes", params={"speaker": "Nobody Atall"}).status_code == 404


HOSTILE_SEARCHES = [
    "'; DROP TABLE quotes; --",
    '"',
    "AND OR",
    "*",
    '"unbalanced',
    "NEAR(a b",
    "title:x",
    "\x00",
    "-",
    "()",
]


def test_hostile_input_never_fails(client: TestClient, kb: Any) -> None:
    before = table_counts(kb)
    for text in HOSTILE_SEARCHES:
        for path, name in [
            ("/api/search", "q"),
            ("/search", "q"),
            ("/api/quotes", "search"),
            ("/api/quotes", "speaker"),
            ("/api/people", "name"),
            ("/person", "name"),
            ("/office", "title"),
            ("/api/who", "title"),
            ("/api/search", "source"),
        ]:
            response = client.get(path, params={name: text})
            assert response.status_code < 500, (path, name, text)
            assert response.status_code in (200, 400, 404, 409, 422), (path, name, text, response.status_code)
        if "\x00" not in text:
            assert client.get("/api/search", params={"q": text}).json()["results"] == []
        rejected = client.post("/api/curate/reject", json={"fact_key": text, "reason": text}, headers=AUTH)
        assert rejected.status_code in (400, 422), (text, rejected.status_code)
    assert table_counts(kb) == before


@pytest.mark.parametrize(
    "path",
    [
        "/search?page=100000000000000000000000",
        "/search?page=-1",
        "/api/quotes?offset=100000000000000000000",
        "/api/quotes?limit=1000000",
        "/api/articles?offset=99999999",
        "/api/timeline?limit=0",
        "/timeline?page=501",
        "/api/quotes?since=2024-13-45",
        "/api/who?title=President&on=yesterday",
        "/api/search?month=2024-1",
        "/timeline?from=not-a-date",
        "/search?q=" + "x" * 600,
    ],
)
def test_bad_parameters_are_4xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422, (path, response.status_code)


def test_deep_pages_are_empty(client: TestClient) -> None:
    assert client.get("/api/quotes", params={"offset": 10_000}).json()["items"] == []
    assert client.get("/api/search", params={"q": PHRASE, "offset": 10_000}).json()["results"] == []
    response = client.get(f"/person/{_peskov(client)}", params={"page": 500})
    assert response.status_code == 200 and "No quotes on this page" in response.text
    assert client.get("/search", params={"page": 500}).status_code == 200


# ---------------------------------------------------------------------------- writing


def test_read_only_without_a_token(read_only: TestClient, kb: Any) -> None:
    before = table_counts(kb)
    assert read_only.post("/api/articles", json=NEW_ARTICLE, headers=AUTH).status_code == 403
    body = {"fact_key": "role:x", "reason": "test"}
    assert read_only.post("/api/curate/reject", json=body, headers=AUTH).status_code == 403
    peskov = _peskov(read_only)
    form = {"fact_key": "role:x", "reason": "r", "token": TOKEN}
    assert read_only.post(f"/person/{peskov}/reject", data=form).status_code == 403
    assert "Curation" not in read_only.get(f"/person/{peskov}").text
    assert table_counts(kb) == before


def test_ingest_needs_the_token(client: TestClient, kb: Any, nlp: Any) -> None:
    before = table_counts(kb)
    assert client.post("/api/articles", json=NEW_ARTICLE).status_code == 401
    assert (
        client.post("/api/articles", json=NEW_ARTICLE, headers={"Authorization": "Bearer wrong"}).status_code
        == 401
    )
    assert table_counts(kb) == before
    created = client.post("/api/articles", json=NEW_ARTICLE, headers={"X-Newsgraph-Token": TOKEN})
    assert created.status_code == 201, created.text
    assert created.json()["outcome"] == "added"
    assert created.json()["quotes"] == len(_extracted(nlp)["quotes"]) > 0
    assert client.post("/api/articles", json=NEW_ARTICLE, headers=AUTH).json()["outcome"] == "skipped"
    page = client.get("/article/web-new-1")
    assert page.status_code == 200 and "the reform will start in May." in page.text
    assert client.get("/api/stats").json()["articles"] == before["articles"] + 1
    bad = {**NEW_ARTICLE, "date": "03/04/2025"}
    assert client.post("/api/articles", json=bad, headers=AUTH).status_code == 422
    assert client.post("/api/articles", json={"text": ""}, headers=AUTH).status_code == 422


def _extracted(nlp: Any) -> dict[str, Any]:
    from newsgraph.article import Article
    from newsgraph.extract import extract

    return json.loads(json.dumps(extract(Article(**NEW_ARTICLE), nlp)))


def test_extract_stores_nothing(client: TestClient, kb: Any, nlp: Any) -> None:
    before = table_counts(kb)
    record = client.post("/api/extract", json=NEW_ARTICLE).json()
    assert record["schema"] == "newsgraph.article/1"
    assert record["quotes"]
    assert record == _extracted(nlp)
    assert table_counts(kb) == before


def test_body_limit(kb: Any, nlp: Any) -> None:
    with TestClient(create_app(kb, token=TOKEN, nlp=nlp, max_body=4096)) as small:
        big = {**NEW_ARTICLE, "text": "word " * 2000}
        assert small.post("/api/extract", json=big).status_code == 413
        assert small.post("/api/articles", json=big, headers=AUTH).status_code == 413

        def chunks() -> Iterator[bytes]:
            # no Content-Length: the limit is met while the body streams in
            yield b'{"text": "'
            for _ in range(100):
                yield b"x" * 100
            yield b'"}'

        streamed = small.post("/api/extract", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert small.get("/api/stats").status_code == 200


def test_curation(client: TestClient, kb: Any) -> None:
    peskov = _peskov(client)
    fact = client.get(f"/api/people/{peskov}").json()["quotes"][0]["fact_key"]
    form = {"fact_key": fact, "reason": "misattributed", "token": "wrong"}
    assert client.post(f"/person/{peskov}/reject", data=form).status_code == 401
    form["token"] = TOKEN
    done = client.post(f"/person/{peskov}/reject", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/person/{peskov}?done=")
    after = client.get(f"/api/people/{peskov}").json()
    assert fact not in [q["fact_key"] for q in after["quotes"]]
    again = client.post("/api/curate/reject", json={"fact_key": fact, "reason": "again"}, headers=AUTH)
    assert again.status_code == 400
    karin = client.get("/api/people", params={"name": "Erlan Karin"}).json()["items"][0]["id"]
    merged = client.post("/api/curate/merge", json={"a": karin, "b": peskov, "reason": "test"}, headers=AUTH)
    assert merged.status_code == 201 and merged.json()["target"] == peskov
    assert client.get(f"/person/{karin}", follow_redirects=False).headers["location"] == f"/person/{peskov}"


# ---------------------------------------------------------------------------- docs


def test_docs_cover_every_endpoint(client: TestClient) -> None:
    docs = client.get("/docs").text
    schema = client.get("/openapi.json").json()
    routes = [r for r in [*api.router.routes, *pages.router.routes] if isinstance(r, APIRoute)]
    assert len(routes) > 20
    for route in routes:
        for method in route.methods:
            assert f"{method} {route.path_format}" in docs, route.path
        assert route.path_format in schema["paths"]


# ---------------------------------------------------------------------------- hostile bodies, HEAD


def test_head_is_answered_wherever_get_is(client: TestClient, sample_record: dict[str, Any]) -> None:
    for path in [
        "/",
        "/search?q=impetus",
        f"/article/{sample_record['article']['id']}",
        "/api/stats",
        "/docs",
    ]:
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"", path
        assert head.headers["content-length"] == got.headers["content-length"], path
        assert head.headers["content-type"] == got.headers["content-type"], path
    assert client.head("/api/articles/nope").status_code == 404
    assert client.head("/api/extract").status_code == 405


def test_422_shows_only_an_excerpt(client: TestClient) -> None:
    huge = {"text": "x" * 1000, "date": "d" * 1_000_000}
    answer = client.post("/api/extract", json=huge)
    assert answer.status_code == 422
    assert len(answer.content) < 2000, len(answer.content)
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["body", "date"] and error["input"].startswith("'ddd")
    nested: Any = "x"
    for _ in range(500):
        nested = [nested]
    deep = client.post("/api/extract", json={"text": nested})
    assert deep.status_code == 422 and len(deep.content) < 2000
    page = client.get("/search", params={"page": "9" * 5000})
    assert page.status_code == 422 and "9" * 200 not in page.text


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "a\\ud800b"}',  # a lone surrogate: valid JSON, not valid Unicode
        '{"text": "fine", "title": "\\udfff"}',
        '{"text": "\\ud800"}',
        '{"text": "a\\u0000b"}',
        '{"\\ud800": "\\ud800"}',  # echoed in the 422 as the input
        '{"text": "fine", "id": "\\u0000"}',
    ],
)
def test_surrogates_and_nul_are_4xx(client: TestClient, kb: Any, body: str) -> None:
    before = table_counts(kb)
    headers = {"Content-Type": "application/json", **AUTH}
    for path in ["/api/extract", "/api/articles", "/api/curate/reject"]:
        answer = client.post(path, content=body.encode(), headers=headers)
        assert 400 <= answer.status_code < 500, (path, answer.status_code, answer.text)
        answer.json()  # a JSON body, encodable
    assert table_counts(kb) == before


@pytest.mark.parametrize(
    ("article_id", "accepted"),
    [
        ("../../etc/passwd", False),
        ("/etc/passwd", False),
        ("a/../b", False),
        ("a//b", False),
        ("..", False),
        ("a\x00b", False),
        ("a\x1bb", False),
        ("a\\..\\b", False),
        ("news/2025/one", True),
        ("a b?c#d%e", True),
    ],
)
def test_article_ids_are_names_and_urls_are_encoded(
    client: TestClient, article_id: str, accepted: bool
) -> None:
    answer = client.post("/api/articles", json={**NEW_ARTICLE, "id": article_id}, headers=AUTH)
    if not accepted:
        assert answer.status_code == 422, answer.text
        return
    assert answer.status_code == 201, answer.text
    url = answer.json()["url"]
    assert " " not in url and "?" not in url and "#" not in url
    assert client.get(url).status_code == 200
    assert client.get("/api/articles/" + url.removeprefix("/article/")).json()["id"] == article_id
