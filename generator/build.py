"""The pipeline, one line a stage:

load content -> resolve dates -> extract events -> match officials
-> merge across articles -> apply overrides -> render pages -> index for search
-> write site
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import analysis, officials, output, render, search
from generator.config import Config
from generator.errors import Diagnostics, SourceError
from generator.progress import Progress, Silent


@dataclass(frozen=True)
class Summary:
    articles: int
    events: int
    officials: int
    pages: int
    warnings: int


def build(config: Config, diagnostics: Diagnostics, progress: Progress | None = None) -> Summary:
    """Build the site described by ``config``; raises BuildFailed on bad input."""
    progress = progress or Silent()
    output.check_output(config.output, config.content)
    check_cache(config.cache, config.output)
    progress.stage("read officials")
    registry = officials.load_registry(config.content, diagnostics)
    with analysis.Analysis.open(config.cache, config.jobs, registry, diagnostics) as stages:
        progress.stage("read articles")
        articles = stages.load_articles(config.content, diagnostics)
        diagnostics.raise_if_errors()
        progress.stage(f"extract events from {len(articles)} articles")
        timeline = stages.extract(articles, registry)
    progress.stage("render pages", render.page_count(config, articles, registry, timeline))
    pages = render.render_site(config, articles, registry, timeline, tick=progress.advance)
    progress.stage("index for search")
    pages.update(search.index(pages))
    progress.stage("write site")
    if config.strict and diagnostics.warnings:
        diagnostics.errors.extend(diagnostics.warnings)
        diagnostics.raise_if_errors()
    output.write_site(pages, config.output)
    return Summary(len(articles), len(timeline), len(registry.officials), len(pages), len(diagnostics.warnings))


def default_cache(content: Path) -> Path:
    """``.cache/`` beside the content folder: kept between builds, never published."""
    return content.absolute().parent / ".cache"


def check_cache(cache: Path | None, site: Path) -> None:
    """The cache must not be published, nor the site be written over it."""
    if cache is None:
        return
    cache, site = cache.resolve(), site.resolve()
    if cache == site or site in cache.parents:
        raise SourceError(str(cache), 0, "the cache folder must be apart from the output folder")
