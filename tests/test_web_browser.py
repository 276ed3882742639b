"""End-to-end: the real server (uvicorn) over a SQLite store of the sample, driven in headless Chromium.

Screenshots go to tests/screenshots/ (ignored by git). The module skips when
Debian's `chromium` (or the `playwright` package) is missing.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsgraph import query
from newsgraph.web import create_app

from .conftest import ROOT
from .web_fixtures import PESKOV, PHRASE, TOKEN, Server, run_server, sample_store

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
if CHROMIUM is None:
    pytest.skip("no chromium binary (Debian: apt-get install chromium)", allow_module_level=True)

SHOTS = ROOT / "tests" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory, sample_record: dict[str, Any]) -> Iterator[Any]:
    store = sample_store(tmp_path_factory.mktemp("web") / "web.db", [sample_record])
    yield store
    store.close()


@pytest.fixture(scope="module")
def server(kb: Any, nlp: Any) -> Iterator[Server]:
    yield from run_server(create_app(kb, token=TOKEN, nlp=nlp))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with its dialogs and script errors recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


def test_search_article_person(server: Server, watched: Watched, kb: Any) -> None:
    page = watched.page
    page.goto(server.url + "/")
    assert page.title().startswith("Home")
    watched.shot("home")

    page.fill(".bigsearch input[name=q]", PHRASE)
    page.press(".bigsearch input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    first = page.locator(".results .quote-row").first
    assert PHRASE in first.locator("blockquote").inner_text().lower()
    watched.shot("search")

    first.locator("a.source").click()
    page.wait_for_url(re.compile(r"/article/"))
    quotes = page.locator("article.text .q")
    stored_quotes = len(query.quotes(kb))
    assert stored_quotes > 0
    # a quote cut by a role or mention may come in several pieces, never fewer than the quotes
    assert quotes.count() >= stored_quotes
    assert page.locator("article.text .q[data-quote]").count() == quotes.count()
    assert page.locator("article.text .cue").count() > 0
    assert page.locator("article.text .tx").count() > 0
    assert page.locator("article.text .role").count() > 0
    assert page.locator(".facts .fact-quote").count() == stored_quotes
    peskov_links = page.locator(f'article.text a.ent-person[title="{PESKOV}"]')
    assert peskov_links.count() > 0
    assert all(
        href.startswith("/person/P")
        for href in peskov_links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    )
    # a quote of Peskov's is coloured, with its speaker on it
    peskov_id = peskov_links.first.get_attribute("href").rsplit("/", 1)[-1]
    assert page.locator(f'article.text .q[data-speaker="{peskov_id}"]').count() > 0
    watched.shot("article")

    peskov_links.first.click()
    page.wait_for_url(re.compile(rf"/person/{peskov_id}$"))
    assert page.locator("h1").inner_text() == PESKOV
    roles = page.locator("table.roles tbody").inner_text()
    assert "Press Secretary" in roles
    assert page.locator("svg.chart .bar rect").count() > 0
    his_quotes = query.quotes(kb, speaker=peskov_id)
    assert len(his_quotes) > 0
    assert page.locator("ul.quotes .quote-row").count() == len(his_quotes)
    shown = page.locator("ul.quotes .quote-row blockquote").all_inner_texts()
    assert sorted(shown) == sorted(hit.text for hit in his_quotes)
    watched.shot("person")

    page.locator("table.roles a", has_text="Press Secretary").first.click()
    page.wait_for_url(re.compile(r"/office\?title="))
    assert PESKOV in page.locator("table.holders").inner_text()
    watched.shot("office")
    page.goto(server.url + "/timeline")
    assert page.locator("ol.timeline li").count() > 0
    watched.shot("timeline")
    page.goto(server.url + f"/quote/{his_quotes[0].quote_id}")
    assert page.locator("blockquote.big").inner_text() == his_quotes[0].text
    watched.shot("quote")
    page.goto(server.url + "/docs")
    assert page.locator("section.endpoint").count() > 20
    watched.shot("docs")
    assert watched.errors == [] and watched.dialogs == []


HOSTILE = (
    "Acme spokesman John Hostile said on Monday that "
    '"the <script>window.__pwned=1</script> rollout plan is safe <img src=x onerror="window.__pwned=2"> for everyone." '
    "Hostile spoke in Paris."
)


def test_script_in_an_article_never_runs(server: Server, watched: Watched) -> None:
    response = httpx.post(
        server.url + "/api/articles",
        json={
            "id": "hostile-1",
            "date": "2025-02-03",
            "title": "<script>window.__pwned=3</script>",
            "text": HOSTILE,
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert response.status_code == 201, response.text
    page = watched.page
    visited = page.goto(server.url + "/article/hostile-1")
    assert "script-src 'self'" in visited.headers["content-security-policy"]
    text = page.locator("article.text").inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert page.locator("h1").inner_text() == "<script>window.__pwned=3</script>"
    assert page.locator("article.text img, article.text script").count() == 0
    watched.shot("xss-article")
    page.goto(server.url + "/search?q=rollout+plan")
    assert page.locator(".results .quote-row").count() > 0
    assert "<script>window.__pwned=1</script>" in page.locator(".results").inner_text()
    assert page.locator("main img, main script").count() == 0
    watched.shot("xss-search")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watched.dialogs == [] and watched.errors == []
