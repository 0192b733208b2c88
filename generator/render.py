"""Events, officials and articles -> ``{path: bytes}`` for every page and export.

Pure: nothing here reads content or writes the site. Templates are Jinja with
autoescape on and ``StrictUndefined``, so a missing value is an error, not an
empty string, and no text from content can become markup.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from generator import __version__, display, exports, i18n, markup
from generator.config import Config
from generator.models import EVENT_TYPES, STATUSES, Article, Event, EventDate
from generator.officials import Registry, Unregistered

# Kept for callers that want the Arabic vocabulary directly.
COUNTRY_NAMES_AR = i18n.COUNTRIES["ar"]
TYPE_LABELS_AR = i18n.TYPES["ar"]
STATUS_LABELS_AR = i18n.STATUSES["ar"]


def templates_dir() -> Path:
    """Templates ship inside the package; in a source checkout they sit beside it."""
    installed = resources.files("generator") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parent.parent / "templates"


def environment(config: Config, lang: str = "ar") -> jinja2.Environment:
    """The templates, with filters and words for pages in ``lang``.

    One set of templates serves every language; what differs (labels, names,
    titles, date formats, digits) comes from here.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    english = lang == "en"
    style = "latin" if english else config.digits

    def date(value: EventDate, article: Article | None = None) -> str:
        if english:
            return display.gregorian_en(value)
        return display.gregorian_ar(value, _months(config, article), style)

    def hijri(value: EventDate) -> str | None:
        return display.hijri_en(value) if english else display.hijri_ar(value, style)

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
    return env


def _months(config: Config, article: Article | None) -> str:
    """Dates told by an article are named as its region names months."""
    if article is None:
        return config.month_names
    return display.month_names_for(article.extra, article.body, config.month_names)


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


def page_count(
    config: Config, articles: list[Article], registry: Registry, events: list[Event]
) -> int:
    """How many HTML pages :func:`render_site` renders (for the progress bar)."""
    per_language = len(events) + len(registry.officials) + len(articles) + 5  # + the lists
    return per_language * len(config.languages) + 1  # + 404


def render_site(
    config: Config,
    articles: list[Article],
    registry: Registry,
    events: list[Event],
    tick: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the output folder.

    ``tick`` is called once a page, for a progress bar; it sees nothing.
    """
    pages: dict[str, bytes] = {}
    alternates: dict[str, dict[str, str]] = {}
    for lang in config.languages:
        _render_language(
            config, lang, articles, registry, events, pages, alternates, tick or (lambda: None)
        )
    _add(pages, "events.json", events_json(events).encode("utf-8"))
    home = config.languages[0]
    files = exports.exports(
        events,
        articles,
        registry,
        base_url=config.base_url,
        title=config.title_en if home == "en" else config.title_ar,
        description=config.description_en if home == "en" else config.description_ar,
        pages=[p for p in pages if p.endswith(".html")],
        alternates=alternates if len(config.languages) > 1 else None,
    )
    for path, text in files.items():
        _add(pages, path, text.encode("utf-8"))
    for lang in config.languages[1:]:  # the feeds readers subscribe to, in their language
        _add_language_feeds(config, lang, articles, registry, events, pages)
    static = templates_dir() / "static"
    for asset in sorted(static.iterdir()):
        if asset.is_file() and not asset.name.startswith((".", "_")):
            _add(pages, f"static/{asset.name}", asset.read_bytes())
    return pages


def _add_language_feeds(
    config: Config,
    lang: str,
    articles: list[Article],
    registry: Registry,
    events: list[Event],
    pages: dict[str, bytes],
) -> None:
    """``<lang>/feed.xml`` and ``<lang>/timeline.json``, linking to that language's pages."""
    base = config.base_url + prefix_of(config, lang)
    english = lang == "en"
    title = config.title_en if english else config.title_ar
    description = config.description_en if english else config.description_ar
    by_id = {a.id: a for a in articles}
    feed = exports.atom_feed(
        events, by_id, registry, base_url=base, title=title, subtitle=description, lang=lang
    )
    timeline = exports.timeline_json(
        events, registry, base_url=base, title=title, description=description, lang=lang
    )
    _add(pages, f"{prefix_of(config, lang)}feed.xml", feed.encode("utf-8"))
    _add(pages, f"{prefix_of(config, lang)}timeline.json", timeline.encode("utf-8"))


def _render_language(
    config: Config,
    lang: str,
    articles: list[Article],
    registry: Registry,
    events: list[Event],
    pages: dict[str, bytes],
    alternates: dict[str, dict[str, str]],
    tick: Callable[[], None],
) -> None:
    """The pages of one language, under its prefix."""
    env = environment(config, lang)
    prefix = prefix_of(config, lang)
    by_article = {a.id: a for a in articles}

    def page(path: str, template: str, ld: dict[str, Any] | None = None, **context: Any) -> None:
        full = prefix + path
        if path == "404.html":
            site_root = config.base_path
            canonical = None
        else:
            site_root = Page(full).root
            canonical = exports.page_url(config.base_url, full)
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
        if path != "404.html":
            alternates[full] = {o.lang: prefix_of(config, o.lang) + path for o in others}
            alternates[full][lang] = full
        text = env.get_template(template).render(
            root=_strip_index(site_root + prefix) if prefix else site_root,
            site_root=site_root,
            here=path,
            canonical=canonical,
            alternates=others,
            x_default=exports.page_url(config.base_url, path),
            json_ld=exports.json_ld(ld) if ld else None,
            **context,
        )
        _add(pages, full, text.encode("utf-8"))
        tick()

    def url(path: str) -> str:
        return exports.page_url(config.base_url, prefix + path)

    events_of = defaultdict(list)
    for event in events:
        for official in event.officials:
            events_of[official].append(event)
    page(
        "index.html",
        "index.html",
        groups=_group_by_day(events),
        registry=registry,
        choices=_filter_choices(events, registry, lang),
    )
    for event in events:
        page(
            f"events/{event.id}/index.html",
            "event.html",
            ld=exports.event_ld(
                event, registry, by_article, url=url(f"events/{event.id}/index.html"), lang=lang
            ),
            event=event,
            registry=registry,
            articles=by_article,
        )
    by_country = _by_country(registry, lang)
    page("officials/index.html", "officials.html", by_country=by_country, events_of=events_of)
    for official in registry.officials.values():
        met = sorted({o for e in events_of[official.id] for o in e.officials if o != official.id})
        page(
            f"officials/{official.id}/index.html",
            "official.html",
            official=official,
            events=events_of[official.id],
            met=[registry[o] for o in met],
            registry=registry,
        )
    cited = defaultdict(list)
    for event in events:
        for citation in event.sources:
            cited[citation.article].append((citation, event))
    for article in articles:
        page(
            f"sources/{article.id}/index.html",
            "source.html",
            ld=exports.article_ld(article, url=url(f"sources/{article.id}/index.html")),
            article=article,
            paragraphs=_paragraphs(article, cited[article.id]),
            count=len({e.id for _, e in cited[article.id]}),
        )
    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    page("sources/index.html", "sources.html", articles=ordered, cited=cited)
    page("about/index.html", "about.html")
    page("search/index.html", "search.html")
    if not prefix:
        page("404.html", "404.html")


def _strip_index(href: str) -> str:
    if href.endswith("index.html"):
        href = href[: -len("index.html")]
    return href or "./"


def _add(pages: dict[str, bytes], path: str, data: bytes) -> None:
    if path in pages:
        raise ValueError(f"two outputs at one path: {path}")
    pages[path] = data


def events_json(events: Iterable[Event]) -> str:
    """The machine export, exactly as FORMATS.md §3 describes it."""
    records = [
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
        for e in sorted(events, key=lambda e: (e.date.iso, e.id))
    ]
    return json.dumps({"events": records}, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


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
