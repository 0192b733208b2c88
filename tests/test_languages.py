"""Arabic at the root, English under /en/: the same events, each page linking to its counterpart."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator import i18n, render
from generator.cli import main
from generator.config import load_config
from generator.content import read_article

ROOT = Path(__file__).resolve().parent.parent


class Head(HTMLParser):
    """The page's language, its hreflang alternates and its visible language links."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = self.dir = None
        self.hreflang: dict[str, str] = {}
        self.switch: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang, self.dir = a.get("lang"), a.get("dir")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.hreflang[a["hreflang"]] = a["href"]
        elif tag == "a" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.switch[a["hreflang"]] = a["href"]


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("langs") / "site"
    assert main(["build", "--content", str(ROOT / "content"), "--output", str(out), "--quiet"]) == 0
    return out


def test_every_language_has_the_same_words() -> None:
    keys = {lang: set(labels) for lang, labels in i18n.LABELS.items()}
    assert keys["ar"] == keys["en"]
    for table in (i18n.TYPES, i18n.STATUSES, i18n.COUNTRIES):
        assert set(table["ar"]) == set(table["en"])


def test_every_page_has_its_counterpart_and_links_to_it(site: Path) -> None:
    arabic = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("en/") and p.name != "404.html"
    )
    assert len(arabic) > 20
    for path in arabic:
        ar, en = head(site / path), head(site / "en" / path)
        assert (ar.lang, ar.dir, en.lang, en.dir) == ("ar", "rtl", "en", "ltr"), path
        url = "https://example.github.io/timeline/" + path.removesuffix("index.html")
        en_url = "https://example.github.io/timeline/en/" + path.removesuffix("index.html")
        assert ar.hreflang == en.hreflang == {"ar": url, "en": en_url, "x-default": url}, path
        # The visible link leads to the counterpart file.
        target = urljoin("http://h/" + path, ar.switch["en"])
        assert target == "http://h/en/" + path.removesuffix("index.html"), path
        back = urljoin("http://h/en/" + path, en.switch["ar"])
        assert back == "http://h/" + path.removesuffix("index.html"), path


def test_english_pages_speak_english_about_the_same_events(site: Path) -> None:
    ar_index = (site / "index.html").read_text(encoding="utf-8")
    en_index = (site / "en/index.html").read_text(encoding="utf-8")
    ids = re.compile(r'<article class="event[^"]*" id="([^"]+)"')
    assert ids.findall(ar_index) == ids.findall(en_index) != []
    assert "Wednesday 25 November 2020" in en_index and "10 Rabi&#39; al-Thani 1442 AH" in en_index
    assert "الأربعاء ٢٥ تشرين الثاني ٢٠٢٠" in ar_index
    official = (site / "en/officials/sergey-lavrov/index.html").read_text(encoding="utf-8")
    assert "<h1>Sergey Lavrov</h1>" in official
    assert "Minister of Foreign Affairs of Russia" in official and ">Russia<" in official
    assert "المناصب" not in official  # no Arabic label left on an English page
    # an event cited from Elaph: ids and titles follow the extraction
    records = json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]
    record = next(
        e for e in records if e["sources"] and e["sources"][0]["article"] == "elaph-2020-11-26"
    )
    event = (site / f"en/events/{record['id']}/index.html").read_text(encoding="utf-8")
    assert f"{html.escape(record['title']['en'])}</h1>" in event
    assert "in <a href=" in event and ">Elaph</a>" in event  # the outlet's English name
    # The quotation stays verbatim, marked as Arabic.
    body = read_article(ROOT / "content/articles/elaph-2020-11-26.md").body
    start = body.index(record["sources"][0]["sentence"])
    assert (
        f'<blockquote cite="../../../en/sources/elaph-2020-11-26/#s-{start}" lang="ar" dir="rtl">'
        in event
    )


def _with_languages(content_copy: Path, languages: str) -> None:
    site_yml = content_copy / "site.yml"
    text = re.sub(
        r"^languages: .*$",
        f"languages: {languages}",
        site_yml.read_text(encoding="utf-8"),
        flags=re.M,
    )
    site_yml.write_text(text, encoding="utf-8")


def test_site_yml_chooses_the_languages(content_copy: Path, tmp_path: Path) -> None:
    _with_languages(content_copy, "[ar]")
    assert (
        main(["build", "--content", str(content_copy), "--output", str(tmp_path / "ar"), "--quiet"])
        == 0
    )
    assert not (tmp_path / "ar/en").exists()
    assert head(tmp_path / "ar/index.html").hreflang == {}
    _with_languages(content_copy, "[en]")
    assert (
        main(["build", "--content", str(content_copy), "--output", str(tmp_path / "en"), "--quiet"])
        == 0
    )
    assert head(tmp_path / "en/index.html").lang == "en"
    assert head(tmp_path / "en/404.html").lang == "en"


def test_sitemap_pairs_the_languages(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") == len([p for p in site.rglob("*.html") if p.name != "404.html"])
    assert 'hreflang="en" href="https://example.github.io/timeline/en/about/"' in sitemap


def test_the_sitemap_alternates_are_a_mapping_of_every_page_but_the_404() -> None:
    config = load_config(ROOT / "content", ROOT / "site")
    pages = [
        "index.html",
        "404.html",
        "events/a/index.html",
        "en/index.html",
        "en/events/a/index.html",
    ]
    alternates = render.Alternates(config, pages)
    expected = [page for page in pages if page != "404.html"]
    assert list(alternates) == expected and len(alternates) == 4
    assert "404.html" not in alternates and "events/b/index.html" not in alternates
    assert alternates["en/events/a/index.html"] == {
        "ar": "events/a/index.html",
        "en": "en/events/a/index.html",
    }
    assert dict(alternates.items())["index.html"] == {"ar": "index.html", "en": "en/index.html"}
    with pytest.raises(KeyError):
        alternates["404.html"]
