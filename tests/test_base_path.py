"""A project site lives under /<repo>/: every link, asset, feed and the 404 page must work there.

The site is built for ``http://127.0.0.1:<port>/repo/`` and served from a folder
``repo`` the way GitHub Pages serves a project site (a missing path answers 404
with the site's ``404.html``); then every page is crawled and every link,
stylesheet and feed entry is fetched.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from sitehttp import serve

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name in ("href", "src") or (tag == "blockquote" and name == "cite")):
                self.urls.append(value)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for the address it is then served at (``sitehttp``, as Pages would)."""
    root = tmp_path_factory.mktemp("pages")
    with serve(root, root / "repo") as base:
        args = ["build", "--content", str(ROOT / "content"), "--output", str(root / "repo")]
        assert main([*args, "--base-url", base, "--quiet"]) == 0
        yield base


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_content_type()


def links_of(page_url: str, body: bytes) -> list[str]:
    parser = Links()
    parser.feed(body.decode("utf-8"))
    return [urldefrag(urljoin(page_url, u))[0] for u in parser.urls if not u.startswith("#")]


def test_every_link_and_asset_resolves_under_the_base_path(served: str) -> None:
    seen: set[str] = set()
    queue = [served]
    origin = urlsplit(served).netloc
    broken: list[str] = []
    while queue and len(seen) < 500:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, kind = fetch(url)
        if status != 200:
            broken.append(f"{url}: {status}")
            continue
        if kind == "text/html":
            for link in links_of(url, body):
                if urlsplit(link).netloc != origin:
                    continue  # outside links (the articles' own sites) are not ours
                assert urlsplit(link).path.startswith("/repo/"), (
                    f"{url} links outside the base: {link}"
                )
                queue.append(link)
    assert not broken, broken
    for wanted in ("static/style.css", "feed.xml", "events.ics", "events.json", "about/"):
        assert served + wanted in seen, wanted
    assert len([u for u in seen if "/events/" in u]) >= 11


def test_feed_and_sitemap_urls_resolve(served: str) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    status, body, _ = fetch(served + "feed.xml")
    assert status == 200
    feed = ET.fromstring(body)
    urls = [link.get("href") for link in feed.iter(f"{atom}link")]
    status, body, _ = fetch(served + "sitemap.xml")
    assert status == 200
    urls += [
        loc.text
        for loc in ET.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert len(urls) > 20
    for url in urls:
        assert url.startswith(served), url
        assert fetch(url)[0] == 200, url


@pytest.mark.parametrize("missing", ["nothing-here", "events/no-such-event/", "a/b/c/d.html"])
def test_404_page_works_at_any_depth(served: str, missing: str) -> None:
    status, body, _ = fetch(served + missing)
    assert status == 404
    assert "الصفحة غير موجودة" in body.decode("utf-8")
    links = links_of(served + missing, body)
    assert served + "static/style.css" in links
    for link in links:
        if link.startswith(served):
            assert fetch(link)[0] == 200, link


def test_pages_workflow_builds_for_the_url_pages_reports() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    build_steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in build_steps]
    order = ["actions/configure-pages", "actions/upload-pages-artifact"]
    assert [u for u in uses if u in order] == order
    configure = next(
        s for s in build_steps if s.get("uses", "").startswith("actions/configure-pages")
    )
    run = next(s["run"] for s in build_steps if "run" in s and "build" in s["run"])
    assert f"steps.{configure['id']}.outputs.base_url" in run and "--base-url" in run
    assert uses.index("actions/configure-pages") < next(
        i for i, s in enumerate(build_steps) if "run" in s and "--base-url" in s["run"]
    )
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
