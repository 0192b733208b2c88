"""A link checker for the built site: every internal ``href``/``src`` resolves,
``#fragments`` included.

It crawls from the home page and the 404 page (as served at a missing, deep
URL), following every link that stays on the site, and reports each link whose
target is missing or whose fragment names no ``id`` on the target page. The
same crawl runs over a folder on disk (``DiskSite``) or over HTTP
(``HttpSite``), so a site can be checked as built and as served under a base
path such as ``/repo/``.

Run it by hand on a build::

    python3 tests/linkcheck.py site --base-url https://example.github.io/timeline/
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

#: Attributes whose value is a URL the reader's browser loads or follows.
URL_ATTRIBUTES = {"href", "src", "cite", "action", "poster", "data"}

#: A fetcher answers (status, content type, body) for an absolute URL on the site.
Fetch = Callable[[str], tuple[int, str, bytes]]


@dataclass
class Page(HTMLParser):
    """The links and the fragment targets (``id``, ``<a name>``) of one page."""

    links: list[str] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.anchors.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.anchors.add(values["name"] or "")
        if tag == "link" and (values.get("rel") or "") in ("preconnect", "dns-prefetch"):
            return
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                self.links.append(value.strip())
            elif name == "srcset" and value:
                self.links += [part.strip().split(" ")[0] for part in value.split(",")]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def parse(body: bytes) -> Page:
    page = Page()
    page.feed(body.decode("utf-8"))
    page.close()
    return page


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)


def crawl(site_url: str, fetch: Fetch, start: list[str]) -> Report:
    """Follow every link under ``site_url`` from the ``start`` URLs; check each one."""
    report = Report()
    parsed: dict[str, Page | None] = {}
    statuses: dict[str, int] = {}

    def load(url: str) -> Page | None:
        if url not in parsed:
            status, kind, body = fetch(url)
            statuses[url] = status
            parsed[url] = parse(body) if kind == "text/html" and status in (200, 404) else None
        return parsed[url]

    queue = list(start)
    seen = set(queue)
    while queue:
        url = queue.pop(0)
        page = load(url)
        expected = 404 if url in start[1:] else 200
        if statuses[url] != expected:
            report.broken.append(f"{url}: status {statuses[url]}, expected {expected}")
        if page is None:
            continue
        report.pages += 1
        for link in page.links:
            report.links += 1
            problem = check_link(url, link, site_url, page, load, statuses)
            if problem:
                report.broken.append(f"{url}: {link} -> {problem}")
                continue
            target = urldefrag(urljoin(url, link))[0]
            if target.startswith(site_url) and target not in seen:
                seen.add(target)
                queue.append(target)
    return report


def check_link(
    page_url: str,
    link: str,
    site_url: str,
    page: Page,
    load: Callable[[str], Page | None],
    statuses: dict[str, int],
) -> str | None:
    """Why ``link`` on ``page_url`` is broken, or None when it resolves."""
    if link.startswith(("mailto:", "tel:")):
        return None
    absolute = urljoin(page_url, link)
    target, fragment = urldefrag(absolute)
    parts = urlsplit(target)
    site = urlsplit(site_url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not a link a reader can follow"
    if parts.netloc != site.netloc:
        return None  # outside the site: the articles' own pages are not ours to check
    if not parts.path.startswith(site.path):
        return f"leaves the site's base path {site.path}"
    if target == urldefrag(page_url)[0]:
        anchors = page.anchors
    else:
        target_page = load(target)
        if statuses[target] != 200:
            return f"status {statuses[target]}"
        if not fragment:
            return None
        if target_page is None:
            return "a fragment on a page that is not HTML"
        anchors = target_page.anchors
    if fragment and unquote(fragment) not in anchors:
        return f"no id={unquote(fragment)!r} on the target page"
    return None


@dataclass(frozen=True)
class DiskSite:
    """A built folder, answering as a static server would at ``site_url``."""

    folder: Path
    site_url: str

    def fetch(self, url: str) -> tuple[int, str, bytes]:
        path = unquote(urlsplit(url).path)
        base = urlsplit(self.site_url).path
        relative = path[len(base) :] if path.startswith(base) else None
        file = None if relative is None else self.folder / relative
        if file is not None and file.is_dir():
            file = file / "index.html" if path.endswith("/") else None  # a server would redirect
        if file is None or not file.is_file() or ".." in Path(relative or "").parts:
            return 404, "text/html", (self.folder / "404.html").read_bytes()
        kind = "text/html" if file.suffix == ".html" else "application/octet-stream"
        return 200, kind, file.read_bytes()


def http_fetch(url: str) -> tuple[int, str, bytes]:
    """Fetch over HTTP; a 4xx/5xx still answers with its body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def check(site_url: str, fetch: Fetch) -> Report:
    """The whole site, from its home page and from the 404 page at a deep URL."""
    return crawl(site_url, fetch, [site_url, site_url + "no/such/page/at/depth"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a built site, e.g. site")
    parser.add_argument("--base-url", required=True, help="the URL the site was built for")
    args = parser.parse_args(argv)
    site_url = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
    if not urlsplit(site_url).scheme:
        site_url = "http://localhost" + site_url
    report = check(site_url, DiskSite(args.folder, site_url).fetch)
    for problem in report.broken:
        print(problem)
    print(f"{report.pages} pages, {report.links} links, {len(report.broken)} broken")
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main())
