"""After an edit, a build keys again only the files whose records changed
(render.touched) and keeps the key the last build recorded for the others:
every key must be the one keying from scratch gives.

Each test builds the timeline of a small synthetic archive once, then edits
its records as extraction and overrides would (an event retitled, moved to
another month or year, given other officials or sources, renamed, added or
removed; an article retitled), plans each version with the last one's basis
and the keys it recorded, and compares every key with a plan from scratch.
The timeline is split by month and officials' pages by year at a few events,
so those pages are planned too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
from pathlib import Path

import pytest

from generator import build as build_module
from generator import render
from generator.config import load_config
from generator.errors import Diagnostics
from generator.models import Article, Citation, Event, EventDate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory):
    content = tmp_path_factory.mktemp("replan") / "content"
    write_corpus(content, 40, seed=11, registry_from=ROOT / "content")
    config = load_config(content, content.parent / "site", cache=None)
    return config, build_module.assemble(config, Diagnostics())


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "TIMELINE_PAGE_LIMIT", 20)
    monkeypatch.setattr(render, "OFFICIAL_PAGE_LIMIT", 8)


def plan(config, articles, registry, events, earlier=None) -> tuple[render.Site, dict[str, str]]:
    site = render.Site(config, list(articles), registry, list(events))
    archive = render.plan_archive(site, earlier)
    return site, {item.path: item.key for item in [*archive, *render.plan_pages(site)]}


class Editor:
    """Random edits of a timeline's events and articles."""

    def __init__(self, rng: random.Random, articles: list[Article], events: list[Event], people):
        self.rng, self.articles, self.events, self.people = rng, list(articles), events, people
        self.made = 0

    def edit(self) -> None:
        rng, events = self.rng, self.events
        i = rng.randrange(len(events))
        event = events[i]
        what = rng.choice(
            ["title", "month", "year", "officials", "sources", "rename", "add", "remove", "article"]
        )
        if what == "title":
            events[i] = dataclasses.replace(event, title_ar=event.title_ar + " معدل")
        elif what in ("month", "year"):
            days = rng.randint(28, 70) if what == "month" else rng.randint(360, 800)
            moved = event.date.value + dt.timedelta(days=rng.choice([-1, 1]) * days)
            date = EventDate(moved, event.date.precision, event.date.approximate)
            events[i] = dataclasses.replace(event, date=date)
        elif what == "officials":
            chosen = set(rng.sample(self.people, rng.randint(1, 3)))
            events[i] = dataclasses.replace(event, officials=tuple(sorted(chosen)))
        elif what == "sources":
            other = rng.choice(self.articles)
            cited = Citation(other.id, other.body[:20], 0, 20, None)
            events[i] = dataclasses.replace(event, sources=(*event.sources[1:], cited))
        elif what == "rename":
            self.made += 1
            events[i] = dataclasses.replace(event, id=f"{event.id}-r{self.made}")
        elif what == "add":
            self.made += 1
            events.insert(i, dataclasses.replace(event, id=f"added-{self.made}", title_en="New"))
        elif what == "remove" and len(events) > 5:
            del events[i]
        else:
            j = rng.randrange(len(self.articles))
            article = self.articles[j]
            self.articles[j] = dataclasses.replace(article, title=article.title + " (مصحح)")


@pytest.mark.parametrize("seed", range(12))
def test_keys_kept_from_the_last_build_are_the_keys_from_scratch(timeline, seed: int) -> None:
    config, found = timeline
    rng = random.Random(seed)
    people = sorted(found.registry.officials)
    editor = Editor(rng, found.articles, list(found.events), people)
    site, keys = plan(config, editor.articles, found.registry, editor.events)
    assert site.months and site.years  # the split pages are planned too
    for _ in range(8):
        earlier = render.Earlier(render.basis_of(site), keys.get)
        for _ in range(rng.randint(1, 3)):
            editor.edit()
        site, keys = plan(config, editor.articles, found.registry, editor.events, earlier)
        _, fresh = plan(config, editor.articles, found.registry, editor.events)
        assert keys == fresh


def test_an_edit_keys_again_only_the_pages_showing_what_it_changed(timeline) -> None:
    """A retitled event: its page, its month's, its officials' and the
    source pages of the articles it cites are keyed again; every other page
    takes the key the last build recorded."""
    config, found = timeline
    events = list(found.events)
    site, keys = plan(config, found.articles, found.registry, events)
    asked: set[str] = set()

    def key_of(path: str) -> str | None:
        asked.add(path)
        return keys.get(path)

    earlier = render.Earlier(render.basis_of(site), key_of)
    event = events[len(events) // 2]
    events[len(events) // 2] = dataclasses.replace(event, title_ar="عنوان معدل")
    site = render.Site(config, found.articles, found.registry, events)
    render.plan_archive(site, earlier)
    lists = {"index.html", "officials/index.html", "sources/index.html", "404.html"}
    lists |= {"about/index.html", "search/index.html"}
    keyed = {page.path for page in site.layout} - asked - lists
    month = event.date.value.strftime("%Y-%m")
    expected = {f"events/{event.id}/index.html", f"timeline/{month}/index.html"}
    expected |= {f"sources/{c.article}/index.html" for c in event.sources}
    expected |= {
        page.path
        for page in site.layout
        if any(page.path.startswith(f"officials/{o}/") for o in event.officials)
    }
    assert keyed == expected
    assert len(keyed) < len(site.layout) / 10


def test_new_code_templates_or_settings_key_every_page_again(timeline) -> None:
    config, found = timeline
    site, keys = plan(config, found.articles, found.registry, found.events)
    basis = render.basis_of(site)._replace(common="another version of the code")
    site = render.Site(config, found.articles, found.registry, found.events)
    assert render.plan_archive(site, render.Earlier(basis, keys.get))
    assert render.touched(site, basis) is None


def test_a_rebuild_keys_its_pages_from_what_the_last_build_kept(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The basis a build keeps reaches the next build of the same output
    (an override edit: one event retitled), which keys again only what the
    edit touched and ends as a fresh build."""
    from generator.cli import main

    def build(out: Path, *more: str) -> None:
        args = ["build", "--content", str(content_copy), "--output", str(out), "--quiet"]
        assert main([*args, *more]) == 0

    found: list[render.Touched | None] = []
    touched = render.touched
    monkeypatch.setattr(render, "touched", lambda *a: found.append(touched(*a)) or found[-1])
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(site, "--cache", str(cache))
    assert found == []  # nothing to key from
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(text.replace("Fuad Hussein begins", "Fuad Hussein starts", 1), "utf-8")
    build(site, "--cache", str(cache))
    assert found[-1] is not None and len(found[-1].events) == 1
    build(tmp_path / "fresh", "--no-cache")
    for page in (tmp_path / "fresh").rglob("*"):
        if page.is_file():
            assert (site / page.relative_to(tmp_path / "fresh")).read_bytes() == page.read_bytes()
