"""Events, officials and articles -> ``{path: bytes}`` for every page and export.

Pure: nothing here reads content or writes the site. Templates are Jinja with
autoescape on and ``StrictUndefined``, so a missing value is an error, not an
empty string, and no text from content can become markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
import json
import multiprocessing
import operator
from array import array
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, MutableMapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Generic, NamedTuple, TypeVar

import jinja2
import markupsafe

from generator import (
    __version__,
    cache,
    constants,
    display,
    exports,
    i18n,
    markup,
    search,
    templates,
)
from generator.cache import digest, digest_many, engine_version
from generator.config import Config, settings_key
from generator.models import EVENT_TYPES, STATUSES, Article, Event, EventDate
from generator.officials import Registry, Unregistered

R = TypeVar("R")

# Kept for callers that want the Arabic vocabulary directly.
COUNTRY_NAMES_AR = i18n.COUNTRIES["ar"]
TYPE_LABELS_AR = i18n.TYPES["ar"]
STATUS_LABELS_AR = i18n.STATUSES["ar"]


class _Environment(jinja2.Environment):
    """An environment whose globals are set before any template is loaded.

    Jinja gives each template a ``ChainMap`` over the environment's globals,
    so that globals set later still reach it, and copies it into a dict,
    key by key in Python, for every page it renders, and compares its keys
    with a page's for every macro file the page imports. The globals of a
    build are set once, before the first template is loaded, so each
    template gets them as a plain dict instead.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def environment(config: Config, lang: str = "ar") -> jinja2.Environment:
    """The templates, with filters and words for pages in ``lang``.

    One set of templates serves every language; what differs (labels, names,
    titles, date formats, digits) comes from here.
    """
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates.templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one version of the templates: no stat per page
        extensions=[constants.Constants],
    )
    english = lang == "en"
    style = "latin" if english else config.digits

    months: dict[str, str] = {}  # article id -> the month names it uses, found once
    label = display.labeller(english, style)
    hijri_labels: dict[tuple[dt.date, str], str | None] = {}  # by day and precision too

    def date(value: EventDate, article: Article | None = None) -> str:
        if article is None or english:
            return label(value, config.month_names)
        if article.id not in months:
            months[article.id] = _months(config, article)
        return label(value, months[article.id])

    def hijri(value: EventDate) -> str | None:
        key = (value.value, value.precision)
        if key not in hijri_labels:
            hijri_labels[key] = (
                display.hijri_en(value) if english else display.hijri_ar(value, style)
            )
        return hijri_labels[key]

    env.filters["digits"] = lambda v: display.digits(v, style)
    env.filters["date"] = date
    env.filters["hijri"] = hijri
    env.filters["day"] = lambda day, article=None: date(EventDate(day), article)
    env.filters["hijri_day"] = lambda day: hijri(EventDate(day))
    env.filters["markdown"] = markup.markdown_html
    env.filters["safe_url"] = markup.safe_url
    # The record's own words in the page's language, and in the other one.
    env.filters["name"] = lambda o: o.name_en if english else o.name_ar
    env.filters["other_name"] = lambda o: o.name_ar if english else o.name_en
    env.filters["title"] = lambda e: e.title_en if english else e.title_ar
    env.filters["other_title"] = lambda e: e.title_ar if english else e.title_en
    env.filters["role_title"] = lambda r: r.title_en if english else r.title_ar
    env.filters["other_role_title"] = lambda r: r.title_ar if english else r.title_en
    env.filters["outlet"] = lambda a: (
        str(a.extra.get("source_en") or a.source) if english else a.source
    )
    env.filters["countries_of"] = lambda e, registry: sorted(
        {registry[o].country for o in e.officials}
    )
    env.filters["count"] = lambda n, what: i18n.count(n, what, lang, style)
    env.filters["entry"] = Entries()
    other = "ar" if english else "en"
    env.globals.update(
        site=config,
        lang=lang,
        other_lang=other,
        other_dir="rtl" if english else "ltr",
        t=i18n.LABELS[lang],
        site_title=config.title_en if english else config.title_ar,
        site_description=config.description_en if english else config.description_ar,
        type_labels=i18n.TYPES[lang],
        status_labels=i18n.STATUSES[lang],
        countries=i18n.COUNTRIES[lang],
        version=__version__,
    )
    # Compiled templates are kept in the build cache, keyed by their source
    # and by the words compiled into them.
    env.bytecode_cache = _bytecode_cache(config.cache, constants.constants_digest(env))
    return env


class Entries:
    """The ``entry`` filter: an event's entry in a list of events, made once
    and reused (``{{ event | entry(event_item, registry, root) }}``).

    An event is listed on the page of its month and on the year page of each
    of its officials: the same entry but for the way back to the site root.
    The entry is rendered once, with a marker for the root that no text from
    content can hold (a template escapes every ``<`` of content), and the
    marker is replaced on each page. So the macro must make the entry of its
    arguments alone (the event, the registry, the root) and output ``root``
    as it is. The pages listing events are rendered a language and a year at
    a time (:func:`_turn`), so a worker keeps only the entries of its turn:
    at most :attr:`LIMIT`, which a year of a large archive may pass.
    """

    LIMIT = 10_000
    ROOT = markupsafe.Markup("<root>")

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], str] = {}

    def __call__(
        self, event: Event, macro: jinja2.runtime.Macro, registry: Registry, root: str
    ) -> markupsafe.Markup:
        key = (event.id, macro.name)
        text = self.kept.get(key)
        if text is None:
            if len(self.kept) >= self.LIMIT:
                self.kept.clear()
            text = self.kept[key] = str(macro(event, registry, self.ROOT))
        return markupsafe.Markup(text.replace(self.ROOT, markupsafe.escape(root)))


def _bytecode_cache(cache: Path | None, constants: str) -> jinja2.BytecodeCache | None:
    """Compiled templates in the build cache (Jinja keys them by their source;
    ``constants`` tells apart those that differ by the words compiled in)."""
    if cache is None:
        return None
    try:
        (cache / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # the build says the cache is unusable; it goes on without
    return jinja2.FileSystemBytecodeCache(str(cache / "templates"), f"{constants[:16]}-%s.cache")


def _months(config: Config, article: Article | None) -> str:
    """Dates told by an article are named as its region names months."""
    if article is None:
        return config.month_names
    return display.month_names_for(article, config.month_names)


@dataclass(frozen=True)
class Page:
    """Where a page lives, and the relative way back to the site root."""

    path: str  # e.g. "events/x/index.html" or "en/events/x/index.html"

    @property
    def root(self) -> str:
        depth = len(PurePosixPath(self.path).parts) - 1
        return "../" * depth if depth else "./"


@dataclass(frozen=True)
class Alternate:
    """The same page in another language: for ``<link hreflang>`` and the visible link."""

    lang: str
    name: str
    href: str  # relative to the page
    url: str  # absolute when base_url is


def prefix_of(config: Config, lang: str) -> str:
    """The first language is at the root, the others under ``/<lang>/``."""
    return "" if lang == config.languages[0] else f"{lang}/"


# --- planning: every output file, with a key of what it shows ------------------
#
# A rebuild renders only the files whose key changed. A key is the digest of
# everything a file is made from: the code and templates (the same for all),
# the site's settings and registry, and the records the file shows (an event
# page: its event and the articles it cites; an official's page: the official
# and their events; a source page: the article and the events citing it).
# Files that show the whole archive (the timeline, the lists, the exports) are
# keyed by all of it.


class Alternates(Mapping[str, Mapping[str, str]]):
    """Each page's path in every language, for the sitemap: every page but
    the 404 page is made in each language, at the same path under its prefix."""

    def __init__(self, config: Config, pages: list[str]):
        self.pages = pages
        self._prefixes = [(lang, prefix_of(config, lang)) for lang in config.languages]
        self._others = [prefix for _, prefix in self._prefixes if prefix]
        self._listed: set[str] | None = None

    def __getitem__(self, path: str) -> dict[str, str]:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def get(self, path: str, default: Any = None) -> Any:
        """The page's path in every language; the sitemap asks it of every page,
        so it looks the page up once."""
        if self._listed is None:
            self._listed = set(self.pages)
        if path not in self._listed:
            return default
        rest = self._rest(path)
        if rest == "404.html":
            return default
        return {lang: prefix + rest for lang, prefix in self._prefixes}

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None

    def __iter__(self) -> Iterator[str]:
        return (path for path in self.pages if self._rest(path) != "404.html")

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _rest(self, path: str) -> str:
        """``path`` without its language's prefix."""
        for prefix in self._others:
            if path.startswith(prefix):
                return path[len(prefix) :]
        return path


class Planned(NamedTuple):
    """One output file to make: where, from what (``kind`` and ``subject``), its key.

    A named tuple: a large site plans a hundred thousand of them on every build.
    """

    path: str
    key: str
    kind: str  # "page", "export", "feed", "events.json" or "static"
    lang: str = ""
    template: str = ""
    subject: str = ""  # an event, official or article id, or a file name


#: Above this many events the timeline is one page a month, the home page
#: showing the latest month: one page of tens of thousands of events is too
#: heavy for a reader's browser, and would be rendered again on every edit.
TIMELINE_PAGE_LIMIT = 500


@dataclass(frozen=True)
class Month:
    """One page of a timeline split by month."""

    key: str  # "YYYY-MM", also the page's folder under timeline/
    date: EventDate  # the month, for its label
    events: tuple[Event, ...]


#: An event's first day (``event.date.value``), looked up in C.
_first_day = operator.attrgetter("date.value")


def months_of(events: list[Event]) -> list[Month]:
    """The events by the month their date starts in, oldest month first."""
    by_month: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for day, event in zip(map(_first_day, events), events, strict=True):
        by_month[day.year, day.month].append(event)
    named = [(members[0].date.value.strftime("%Y-%m"), members) for members in by_month.values()]
    return [
        Month(key, EventDate(members[0].date.value.replace(day=1), "month"), tuple(members))
        for key, members in sorted(named, key=operator.itemgetter(0))
    ]


#: Above this many events an official's page lists the latest year, with a
#: page for each year: the same reasons as :data:`TIMELINE_PAGE_LIMIT`.
OFFICIAL_PAGE_LIMIT = 300


@dataclass(frozen=True)
class Year:
    """One page of an official's events, split by year."""

    key: str  # "YYYY", also the page's folder under officials/<id>/
    date: EventDate
    events: tuple[Event, ...]


def years_of(events: list[Event]) -> list[Year]:
    """The events by the year their date starts in, oldest year first."""
    by_year: dict[int, list[Event]] = defaultdict(list)
    for day, event in zip(map(_first_day, events), events, strict=True):
        by_year[day.year].append(event)
    return [
        Year(f"{year:04d}", EventDate(dt.date(year, 1, 1), "year"), tuple(members))
        for year, members in sorted(by_year.items())
    ]


class Site:
    """The records a site is rendered from, indexed once for every page."""

    def __init__(
        self, config: Config, articles: list[Article], registry: Registry, events: list[Event]
    ):
        self.config = config
        self.articles = articles
        self.registry = registry
        self.events = events
        self.by_article = {a.id: a for a in articles}
        self.by_event = {e.id: e for e in events}
        self.events_of: dict[str, list[Event]] = defaultdict(list)
        self.cited: dict[str, list[tuple[Any, Event]]] = defaultdict(list)
        events_of, cited = self.events_of, self.cited
        for event in events:
            for official in event.officials:
                events_of[official].append(event)
            for citation in event.sources:
                cited[citation.article].append((citation, event))
        self.months = months_of(events) if len(events) > TIMELINE_PAGE_LIMIT else []
        self.years = {
            official: years_of(own)
            for official, own in self.events_of.items()
            if len(own) > OFFICIAL_PAGE_LIMIT
        }
        self.html_paths: list[str] = []  # every page, for the sitemap
        self.keys: _Keys | None = None  # set by plan_archive
        self.layout: list[_Page] = []  # every page of a language, set by plan_archive
        #: every page of every language: (prefix, path, (lang, template, subject, recorded))
        self.page_paths: list[tuple[str, str, tuple[str, str, str, bool]]] = []
        self.fragments: dict[str, Fragments] = {}
        self.splicers: dict[str, Splicer] = {}
        #: ``earlier(path, key)``: the bytes of the file the last build made
        #: at ``path`` for ``key``, if it is still as written (the build sets it).
        self.earlier: Callable[[str, str], bytes | None] = lambda path, key: None
        self._environments: dict[str, jinja2.Environment] = {}
        self.vevent_keys: dict[str, str] | None = None  # by event id, set by plan_archive
        self._in_order: list[Event] | None = None
        self._sitemap_pages: list[str] | None = None

    def environment(self, lang: str) -> jinja2.Environment:
        if lang not in self._environments:
            self._environments[lang] = environment(self.config, lang)
        return self._environments[lang]

    @property
    def in_order(self) -> list[Event]:
        """The events in the order of the exports: by date, then id (the
        order a build gives them in)."""
        if self._in_order is None:
            ordered = exports.ordered(self.events)
            self._in_order = self.events if ordered == self.events else ordered
        return self._in_order

    def in_order_of(self, official: str) -> list[Event]:
        """The events of ``official`` in the order of the exports."""
        own = self.events_of[official]
        return own if self.in_order is self.events else exports.ordered(own)

    def latest(self, count: int) -> list[Event]:
        """The latest ``count`` events, in order (those timeline.json shows)."""
        return self.in_order[max(len(self.in_order) - count, 0) :] if count > 0 else []

    def newest(self, count: int) -> list[Event]:
        """The events that may be among the ``count`` newest of a feed, and
        all of them: found from the newest articles, not from every event.

        An event is as new as the newest article it cites, or its own date
        when it cites none (``exports.event_updated``): the events citing
        an article of a day or later, with those citing none dated that day
        or later, are the events at least as new as the day. Taken from the
        newest day back until they are ``count``, they hold the ``count``
        newest, and every event as new as the last of them.
        """
        uncited = sorted((e for e in self.events if not e.sources), key=lambda e: e.date.value)
        articles = sorted(self.articles, key=lambda a: a.published)
        days = sorted({a.published for a in articles} | {e.date.value for e in uncited})
        found: dict[str, Event] = {}
        while days and len(found) < count:
            day = days.pop()
            while articles and articles[-1].published >= day:
                found.update((e.id, e) for _, e in self.cited.get(articles.pop().id, ()))
            while uncited and uncited[-1].date.value >= day:
                event = uncited.pop()
                found[event.id] = event
        return list(found.values())

    def sitemap_pages(self) -> list[str]:
        """The pages the sitemaps list, in their order."""
        if self._sitemap_pages is None:
            self._sitemap_pages = exports.sitemap_pages(self.html_paths)
        return self._sitemap_pages

    def splice(self, item: Planned, listing: exports.Listing) -> bytes:
        """The bytes of ``listing``, the file of ``item``: the text of each
        record found in the last build's files where it can be (see
        :class:`Splicer`)."""
        if not listing.records:
            return listing.text().encode("utf-8")
        family = _family(item) or item.path
        if family not in self.splicers:
            self.splicers[family] = Splicer(self, family)
        return self.splicers[family].splice(item, listing)

    def search_memo(self) -> search.Memo:
        """Each event's and article's part of the search index, kept between builds."""
        if self.keys is None:
            return search.fresh
        if "search" not in self.fragments:
            records = [*self.events, *self.articles]
            self.fragments["search"] = Fragments(self, "search", records, _fingerprint)
        return self.fragments["search"]

    def search_terms(self) -> search.Terms:
        """What the search index lists for each token, kept between builds
        under a digest of the token and its documents' numbers: an edit
        makes again only the lists of the tokens whose documents it changed."""
        if self.keys is None:
            return search.fresh_terms

        def terms(postings: list[tuple[str, array]]) -> list[bytes]:
            kept = Fragments(self, "search-terms", postings, _term_key)
            self.fragments["search-terms"] = kept
            return [kept(pair, _term_entry) for pair in postings]

        return terms

    def keep_fragments(self) -> None:
        """Keep the layouts of the files of the whole archive and the search
        entries made so far for the next build, and let them go."""
        for splicer in self.splicers.values():
            splicer.keep()
        self.splicers.clear()
        for fragments in self.fragments.values():
            fragments.keep()
        self.fragments.clear()


class Layout(NamedTuple):
    """Where the text of each record lies in a file of the whole archive."""

    made_for: str  # the key the file was planned with, which the manifest records with it
    size: int  # of the file, in bytes
    head: int  # bytes before the first record's text
    sep: int  # bytes between two records' texts
    keys: list[str]  # the key of each record (exports.Listing.key), in the file's order
    lengths: list[int]  # the bytes of each record's text

    def describes(self, data: bytes) -> bool:
        """Whether the texts it places fit in ``data``, a file of its size."""
        texts = self.head + sum(self.lengths) + self.sep * (len(self.lengths) - 1)
        return len(data) == self.size and len(self.keys) == len(self.lengths) and texts <= self.size


class Splicer:
    """Makes the files of an export family (events.json, the CSV, the
    calendars, the sitemaps) from the files the last build wrote: the text
    of a record whose key is unchanged is copied from there, in runs of
    records that lay together, and only the texts of the others are made.

    The layout of each file (:class:`Layout`: each record's key and length
    in bytes) is kept in the cache under the key of the code, templates,
    settings and registry, and tied to the file by the key the file was
    planned with: a file is read back only if the manifest records it with
    that key, as it wrote it (same size and time), so the texts found in it
    are those the records' keys give. Anything else (no layout, another
    key, a file changed or gone) and the texts are made again.

    An official's calendar lists some of the events: it is made of the
    VEVENTs of events.ics, which lists them all, and keeps no layout.
    """

    def __init__(self, site: Site, family: str):
        self.site = site
        self.common = site.keys.common if site.keys is not None else None
        self.folder = site.config.cache if self.common is not None else None
        self.kind = "layouts-" + family.replace("/", "-")
        self.earlier: dict[str, tuple[Layout, bytes]] | None = None  # read on first use
        # The texts found there: a record's key -> its place among them.
        self.where: dict[str, int] = {}
        self.views: list[memoryview] = []  # each text's file,
        self.starts: list[int] = []  # where it starts in it,
        self.ends: list[int] = []  # and ends.
        # The calendars of the officials list VEVENTs that events.ics lists
        # too: the texts made for one are kept for the others.
        self.shared = family == "events.ics"
        self.made: dict[str, bytes] = {}
        self.layouts: dict[str, Layout] = {}  # of the files made here

    def _read(self) -> None:
        self.earlier = {}
        if self.folder is None:
            return
        kept = cache.recall(self.folder, self.kind, self.common) or {}
        for path, layout in sorted(kept.items()):
            data = self.site.earlier(path, layout.made_for)
            if data is None or not layout.describes(data):
                continue
            self.earlier[path] = (layout, data)
            count, place = len(layout.lengths), len(self.starts)
            self.where.update(zip(layout.keys, itertools.count(place)))
            steps = (length + layout.sep for length in layout.lengths)
            self.starts += itertools.islice(itertools.accumulate(steps, initial=layout.head), count)
            self.ends += map(operator.add, self.starts[place:], layout.lengths)
            self.views += itertools.repeat(memoryview(data), count)

    def splice(self, item: Planned, listing: exports.Listing) -> bytes:
        if self.earlier is None:
            self._read()
        where, views, starts, ends, made = self.where, self.views, self.starts, self.ends, self.made
        keys = list(map(listing.key, listing.records))
        lengths: list[int] = []
        texts: list[bytes | memoryview] = []  # joined by the separator
        first = last = -2  # a run of texts found together, by their places

        for record, key in zip(listing.records, keys, strict=True):
            place = where.get(key, -1)
            if place >= 0:
                lengths.append(ends[place] - starts[place])
                if place == last + 1 and views[place] is views[last]:
                    last = place
                    continue
                if last >= 0:
                    texts.append(views[first][starts[first] : ends[last]])
                first = last = place
                continue
            if last >= 0:
                texts.append(views[first][starts[first] : ends[last]])
                first = last = -2
            text = made.get(key)
            if text is None:
                text = listing.piece(record).encode("utf-8")
                if self.shared:
                    made[key] = text
            lengths.append(len(text))
            texts.append(text)
        if last >= 0:
            texts.append(views[first][starts[first] : ends[last]])
        head, sep = listing.head.encode("utf-8"), listing.sep.encode("utf-8")
        parts: list[bytes | memoryview] = [head]
        for text in texts:
            if sep and len(parts) > 1:
                parts.append(sep)
            parts.append(text)
        parts.append(listing.tail.encode("utf-8"))
        data = b"".join(parts)
        if not item.path.startswith("officials/"):
            layout = Layout(item.key, len(data), len(head), len(sep), keys, lengths)
            self.layouts[item.path] = layout
        return data

    def keep(self) -> None:
        """Keep the layouts of the files made here, with those of the files
        of the family read back and not made again."""
        if self.folder is None or not self.layouts:
            return
        kept = {path: layout for path, (layout, _) in (self.earlier or {}).items()}
        cache.remember(self.folder, self.kind, self.common, {**kept, **self.layouts})


class Fragments(Generic[R]):
    """Each event's and article's entry in the search index, under the
    record's fingerprint and the key of the code, templates, settings and
    registry, and what the index lists for each token, under a digest of
    the token and its documents' numbers. An edit makes again only the
    entries of the records it changed and the lists of the tokens whose
    documents it changed; the rest are read back from the cache.

    The texts are kept whole, and the ones made since then apart (``-recent``)
    while they are few: an edit then writes a few texts, not tens of
    megabytes. A text is found by the key of everything it was made from, so
    a recent text is never wrong, whichever whole it comes with.
    """

    #: The recent texts are folded into the whole once they are more than
    #: this share of the records.
    RECENT_SHARE = 1 / 8

    def __init__(self, site: Site, name: str, records: list[Any], key: Callable[[Any], str]):
        assert site.keys is not None
        self.common = site.keys.common  # the code, templates, settings, registry
        self.records = records
        self.key = key
        self.folder = site.config.cache
        self.kind = "fragments-" + name.replace("/", "-")
        self.kept: dict[str, R] | None = None  # from the last build, read on first use
        self.recent: dict[str, R] = {}  # of those, the ones kept apart
        self.whole = False  # whether the kept texts came with a whole
        self.made: dict[str, R] = {}
        self.used: dict[str, R] = {}

    def __call__(self, record: Any, make: Callable[[Any], R]) -> R:
        key = self.key(record)
        text = self.used.get(key)
        if text is None:
            if self.kept is None:
                self.kept = self._recall()
            text = self.kept.get(key)
            if text is None:
                text = self.made[key] = make(record)
            self.used[key] = text
        return text

    def _recall(self) -> dict[str, R]:
        kept = cache.recall(self.folder, self.kind, self.common)
        self.whole = kept is not None
        if kept is None:
            return {}
        self.recent = cache.recall(self.folder, self.kind + "-recent", self.common) or {}
        return {**kept, **self.recent} if self.recent else kept  # what was recalled stays as it was

    def keep(self) -> None:
        """Keep the texts of today's records for the next build, if any is new."""
        if not self.made:
            return
        today = list(map(self.key, self.records))
        wanted = set(today)
        recent = {key: text for key, text in {**self.recent, **self.made}.items() if key in wanted}
        if self.whole and len(recent) <= len(today) * self.RECENT_SHARE:
            cache.remember(self.folder, self.kind + "-recent", self.common, recent)
        else:
            texts = {**(self.kept or {}), **self.used}
            whole = {key: texts[key] for key in today if key in texts}
            cache.remember(self.folder, self.kind, self.common, whole)
            if self.recent:
                cache.remember(self.folder, self.kind + "-recent", self.common, {})
        self.made.clear()


def _fingerprint(record: Event | Article) -> str:
    return record.fingerprint


def _term_key(pair: tuple[str, array]) -> str:
    token, numbers = pair
    return digest(token, numbers.tobytes())


def _term_entry(pair: tuple[str, array]) -> bytes:
    return search.entry(*pair)


def plan_site(site: Site) -> list[Planned]:
    """Every file of the site, in a fixed order, each with its key."""
    archive = plan_archive(site)
    return [*plan_pages(site), *archive]


def plan_archive(site: Site, earlier: Earlier | None = None) -> list[Planned]:
    """The files showing the whole archive (the exports, the feeds, the
    sitemaps) and the static files, each with its key; lays out the pages
    too (``site.html_paths``), whose keys :func:`plan_pages` gives.

    These files take longest to make and their keys are quick to find: a
    build starts making them before it keys every page. With ``earlier``,
    the last build of the same output, a file showing only records that
    did not change since keeps the key that build recorded for it
    (:func:`touched`)."""
    config, registry = site.config, site.registry
    common = digest(
        engine_version(),
        templates.templates_digest(),
        settings_key(config),
        registry_fingerprint(registry),
    )
    event_keys = {e.id: e.fingerprint for e in site.events}
    article_keys = {a.id: a.fingerprint for a in site.articles}
    everything = digest_many(common, *event_keys.values(), *article_keys.values())
    keys = site.keys = _Keys(common, event_keys, article_keys, everything)
    touch = touched(site, earlier.basis) if earlier is not None else None
    key_of = earlier.key_of if earlier is not None and touch is not None else None
    # A page's key is the same in every language.
    site.layout = _pages(site, keys, touch, key_of)
    site.page_paths = _page_paths(config, site.layout)
    site.html_paths = [prefix + path for prefix, path, _ in site.page_paths]
    planned: list[Planned] = []
    # The exports show the events; some show the articles they cite too; the
    # sitemap only lists the pages. Each is keyed by no more than it shows.
    events_only = digest_many(common, *event_keys.values())
    planned.append(Planned("events.json", events_only, "events.json"))
    pages = [p for p in site.html_paths if not p.endswith("404.html")]
    listing = digest_many(common, *pages)
    # timeline.json shows the latest events only: an edit of older ones leaves it be.
    latest = digest_many(common, *(event_keys[e.id] for e in site.latest(exports.TIMELINE_SLIDES)))
    vevents = site.vevent_keys = {e.id: exports.vevent_key(e, site.by_article) for e in site.events}
    for path in exports.export_paths(registry, base_url=config.base_url, pages=len(pages)):
        key = {"events.csv": events_only, "timeline.json": latest}.get(path, everything)
        if path.startswith("sitemap"):
            key = listing
        elif path == "robots.txt":
            key = common
        elif path.startswith("officials/"):  # officials/<id>/events.ics: their VEVENTs
            official = path.split("/")[1]
            kept = key_of(path) if key_of and official not in touch.officials else None
            own = site.events_of[official]
            key = kept or digest_many(common, path, *(vevents[e.id] for e in own))
        planned.append(Planned(path, key, "export", subject=path))
    for lang in config.languages[1:]:  # the feeds readers subscribe to, in their language
        for name in ("feed.xml", "timeline.json"):
            key = latest if name == "timeline.json" else everything
            planned.append(Planned(prefix_of(config, lang) + name, key, "feed", lang, "", name))
    for asset in static_assets():
        data = asset.read_bytes()
        planned.append(Planned(f"static/{asset.name}", digest(data), "static", subject=asset.name))
    return planned


def plan_pages(
    site: Site, keeps: Callable[[list[str]], Container[str]] | None = None
) -> list[Planned]:
    """Every HTML page laid out by :func:`plan_archive`, each with its key,
    but those ``keeps`` keeps as the last build made them: it is given the
    pages whose key is the one that build recorded (most pages, after an
    edit), and returns those it keeps, as a set."""
    keyed = {page.path: page.key() for page in site.layout}
    every = site.page_paths
    kept: Container[str] = ()
    if keeps is not None:
        kept = keeps([prefix + path for prefix, path, (_, _, _, recorded) in every if recorded])
    return [
        Planned(prefix + path, keyed[path], "page", lang, template, subject)
        for prefix, path, (lang, template, subject, _) in every
        if prefix + path not in kept
    ]


def plan_search(site: Site) -> Planned:
    """The search index, made from the records (not the pages) laid out by
    :func:`plan_archive`: keyed by every one of them."""
    assert site.keys is not None
    return Planned("search/", digest("search", site.keys.everything), "search")


def _page_paths(
    config: Config, layout: list[_Page]
) -> list[tuple[str, str, tuple[str, str, str, bool]]]:
    """(language prefix, path, (language, template, subject, recorded)) of
    every page of every language, in the site's order."""
    return [
        (prefix, page.path, (lang, page.template, page.subject, page.recorded))
        for lang, prefix in ((lang, prefix_of(config, lang)) for lang in config.languages)
        for page in layout
        if not (prefix and page.path == "404.html")  # one 404 page serves the whole site
    ]


@dataclass(frozen=True)
class _Keys:
    """The keys pages are made of; a page's key needs no language or path in
    it, since the manifest records it by the page's path."""

    common: str  # code, templates, settings, registry: in every key
    events: dict[str, str]  # id -> Event.fingerprint
    articles: dict[str, str]  # id -> Article.fingerprint
    everything: str
    pages: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> key

    def event_page(self, event: Event) -> str:
        """An event page shows the event and the articles it cites."""
        if ("event", event.id) not in self.pages:
            cited = sorted({c.article for c in event.sources})
            self.pages[("event", event.id)] = digest(
                self.common, self.events[event.id], *(self.articles[a] for a in cited)
            )
        return self.pages[("event", event.id)]

    def article_list(self) -> str:
        """The list of sources shows each article's title, outlet and date, in
        the month names its body uses: keyed by every article's fingerprint,
        which also spares reading every body for its month names."""
        return digest_many(self.common, *self.articles.values())

    def source_page(self, article: Article, cited: list[tuple[Any, Event]]) -> str:
        """A source page shows the article and the events citing it."""
        if ("source", article.id) not in self.pages:
            citing = sorted({e.id for _, e in cited})
            self.pages[("source", article.id)] = digest(
                self.common, self.articles[article.id], *(self.events[e] for e in citing)
            )
        return self.pages[("source", article.id)]


# --- after an edit: key again only the files whose records changed -------------
#
# A page's key is a digest of what it shows, and keying every page of a large
# archive takes seconds. The records a build keyed its pages from are kept
# for the next build of the same output (a :class:`Basis`): the records an
# edit changed, added or removed, in their new form and in their old one,
# name the pages that show them; every other page shows what it showed, and
# keeps the key the last build recorded for it.


class Basis(NamedTuple):
    """What a build keyed its pages from, kept for the next build."""

    common: str  # the code, templates, settings and registry: in every key
    #: event id -> its fingerprint, and what lists it (see :func:`_listed_in`):
    #: one text an event, which a build reads back in a few hundredths of a
    #: second for tens of thousands of events
    events: dict[str, str]
    articles: dict[str, str]  # article id -> fingerprint
    months: tuple[str, ...]  # the timeline's month pages, if it is split by month


class Earlier(NamedTuple):
    """The last build of an output: what it keyed its pages from, and the
    key it recorded for each file (None for a file it did not make)."""

    basis: Basis
    key_of: Callable[[str], str | None]


def basis_of(site: Site) -> Basis:
    """What :func:`plan_archive` keyed the pages of ``site`` from."""
    assert site.keys is not None
    return Basis(
        site.keys.common,
        {e.id: _listed_in(e) for e in site.events},
        dict(site.keys.articles),
        tuple(m.key for m in site.months),
    )


def _listed_in(event: Event) -> str:
    """The event's fingerprint, month, officials and the articles it cites,
    NUL-separated (no id holds a NUL): the fingerprint first, of a fixed length."""
    officials, cited = event.officials, _cited(event)
    return "\0".join((event.fingerprint, _month(event), str(len(officials)), *officials, *cited))


def _unlisted(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The month, officials and articles cited that :func:`_listed_in` wrote."""
    _, month, count, *rest = text.split("\0")
    return month, tuple(rest[: int(count)]), tuple(rest[int(count) :])


def _month(event: Event) -> str:
    """The month whose page lists ``event`` (as :func:`months_of` files it)."""
    return f"{event.date.value.year:04d}-{event.date.value.month:02d}"


def _cited(event: Event) -> tuple[str, ...]:
    return tuple(sorted({c.article for c in event.sources}))


@dataclass(frozen=True)
class Touched:
    """The records whose pages an edit may have changed: an event page, a
    source page, a month of the timeline or an official's pages (and
    calendar) is keyed again if it names one of them."""

    events: Container[str]
    articles: Container[str]
    months: Container[str]
    officials: Container[str]

    @classmethod
    def everything(cls) -> Touched:
        return cls(_All(), _All(), _All(), _All())


class _All:
    """Holds everything: what touches every record."""

    def __contains__(self, item: object) -> bool:
        return True


def touched(site: Site, basis: Basis) -> Touched | None:
    """What changed since the build ``basis`` was kept from, as the pages see
    it; None when every page may have (new code, templates, settings or
    registry: every key holds them).

    An event whose fingerprint is new (added, or any field changed) touches
    its page, its month and its officials, and the source pages of the
    articles it cites, both as it is now and as it was (its old date's
    month, its old officials); an event gone touches what it touched. An
    article changed touches its source page and the pages of the events
    citing it (whose page keys hold its fingerprint), and with them their
    officials' calendars.
    """
    keys = site.keys
    if keys is None or basis.common != keys.common:
        return None
    old_events, old_articles = basis.events, basis.articles
    articles = {a for a, fp in keys.articles.items() if old_articles.get(a) != fp}
    changed_articles = set(articles)
    articles |= old_articles.keys() - keys.articles.keys()
    events: set[str] = set()
    months: set[str] = set()
    officials: set[str] = set()
    was: list[str] = []  # what listed the events changed or gone, as they were
    for event in site.events:
        old = old_events.get(event.id)
        if old is not None and old.startswith(keys.events[event.id] + "\0"):
            continue
        events.add(event.id)
        months.add(_month(event))
        officials.update(event.officials)
        articles.update(_cited(event))
        if old is not None:
            was.append(old)
    was += [old_events[gone] for gone in old_events.keys() - keys.events.keys()]
    for old in was:
        month, named, cited = _unlisted(old)
        months.add(month)
        officials.update(named)
        articles.update(cited)
    for article in changed_articles:
        for _, event in site.cited.get(article, ()):
            events.add(event.id)
            officials.update(event.officials)
    calendar = tuple(m.key for m in site.months)
    return Touched(events, articles, _All() if calendar != basis.months else months, officials)


class _Page(NamedTuple):
    """A page of the site as :func:`_pages` lays it out."""

    path: str  # under the language's prefix
    template: str
    key: Callable[[], str]  # found when asked for
    subject: str
    recorded: bool  # its key is the one the last build recorded for it


def _pages(
    site: Site,
    keys: _Keys,
    touch: Touched | None = None,
    key_of: Callable[[str], str | None] | None = None,
) -> list[_Page]:
    """Every HTML page of a language, its key found when asked for: the
    paths are known at once, the keys of tens of thousands of pages take
    a second. A page showing only records ``touch`` leaves out keeps the
    key the last build recorded for it (``key_of``), if it recorded one."""
    registry = site.registry
    pages: list[_Page] = []
    if touch is None or key_of is None:
        touch, key_of = Touched.everything(), lambda path: None

    def page(
        path: str, template: str, key: Callable[[], str], subject: str = "", same: bool = False
    ) -> None:
        kept = key_of(path) if same else None
        if kept is None:
            pages.append(_Page(path, template, key, subject, False))
        else:
            pages.append(_Page(path, template, known(kept), subject, True))

    def known(key: str) -> Callable[[], str]:
        return lambda: key

    def listing(around: Callable[[], str], shown: Iterable[Event]) -> Callable[[], str]:
        return lambda: digest_many(around(), *(keys.events[e.id] for e in shown))

    page("index.html", "index.html", known(keys.everything))
    if site.months:
        calendar = known(digest(keys.common, *(m.key for m in site.months)))  # on every page
        for month in site.months:
            same = month.key not in touch.months
            key = listing(calendar, month.events)
            page(f"timeline/{month.key}/index.html", "index.html", key, month.key, same)
    for event in site.events:
        key = functools.partial(keys.event_page, event)
        same = event.id not in touch.events
        page(f"events/{event.id}/index.html", "event.html", key, event.id, same)
    counts = (f"{o}:{len(site.events_of[o])}" for o in registry.officials)
    page("officials/index.html", "officials.html", known(digest(keys.common, *counts)))
    for official in registry.officials.values():
        own = site.events_of[official.id]
        years = site.years.get(official.id, [])
        same = official.id not in touch.officials
        path = f"officials/{official.id}/index.html"
        if not years:
            key = listing(known(digest(keys.common, official.id)), own)
            page(path, "official.html", key, official.id, same)
            continue
        # Every year's page shows the list of years and whom the official met;
        # an edit renders again only the pages of the years it touches.
        around = functools.cache(functools.partial(_around, keys.common, official.id, own, years))
        page(path, "official.html", listing(around, years[-1].events), official.id, same)
        for year in years:
            subject = f"{official.id}/{year.key}"
            key = listing(around, year.events)
            page(f"officials/{subject}/index.html", "official.html", key, subject, same)
    for article in site.articles:
        key = functools.partial(keys.source_page, article, site.cited[article.id])
        same = article.id not in touch.articles
        page(f"sources/{article.id}/index.html", "source.html", key, article.id, same)
    page("sources/index.html", "sources.html", keys.article_list)
    page("about/index.html", "about.html", known(keys.common))
    page("search/index.html", "search.html", known(keys.common))
    page("404.html", "404.html", known(keys.common))
    return pages


def _around(common: str, official: str, own: list[Event], years: list[Year]) -> str:
    """What every year page of an official shows besides its year's events:
    the list of years, and whom the official met."""
    met = sorted({o for e in own for o in e.officials})
    return digest(common, official, *(y.key for y in years), *met)


def registry_fingerprint(registry: Registry) -> str:
    return digest(*(repr(o) for o in registry.officials.values()))


def static_assets() -> list[Path]:
    static = templates.templates_dir() / "static"
    return [
        asset
        for asset in sorted(static.iterdir())
        if asset.is_file() and not asset.name.startswith((".", "_"))
    ]


# --- rendering -------------------------------------------------------------------


#: Below this many files, rendering stays in this process: starting workers costs more.
PARALLEL_THRESHOLD = 200

#: Files that show the whole archive take longest: they are handed out first,
#: one to a task, and a single one is reason enough to start the workers.
_SLOW_KINDS = ("events.json", "export", "feed", "search")

_work: tuple[Site, Callable[[str, bytes, str], Any]] | None = None


def render_into(
    site: Site,
    items: list[Planned],
    sink: Callable[[str, bytes, str], R],
    jobs: int = 1,
    tick: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``sink(path, data, key)`` for every file of ``items``, rendered on ``jobs`` cores
    (see :class:`Renderer`)."""
    with Renderer(site, sink, jobs, tick) as renderer:
        renderer.add(items)
        yield from renderer.results()


class Renderer(Generic[R]):
    """Renders planned files on ``jobs`` cores, handed in as they are
    planned: the workers start on the first files while the rest are keyed.

    Worker processes are forked, so they see ``site`` as it is when they
    start and send back only what ``sink(path, data, key)`` returns (with
    :class:`output.Staging`, a digest: the page itself is written to disk by
    the worker), never the pages. Files are rendered in this process when
    there are too few to pay for starting workers.
    """

    def __init__(
        self,
        site: Site,
        sink: Callable[[str, bytes, str], R],
        jobs: int = 1,
        tick: Callable[[], None] | None = None,
    ):
        self.site = site
        self.sink = sink
        self.jobs = jobs
        self.tick = tick or (lambda: None)
        self.pending: list[Planned] = []  # handed in, not yet given to a worker
        self.count = 0  # files handed in
        self._workers: ProcessPoolExecutor | None = None
        self._futures: list[Any] = []
        self._frozen_before = 0

    def __enter__(self) -> Renderer[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, items: list[Planned]) -> None:
        """Hand in ``items``: given to the workers at once if they are (or
        these make them) worth starting."""
        self.count += len(items)
        self.pending += items
        if self._workers is None and self._worth():
            self._start()
        if self._workers is not None:
            self._futures += [self._workers.submit(_render_chunk, c) for c in _chunks(self.pending)]
            self.pending = []

    def results(self) -> Iterator[R]:
        """What ``sink`` returned for every file handed in, as they are done."""
        if self._workers is None:
            for item in sorted(self.pending, key=_turn):
                yield from _render_item(self.site, item, self.sink)
                self.tick()
            self.pending = []
            self.site.keep_fragments()
            return
        for future in as_completed(self._futures):
            for done in future.result():
                yield from done
                self.tick()
        self._futures = []

    def close(self) -> None:
        """Let running chunks finish and cancel the rest; the workers are gone."""
        global _work
        if self._workers is None:
            return
        try:
            self._workers.shutdown(wait=True, cancel_futures=True)
        finally:
            self._workers = None
            if not self._frozen_before:
                gc.unfreeze()
            _work = None

    def _worth(self) -> bool:
        if self.jobs <= 1 or "fork" not in _start_methods():
            return False
        slow = sum(1 for item in self.pending if item.kind in _SLOW_KINDS)
        return len(self.pending) >= PARALLEL_THRESHOLD or slow > 1

    def _start(self) -> None:
        global _work
        site = self.site
        # Every template of every language compiled once, here, where the
        # workers find it (the pages may be handed in once they run, and a
        # page loads the templates it extends and imports as it renders).
        for lang in site.config.languages:
            environment = site.environment(lang)
            for name in environment.list_templates(filter_func=_is_template):
                environment.get_template(name)
        _work = (site, self.sink)
        # The workers share the site's objects with this process until one is
        # written to; the collector, walking them, would write to every one.
        # (What a build froze before, it gives back itself: cache.release.)
        self._frozen_before = gc.get_freeze_count()
        gc.freeze()
        # Not multiprocessing.Pool: leaving its with-block after a failed write
        # calls terminate(), which can hang for good when it stops workers that
        # hold the task queue's lock or that the pool is still feeding (CPython
        # issues 73945 and 96995, both open); a test run once stalled so. The
        # executor lets running chunks finish and cancels the rest. With
        # "fork" it starts every worker on the first task (here, so they see
        # ``_work``); what is planned later is sent to them.
        self._workers = ProcessPoolExecutor(
            self.jobs, mp_context=multiprocessing.get_context("fork")
        )


def _is_template(name: str) -> bool:
    return not name.startswith("static/")  # copied as they are, never compiled


def _chunks(items: list[Planned]) -> list[list[Planned]]:
    """The tasks of the workers, the longest first: each file of the whole
    archive (the calendars together: they share their VEVENTs), the pages
    listing events a turn each (:func:`_turn`), and the other pages 32 at a
    time."""
    shared: dict[str, list[Planned]] = defaultdict(list)
    turns: dict[str, list[Planned]] = defaultdict(list)
    for item in items:
        if item.kind in _SLOW_KINDS:
            shared[_family(item) or item.path].append(item)
        else:
            turns[_turn(item)].append(item)
    rest = turns.pop("", [])
    slow = sorted(shared.values(), key=lambda chunk: chunk[0].kind != "search")
    return [
        *slow,
        *turns.values(),
        *(rest[i : i + 32] for i in range(0, len(rest), 32)),
    ]


def _render_chunk(items: list[Planned]) -> list[list[Any]]:
    assert _work is not None
    site, sink = _work
    done = [_render_item(site, item, sink) for item in items]
    site.keep_fragments()
    return done


def _render_item(site: Site, item: Planned, sink: Callable[[str, bytes, str], R]) -> list[R]:
    """``sink`` for the file of ``item`` (or the files, for the search index)."""
    if item.kind == "search":
        records = (site.config, site.articles, site.registry, site.events)
        made = search.index_files(*records, site.search_memo(), site.search_terms())
        return [sink(path, data, item.key) for path, data in made]
    return [sink(item.path, render_file(site, item), item.key)]


#: The templates of pages that list events (see :class:`Entries`).
_LISTS = ("index.html", "official.html")


def _turn(item: Planned) -> str:
    """The turn of a page that lists events, ``<language>/<year>`` (a month's
    page, an official's year; ``<language>/`` for the pages of the latest
    events): the pages of a turn are rendered together, so they share the
    entries of the events they list (:class:`Entries`). "" for other files."""
    if item.template not in _LISTS:
        return ""
    period = item.subject.rpartition("/")[2]  # "2020-11", "<official>/2020", "<official>" or ""
    return f"{item.lang}/{period[:4] if period[:4].isdigit() else ''}"


def _family(item: Planned) -> str | None:
    """The export family whose texts a file of the whole archive shares with
    others: the calendars share their VEVENTs, the sitemaps the ``<url>`` of
    the pages that move from one to another."""
    if item.path.endswith("events.ics"):
        return "events.ics"
    if item.kind == "export" and item.path.startswith("sitemap"):
        return "sitemap"
    return None


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def render_file(site: Site, item: Planned) -> bytes:
    """The bytes of one planned file."""
    if item.kind == "page":
        return _render_page(site, item).encode("utf-8")
    config = site.config
    if item.kind == "events.json":
        return site.splice(item, events_listing(site.in_order))
    if item.kind == "export":
        home = config.languages[0]
        listing = exports.export_listing(
            item.subject,
            _shown(site, item.subject),
            site.by_article,
            site.registry,
            base_url=config.base_url,
            title=config.title_en if home == "en" else config.title_ar,
            description=config.description_en if home == "en" else config.description_ar,
            pages=site.sitemap_pages() if item.subject.startswith("sitemap") else [],
            alternates=Alternates(config, site.html_paths) if len(config.languages) > 1 else None,
            vevent_keys=site.vevent_keys,
        )
        return site.splice(item, listing)
    if item.kind == "feed":
        return _language_feed(site, item.lang, item.subject).encode("utf-8")
    if item.kind == "static":
        return (templates.templates_dir() / "static" / item.subject).read_bytes()
    raise ValueError(f"unknown kind of file: {item.kind}")


def _shown(site: Site, path: str) -> list[Event]:
    """The events an export may show, in the order of the exports: the
    feed and timeline.json show the newest and the latest, an official's
    calendar theirs."""
    if path == "feed.xml":
        return site.newest(exports.FEED_ENTRIES)
    if path == "timeline.json":
        return site.latest(exports.TIMELINE_SLIDES)
    if path.startswith("officials/"):
        return site.in_order_of(path.split("/")[1])
    return site.in_order


def _language_feed(site: Site, lang: str, name: str) -> str:
    """``<lang>/feed.xml`` or ``<lang>/timeline.json``, linking to that language's pages."""
    config = site.config
    base = config.base_url + prefix_of(config, lang)
    english = lang == "en"
    title = config.title_en if english else config.title_ar
    description = config.description_en if english else config.description_ar
    if name == "feed.xml":
        return exports.atom_feed(
            site.newest(exports.FEED_ENTRIES), site.by_article, site.registry,
            base_url=base, title=title, subtitle=description, lang=lang,
        )  # fmt: skip
    return exports.timeline_json(
        site.latest(exports.TIMELINE_SLIDES),
        site.registry,
        base_url=base,
        title=title,
        description=description,
        lang=lang,
    )


def _render_page(site: Site, item: Planned) -> str:
    """One HTML page in one language."""
    config, registry, lang = site.config, site.registry, item.lang
    prefix = prefix_of(config, lang)
    path = item.path[len(prefix) :]
    by_article = site.by_article

    def url(path: str) -> str:
        return exports.page_url(config.base_url, prefix + path)

    context: dict[str, Any]
    ld: dict[str, Any] | None = None
    if item.template == "index.html":
        shown = site.events
        current = None
        if site.months:
            current = next((m for m in site.months if m.key == item.subject), site.months[-1])
            shown = list(current.events)
        context = dict(
            groups=_group_by_day(shown),
            registry=registry,
            choices=_filter_choices(shown, registry, lang),
            months=site.months,
            current=current,
        )
    elif item.template == "event.html":
        event = site.by_event[item.subject]
        ld = exports.event_ld(event, registry, by_article, url=url(path), lang=lang)
        context = dict(event=event, registry=registry, articles=by_article)
    elif item.template == "officials.html":
        context = dict(by_country=_by_country(registry, lang), events_of=site.events_of)
    elif item.template == "official.html":
        official_id, _, shown_year = item.subject.partition("/")
        official = registry.officials[official_id]
        own = site.events_of[official.id]
        met = sorted({o for e in own for o in e.officials if o != official.id})
        years = site.years.get(official.id, [])
        year = next((y for y in years if y.key == shown_year), years[-1] if years else None)
        context = dict(
            official=official,
            events=list(year.events) if year else own,
            met=[registry[o] for o in met],
            registry=registry,
            years=years,
            year=year,
        )
    elif item.template == "source.html":
        article = by_article[item.subject]
        cited = site.cited[article.id]
        ld = exports.article_ld(article, url=url(path))
        context = dict(
            article=article,
            paragraphs=_paragraphs(article, cited),
            count=len({e.id for _, e in cited}),
        )
    elif item.template == "sources.html":
        ordered = sorted(site.articles, key=lambda a: (a.published, a.id))
        context = dict(articles=ordered, cited=site.cited)
    else:
        context = {}
    if path == "404.html":
        site_root = config.base_path
        canonical = None
    else:
        site_root = Page(item.path).root
        canonical = exports.page_url(config.base_url, item.path)
    # The 404 page is served for any missing path: offer the other homes.
    counterpart = "" if path == "404.html" else path
    others = [
        Alternate(
            other,
            i18n.LANGUAGE_NAMES[other],
            _strip_index(site_root + prefix_of(config, other) + counterpart),
            exports.page_url(config.base_url, prefix_of(config, other) + counterpart),
        )
        for other in config.languages
        if other != lang
    ]
    values = dict(
        root=_strip_index(site_root + prefix) if prefix else site_root,
        site_root=site_root,
        here=path,
        section=path.partition("/")[0],  # the navigation marks the section a page is in
        canonical=canonical,
        alternates=others,
        x_default=exports.page_url(config.base_url, path),
        json_ld=exports.json_ld(ld) if ld else None,
        **context,
    )
    env = site.environment(lang)
    # The globals are compiled into the templates (constants.Constants): a
    # page value of the same name would be passed over where they are.
    shadowed = values.keys() & env.globals.keys()
    if shadowed:
        raise ValueError(f"{item.path}: page values named like globals: {sorted(shadowed)}")
    return env.get_template(item.template).render(values)


def _strip_index(href: str) -> str:
    if href.endswith("index.html"):
        href = href[: -len("index.html")]
    return href or "./"


def events_json(events: Iterable[Event]) -> str:
    """The machine export, exactly as FORMATS.md §3 describes it."""
    return events_listing(exports.ordered(events)).text()


def events_listing(events: list[Event]) -> exports.Listing:
    """:func:`events_json` of ``events`` in its order, as an
    :class:`exports.Listing` of lines."""

    def record(e: Event) -> str:
        return exports.json_line(
            {
                "id": e.id,
                "date": e.date.iso,
                "precision": e.date.precision,
                "approximate": e.date.approximate,
                "status": e.status,
                "type": e.type,
                "title": {"ar": e.title_ar, "en": e.title_en},
                "officials": sorted(e.officials),
                "location": e.location,
                "sources": [
                    {"article": s.article, "sentence": s.sentence, "date_text": s.date_text}
                    for s in e.sources
                ],
                "date_origin": e.date.origin,
                **_references(e),
            }
        )

    return exports.json_listing("events", events, record, exports.by_fingerprint)


def _references(event: Event) -> dict[str, Any]:
    """Free-text sources an editor cited, only on the events that have them."""
    if not event.references:
        return {}
    return {"references": [{"text": r.text, "url": r.url} for r in event.references]}


@dataclass(frozen=True)
class FilterChoices:
    """What the timeline's filters offer: only values some event has."""

    officials: tuple[Any, ...]
    types: tuple[str, ...]
    countries: tuple[str, ...]
    statuses: tuple[str, ...]


def _filter_choices(events: list[Event], registry: Registry, lang: str) -> FilterChoices:
    ids = {o for e in events for o in e.officials}
    officials = sorted(
        (registry[o] for o in ids), key=lambda o: (o.name_en if lang == "en" else o.name_ar, o.id)
    )
    return FilterChoices(
        officials=tuple(officials),
        types=tuple(t for t in EVENT_TYPES if any(e.type == t for e in events)),
        countries=tuple(sorted({registry[o].country for o in ids})),
        statuses=tuple(s for s in STATUSES if any(e.status == s for e in events)),
    )


@dataclass(frozen=True)
class DayGroup:
    key: str  # the ISO date of the group
    label_event: Event  # an event whose date labels the group
    events: tuple[Event, ...]


def _group_by_day(events: list[Event]) -> list[DayGroup]:
    groups: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        groups[(event.date.iso, event.date.precision)].append(event)
    return [
        DayGroup(key, members[0], tuple(members))
        for (key, _), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    ]


def _by_country(registry: Registry, lang: str = "ar") -> list[tuple[str, list[Any]]]:
    countries: dict[str, list[Any]] = defaultdict(list)
    for official in registry.officials.values():
        countries[official.country].append(official)
    return [
        (code, sorted(members, key=lambda o: (o.name_en if lang == "en" else o.name_ar, o.id)))
        for code, members in sorted(countries.items())
    ]


@dataclass(frozen=True)
class Piece:
    text: str
    anchor: str | None  # id of a cited sentence
    events: tuple[Event, ...] = ()


def _paragraphs(article: Article, cited: list[tuple[Any, Event]]) -> list[list[Piece]]:
    """The article body as paragraphs of plain and cited pieces."""
    spans: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for citation, event in cited:
        if event not in spans[(citation.start, citation.end)]:
            spans[(citation.start, citation.end)].append(event)
    body = article.body
    paragraphs: list[list[Piece]] = []
    offset = 0
    for block in body.split("\n\n"):
        start, end = offset, offset + len(block)
        offset = end + 2
        if not block.strip():
            continue
        pieces: list[Piece] = []
        cursor = start
        for (s, e), evs in sorted(spans.items()):
            if s < start or e > end or s < cursor:
                continue
            if s > cursor:
                pieces.append(Piece(body[cursor:s], None))
            pieces.append(Piece(body[s:e], f"s-{s}", tuple(evs)))
            cursor = e
        if cursor < end:
            pieces.append(Piece(body[cursor:end], None))
        paragraphs.append(pieces)
    return paragraphs


def report_pages(unregistered: Iterable[Unregistered]) -> dict[str, bytes]:
    """The build report for editors: officials named in the articles whom the
    registry does not know, as ``report/unregistered.json`` and, ready to paste
    into ``officials.yml``, ``report/unregistered.yml``. Files, not pages: the
    report is for the editor, not a part of the site readers browse."""
    people = list(unregistered)
    records = [
        {
            "name": p.name,
            "title": p.title,
            "country": p.country,
            "article": p.article,
            "path": p.path,
            "line": p.line,
            "sentence": p.sentence,
            "officials_yml": p.yaml_entry(),
        }
        for p in people
    ]
    data = json.dumps({"unregistered": records}, ensure_ascii=False, indent=2) + "\n"
    entries = "\n".join(f"# {p.path}:{p.line}\n{p.yaml_entry()}" for p in people)
    header = (
        "# Officials named in the articles whom officials.yml does not know.\n"
        "# Check each entry (English name, country, term), then paste it into officials.yml.\n"
    )
    return {
        "report/unregistered.json": data.encode("utf-8"),
        "report/unregistered.yml": (header + ("\n" + entries if entries else "")).encode("utf-8"),
    }
