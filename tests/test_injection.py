"""Injection: text from content never becomes markup, script, a property or a formula.

tests/fixtures/injection/ is a content folder whose every editor-controlled
text (site title, official names, role titles, extra keys, article title,
source, url, body) carries a payload with a marker ``x01`` … ``x25``. It is
built, and *every* output file is scanned by its type:

- HTML (and the HTML fragments inside timeline.json and Atom ``type="html"``):
  only the tags and attributes the templates themselves use (taken from the
  committed site/), no ``on*`` handler, no ``javascript:``/``data:`` URL, every
  ``<script>`` is JSON-LD that parses and cannot be closed early;
- XML: parses, only the element names the shipped feeds use;
- JSON: parses; iCalendar: parses, only known properties, one VEVENT a event;
- CSV: parses, no cell a spreadsheet would run as a formula.

A scan that finds nothing proves little if the payloads were dropped, so the
markers must also reach the output as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
import yaml

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "injection"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "poster", "data", "srcset"}
BAD_SCHEMES = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)


@dataclass
class Markup(HTMLParser):
    """Tags, attributes, text and script bodies of one HTML document or fragment."""

    tags: set[str] = field(default_factory=set)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
        if tag == "script":
            self._script = dict(attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_comment(self, data: str) -> None:
        self.tags.add("<!--")


def parse_html(text: str) -> Markup:
    parser = Markup()
    parser.feed(text)
    parser.close()
    return parser


def files(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield str(path.relative_to(folder)), path.read_bytes()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("injection") / "site"
    args = ["--content", str(PAYLOADS), "--output", str(out), "--quiet", "--no-cache"]
    assert main(["build", *args]) == 0
    return out


@pytest.fixture(scope="module")
def allowed() -> dict[str, set[str]]:
    """What the templates produce from harmless content: the committed site/."""
    tags: set[str] = set()
    names: set[str] = set()
    xml_tags: set[str] = set()
    ical: set[str] = set()
    for path, data in files(ROOT / "site"):
        if path.endswith(".html"):
            page = parse_html(data.decode("utf-8"))
            tags |= page.tags
            names |= {name for _, name, _ in page.attributes}
        elif path.endswith(".xml"):
            xml_tags |= {element.tag for element in ET.fromstring(data).iter()}
        elif path.endswith(".ics"):
            ical |= set(property_names(data.decode("utf-8")))
    return {"tags": tags, "attributes": names, "xml": xml_tags, "ical": ical}


def check_html(where: str, text: str, allowed: dict[str, set[str]]) -> list[str]:
    """Every way ``text`` could run script or carry markup it should not."""
    page = parse_html(text)
    problems = [f"{where}: tag <{t}> not made by any template" for t in page.tags - allowed["tags"]]
    for tag, name, value in page.attributes:
        if name.startswith("on"):
            problems.append(f"{where}: event handler {name}= on <{tag}>")
        elif name not in allowed["attributes"]:
            problems.append(f"{where}: attribute {name}= not made by any template")
        if name in URL_ATTRIBUTES and BAD_SCHEMES.match(value):
            problems.append(f"{where}: <{tag} {name}={value!r}>")
    for attrs, body in page.scripts:
        if attrs.get("type") != "application/ld+json":
            problems.append(f"{where}: executable <script {attrs}>")
            continue
        if re.search(r"</script|<!--", body, re.IGNORECASE):
            problems.append(f"{where}: JSON-LD could close its <script>: {body[:80]!r}")
        try:
            json.loads(body)
        except ValueError as exc:
            problems.append(f"{where}: JSON-LD does not parse: {exc}")
    return problems


def property_names(calendar: str) -> Iterator[str]:
    """Property names of unfolded content lines (RFC 5545 ends lines with CRLF only)."""
    for line in calendar.replace("\r\n ", "").split("\r\n"):
        if line:
            yield re.split(r"[;:]", line, maxsplit=1)[0]


def html_fragments(value: object, key: str = "") -> Iterator[str]:
    """TimelineJS renders ``headline`` and ``text`` as HTML."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from html_fragments(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from html_fragments(item, key)
    elif isinstance(value, str) and key in ("headline", "text", "caption", "credit"):
        yield value


SEARCH_FILE = re.compile(r"search/[a-z]{2}/(meta|docs-\d+|terms-[0-9a-f]{12,40})\.json")
RESULT_URL = re.compile(r"(?:[a-z]{2}/)?(?:events|officials|sources)/[^/:?#\\]+/")


def check_search_index(path: str, data: bytes) -> list[str]:
    """The search index is JSON the search page reads as data: text stays strings,
    result addresses stay inside the site (the page builds its links with
    textContent and ``href`` only; see test_browser)."""
    if not SEARCH_FILE.fullmatch(path):
        return [f"{path}: not a file of the search index"]
    value = json.loads(data.decode("utf-8"))
    name = path.rsplit("/", 1)[1]
    problems = []
    if name == "meta.json":
        for start, shard in value["shards"]:
            if not isinstance(start, str) or not re.fullmatch(
                r"terms-[0-9a-f]{12,40}\.json", shard
            ):
                problems.append(f"{path}: shard {shard!r} is not an index file")
    elif name.startswith("docs-"):
        if not all(number.isdigit() for number in value):
            problems.append(f"{path}: a document is listed under something else than its number")
        for doc in value.values():
            if not RESULT_URL.fullmatch(doc["url"]) or ".." in doc["url"]:
                problems.append(f"{path}: result URL {doc['url']!r} leaves the site")
            if doc["kind"] not in ("event", "official", "source"):
                problems.append(f"{path}: unknown kind {doc['kind']!r}")
            if not all(isinstance(doc[k], str) for k in ("title", "date", "excerpt")):
                problems.append(f"{path}: a document field is not a string")
    else:
        for token, gaps in value.items():  # the first number, then the distance to each next
            if not all(isinstance(n, int) for n in gaps) or min(gaps[1:], default=1) < 1:
                problems.append(f"{path}: {token!r} does not map to sorted document numbers")
    return problems


def test_every_output_file_is_inert(built: Path, allowed: dict[str, set[str]]) -> None:
    problems: list[str] = []
    kinds: set[str] = set()
    for path, data in files(built):
        suffix = Path(path).suffix
        kinds.add(suffix)
        if suffix in (".css", ".txt", ".js", ".png", ".svg", ".woff2"):
            continue  # the package's own static files; nothing from content
        if path.startswith("search/") and suffix == ".json":
            problems += check_search_index(path, data)
            continue
        text = data.decode("utf-8-sig")
        if suffix == ".html":
            problems += check_html(path, text, allowed)
        elif suffix == ".json":
            document = json.loads(text)
            fragments = html_fragments(document) if path == "timeline.json" else []
            for fragment in fragments:
                problems += check_html(f"{path} (HTML field)", fragment, allowed)
        elif suffix == ".xml":
            root = ET.fromstring(data)
            for element in root.iter():
                if element.tag not in allowed["xml"]:
                    problems.append(f"{path}: element {element.tag} not made by the feed template")
                if element.get("type") in ("html", "xhtml"):
                    problems += check_html(f"{path} <{element.tag}>", element.text or "", allowed)
        elif suffix == ".ics":
            icalendar.Calendar.from_ical(text)
            for name in property_names(text):
                if name not in allowed["ical"]:
                    problems.append(f"{path}: property {name!r} injected into the calendar")
        elif suffix == ".csv":
            for row in csv.reader(io.StringIO(text)):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        problems.append(f"{path}: cell {cell!r} would run as a formula")
        elif suffix == ".yml":  # the editors' report: entries to paste into officials.yml
            entries = yaml.safe_load(text)
            if not (entries is None or isinstance(entries, list)):
                problems.append(f"{path}: not a list of registry entries")
            if re.search(r"^\s*[&*!]|: [&*!]", text, re.MULTILINE):
                problems.append(f"{path}: a YAML anchor, alias or tag from content")
        else:
            problems.append(f"{path}: a file type this scan does not know ({suffix})")
    assert {".html", ".json"} <= kinds
    assert not problems, "\n".join(problems)


#: Markers that must reach the HTML as text (escaped, not dropped).
IN_HTML = ["x01", "x05", "x08", "x14", "x15", "x16", "x20", "x21", "x22", "x23", "x24", "x25"]
IN_HTML += ["x26", "x27", "x28", "x29", "x32", "x36", "x38"]  # from overrides.yml


def test_payloads_reach_the_pages_as_text(built: Path) -> None:
    texts = []
    for path, data in files(built):
        if path.endswith(".html"):
            page = parse_html(data.decode("utf-8"))
            texts.append(" ".join(page.text))
            texts.extend(value for _, _, value in page.attributes)
    everything = "\n".join(texts)
    missing = [m for m in IN_HTML if f'alert("{m}")' not in everything and m not in everything]
    assert not missing, f"payloads dropped instead of escaped: {missing}"
    assert '<script>alert("x21")</script>' in everything  # shown as the text it is


def test_search_documents_hold_the_payloads_as_text(built: Path) -> None:
    docs = [
        doc
        for path in sorted(built.glob("search/*/docs-*.json"))
        for doc in json.loads(path.read_text(encoding="utf-8")).values()
    ]
    titles = " ".join(doc["title"] for doc in docs)
    assert '</script><script>alert("x05")</script>' in titles  # an official's name
    excerpts = " ".join(doc["excerpt"] for doc in docs)
    assert 'alert("x21")' in excerpts  # a cited sentence


def test_json_ld_round_trips_the_payloads(built: Path) -> None:
    page = parse_html((built / "sources" / "payload" / "index.html").read_text(encoding="utf-8"))
    [(_, body)] = page.scripts
    data = json.dumps(json.loads(body), ensure_ascii=False)
    assert 'alert(\\"x14\\")' in data and "</script>" in data


def test_exports_round_trip_the_payloads(built: Path) -> None:
    events = json.loads((built / "events.json").read_text(encoding="utf-8"))["events"]
    sentences = " ".join(s["sentence"] for e in events for s in e["sources"])
    assert '</script><script>alert("x21")</script>' in sentences
    calendar = icalendar.Calendar.from_ical((built / "events.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == len(events)
    rows = list(csv.reader(io.StringIO((built / "events.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(events) + 1
    # English titles use the officials' surnames: the last word of the payload name
    assert any("x07" in cell for row in rows for cell in row)


def test_the_article_url_is_an_attribute_not_markup(built: Path) -> None:
    page = parse_html((built / "sources" / "payload" / "index.html").read_text(encoding="utf-8"))
    hrefs = [value for tag, name, value in page.attributes if tag == "a" and name == "href"]
    assert "https://example.org/?q='onmouseover='alert(x19)'&a=1" in hrefs


@pytest.mark.parametrize("official_id", ["../evil", "..", "a/b", "a\\b", "%2e%2e", "evil/../../x"])
def test_official_ids_cannot_leave_the_output_folder(
    official_id: str, content_copy: Path, tmp_path: Path, capsys
) -> None:
    registry = content_copy / "officials.yml"
    text = registry.read_text(encoding="utf-8").replace("- id: juma-inad", f"- id: '{official_id}'")
    registry.write_text(text, encoding="utf-8")
    assert main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o")]) == 1
    assert "id: expected an ASCII slug" in capsys.readouterr().err
    assert not (tmp_path / "o").exists() and not (tmp_path / "evil").exists()


@pytest.mark.parametrize("name", ["..md", ".hidden.md", "a b.md", "Ünï.md", "-x.md"])
def test_article_ids_are_safe_slugs(name: str, content_copy: Path, tmp_path: Path, capsys) -> None:
    source = content_copy / "articles" / "elaph-2020-11-26.md"
    (content_copy / "articles" / name).write_bytes(source.read_bytes())
    status = main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o")])
    if name.startswith("."):
        assert status == 0  # hidden files (editor backups) are not articles
        assert not [p for p in (tmp_path / "o" / "sources").iterdir() if p.name.startswith(".")]
    else:
        assert status == 1
        assert "file name" in capsys.readouterr().err


def test_the_scan_catches_what_it_looks_for(allowed: dict[str, set[str]]) -> None:
    """The checks above are only as good as this: each kind of breach is caught."""
    breaches = [
        '<p onclick="steal()">a</p>',
        "<img src=x>",
        '<a href=" JavaScript:alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
        '<script type="application/ld+json">{"a": </script>',
        '<a href="/" formtarget="x">x</a>',
    ]
    for breach in breaches:
        assert check_html("t.html", breach, allowed), breach
    assert not check_html("t.html", '<p class="lead">&lt;script&gt;</p>', allowed)
