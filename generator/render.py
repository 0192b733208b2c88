"""Events, officials and articles -> ``{path: bytes}`` for every page and export.

Pure: nothing here reads content or writes the site. Templates are Jinja with
autoescape on and ``StrictUndefined``, so a missing value is an error, not an
empty string, and no text from content can become markup.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
import markdown as markdown_lib
from markupsafe import Markup

from generator import __version__, display, exports
from generator.config import Config
from generator.models import Article, Event, EventDate
from generator.officials import Registry

COUNTRY_NAMES_AR = {
    "IQ": "العراق", "RU": "روسيا", "US": "الولايات المتحدة", "IR": "إيران", "SY": "سوريا",
    "TR": "تركيا", "SA": "السعودية", "EG": "مصر", "JO": "الأردن", "KW": "الكويت",
    "AE": "الإمارات", "QA": "قطر", "LB": "لبنان", "CN": "الصين", "FR": "فرنسا",
    "GB": "المملكة المتحدة", "DE": "ألمانيا", "IL": "إسرائيل", "PS": "فلسطين",
}  # fmt: skip

TYPE_LABELS_AR = {
    "meeting": "لقاء",
    "visit": "زيارة",
    "host": "استقبال",
    "statement": "تصريح",
    "press_conference": "مؤتمر صحافي",
    "agreement": "اتفاق",
    "negotiation": "مفاوضات",
    "announcement": "إعلان",
    "other": "حدث آخر",
}

STATUS_LABELS_AR = {"occurred": "وقع", "planned": "مُعلَن / مرتقب"}


def templates_dir() -> Path:
    """Templates ship inside the package; in a source checkout they sit beside it."""
    installed = resources.files("generator") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parent.parent / "templates"


def environment(config: Config) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["digits"] = lambda v: display.digits(v, config.digits)
    env.filters["date_ar"] = lambda d: display.gregorian_ar(d, config.month_names, config.digits)
    env.filters["date_en"] = display.gregorian_en
    env.filters["hijri"] = lambda d: display.hijri_ar(d, config.digits)
    env.filters["hijri_day"] = lambda day: display.hijri_ar(EventDate(day), config.digits)
    env.filters["day_ar"] = lambda day, article=None: display.gregorian_ar(
        EventDate(day), _months(config, article), config.digits
    )
    env.filters["markdown"] = lambda text: Markup(
        markdown_lib.markdown(html.escape(text), output_format="html")
    )
    env.globals.update(
        site=config,
        type_labels=TYPE_LABELS_AR,
        status_labels=STATUS_LABELS_AR,
        countries=COUNTRY_NAMES_AR,
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

    path: str  # e.g. "events/x/index.html"

    @property
    def root(self) -> str:
        depth = len(PurePosixPath(self.path).parts) - 1
        return "../" * depth if depth else "./"


def render_site(
    config: Config, articles: list[Article], registry: Registry, events: list[Event]
) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the output folder."""
    env = environment(config)
    by_article = {a.id: a for a in articles}
    pages: dict[str, bytes] = {}

    def page(path: str, template: str, ld: dict[str, Any] | None = None, **context: Any) -> None:
        here = Page(path)
        root = config.base_path if path == "404.html" else here.root
        canonical = None if path == "404.html" else exports.page_url(config.base_url, path)
        text = env.get_template(template).render(
            root=root,
            here=path,
            canonical=canonical,
            json_ld=exports.json_ld(ld) if ld else None,
            **context,
        )
        _add(pages, path, text.encode("utf-8"))

    events_of = defaultdict(list)
    for event in events:
        for official in event.officials:
            events_of[official].append(event)
    page("index.html", "index.html", groups=_group_by_day(events), registry=registry)
    for event in events:
        page(
            f"events/{event.id}/index.html",
            "event.html",
            ld=exports.event_ld(
                event, registry, by_article, url=exports.page_url(config.base_url, f"events/{event.id}/index.html")
            ),
            event=event,
            registry=registry,
            articles=by_article,
        )
    page("officials/index.html", "officials.html", by_country=_by_country(registry), events_of=events_of)
    for official in registry.officials.values():
        met = sorted(
            {o for e in events_of[official.id] for o in e.officials if o != official.id}
        )
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
            ld=exports.article_ld(
                article, url=exports.page_url(config.base_url, f"sources/{article.id}/index.html")
            ),
            article=article,
            paragraphs=_paragraphs(article, cited[article.id]),
            count=len({e.id for _, e in cited[article.id]}),
        )
    page("sources/index.html", "sources.html", articles=sorted(articles, key=lambda a: (a.published, a.id)), cited=cited)
    page("about/index.html", "about.html")
    page("404.html", "404.html")
    _add(pages, "events.json", events_json(events).encode("utf-8"))
    files = exports.exports(
        events,
        articles,
        registry,
        base_url=config.base_url,
        title=config.title_ar,
        description=config.description_ar,
        pages=[p for p in pages if p.endswith(".html")],
    )
    for path, text in files.items():
        _add(pages, path, text.encode("utf-8"))
    static = templates_dir() / "static"
    for asset in sorted(static.iterdir()):
        if asset.is_file() and not asset.name.startswith((".", "_")):
            _add(pages, f"static/{asset.name}", asset.read_bytes())
    return pages


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
        }
        for e in sorted(events, key=lambda e: (e.date.iso, e.id))
    ]
    return json.dumps({"events": records}, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


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


def _by_country(registry: Registry) -> list[tuple[str, list[Any]]]:
    countries: dict[str, list[Any]] = defaultdict(list)
    for official in registry.officials.values():
        countries[official.country].append(official)
    return [
        (code, sorted(members, key=lambda o: o.name_ar))
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
