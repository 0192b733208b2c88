"""The files listing the whole archive are spliced from the last build's.

events.json, the CSV, the calendars and the sitemaps are made after an edit
from the files the last build wrote, the text of each record whose key is
unchanged copied from there (``render.Splicer``). After any sequence of
edits each must be, byte for byte, what a cold build of the same content
makes; and a text made by other code, settings or registry is never copied.
"""

from __future__ import annotations

import json
import pickle
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from test_incremental import build, files, fresh

from generator import cache as cache_module
from generator import exports, render

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import edit_article, write_corpus  # noqa: E402

#: Pages a sitemap lists, made small so that pages move between its files.
SITEMAP_URLS = 40


@pytest.fixture
def archive(tmp_path: Path, monkeypatch) -> Path:
    """A synthetic archive of 24 articles (some hundred events), built once."""
    monkeypatch.setattr(exports, "SITEMAP_URLS", SITEMAP_URLS)
    content = tmp_path / "content"
    write_corpus(content, 24, seed=11, registry_from=ROOT / "content")
    assert build(content, tmp_path / "site", tmp_path / "cache", "--jobs", "1") == 0
    return content


@pytest.fixture
def made(monkeypatch) -> Counter[str]:
    """How many texts of records each file of the whole archive made (not copied)."""
    counts: Counter[str] = Counter()
    real = render.Splicer.splice

    def counting(self, item, listing):
        def piece(record):
            counts[item.path] += 1
            return listing.piece(record)

        return real(self, item, listing._replace(piece=piece))

    monkeypatch.setattr(render.Splicer, "splice", counting)
    return counts


def shown_events(site: Path) -> list[dict]:
    return json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]


def whole_archive(site: Path) -> dict[str, bytes]:
    """The files that list the whole archive, and the feeds."""
    listing = re.compile(r"(en/)?(events\.(json|csv|ics)|sitemap.*\.xml|feed\.xml|timeline\.json)")
    return {
        path: data
        for path, data in files(site).items()
        if listing.fullmatch(path) or path.endswith("/events.ics")
    }


def random_edit(rng: random.Random, content: Path, site: Path, round_: int) -> str:
    """One edit an editor could make; overrides.yml holds only this round's
    event edits, so the last round's are undone at the same time."""
    events = shown_events(site)
    articles = sorted((content / "articles").glob("*.md"))
    (content / "overrides.yml").write_text("", encoding="utf-8")
    kind = rng.choice(
        [
            "retitle event",
            "move event",
            "hide event",
            "add event",
            "retitle article",
            "rename outlet",
            "edit article",
            "add article",
            "remove article",
        ]
    )
    target = rng.choice(events)["id"]
    if kind == "retitle event":
        edit = f'    title: {{ar: "عنوان {round_}", en: "Title {round_}"}}\n'
    elif kind == "move event":
        edit = f"    date: 20{rng.randrange(17, 24)}-{rng.randrange(1, 13):02d}-15\n"
    elif kind == "hide event":
        edit = "    hide: true\n"
    if kind in ("retitle event", "move event", "hide event"):
        text = f"events:\n  {target}:\n{edit}"
        (content / "overrides.yml").write_text(text, encoding="utf-8")
    elif kind == "add event":
        day = f"20{rng.randrange(17, 24)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        added = (
            f"add:\n  - id: {day}-added-{round_}\n    date: {day}\n    type: statement\n"
            f'    title: {{ar: "حدث مضاف {round_}", en: "Added {round_}"}}\n'
            "    officials: [fuad-hussein]\n"
            f'    sources:\n      - text: "A briefing, round {round_}"\n'
        )
        (content / "overrides.yml").write_text(added, encoding="utf-8")
    elif kind in ("retitle article", "rename outlet"):
        path = rng.choice(articles)
        field = "title" if kind == "retitle article" else "source"
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"^{field}: .*$", f'{field}: "{field} {round_}"', text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
    elif kind == "edit article":
        edit_article(rng.choice(articles), round_)
    elif kind == "add article":
        extra = content.parent / f"extra-{round_}"
        [path] = write_corpus(extra, 1, seed=100 + round_).articles
        path.rename(content / "articles" / f"added-{round_}.md")
    else:
        rng.choice(articles).unlink()
    return kind


@pytest.mark.parametrize("seed", [1, 2])
def test_after_random_edits_each_file_of_the_archive_is_a_cold_builds(
    archive: Path, tmp_path: Path, made: Counter[str], seed: int
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    rng = random.Random(seed)
    kinds = set()
    for round_ in range(1, 8):
        kind = random_edit(rng, archive, site, round_)
        kinds.add(kind)
        made.clear()
        assert build(archive, site, cache, "--jobs", "1") == 0, kind
        cold = fresh(archive, tmp_path, f"cold-{round_}")
        assert whole_archive(site) == whole_archive(tmp_path / f"cold-{round_}"), kind
        assert files(site) == cold, kind
        # Spliced: a file made again made the texts of few records.
        events = len(shown_events(site))
        if "events.json" in made:
            assert made["events.json"] < events / 4, (kind, made)
        if "events.ics" in made:
            assert made["events.ics"] < events / 4, (kind, made)
        sitemaps = sum(n for path, n in made.items() if path.startswith("sitemap"))
        assert sitemaps < SITEMAP_URLS, (kind, made)
    assert len(kinds) >= 4
    assert len([p for p in files(site) if p.startswith("sitemap-")]) > 3


def test_texts_are_copied_from_the_last_build_only_if_their_key_is_unchanged(
    archive: Path, tmp_path: Path, made: Counter[str]
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    events = shown_events(site)
    target = events[len(events) // 2]["id"]
    overrides = archive / "overrides.yml"
    overrides.write_text(f'events:\n  {target}:\n    title: {{en: "Retitled"}}\n', "utf-8")
    assert build(archive, site, cache, "--jobs", "1") == 0
    assert made["events.json"] == made["events.csv"] == made["events.ics"] == 1
    assert not any(path.startswith("sitemap") for path in made)  # no page came or went
    cold = fresh(archive, tmp_path)
    assert files(site) == cold


@pytest.mark.parametrize("change", ["code", "settings", "registry"])
def test_a_text_made_by_other_code_settings_or_registry_is_never_copied(
    archive: Path, tmp_path: Path, made: Counter[str], monkeypatch, change: str
) -> None:
    """Every text of the files of the whole archive shows what the code, the
    settings or the registry give it: when one of them changes, none is
    copied from the last build's files."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    more: list[str] = []
    if change == "code":  # a new version of the generator writes CSV cells otherwise
        cell = exports._cell
        monkeypatch.setattr(exports, "_cell", lambda value: cell(value) + " ")
        for module in (cache_module, render):
            monkeypatch.setattr(module, "engine_version", lambda: "a new version")
    elif change == "settings":
        more = ["--base-url", "https://elsewhere.example/"]
    else:
        registry = archive / "officials.yml"
        name = "فؤاد حسين"
        assert name in registry.read_text(encoding="utf-8")
        registry.write_text(registry.read_text("utf-8").replace(name, "فؤاد محمد حسين"), "utf-8")
    assert build(archive, site, cache, "--jobs", "1", *more) == 0
    events = len(shown_events(site))
    assert made["events.csv"] == made["events.ics"] == events
    cold = tmp_path / "cold"
    assert build(archive, cold, tmp_path / "cold-cache", "--jobs", "1", *more) == 0
    assert files(site) == files(cold)


@pytest.mark.parametrize("damage", ["corrupt", "missing", "truncated", "file-changed"])
def test_a_layout_or_file_that_cannot_be_used_means_making_the_file_whole(
    archive: Path, tmp_path: Path, made: Counter[str], damage: str
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    kept = cache / "layouts-events.json.pickle"
    assert kept.is_file()
    if damage == "corrupt":
        kept.write_bytes(b"not a pickle")
    elif damage == "missing":
        kept.unlink()
    elif damage == "truncated":  # a layout longer than its file says
        with open(kept, "rb") as file:
            key, layouts = pickle.load(file), pickle.load(file)
        layout = layouts["events.json"]
        lengths = [n + 1 for n in layout.lengths]
        layouts["events.json"] = layout._replace(lengths=lengths)
        with open(kept, "wb") as file:
            pickle.dump(key, file)
            pickle.dump(layouts, file)
    else:
        (site / "events.json").write_bytes(b"{}\n")
    edit_article(sorted((archive / "articles").glob("*.md"))[0], 1)
    assert build(archive, site, cache, "--jobs", "1") == 0
    assert made["events.json"] == len(shown_events(site))
    assert files(site) == fresh(archive, tmp_path)
    made.clear()
    edit_article(sorted((archive / "articles").glob("*.md"))[0], 2)
    assert build(archive, site, cache, "--jobs", "1") == 0
    assert made["events.json"] < len(shown_events(site))  # the layout is whole again
    assert files(site) == fresh(archive, tmp_path, "fresh-again")


def test_two_outputs_sharing_a_cache_never_take_each_others_layouts(
    archive: Path, tmp_path: Path
) -> None:
    """A layout is tied to the file it was made with: another output's file
    made for other content is not read as if it were."""
    site, other, cache = tmp_path / "site", tmp_path / "other", tmp_path / "cache"
    first = sorted((archive / "articles").glob("*.md"))[0]
    for round_ in range(1, 4):
        edit_article(first, round_)
        assert build(archive, other if round_ % 2 else site, cache, "--jobs", "1") == 0
    assert build(archive, site, cache, "--jobs", "1") == 0
    expected = fresh(archive, tmp_path)
    assert files(site) == expected
    assert build(archive, other, cache, "--jobs", "1") == 0
    assert files(other) == expected
