"""Every export parses with a real parser, carries the shipped events, and escapes content."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import exports
from generator.cli import main
from generator.models import Article, Citation, Event, EventDate, Official, Role
from generator.officials import Registry

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.github.io/timeline/"

#: The parts of Knight Lab's TimelineJS3 JSON format the site uses
#: (https://timeline.knightlab.com/docs/json-format.html).
TIMELINE_SCHEMA = {
    "type": "object",
    "required": ["events"],
    "properties": {
        "title": {"$ref": "#/$defs/slide"},
        "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
    },
    "$defs": {
        "date": {
            "type": "object",
            "required": ["year"],
            "properties": {
                "year": {"type": "integer"},
                "month": {"type": "integer", "minimum": 1, "maximum": 12},
                "day": {"type": "integer", "minimum": 1, "maximum": 31},
            },
            "additionalProperties": False,
        },
        "text": {
            "type": "object",
            "properties": {"headline": {"type": "string"}, "text": {"type": "string"}},
            "additionalProperties": False,
        },
        "slide": {"type": "object", "properties": {"text": {"$ref": "#/$defs/text"}}},
        "event": {
            "type": "object",
            "required": ["start_date", "text", "unique_id"],
            "properties": {
                "start_date": {"$ref": "#/$defs/date"},
                "end_date": {"$ref": "#/$defs/date"},
                "text": {"$ref": "#/$defs/text"},
                "unique_id": {"type": "string"},
                "group": {"type": "string"},
            },
            "additionalProperties": False,
        },
    },
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "site"
    assert main(["build", "--content", str(ROOT / "content"), "--output", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def shipped_events(site: Path) -> list[dict]:
    return json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]


def test_atom_feed_parses_and_lists_every_event(site: Path, shipped_events: list[dict]) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    links = {e.find(f"{ATOM}link").get("href") for e in entries}
    assert links == {f"{BASE}events/{e['id']}/" for e in shipped_events}
    for entry in entries:
        for tag in ("id", "title", "updated", "author"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
    # Derived from the sources' publication dates, not the clock.
    assert feed.find(f"{ATOM}updated").text == "2020-11-26T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}feed.xml"


def test_icalendar_has_all_day_events_with_stable_uids(
    site: Path, shipped_events: list[dict]
) -> None:
    raw = (site / "events.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(raw)
    vevents = calendar.walk("VEVENT")
    assert {str(v["UID"]) for v in vevents} == {
        f"{e['id']}@example.github.io" for e in shipped_events
    }
    for vevent in vevents:
        assert type(vevent.decoded("DTSTART")) is dt.date  # all-day: VALUE=DATE, no time
        assert vevent.decoded("DTEND") > vevent.decoded("DTSTART")
    assert b"DTSTART;VALUE=DATE:20201125\r\n" in raw
    # Folded at 75 octets, CRLF line ends throughout.
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    by_uid = {str(v["UID"]).split("@")[0]: v for v in vevents}
    for event in shipped_events:
        assert str(by_uid[event["id"]]["SUMMARY"]) == event["title"]["ar"]
        assert str(by_uid[event["id"]]["STATUS"]) == (
            "TENTATIVE" if event["status"] == "planned" else "CONFIRMED"
        )


def test_each_official_has_a_calendar_of_their_events(
    site: Path, shipped_events: list[dict]
) -> None:
    calendar = icalendar.Calendar.from_ical(
        (site / "officials/sergey-lavrov/events.ics").read_bytes()
    )
    uids = {str(v["UID"]).split("@")[0] for v in calendar.walk("VEVENT")}
    assert uids == {e["id"] for e in shipped_events if "sergey-lavrov" in e["officials"]}
    assert uids


def test_timeline_json_is_timelinejs3_format(site: Path, shipped_events: list[dict]) -> None:
    data = json.loads((site / "timeline.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, TIMELINE_SCHEMA)
    assert [e["unique_id"] for e in data["events"]] == [e["id"] for e in shipped_events]
    by_id = {e["unique_id"]: e for e in data["events"]}
    day = next(e for e in shipped_events if e["date"] == "2020-11-25")
    assert by_id[day["id"]]["start_date"] == {"year": 2020, "month": 11, "day": 25}
    month = next(e for e in shipped_events if e["precision"] == "month")  # "قريبا": a month
    assert by_id[month["id"]]["start_date"] == {"year": 2020, "month": 11}


def test_csv_has_one_row_per_event(site: Path, shipped_events: list[dict]) -> None:
    text = (site / "events.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["id"] for r in rows] == [e["id"] for e in shipped_events]
    assert rows[0]["title_ar"] == shipped_events[0]["title"]["ar"]
    assert rows[0]["officials"].split(";") == shipped_events[0]["officials"]


def test_sitemap_lists_every_page_but_404_with_absolute_urls(
    site: Path, shipped_events: list[dict]
) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [u.find(f"{ns}loc").text for u in root.findall(f"{ns}url")]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    pages = [p for p in pages if not p.startswith("report/")]  # the editors' build report
    assert len(locs) == len(pages) - 1
    assert f"{BASE}events/{shipped_events[-1]['id']}/" in locs
    assert all(loc.startswith(BASE) and "404" not in loc for loc in locs)
    assert f"Sitemap: {BASE}sitemap.xml" in (site / "robots.txt").read_text()


def test_pages_carry_json_ld_and_opengraph(site: Path, shipped_events: list[dict]) -> None:
    # any event with officials and a full day will do: ids follow the extraction
    event = next(e for e in shipped_events if e["officials"] and e["precision"] == "day")
    page = (site / f"events/{event['id']}/index.html").read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert data["@type"] == "Event" and data["startDate"] == event["date"]
    assert {p["@type"] for p in data["performer"]} == {"Person"}
    assert f'<meta property="og:url" content="{BASE}events/{event["id"]}/">' in page
    source = (site / "sources/elaph-2020-11-26/index.html").read_text(encoding="utf-8")
    assert '"@type":"NewsArticle"' in source


# --- pure tests with hostile content ----------------------------------------------------

HOSTILE = '</script><script>alert("x")</script> & <b>, ; \\ \n'


def test_the_atom_feed_carries_the_newest_events_only(
    site: Path, shipped_events: list[dict], monkeypatch
) -> None:
    """A feed is for what is new: past FEED_ENTRIES, the oldest are left to events.json."""
    from generator.build import assemble
    from generator.config import load_config
    from generator.errors import Diagnostics

    timeline = assemble(load_config(ROOT / "content", site), Diagnostics())
    by_id = {a.id: a for a in timeline.articles}
    monkeypatch.setattr(exports, "FEED_ENTRIES", 5)
    text = exports.atom_feed(
        timeline.events, by_id, timeline.registry, base_url=BASE, title="t", subtitle=""
    )
    entries = ET.fromstring(text).findall(f"{ATOM}entry")
    assert len(entries) == 5 < len(shipped_events)
    newest = sorted((exports.event_updated(e, by_id), e.date.iso, e.id) for e in timeline.events)[
        -5:
    ]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [f"{BASE}events/{i}/" for _, _, i in reversed(newest)]


def test_timeline_json_carries_the_latest_events_only(
    site: Path, shipped_events: list[dict], monkeypatch
) -> None:
    """TimelineJS is for tens of slides: past TIMELINE_SLIDES, the earliest are
    left to events.json."""
    from generator.build import assemble
    from generator.config import load_config
    from generator.errors import Diagnostics

    timeline = assemble(load_config(ROOT / "content", site), Diagnostics())
    monkeypatch.setattr(exports, "TIMELINE_SLIDES", 5)
    text = exports.timeline_json(
        timeline.events, timeline.registry, base_url=BASE, title="t", description=""
    )
    data = json.loads(text)
    jsonschema.validate(data, TIMELINE_SCHEMA)
    assert len(shipped_events) > 5
    assert [e["unique_id"] for e in data["events"]] == [e["id"] for e in shipped_events[-5:]]


def test_past_50000_urls_the_sitemap_is_an_index_of_sitemaps(
    site: Path, shipped_events: list[dict], monkeypatch
) -> None:
    """sitemaps.org allows 50,000 URLs a file: a larger site gets a sitemap index."""
    monkeypatch.setattr(exports, "SITEMAP_URLS", 40)
    out = site.parent / "split-sitemap"
    args = ["build", "--content", str(ROOT / "content"), "--output", str(out)]
    assert main([*args, "--base-url", BASE, "--no-cache", "--quiet"]) == 0
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{ns}sitemapindex"
    parts = [e.text for e in index.iter(f"{ns}loc")]
    assert len(parts) > 1 and all(p.startswith(BASE + "sitemap-") for p in parts)
    listed = []
    for part in parts:
        urls = ET.parse(out / part[len(BASE) :]).getroot()
        found = [e.text for e in urls.findall(f"{ns}url/{ns}loc")]
        assert 0 < len(found) <= 40
        listed += found
    pages = [p.relative_to(out).as_posix() for p in out.rglob("*.html")]
    expected = {exports.page_url(BASE, p) for p in pages if not p.endswith("404.html")}
    assert len(listed) == len(set(listed)) and set(listed) == expected


def _hostile() -> tuple[Event, Article, Registry]:
    article = Article(
        id="a", path="a.md", title=HOSTILE, published=dt.date(2021, 3, 4), source=HOSTILE,
        url=None, lang="ar", body=HOSTILE, body_line=5,
    )  # fmt: skip
    official = Official(
        id="x", name_ar=HOSTILE, name_en=HOSTILE, aliases=(), country="IQ",
        roles=(Role(HOSTILE, HOSTILE, None, None),),
    )  # fmt: skip
    event = Event(
        id="2021-03-x-meeting", date=EventDate(dt.date(2021, 3, 1), "month"), status="planned",
        type="meeting", title_ar="=" + HOSTILE, title_en=HOSTILE, officials=("x",),
        location=HOSTILE, sources=(Citation("a", HOSTILE, 0, len(HOSTILE), None),),
    )  # fmt: skip
    return event, article, Registry([official])


def test_json_ld_cannot_close_its_script() -> None:
    event, article, registry = _hostile()
    text = str(exports.json_ld(exports.event_ld(event, registry, {"a": article}, url=BASE)))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "=" + HOSTILE


def every_export(
    event: Event, article: Article, registry: Registry, base_url: str, text: str, pages: list
) -> dict[str, str]:
    """Every file exports.export_paths names, made for one event."""
    return {
        path: exports.export(
            path,
            [event],
            {article.id: article},
            registry,
            base_url=base_url,
            title=text,
            description=text,
            pages=pages,
        )  # fmt: skip
        for path in exports.export_paths(registry, base_url=base_url, pages=len(pages))
    }


def test_hostile_text_survives_every_export_intact() -> None:
    event, article, registry = _hostile()
    files = every_export(event, article, registry, BASE, HOSTILE, ["index.html"])
    feed = ET.fromstring(files["feed.xml"].encode("utf-8"))
    assert feed.find(f"{ATOM}title").text == HOSTILE
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "=" + HOSTILE
    vevent = icalendar.Calendar.from_ical(files["events.ics"].encode("utf-8")).walk("VEVENT")[0]
    assert str(vevent["LOCATION"]) == HOSTILE
    assert str(vevent["STATUS"]) == "TENTATIVE"
    assert vevent.decoded("DTSTART") == dt.date(2021, 3, 1)
    assert vevent.decoded("DTEND") == dt.date(2021, 4, 1)  # a month-precision event spans it
    timeline = json.loads(files["timeline.json"])
    assert "<script>" not in json.dumps(timeline)  # its text fields are HTML: escaped
    assert timeline["events"][0]["start_date"] == {"year": 2021, "month": 3}
    row = next(csv.DictReader(io.StringIO(files["events.csv"].lstrip("\ufeff"), newline="")))
    assert row["title_ar"] == "'=" + HOSTILE  # no formula in a spreadsheet


def test_sitemap_urls_are_escaped_only_where_they_need_it() -> None:
    """URLs with nothing to escape are written as they are; the others are
    escaped, in the page address and in its language alternates alike."""
    paths = ["sources/a&b<c>/index.html", "sources/o'neil\"s/index.html", "events/plain/index.html"]
    alternates = {p: {"ar": p, "en": "en/" + p} for p in paths}
    text = exports.sitemap(paths, base_url=BASE, alternates=alternates)
    root = ET.fromstring(text)
    urls = sorted(BASE + p.removesuffix("index.html") for p in paths)
    assert sorted(loc.text or "" for loc in root.iter(f"{ns}loc")) == urls
    links = root.iter("{http://www.w3.org/1999/xhtml}link")
    english = sorted(link.get("href", "") for link in links if link.get("hreflang") == "en")
    assert english == sorted(BASE + "en/" + p.removesuffix("index.html") for p in paths)
    assert f"<loc>{BASE}events/plain/</loc>" in text
    assert "a&amp;b&lt;c&gt;" in text and "<c>" not in text


def test_no_sitemap_without_an_absolute_base_url() -> None:
    event, article, registry = _hostile()
    files = every_export(event, article, registry, "/repo/", "t", [])
    assert "sitemap.xml" not in files
    assert "Sitemap:" not in files["robots.txt"]
    ET.fromstring(files["feed.xml"].encode("utf-8"))


@pytest.mark.parametrize(
    "line",
    ["a" * 200, "ب" * 200, "x" + "ب" * 100, "DESCRIPTION:" + "😀" * 40, "a" * 75, "ب" * 38, ""],
)
def test_ical_fold_keeps_octets_and_characters(line: str) -> None:
    folded = exports.ical_fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_ical_fold_of_any_text_keeps_octets_and_characters(line: str) -> None:
    folded = exports.ical_fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_english_feed_and_timeline_link_to_english_pages(site: Path) -> None:
    feed = ET.parse(site / "en/feed.xml").getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links and all(link.startswith(BASE + "en/events/") for link in links)
    assert "Elaph" in {a.text for a in feed.iter(f"{ATOM}name")}
    data = json.loads((site / "en/timeline.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, TIMELINE_SCHEMA)
    assert all(not re.search("[\u0600-\u06ff]", e["text"]["headline"]) for e in data["events"])


def test_json_ld_performer_has_the_title_held_on_the_event_day() -> None:
    event, article, _ = _hostile()
    official = Official(
        id="x", name_ar="س", name_en="X", aliases=(), country="IQ",
        roles=(
            Role("وزير الدفاع", "Minister of Defence", dt.date(2010, 1, 1), dt.date(2020, 12, 31)),
            Role("رئيس الوزراء", "Prime Minister", dt.date(2021, 1, 1), None),
        ),
    )  # fmt: skip
    data = exports.event_ld(event, Registry([official]), {"a": article}, url=BASE, lang="en")
    assert data["performer"] == [
        {"@type": "Person", "name": "X", "alternateName": "س", "jobTitle": "Prime Minister"}
    ]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 17, 60, 1000])
def test_the_newest_and_latest_events_are_found_as_among_all(
    tmp_path: Path, monkeypatch, count: int
) -> None:
    """The feeds are made of the events citing the newest articles (and the
    newest citing none), timeline.json of the last events in order: the
    same files as from every event, ties of a day included."""
    import sys

    from generator import render
    from generator.build import assemble
    from generator.config import load_config
    from generator.errors import Diagnostics

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_corpus

    content = tmp_path / "content"
    write_corpus(content, 30, seed=5, registry_from=ROOT / "content")
    config = load_config(content, tmp_path / "site")
    # Events citing no article: as new as their own date, one of them the
    # day of the newest article, which its events and it share.
    newest_day = max(a.published for a in assemble(config, Diagnostics()).articles)
    added = "".join(
        f"  - id: {day}-added\n    date: {day}\n    type: statement\n"
        f'    title: {{ar: "حدث {day}", en: "Added {day}"}}\n'
        f'    sources:\n      - text: "A briefing"\n'
        for day in ("2015-03-01", newest_day.isoformat(), "2030-03-01")
    )
    (content / "overrides.yml").write_text(f"add:\n{added}", encoding="utf-8")
    timeline = assemble(config, Diagnostics())
    site = render.Site(config, timeline.articles, timeline.registry, timeline.events)
    assert any(not e.sources for e in site.events)
    monkeypatch.setattr(exports, "FEED_ENTRIES", count)
    monkeypatch.setattr(exports, "TIMELINE_SLIDES", count)
    feed = {"base_url": BASE, "title": "t", "subtitle": "s"}
    every = exports.atom_feed(site.events, site.by_article, site.registry, **feed)
    newest = site.newest(count)
    assert exports.atom_feed(newest, site.by_article, site.registry, **feed) == every
    assert len(newest) < len(site.events) or count >= len(site.events) / 2
    timeline_args = {"base_url": BASE, "title": "t", "description": ""}
    latest = site.latest(count)
    assert exports.timeline_json(latest, site.registry, **timeline_args) == exports.timeline_json(
        site.events, site.registry, **timeline_args
    )
