"""The pipeline, one line a stage:

load content -> (article and official overrides) -> resolve dates -> extract events
-> match officials -> merge across articles -> apply overrides -> render pages
-> index for search -> write site
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import analysis, history, officials, output, overrides, render, search
from generator import cache as cache_module
from generator.cache import digest
from generator.config import Config
from generator.errors import Diagnostics, SourceError
from generator.models import Article, Event
from generator.officials import Registry
from generator.progress import Progress, Silent


@dataclass(frozen=True)
class Summary:
    articles: int
    events: int
    officials: int
    pages: int
    warnings: int


@dataclass(frozen=True)
class Timeline:
    """What the site is made of, once every stage before rendering has run."""

    articles: list[Article]
    registry: Registry
    events: list[Event]
    seen: history.History  # every id this run met, for the next run's overrides check
    unregistered: tuple[officials.Unregistered, ...] = ()  # for the build report


def build(config: Config, diagnostics: Diagnostics, progress: Progress | None = None) -> Summary:
    """Build the site described by ``config``; raises BuildFailed on bad input."""
    progress = progress or Silent()
    output.check_output(config.output, config.content)
    check_cache(config.cache, config.output)
    timeline = assemble(config, diagnostics, progress)
    articles, registry, events = timeline.articles, timeline.registry, timeline.events
    progress.stage("render pages", render.page_count(config, articles, registry, events))
    pages = render.render_site(config, articles, registry, events, tick=progress.advance)
    progress.stage("index for search")
    digests = output.digests(pages)
    bundle = search_index(pages, digests, config.cache)
    pages.update(bundle)
    digests.update(output.digests(bundle))
    pages.update(render.report_pages(timeline.unregistered))
    progress.stage("write site")
    _fail_on_warnings_if_strict(config, diagnostics)
    output.update_site(pages, config.output, site_manifest(config), digests)
    history.write(config.cache, timeline.seen)
    return _summary(timeline, pages, diagnostics)


def check(config: Config, diagnostics: Diagnostics) -> Summary:
    """Everything ``build`` does except writing: for editors and CI."""
    timeline = assemble(config, diagnostics)
    pages = render.render_site(config, timeline.articles, timeline.registry, timeline.events)
    _fail_on_warnings_if_strict(config, diagnostics)
    return _summary(timeline, pages, diagnostics)


def assemble(
    config: Config, diagnostics: Diagnostics, progress: Progress | None = None
) -> Timeline:
    """Every stage up to rendering; ``check`` and ``events`` stop here.

    Official and article edits apply before extraction (a corrected name is
    what the extractor looks for; a fixed publication date anchors "امس"),
    event edits after it.
    """
    progress = progress or Silent()
    progress.stage("read officials and overrides")
    seen = history.read(config.cache or default_cache(config.content))
    edits = overrides.load(config.content, diagnostics)
    loaded = officials.load_registry(config.content, diagnostics)
    registry = overrides.apply_to_registry(loaded, edits, diagnostics, seen)
    with analysis.Analysis.open(config.cache, config.jobs, registry, diagnostics) as stages:
        progress.stage("read articles")
        found = stages.load_articles(config.content, diagnostics)
        diagnostics.raise_if_errors()
        articles = overrides.apply_to_articles(found, edits, diagnostics, seen)
        progress.stage(f"extract events from {len(articles)} articles")
        extracted = stages.extract(articles, registry)
    timeline = overrides.apply_to_events(extracted, edits, articles, registry, diagnostics, seen)
    diagnostics.raise_if_errors()
    seen = seen.plus(
        [e.id for e in (*extracted, *timeline)], [a.id for a in found], loaded.officials
    )
    unknown = tuple(officials.unregistered(articles, registry))
    officials.warn_unregistered(unknown, diagnostics)
    return Timeline(articles, registry, timeline, seen, unknown)


def default_cache(content: Path) -> Path:
    """``.cache/`` beside the content folder: kept between builds, never published."""
    return content.absolute().parent / ".cache"


def search_index(
    pages: dict[str, bytes], digests: dict[str, str], cache: Path | None
) -> dict[str, bytes]:
    """The search bundle, indexed again only when an HTML page changed (or Pagefind did)."""
    key = digest(
        cache_module.engine_version(),
        *(f"{path}\0{digests[path]}" for path in sorted(pages) if path.endswith(".html")),
    )
    return cache_module.remembered(cache, "search-index", key, lambda: search.index(pages))


def site_manifest(config: Config) -> Path | None:
    """Where the cache records what was written to this output folder, if anywhere."""
    if config.cache is None:
        return None
    return config.cache / "sites" / f"{digest(str(config.output.resolve()))}.manifest"


def check_cache(cache: Path | None, site: Path) -> None:
    """The cache must not be published, nor the site be written over it."""
    if cache is None:
        return
    cache, site = cache.resolve(), site.resolve()
    if cache == site or site in cache.parents:
        raise SourceError(str(cache), 0, "the cache folder must be apart from the output folder")


def _fail_on_warnings_if_strict(config: Config, diagnostics: Diagnostics) -> None:
    if config.strict and diagnostics.warnings:
        diagnostics.errors.extend(diagnostics.warnings)
        diagnostics.raise_if_errors()


def _summary(timeline: Timeline, pages: dict[str, bytes], diagnostics: Diagnostics) -> Summary:
    return Summary(
        len(timeline.articles),
        len(timeline.events),
        len(timeline.registry.officials),
        len(pages),
        len(diagnostics.warnings),
    )
