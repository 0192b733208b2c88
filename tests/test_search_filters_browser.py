"""Search and timeline filters in a real browser (Debian's Chromium via Playwright), over HTTP.

The site is built for ``/repo/`` and served on 127.0.0.1 as GitHub Pages would
(``tests/sitehttp.py``; Chromium and Playwright found by ``tests/tools.py``).
Searching an Arabic word finds the event whose sentence holds it; the timeline's
filters show only matching events and keep the choice in the address; with
JavaScript off the timeline lists every event. No page logs a console error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitehttp import serve
from tools import chromium, require

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: Result links are relative to the search page; the paths the browser resolves them to.
HREFS = "links => links.map(a => a.href)"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("browser")
    folder = root / "repo"
    args = ["build", "--content", str(ROOT / "content"), "--output", str(folder)]
    assert main([*args, "--base-url", "/repo/", "--quiet"]) == 0
    with serve(root, folder) as url:
        yield url, folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright, "the playwright package is missing (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context()
    page = context.new_page()
    page.errors = []  # console errors and uncaught exceptions
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status} {r.url}"))
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_searching_an_arabic_word_finds_its_event(site, page) -> None:
    url, folder = site
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))["events"]
    # the one event whose sentence holds the word; its id follows the extraction
    [event] = [e for e in events if any("تطبيع" in s["sentence"] for s in e["sources"])]
    href = f"/repo/events/{event['id']}/"
    page.goto(url + "search/")
    page.fill("input[name=q]", "تطبيع")
    results = page.locator(".search-result-link")
    results.first.wait_for()
    hrefs = [urlsplit(h).path for h in results.evaluate_all(HREFS)]
    assert href in hrefs
    assert not [h for h in hrefs if "/events/" in h and h != href]
    page.goto(url + href.removeprefix("/repo/"))
    assert event["title"]["ar"] in page.inner_text("h1")
    assert page.errors == []


def test_english_search_uses_the_english_index(site, page) -> None:
    url, _ = site
    page.goto(url + "en/search/")
    page.fill("input[name=q]", "Slutsky")
    results = page.locator(".search-result-link")
    results.first.wait_for()
    hrefs = [urlsplit(h).path for h in results.evaluate_all(HREFS)]
    assert "/repo/en/officials/leonid-slutsky/" in hrefs
    assert all(h.startswith("/repo/en/") for h in hrefs)
    assert "q=Slutsky" in page.url  # the address keeps the query, to share it
    page.fill("input[name=q]", "Slutsky nowhereword")
    page.wait_for_function(
        "document.querySelector('#search-status').textContent.includes('Nothing')"
    )
    assert page.inner_text("#search-status") == "Nothing matches this search."
    assert results.count() == 0
    assert page.errors == []


def test_filters_show_only_matching_events(site, page) -> None:
    url, folder = site
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))["events"]
    page.goto(url)
    assert page.is_visible("#filters")
    page.select_option("select[name=official]", "juma-inad")
    visible = page.locator(".timeline .event:visible")
    wanted = [e["id"] for e in events if "juma-inad" in e["officials"]]
    assert sorted(visible.evaluate_all("els => els.map(e => e.id)")) == sorted(wanted)
    assert "official=juma-inad" in page.url
    page.select_option("select[name=status]", "planned")
    both = [e["id"] for e in events if "juma-inad" in e["officials"] and e["status"] == "planned"]
    assert sorted(visible.evaluate_all("els => els.map(e => e.id)")) == sorted(both)
    # A shared address restores the same view.
    page.goto(url + "?country=RU")
    ru = page.locator(".timeline .event:visible").evaluate_all("els => els.map(e => e.id)")
    russians = {"sergey-lavrov", "leonid-slutsky", "yury-borisov", "maxim-maximov"}
    assert ru == [e["id"] for e in events if russians & set(e["officials"])]
    assert page.errors == []


def test_without_javascript_the_timeline_is_complete(site, browser) -> None:
    url, folder = site
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))["events"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "?official=juma-inad")
    assert not page.is_visible("#filters")  # a form that could not work is not offered
    assert page.locator(".timeline .event:visible").count() == len(events)
    context.close()


#: An event page of the committed site (ids follow the extraction).
AN_EVENT = json.loads((ROOT / "site/events.json").read_text(encoding="utf-8"))["events"][0]["id"]


@pytest.mark.parametrize("path", ["", "en/", "search/", f"events/{AN_EVENT}/", "404.html"])
def test_pages_log_no_console_errors(site, page, path: str) -> None:
    url, _ = site
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    assert page.errors == []


def test_preview_reloads_the_browser_after_an_edit(
    browser, content_copy: Path, tmp_path: Path
) -> None:
    import threading as th

    import watchfiles

    from generator import serve
    from generator.config import load_config

    url = ""
    state = serve.Preview(
        lambda: load_config(content_copy, tmp_path / "p", url, quiet=True, cache=tmp_path / "c"),
        out=open(os.devnull, "w"),  # noqa: SIM115 - lives as long as the test
    )
    server = serve.make_server(state, tmp_path / "p", "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    assert state.rebuild()
    stop = th.Event()
    changes = watchfiles.watch(content_copy, stop_event=stop, debounce=100, raise_interrupt=False)
    threads = [
        th.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True),
        th.Thread(target=serve.watch_loop, args=(state, changes, state.out), daemon=True),
    ]
    for thread in threads:
        thread.start()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url + "sources/")
        page.wait_for_timeout(1500)  # the page has read the current build's version
        article = content_copy / "articles" / "elaph-2020-11-26.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace('title: "', 'title: "عنوان جديد: ', 1), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('عنوان جديد')", timeout=20_000)
        article.write_text(text.replace("date: 2020-11-26", "date: soon", 1), encoding="utf-8")
        page.wait_for_selector("#preview-error", timeout=20_000)
        assert "date: expected" in page.inner_text("#preview-error")
        assert "عنوان جديد" in page.inner_text("main")  # still the last good site
    finally:
        context.close()
        stop.set()
        server.shutdown()
        server.server_close()
        state.out.close()
