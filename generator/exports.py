"""Events -> the files other programs read: Atom, iCalendar, TimelineJS, CSV, sitemap.

Pure, like render.py: every function takes records and returns text, so each
export can be tested by parsing its output, without a disk. Nothing here reads
the clock: every timestamp is derived from the content (the publication dates
of the articles an event came from), so two builds of one content folder are
byte-identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from markupsafe import Markup

from generator import __version__
from generator.models import Article, Event, EventDate, Official
from generator.officials import Registry

PRODID = f"-//arabic-diplomatic-timeline//{__version__}//AR"


class Listing(NamedTuple):
    """A file that lists records: ``head``, the text of each record
    (``piece(record)``) joined by ``sep``, then ``tail``.

    ``key(record)`` names everything a record's text shows, but what every
    file of a build shares (the code, the settings, the registry): records
    of one key have the same text, so the renderer finds the text of a
    record unchanged since the last build in the file that build wrote
    (``render.Splicer``). A file that lists nothing is all ``head``.
    """

    head: str
    records: Sequence[Any] = ()
    piece: Callable[[Any], str] = str
    key: Callable[[Any], str] = str
    sep: str = ""
    tail: str = ""

    def text(self) -> str:
        return "".join([self.head, self.sep.join(map(self.piece, self.records)), self.tail])


#: The key of an event's text that shows the event alone (a line of
#: events.json, a row of the CSV): its fingerprint, a digest of every field.
by_fingerprint = attrgetter("fingerprint")


#: The author of an event an editor added with no article source.
EDITOR = "المحرر"


# --- URLs -------------------------------------------------------------------


def is_absolute(base_url: str) -> bool:
    """Feeds and sitemaps need full URLs; a bare path base cannot give them."""
    return urlsplit(base_url).scheme in ("http", "https")


def page_url(base_url: str, path: str) -> str:
    """The public URL of an output file: ``events/x/index.html`` -> ``<base>events/x/``."""
    if path == "index.html":
        path = ""
    elif path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return base_url + path


def atom_id(base_url: str, path: str) -> str:
    """Atom ids must be IRIs: the page's URL, or a tag URI when the base is a bare path."""
    if is_absolute(base_url):
        return page_url(base_url, path)
    return f"tag:timeline.invalid,2000:{path}"


def uid_domain(base_url: str) -> str:
    """The right-hand side of iCalendar UIDs and Atom tag URIs: the site's host."""
    return urlsplit(base_url).hostname or "timeline.invalid"


# --- dates derived from content ---------------------------------------------


def event_updated(event: Event, articles: Mapping[str, Article]) -> dt.date:
    """An event changes when a new article tells it: its latest publication date.

    An event an editor added with only free-text sources has no article; its
    own date stands in, so the value still comes from content, not the clock.
    """
    return max((articles[c.article].published for c in event.sources), default=event.date.value)


def date_span(date: EventDate) -> tuple[dt.date, dt.date]:
    """First day and the day after the last (exclusive end, as iCalendar wants)."""
    day = date.value
    if date.precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)
    if date.precision == "month":
        first = day.replace(day=1)
        return first, (first + dt.timedelta(days=32)).replace(day=1)
    if date.precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=7)
    return day, day + dt.timedelta(days=1)


def _in_order(event: Event) -> tuple[str, str]:
    """The order of every export: by date, then id."""
    return event.date.iso, event.id


def ordered(events: Iterable[Event]) -> list[Event]:
    """``events`` in the order of every export."""
    return sorted(events, key=_in_order)


# --- Atom ---------------------------------------------------------------------


#: Entries in an Atom feed: the newest, as feeds are read.
FEED_ENTRIES = 100


def atom_feed(
    events: Sequence[Event],
    articles: Mapping[str, Article],
    registry: Registry,
    *,
    base_url: str,
    title: str,
    subtitle: str,
    lang: str = "ar",
) -> str:
    """An Atom 1.0 feed (RFC 4287), the newest :data:`FEED_ENTRIES` events first.

    ``<updated>`` is the latest publication date among the sources, never the
    build time, so the feed only changes when the content does. A feed carries
    what is new (readers keep what they have already fetched); the whole
    archive is in events.json and events.ics.
    """
    updated = {e.id: event_updated(e, articles) for e in events}
    # The newest of tens of thousands: only events as new as the hundredth
    # newest date are sorted.
    newest = heapq.nlargest(FEED_ENTRIES, updated.values())
    ordered = sorted(
        (e for e in events if newest and updated[e.id] >= newest[-1]),
        key=lambda e: (updated[e.id], e.date.iso, e.id),
        reverse=True,
    )[:FEED_ENTRIES]
    feed_updated = newest[0] if newest else dt.date(1970, 1, 1)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <id>{xml_escape(atom_id(base_url, 'feed.xml'))}</id>",
        f"  <title>{xml_escape(title)}</title>",
    ]
    if subtitle:
        out.append(f"  <subtitle>{xml_escape(subtitle)}</subtitle>")
    out += [
        f"  <updated>{_atom_time(feed_updated)}</updated>",
        f'  <link rel="self" href={quoteattr(base_url + "feed.xml")}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base_url)}/>',
        f'  <generator version="{__version__}">arabic-diplomatic-timeline</generator>',
    ]
    for event in ordered:
        path = f"events/{event.id}/index.html"
        title_text = event.title_ar if lang == "ar" else event.title_en
        summary = "\n".join(c.sentence for c in event.sources)
        # An event an editor added from free-text sources only has no outlet;
        # Atom wants an author on every entry, so the editor stands in.
        outlets = dict.fromkeys(_outlet(articles[c.article], lang) for c in event.sources) or {
            EDITOR: None
        }
        url = page_url(base_url, path)
        published = min(
            (articles[c.article].published for c in event.sources),
            default=event_updated(event, articles),
        )
        out += [
            "  <entry>",
            f"    <id>{xml_escape(atom_id(base_url, path))}</id>",
            f"    <title>{xml_escape(title_text)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <published>{_atom_time(published)}</published>",
            f"    <updated>{_atom_time(event_updated(event, articles))}</updated>",
        ]
        out += [f"    <author><name>{xml_escape(outlet)}</name></author>" for outlet in outlets]
        out += [
            f'    <category term="{event.type}"/>',
            f'    <category term="{event.status}"/>',
            f'    <summary xml:lang="ar">{xml_escape(summary)}</summary>',
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _outlet(article: Article, lang: str) -> str:
    """The outlet's name in ``lang`` when the front matter gives it (``source_en``)."""
    if lang == "en" and isinstance(article.extra.get("source_en"), str):
        return str(article.extra["source_en"])
    return article.source


def _atom_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


# --- iCalendar -----------------------------------------------------------------


def ical_escape(text: str) -> str:
    """TEXT value escaping of RFC 5545 §3.3.11."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ical_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character.

    Works on the encoded bytes: each cut steps back over continuation bytes
    (``10xxxxxx``) to the start of a character, so a line costs one pass.
    """
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        parts.append(data[start:cut].decode("utf-8"))
        start, limit = cut, 74  # continuation lines start with a space
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


def icalendar(
    events: Sequence[Event],
    articles: Mapping[str, Article],
    registry: Registry,
    *,
    base_url: str,
    name: str,
) -> str:
    """An iCalendar file of all-day events; planned ones are TENTATIVE.

    UIDs are the event ids (stable across rebuilds, see FORMATS.md §3) at the
    site's host; DTSTAMP is the latest publication date of the event's sources.
    """
    return calendar(ordered(events), articles, registry, base_url=base_url, name=name).text()


def vevent_key(event: Event, articles: Mapping[str, Article]) -> str:
    """What an event's VEVENT shows: the event, and the articles it cites
    (their outlets and publication dates)."""
    return event.fingerprint + "".join([articles[c.article].fingerprint for c in event.sources])


def calendar(
    events: Sequence[Event],
    articles: Mapping[str, Article],
    registry: Registry,
    *,
    base_url: str,
    name: str,
    keys: Mapping[str, str] | None = None,
) -> Listing:
    """:func:`icalendar` of ``events`` in the order of the exports, as a
    :class:`Listing` of VEVENTs; ``keys``: each event's :func:`vevent_key`
    by its id, if worked out already."""
    domain = uid_domain(base_url)

    def vevent(event: Event) -> str:
        start, end = date_span(event.date)
        names = "، ".join(registry[o].name_ar for o in event.officials)
        description = "\n\n".join(
            f"«{c.sentence}» — {articles[c.article].source}" for c in event.sources
        )
        if names:
            description = f"{names}\n\n{description}"
        url = page_url(base_url, f"events/{event.id}/index.html")
        lines = [
            "BEGIN:VEVENT",
            f"UID:{event.id}@{domain}",
            f"DTSTAMP:{event_updated(event, articles).strftime('%Y%m%d')}T000000Z",
            f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
            f"SUMMARY;LANGUAGE=ar:{ical_escape(event.title_ar)}",
            f"DESCRIPTION;LANGUAGE=ar:{ical_escape(description)}",
            f"STATUS:{'TENTATIVE' if event.status == 'planned' else 'CONFIRMED'}",
            f"CATEGORIES:{ical_escape(event.type)}",
            "TRANSP:TRANSPARENT",
        ]
        if event.location:
            lines.append(f"LOCATION:{ical_escape(event.location)}")
        if is_absolute(base_url):
            lines.append(f"URL;VALUE=URI:{url}")
        lines.append("END:VEVENT")
        return _ical_lines(lines)

    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(name)}",
    ]
    return Listing(
        _ical_lines(head),
        events,
        vevent,
        (lambda event: keys[event.id]) if keys is not None else (lambda e: vevent_key(e, articles)),
        tail=_ical_lines(["END:VCALENDAR"]),
    )


def _ical_lines(lines: Iterable[str]) -> str:
    return "".join(ical_fold(line) + "\r\n" for line in lines)


# --- TimelineJS3 -----------------------------------------------------------------

#: Slides in timeline.json: the latest events. TimelineJS tells a story in
#: tens of slides (Knight Lab designs it for 12 to 20) and stalls in the
#: thousands; the whole archive is in events.json and events.ics.
TIMELINE_SLIDES = 100


def timeline_events(events: Iterable[Event]) -> list[Event]:
    """The events timeline.json shows: the latest :data:`TIMELINE_SLIDES` by
    date, in date order."""
    return heapq.nlargest(TIMELINE_SLIDES, events, key=_in_order)[::-1]


def timeline_json(
    events: Sequence[Event],
    registry: Registry,
    *,
    base_url: str,
    title: str,
    description: str,
    lang: str = "ar",
) -> str:
    """Knight Lab TimelineJS3 JSON of :func:`timeline_events`. Its
    ``headline``/``text`` are HTML, so escaped here."""

    def name(oid: str) -> str:
        return registry[oid].name_ar if lang == "ar" else registry[oid].name_en

    def slide(event: Event) -> dict[str, object]:
        start, end = date_span(event.date)
        start_date: dict[str, object] = {"year": start.year}
        if event.date.precision in ("day", "week", "month"):
            start_date["month"] = start.month
        if event.date.precision in ("day", "week"):
            start_date["day"] = start.day
        link = page_url(base_url, f"events/{event.id}/index.html")
        headline = event.title_ar if lang == "ar" else event.title_en
        people = (
            "، ".join(name(o) for o in event.officials)
            if lang == "ar"
            else ", ".join(name(o) for o in event.officials)
        )
        text = "".join(f"<blockquote>{html.escape(c.sentence)}</blockquote>" for c in event.sources)
        if people:
            text = f"<p>{html.escape(people)}</p>{text}"
        text += f'<p><a href="{html.escape(link)}">{html.escape(event.id)}</a></p>'
        record: dict[str, object] = {
            "unique_id": event.id,
            "start_date": start_date,
            "text": {"headline": html.escape(headline), "text": text},
            "group": event.type,
        }
        if event.date.precision == "week":
            last = end - dt.timedelta(days=1)
            record["end_date"] = {"year": last.year, "month": last.month, "day": last.day}
        return record

    head = {
        "title": {
            "text": {"headline": html.escape(title), "text": f"<p>{html.escape(description)}</p>"}
        }
    }
    slides = [json_line(slide(e)) for e in timeline_events(events)]
    return json_lines(head, "events", slides)


# --- CSV -------------------------------------------------------------------------

CSV_COLUMNS = (
    "id", "date", "precision", "approximate", "status", "type", "title_ar", "title_en",
    "officials", "location", "articles", "url",
)  # fmt: skip


def _cell(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: defuse them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def events_csv(events: Sequence[Event], *, base_url: str) -> str:
    """One row per event (RFC 4180, CRLF), with a BOM so spreadsheets read it as UTF-8."""
    return csv_rows(ordered(events), base_url=base_url).text()


def csv_rows(events: Sequence[Event], *, base_url: str) -> Listing:
    """:func:`events_csv` of ``events`` in the order of the exports, as a
    :class:`Listing` of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def row(values: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    def event_row(e: Event) -> str:
        return row(
            [
                e.id,
                e.date.iso,
                e.date.precision,
                "true" if e.date.approximate else "false",
                e.status,
                e.type,
                _cell(e.title_ar),
                _cell(e.title_en),
                ";".join(sorted(e.officials)),
                _cell(e.location or ""),
                ";".join(dict.fromkeys(c.article for c in e.sources)),
                page_url(base_url, f"events/{e.id}/index.html"),
            ]
        )

    return Listing("\ufeff" + row(list(CSV_COLUMNS)), events, event_row, by_fingerprint)


# --- sitemap and robots ------------------------------------------------------------


#: The most URLs one sitemap file may list (sitemaps.org); past it, a sitemap index.
SITEMAP_URLS = 50_000


#: What XML text or a quoted attribute may need escaped; most URLs hold none of it.
_XML_SPECIAL = re.compile("[&<>\"'\n\r\t]")


def _xml_text(value: str) -> str:
    """``xml_escape``, without its three passes over the many URLs that need none."""
    return value if _XML_SPECIAL.search(value) is None else xml_escape(value)


def _xml_attribute(value: str) -> str:
    """``quoteattr``, likewise."""
    return f'"{value}"' if _XML_SPECIAL.search(value) is None else quoteattr(value)


def sitemap_pages(paths: Iterable[str]) -> list[str]:
    """The pages a sitemap lists, in its order: the HTML pages but the 404 page."""
    return sorted(p for p in paths if p.endswith(".html") and not p.endswith("404.html"))


def sitemap_index(names: Iterable[str], base_url: str) -> str:
    """A sitemaps.org index of the sitemap files ``names``."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    out += [f"  <sitemap><loc>{xml_escape(page_url(base_url, n))}</loc></sitemap>" for n in names]
    out.append("</sitemapindex>")
    return "\n".join(out) + "\n"


def sitemap(
    paths: Iterable[str],
    *,
    base_url: str,
    alternates: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """sitemaps.org 0.9 with the HTML pages (404 excluded); hreflang alternates when given.

    ``alternates`` maps a page path to {language: path of that page in it}.
    """
    return urlset(sitemap_pages(paths), base_url, alternates).text()


def urlset(
    listed: Sequence[str], base_url: str, alternates: Mapping[str, Mapping[str, str]] | None
) -> Listing:
    """:func:`sitemap` of pages listed already (:func:`sitemap_pages`), as a
    :class:`Listing` of ``<url>`` elements, each keyed by its page's path."""
    if alternates is None:  # not `or`: a mapping's truth is its length, worked out page by page
        alternates = {}

    def url(path: str) -> str:
        out = [f"  <url><loc>{_xml_text(page_url(base_url, path))}</loc>\n"]
        others = alternates.get(path)
        if others:
            out += [
                f'    <xhtml:link rel="alternate" hreflang="{lang}" '
                f"href={_xml_attribute(page_url(base_url, other))}/>\n"
                for lang, other in sorted(others.items())
            ]
        out.append("  </url>\n")
        return "".join(out)

    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    )
    return Listing(head, listed, url, str, tail="</urlset>\n")


def robots_txt(base_url: str) -> str:
    """Allow everything; point crawlers at the sitemap when its URL can be absolute."""
    text = "User-agent: *\nAllow: /\n"
    if is_absolute(base_url):
        text += f"\nSitemap: {base_url}sitemap.xml\n"
    return text


# --- schema.org JSON-LD ----------------------------------------------------------------


#: One JSON value on one line, by the C encoder (``indent`` would make json
#: use its pure-Python one, several times slower on a large archive).
json_line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def json_lines(head: dict[str, Any], key: str, records: Sequence[str]) -> str:
    """``head`` plus ``key``: the records, each already one line of JSON
    (:data:`json_line`), as JSON with each record on a line of its own:
    readable, diffable line by line, and the same JSON value as any other
    layout."""
    out = ["{\n"]
    out += [f"{json_line(k)}: {json_line(v)},\n" for k, v in head.items()]
    if records:  # joined once: an archive's records are tens of megabytes
        out += [f"{json_line(key)}: [\n", ",\n".join(records), "\n]\n}\n"]
    else:
        out.append(f"{json_line(key)}: []\n}}\n")
    return "".join(out)


def json_listing(
    key: str, records: Sequence[Any], piece: Callable[[Any], str], record_key: Callable[[Any], str]
) -> Listing:
    """:func:`json_lines` with no head, of ``piece(record)`` for each of
    ``records``, as a :class:`Listing`."""
    if not records:
        return Listing(json_lines({}, key, []))
    return Listing(f"{{\n{json_line(key)}: [\n", records, piece, record_key, ",\n", "\n]\n}\n")


def json_ld(data: object) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: no text can close the script.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc. (valid JSON, inert HTML), and
    the JavaScript line separators are escaped too.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return Markup(text)


def event_ld(
    event: Event, registry: Registry, articles: Mapping[str, Article], *, url: str, lang: str = "ar"
) -> dict[str, object]:
    """schema.org ``Event``: date, place, the officials as performers (``Person``)."""
    english = lang == "en"
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title_en if english else event.title_ar,
        "startDate": event.date.iso,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
        "inLanguage": lang,
        "performer": [_person(registry[o], event.date.value, english) for o in event.officials],
        "subjectOf": [
            {
                "@type": "NewsArticle",
                "headline": articles[c.article].title,
                "datePublished": articles[c.article].published.isoformat(),
                "publisher": {"@type": "Organization", "name": articles[c.article].source},
                **({"url": articles[c.article].url} if articles[c.article].url else {}),
            }
            for c in event.sources
        ],
    }
    if event.location:
        data["location"] = {"@type": "Place", "name": event.location}
    return data


def _person(official: Official, day: dt.date, english: bool) -> dict[str, object]:
    """schema.org ``Person``, with the title held on the event's day when the registry has one."""
    person: dict[str, object] = {
        "@type": "Person",
        "name": official.name_en if english else official.name_ar,
        "alternateName": official.name_ar if english else official.name_en,
    }
    role = next((r for r in official.roles if r.held_on(day)), None)
    if role is not None:
        person["jobTitle"] = role.title_en if english else role.title_ar
    return person


def article_ld(article: Article, *, url: str) -> dict[str, object]:
    """schema.org ``NewsArticle`` for a source page."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "inLanguage": article.lang,
        "publisher": {"@type": "Organization", "name": article.source},
        "mainEntityOfPage": url,
    }
    if article.url:
        data["isBasedOn"] = article.url
    return data


# --- every export, by its path ---------------------------------------------------------


def export_paths(registry: Registry, *, base_url: str, pages: int = 0) -> list[str]:
    """The files :func:`export` makes, in a fixed order, for a site of ``pages`` pages."""
    paths = ["feed.xml", "events.ics", "timeline.json", "events.csv", "robots.txt"]
    if is_absolute(base_url):  # a sitemap of bare paths is invalid: sitemaps.org wants full URLs
        paths.append("sitemap.xml")
        if pages > SITEMAP_URLS:
            paths += [f"sitemap-{n}.xml" for n in range(1, -(-pages // SITEMAP_URLS) + 1)]
    paths += [f"officials/{o}/events.ics" for o in sorted(registry.officials)]
    return paths


def export(
    path: str,
    events: Sequence[Event],
    by_id: Mapping[str, Article],
    registry: Registry,
    *,
    base_url: str,
    title: str,
    description: str,
    pages: Iterable[str],
    alternates: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """One export, named by its output path. ``pages`` are the HTML paths for
    the sitemap."""
    return export_listing(
        path,
        ordered(events),
        by_id,
        registry,
        base_url=base_url,
        title=title,
        description=description,
        pages=sitemap_pages(pages),
        alternates=alternates,
    ).text()


def export_listing(
    path: str,
    events: Sequence[Event],
    by_id: Mapping[str, Article],
    registry: Registry,
    *,
    base_url: str,
    title: str,
    description: str,
    pages: Sequence[str],
    alternates: Mapping[str, Mapping[str, str]] | None = None,
    vevent_keys: Mapping[str, str] | None = None,
) -> Listing:
    """:func:`export` of ``events`` in the order of the exports, and of the
    pages a sitemap lists (:func:`sitemap_pages`), as a :class:`Listing`;
    ``vevent_keys`` as :func:`calendar` takes them.

    The feed and timeline.json need only the events that may be among the
    newest or the latest, the calendar of an official only theirs."""
    if path == "feed.xml":
        return Listing(
            atom_feed(events, by_id, registry, base_url=base_url, title=title, subtitle=description)
        )
    if path == "events.ics":
        return calendar(events, by_id, registry, base_url=base_url, name=title, keys=vevent_keys)
    if path == "timeline.json":
        return Listing(
            timeline_json(events, registry, base_url=base_url, title=title, description=description)
        )
    if path == "events.csv":
        return csv_rows(events, base_url=base_url)
    if path == "robots.txt":
        return Listing(robots_txt(base_url))
    if path.startswith("sitemap"):
        if len(pages) <= SITEMAP_URLS:
            return urlset(pages, base_url, alternates)
        if path == "sitemap.xml":
            parts = -(-len(pages) // SITEMAP_URLS)
            return Listing(
                sitemap_index([f"sitemap-{n}.xml" for n in range(1, parts + 1)], base_url)
            )
        start = (int(path[len("sitemap-") : -len(".xml")]) - 1) * SITEMAP_URLS
        return urlset(pages[start : start + SITEMAP_URLS], base_url, alternates)
    official = registry.officials[path.split("/")[1]]
    own = [e for e in events if official.id in e.officials]
    name = f"{official.name_ar} · {title}"
    return calendar(own, by_id, registry, base_url=base_url, name=name, keys=vevent_keys)
