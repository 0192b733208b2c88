"""The pipeline, one line a stage:

load content -> resolve dates -> extract events -> match officials
-> merge across articles -> apply overrides -> render pages -> write site
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import content, events, officials, output, render
from generator.config import Config
from generator.errors import Diagnostics


@dataclass(frozen=True)
class Summary:
    articles: int
    events: int
    officials: int
    pages: int
    warnings: int


def build(config: Config, diagnostics: Diagnostics) -> Summary:
    """Build the site described by ``config``; raises BuildFailed on bad input."""
    output.check_output(config.output, config.content)
    articles = content.load_articles(config.content, diagnostics)
    registry = officials.load_registry(config.content, diagnostics)
    diagnostics.raise_if_errors()
    timeline = events.extract(articles, registry)
    pages = render.render_site(config, articles, registry, timeline)
    if config.strict and diagnostics.warnings:
        diagnostics.errors.extend(diagnostics.warnings)
        diagnostics.raise_if_errors()
    output.write_site(pages, config.output)
    return Summary(len(articles), len(timeline), len(registry.officials), len(pages), len(diagnostics.warnings))


