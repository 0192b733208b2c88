"""The site in a real browser: Debian's Chromium driven by Playwright over HTTP.

A fresh build is served under ``/repo/`` on 127.0.0.1. For the home page, an
official's page, an event page and a source page: no console error, no failed
or outside request, right-to-left direction, nothing scrolls sideways at 360 px,
axe-core finds no serious or critical violation, and every text passes WCAG AA
contrast by our own check (axe skips Arabic text, taking it for an icon font).
On the home page the keyboard reaches every event link, each with a visible
focus ring. Screenshots go to ``test-artifacts/browser/``.

Playwright cannot download its own browser here; it drives the system Chromium
through ``executable_path`` (``apt-get install chromium``, or ``CHROMIUM=…``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from sitehttp import serve
from tools import AXE_JS, ROOT, chromium, node_module, require

from generator.cli import main

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

ARTIFACTS = ROOT / "test-artifacts" / "browser"
JS = Path(__file__).resolve().parent / "js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (1280, 360)


def script(name: str) -> str:
    """A function from tests/js/, without its leading comment (Playwright wants a function)."""
    lines = (JS / f"{name}.js").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("//"))


@dataclass(frozen=True)
class Site:
    url: str
    pages: dict[str, str]  # name -> path under the site
    events: int  # how many events the timeline shows


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("served")
    folder = root / "repo"
    args = ["build", "--content", str(ROOT / "content"), "--output", str(folder)]
    assert main([*args, "--base-url", "/repo/", "--quiet"]) == 0
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))["events"]
    event = next(e for e in events if e["officials"] and e["sources"])
    pages = {
        "index": "",
        "official": f"officials/{event['officials'][0]}/",
        "event": f"events/{event['id']}/",
        "source": f"sources/{event['sources'][0]['article']}/",
    }
    with serve(root, folder) as url:
        yield Site(url, pages, len(events))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright, "the playwright package is missing (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """What the browser reported while loading one page."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def open_page(browser: Browser, url: str, width: int, site_url: str):
    """A fresh page at ``width`` px, watching the console and the network."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ar")
    page = context.new_page()
    visit = Visit()
    page.on(
        "console",
        lambda m: visit.console_errors.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url}: {r.failure}"))
    page.on(
        "response",
        lambda r: visit.failed.append(f"{r.url}: {r.status}") if r.status >= 400 else None,
    )

    def only_this_site(route: Route) -> None:
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            visit.failed.append(f"{route.request.url}: a request outside the site")
            route.abort()

    page.route("**/*", only_this_site)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    page.evaluate("document.fonts.ready")
    return context, page, visit


SIDEWAYS_JS = script("sideways")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["index", "official", "event", "source"])
def test_page_renders_cleanly(browser: Browser, site: Site, name: str, width: int) -> None:
    context, page, visit = open_page(browser, site.url + site.pages[name], width, site.url)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert visit.console_errors == []
        assert visit.failed == []
        direction = page.evaluate(
            "[document.documentElement, document.body].map(e => getComputedStyle(e).direction)"
        )
        assert direction == ["rtl", "rtl"]
        assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
        layout = page.evaluate(SIDEWAYS_JS)
        assert layout["scrollWidth"] <= layout["clientWidth"], layout
        assert layout["wide"] == [], layout
        assert page.evaluate("document.querySelector('link[rel=stylesheet]').sheet !== null")
    finally:
        context.close()


FOCUS_JS = script("focus")


def test_keyboard_reaches_every_event_link_with_a_visible_focus(
    browser: Browser, site: Site
) -> None:
    context, page, _ = open_page(browser, site.url, 1280, site.url)
    try:
        event_links = page.eval_on_selector_all(
            "a[href*='events/']", "els => els.map(e => e.getAttribute('href'))"
        )
        event_links = sorted({h for h in event_links if "/events/" in h or h.startswith("events/")})
        assert len(event_links) == site.events
        focusable = page.eval_on_selector_all(
            "a[href], button, input, select, textarea", "els => els.length"
        )
        reached: dict[str, dict[str, bool]] = {}
        for _ in range(focusable + 5):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_JS)
            if state["href"] == event_links[0] and state["href"] not in reached:
                page.screenshot(path=str(ARTIFACTS / "index-keyboard-focus.png"))
            if state["href"]:
                reached.setdefault(state["href"], state)
        missing = [h for h in event_links if h not in reached]
        assert not missing, f"Tab never reaches {missing}"
        invisible = [h for h in event_links if not (reached[h]["outline"] or reached[h]["shadow"])]
        assert not invisible, f"no visible focus indicator on {invisible}"
    finally:
        context.close()


@pytest.mark.parametrize("name", ["index", "official", "event", "source"])
def test_axe_finds_no_serious_violation(browser: Browser, site: Site, name: str) -> None:
    axe = node_module(AXE_JS)
    context, page, _ = open_page(browser, site.url + site.pages[name], 1280, site.url)
    try:
        page.add_script_tag(path=str(axe))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, "\n".join(serious)
        assert results["testEngine"]["name"] == "axe-core"
    finally:
        context.close()


@pytest.mark.parametrize(("path", "direction"), [("search/", "rtl"), ("en/search/", "ltr")])
@pytest.mark.parametrize("width", WIDTHS)
def test_search_results_are_accessible(
    browser: Browser, site: Site, path: str, direction: str, width: int
) -> None:
    """The search page with results shown (from a ?q= link): axe, contrast, layout, focus."""
    axe = node_module(AXE_JS)
    url = site.url + path + "?q=" + quote("لافروف")
    context, page, visit = open_page(browser, url, width, site.url)
    try:
        page.locator(".search-result-link").first.wait_for(timeout=15_000)
        assert page.input_value("input[name=q]") == "لافروف"
        assert page.locator(".search-result-link").count() >= 2
        assert page.get_attribute("#search-results", "aria-live") == "polite"
        page.screenshot(path=str(ARTIFACTS / f"search-{direction}-{width}.png"), full_page=True)
        assert page.evaluate("getComputedStyle(document.body).direction") == direction
        layout = page.evaluate(SIDEWAYS_JS)
        assert layout["scrollWidth"] <= layout["clientWidth"], layout
        page.add_script_tag(path=str(axe))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
        contrast = page.evaluate(CONTRAST_JS)
        assert contrast["failures"] == [], contrast["failures"]
        page.focus("input[name=q]")
        focus = page.evaluate(FOCUS_JS)
        assert focus["outline"] or focus["shadow"]
        assert visit.console_errors == [] and visit.failed == []
    finally:
        context.close()


#: WCAG 2.x AA contrast of every element that holds text, against the
#: background actually behind it (ancestors' colours composited).
CONTRAST_JS = script("contrast")


@pytest.mark.parametrize("name", ["index", "official", "event", "source"])
def test_every_text_meets_wcag_aa_contrast(browser: Browser, site: Site, name: str) -> None:
    context, page, _ = open_page(browser, site.url + site.pages[name], 1280, site.url)
    try:
        result = page.evaluate(CONTRAST_JS)
        assert result["checked"] > 10
        assert result["failures"] == [], json.dumps(
            result["failures"], ensure_ascii=False, indent=1
        )
    finally:
        context.close()


def test_the_contrast_check_catches_low_contrast(browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.set_content(
            '<html dir="rtl"><body style="background:#fff">'
            '<p style="color:#999">نص باهت</p><p style="color:#767676">نص مقروء</p>'
            '<h1 style="color:#949494;font-size:32px">عنوان كبير</h1>'
            '<div style="background:rgba(0,0,0,.8)"><p style="color:#555">على خلفية داكنة</p></div>'
            "</body></html>"
        )
        failures = page.evaluate(CONTRAST_JS)["failures"]
        assert sorted(f["text"] for f in failures) == ["على خلفية داكنة", "نص باهت"]
    finally:
        page.close()


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/fixtures/injection/ built and served: every text carries a payload."""
    root = tmp_path_factory.mktemp("payloads")
    folder = root / "repo"
    args = ["--content", str(ROOT / "tests" / "fixtures" / "injection"), "--output", str(folder)]
    assert main(["build", *args, "--base-url", "/repo/", "--quiet", "--no-cache"]) == 0
    with serve(root, folder) as url:
        yield url


SCRIPTED = ", ".join(
    f"#search-results {tag}" for tag in ("img", "script", "iframe", "svg", "[onerror]")
)


def test_payloads_stay_text_in_pages_and_search_results(
    browser: Browser, payload_site: str
) -> None:
    """In the browser: no payload opens a dialog or becomes an element, search included."""
    context, page, visit = open_page(browser, payload_site, 1280, payload_site)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        pages = sorted({u.split("#")[0] for u in links if u.startswith(payload_site)})
        for url in [u for u in pages if not u.endswith((".json", ".xml", ".ics", ".csv"))]:
            page.goto(url, wait_until="load")
            assert (
                page.evaluate("document.querySelectorAll('img, iframe, svg *[onload]').length") == 0
            )
        page.goto(payload_site + "search/", wait_until="load")
        page.fill("input[name=q]", "alert")
        page.locator(".search-result-link").first.wait_for(timeout=15_000)
        page.wait_for_timeout(500)
        assert page.locator(".search-result-link").count() >= 2
        assert page.evaluate(f"document.querySelectorAll({SCRIPTED!r}).length") == 0
        assert '<script>alert("x05")</script>' in page.inner_text("#search-results")
        assert dialogs == []
        assert visit.console_errors == []
        # Going from page to page cancels loads in flight (the icon): not a failure.
        assert [f for f in visit.failed if not f.endswith("net::ERR_ABORTED")] == []
    finally:
        context.close()
