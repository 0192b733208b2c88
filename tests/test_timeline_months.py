"""A large timeline is split into one page a month (render.TIMELINE_PAGE_LIMIT):
every event is on exactly one month's page, the home page shows the latest
month, and every page links every month."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from linkcheck import DiskSite, check

from generator import render
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://timeline.example.net/archive/"
EVENT_LINK = re.compile(r'<h3><a href="[^"]*events/([^/"]+)/">')


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("months") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "TIMELINE_PAGE_LIMIT", 10)  # the shipped 30 events, split
        args = ["build", "--content", str(ROOT / "content"), "--output", str(folder)]
        assert main([*args, "--base-url", BASE_URL, "--no-cache", "--quiet"]) == 0
    return folder


def events_on(page: Path) -> list[str]:
    return EVENT_LINK.findall(page.read_text(encoding="utf-8"))


def test_every_event_is_on_the_page_of_its_month(split_site: Path) -> None:
    events = json.loads((split_site / "events.json").read_text(encoding="utf-8"))["events"]
    months = sorted(p.name for p in (split_site / "timeline").iterdir())
    assert len(months) > 1
    seen: list[str] = []
    for month in months:
        listed = events_on(split_site / "timeline" / month / "index.html")
        assert listed
        by_id = {e["id"]: e for e in events}
        # an event's month is the month its date (or its period) starts in
        assert all(by_id[i]["date"][:7] == month or len(by_id[i]["date"]) == 4 for i in listed)
        seen += listed
    assert sorted(seen) == sorted(e["id"] for e in events)


def test_the_home_page_shows_the_latest_month_and_links_every_month(split_site: Path) -> None:
    months = sorted(p.name for p in (split_site / "timeline").iterdir())
    home = split_site / "index.html"
    assert events_on(home) == events_on(split_site / "timeline" / months[-1] / "index.html")
    text = home.read_text(encoding="utf-8")
    for month in months:
        assert f'href="./timeline/{month}/"' in text
    page = (split_site / "timeline" / months[0] / "index.html").read_text(encoding="utf-8")
    assert f'href="../../timeline/{months[0]}/" aria-current="page"' in page
    assert '<a href="../../" aria-current="page">' in page  # the timeline's section, marked
    assert page.count('aria-current="page"') == 2  # the section and the month, nothing else
    english = (split_site / "en" / "timeline" / months[0] / "index.html").read_text("utf-8")
    assert 'lang="en"' in english and "<title>" in english


def test_the_split_timeline_has_no_broken_link(split_site: Path) -> None:
    report = check(BASE_URL, DiskSite(split_site, BASE_URL).fetch)
    assert not report.broken, "\n".join(report.broken)
    assert report.pages == len(list(split_site.rglob("*.html")))


def test_a_small_timeline_stays_one_page(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    args = ["build", "--content", str(ROOT / "content"), "--output", str(folder)]
    assert main([*args, "--no-cache", "--quiet"]) == 0
    assert not (folder / "timeline").exists()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic archive of 40 articles over five years (bench/corpus.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_corpus

    folder = tmp_path_factory.mktemp("archive")
    write_corpus(folder / "content", 40, seed=7, registry_from=ROOT / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "TIMELINE_PAGE_LIMIT", 50)
        patch.setattr(render, "OFFICIAL_PAGE_LIMIT", 20)
        args = ["build", "--content", str(folder / "content"), "--output", str(folder / "site")]
        assert main([*args, "--base-url", BASE_URL, "--no-cache", "--quiet"]) == 0
    return folder / "site"


def test_an_official_with_many_events_has_a_page_a_year(archive: Path) -> None:
    events = json.loads((archive / "events.json").read_text(encoding="utf-8"))["events"]
    split = [p.parent for p in archive.glob("officials/*/*/index.html")]
    officials = {folder.parent.name for folder in split}
    assert officials
    for official in officials:
        own = sorted(e["id"] for e in events if official in e["officials"])
        assert len(own) > 20
        pages = sorted((archive / "officials" / official).glob("*/index.html"))
        assert len(pages) > 1
        listed = []
        for page in pages:
            ids = events_on(page)
            assert all(i[:4] == page.parent.name for i in ids)  # ids begin with the date
            listed += ids
        assert sorted(listed) == own
        latest = events_on(archive / "officials" / official / "index.html")
        assert latest == events_on(pages[-1])


def test_the_split_archive_has_no_broken_link(archive: Path) -> None:
    report = check(BASE_URL, DiskSite(archive, BASE_URL).fetch)
    assert not report.broken, "\n".join(report.broken)
    assert report.pages == len(list(archive.rglob("*.html")))


def test_an_edit_renders_again_only_the_pages_it_touches(tmp_path: Path, monkeypatch) -> None:
    """One article edited in a split archive: its event and source pages, the
    month and year pages of its events, the home pages and the exports are
    rendered again, not the rest; and the site equals a fresh build."""
    import sys

    from generator.build import build
    from generator.config import load_config
    from generator.errors import Diagnostics
    from generator.progress import Silent

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import edit_article, write_corpus

    class Rendered(Silent):
        def __init__(self) -> None:
            super().__init__()
            self.total = 0

        def stage(self, name: str, total: int = 1) -> None:
            if name == "render pages":
                self.total = total

    monkeypatch.setattr(render, "TIMELINE_PAGE_LIMIT", 50)
    monkeypatch.setattr(render, "OFFICIAL_PAGE_LIMIT", 20)
    corpus = write_corpus(tmp_path / "content", 40, seed=7, registry_from=ROOT / "content")
    config = load_config(corpus.content, tmp_path / "site", cache=tmp_path / "cache")
    first, edited = Rendered(), Rendered()
    build(config, Diagnostics(), first)
    edit_article(corpus.articles[11])
    build(config, Diagnostics(), edited)
    assert 0 < edited.total < first.total / 5
    fresh = tmp_path / "fresh"
    build(load_config(corpus.content, fresh), Diagnostics(), Silent())
    assert snapshot(tmp_path / "site") == snapshot(fresh)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_after_every_kind_of_edit_the_rebuild_equals_a_fresh_build(
    tmp_path: Path, monkeypatch
) -> None:
    """Keys that miss an input would leave a stale page: after each edit the
    incrementally rebuilt archive must be, file for file, a fresh build."""
    import sys

    from generator.build import build
    from generator.config import load_config
    from generator.errors import Diagnostics
    from generator.progress import Silent

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import edit_article, write_corpus

    monkeypatch.setattr(render, "TIMELINE_PAGE_LIMIT", 50)
    monkeypatch.setattr(render, "OFFICIAL_PAGE_LIMIT", 20)
    corpus = write_corpus(tmp_path / "content", 30, seed=11, registry_from=ROOT / "content")
    content = corpus.content
    config = load_config(content, tmp_path / "site", cache=tmp_path / "cache")
    build(config, Diagnostics(), Silent())

    def retitle_article() -> None:
        path = corpus.articles[3]
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('title: "', 'title: "معدل: ', 1), encoding="utf-8")

    def override_an_event() -> None:
        events = json.loads((tmp_path / "site" / "events.json").read_text("utf-8"))["events"]
        (content / "overrides.yml").write_text(
            f"events:\n  {events[7]['id']}:\n    title: {{ar: عنوان, en: Title}}\n"
            f"    type: agreement\n",
            encoding="utf-8",
        )

    def rename_an_official() -> None:
        registry = content / "officials.yml"
        text = registry.read_text(encoding="utf-8")
        registry.write_text(text.replace("Sergey Lavrov", "Sergei Lavrov", 1), "utf-8")

    edits = {
        "article edited": lambda: edit_article(corpus.articles[5], 1),
        "article retitled": retitle_article,
        "article removed": lambda: corpus.articles[9].unlink(),
        "override": override_an_event,
        "official renamed": rename_an_official,
        "month names": lambda: (content / "site.yml").write_text(
            (content / "site.yml")
            .read_text("utf-8")
            .replace("month_names: levant", "month_names: egypt"),
            "utf-8",
        ),
    }
    for name, edit in edits.items():
        edit()
        config = load_config(content, tmp_path / "site", cache=tmp_path / "cache")  # as a run does
        build(config, Diagnostics(), Silent())
        fresh = tmp_path / f"fresh-{len(name)}-{name.replace(' ', '-')}"
        build(load_config(content, fresh), Diagnostics(), Silent())
        assert snapshot(tmp_path / "site") == snapshot(fresh), name


class Counting(render.Entries):
    """The entries asked for, and those rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = self.made = 0

    def __call__(self, event, macro, registry, root):  # type: ignore[no-untyped-def]
        self.asked += 1
        self.made += (event.id, macro.name) not in self.kept
        return super().__call__(event, macro, registry, root)


@pytest.mark.parametrize("limit", [None, 3])
def test_an_entry_made_once_reads_as_if_made_on_each_page(
    tmp_path: Path, monkeypatch, limit: int | None
) -> None:
    """An event's entry in the lists is rendered once, with a marker for the
    way back to the root (render.Entries): every month and year page must be
    as if each entry had been rendered on it, with events titled like the
    marker too, and however few entries are kept."""
    import dataclasses
    import sys

    from generator import build
    from generator.config import load_config
    from generator.errors import Diagnostics

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_corpus

    monkeypatch.setattr(render, "TIMELINE_PAGE_LIMIT", 50)
    monkeypatch.setattr(render, "OFFICIAL_PAGE_LIMIT", 20)
    if limit is not None:
        monkeypatch.setattr(render.Entries, "LIMIT", limit)
    corpus = write_corpus(tmp_path / "content", 40, seed=7, registry_from=ROOT / "content")
    config = load_config(corpus.content, tmp_path / "site", cache=None)
    timeline = build.assemble(config, Diagnostics())
    marker = str(render.Entries.ROOT)
    events = [
        dataclasses.replace(e, title_ar=f"{marker} & ../", title_en=marker) if i % 5 == 0 else e
        for i, e in enumerate(timeline.events)
    ]
    records = (config, timeline.articles, timeline.registry, events)
    once, each = render.Site(*records), render.Site(*records)
    counted = {lang: Counting() for lang in config.languages}
    for lang in config.languages:
        once.environment(lang).filters["entry"] = counted[lang]
        each.environment(lang).filters["entry"] = lambda e, macro, *rest: macro(e, *rest)
    plan = render.plan_site(once)
    lists = [item for item in plan if item.template in render._LISTS]
    assert sum(i.template == "official.html" and "/" in i.subject for i in lists) > 4  # years
    assert sum(i.template == "index.html" and "-" in i.subject for i in lists) > 10  # months
    pages = dict(render.render_into(once, lists, lambda path, data, key: (path, data)))
    for item in lists:
        assert pages[item.path] == render.render_file(each, item), item.path
    everything = b"".join(pages.values())
    assert marker.encode() not in everything
    assert b"&lt;root&gt; &amp; ../" in everything
    if limit is None:  # each event is on its month's page and its officials'
        assert sum(c.made for c in counted.values()) < sum(c.asked for c in counted.values()) / 2
    # The workers are given the pages of a language and a year together.
    tasks = {render._turn(item): [] for item in lists}
    for chunk in render._chunks(plan):
        for turn in {render._turn(item) for item in chunk} & tasks.keys():
            tasks[turn].append(chunk)
    assert len(tasks) > 4 * len(config.languages)
    for turn, given in tasks.items():
        assert len(given) == 1 and all(render._turn(item) == turn for item in given[0]), turn
