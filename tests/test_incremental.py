"""Rebuilds write only the files whose bytes changed, and end exactly like a fresh build.

The output after any sequence of edits must equal a fresh build of the same
content, byte for byte and file for file; a failed rebuild must leave the
previous site as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import generator.templates
from generator import output
from generator.cli import main


def build(content: Path, out: Path, cache: Path, *more: str) -> int:
    return main(
        [
            "build",
            "--content",
            str(content),
            "--output",
            str(out),
            "--quiet",
            "--cache",
            str(cache),
            *more,
        ]
    )


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def stamps(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


def fresh(content: Path, tmp_path: Path, name: str = "fresh") -> dict[str, bytes]:
    target = tmp_path / name
    assert (
        main(["build", "--content", str(content), "--output", str(target), "--quiet", "--no-cache"])
        == 0
    )
    return files(target)


def recorded_clock(monkeypatch, clock: Callable[[dict[str, int]], int]) -> None:
    """Builds read the manifest as if the last build had read ``clock(folder
    times)`` on the file system's clock, just before it read the folder times."""
    read = output._read_manifest

    def patched(manifest: Path | None, out: Path):
        recorded = read(manifest, out)
        if recorded is None:
            return None
        entries, stamp, (_, times), how = recorded
        return entries, stamp, (clock(times), times), how

    monkeypatch.setattr(output, "_read_manifest", patched)


#: A clock reading newer than any folder: every recorded folder time is trusted.
LATER = 2**62


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    assert build(content_copy, out, tmp_path / "cache") == 0
    return out


def test_an_unchanged_rebuild_writes_nothing(
    content_copy: Path, tmp_path: Path, site: Path
) -> None:
    before = stamps(site)
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert stamps(site) == before


def test_an_edited_article_rewrites_some_files_and_ends_as_a_fresh_build(
    content_copy: Path, tmp_path: Path, site: Path
) -> None:
    before = stamps(site)
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("ايلاف من لندن", "ايلاف من باريس"),
        encoding="utf-8",
    )
    assert build(content_copy, site, tmp_path / "cache") == 0
    after = stamps(site)
    rewritten = {p for p in after if after[p] != before.get(p)}
    assert "sources/elaph-2020-11-26/index.html" in rewritten
    assert "static/style.css" not in rewritten
    assert files(site) == fresh(content_copy, tmp_path)


def test_an_outlet_renamed_reaches_every_file_showing_its_articles(
    content_copy: Path, tmp_path: Path, site: Path
) -> None:
    """An article's outlet is no part of the events citing it, but their
    pages and calendars name it: each file is keyed by the articles it shows."""
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('source: "إيلاف"', 'source: "إيلاف اللندنية"'), "utf-8")
    assert build(content_copy, site, tmp_path / "cache") == 0
    calendar = (site / "officials" / "fuad-hussein" / "events.ics").read_bytes()
    assert "إيلاف اللندنية".encode() in calendar
    assert files(site) == fresh(content_copy, tmp_path)


def test_a_removed_article_takes_its_pages_with_it(
    content_copy: Path, tmp_path: Path, site: Path
) -> None:
    assert (site / "sources" / "defensearabia-2020-11-26" / "index.html").is_file()
    (content_copy / "articles" / "defensearabia-2020-11-26.md").unlink()
    overrides = content_copy / "overrides.yml"
    if overrides.exists():
        overrides.unlink()  # its edits may cite the removed article
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert not (site / "sources" / "defensearabia-2020-11-26").exists()
    assert files(site) == fresh(content_copy, tmp_path)


def test_a_file_changed_behind_the_builds_back_is_written_again(
    content_copy: Path, tmp_path: Path, site: Path
) -> None:
    expected = files(site)
    page = site / "about" / "index.html"
    page.write_bytes(b"defaced")
    (site / "events.json").unlink()
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert files(site) == expected


def test_an_edited_template_takes_effect(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(generator.templates.templates_dir(), templates)
    base = templates / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("<body", "<body data-edited", 1), encoding="utf-8"
    )
    monkeypatch.setattr(generator.templates, "templates_dir", lambda: templates)
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert b"data-edited" in (site / "index.html").read_bytes()
    assert files(site) == fresh(content_copy, tmp_path)


def test_an_event_override_takes_effect(content_copy: Path, tmp_path: Path, site: Path) -> None:
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    edited = text.replace(
        "Fuad Hussein begins a two-day working visit", "Hussein arrives for two days", 1
    )
    assert edited != text
    overrides.write_text(edited, encoding="utf-8")
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert "Hussein arrives for two days" in (site / "events.json").read_text(encoding="utf-8")
    assert files(site) == fresh(content_copy, tmp_path)


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["in process", "in workers"])
@pytest.mark.parametrize(
    ("old", "new"),
    [("ايلاف من لندن", "ايلاف من باريس"), ("لافروف", "لافروفا")],
    ids=["few files change", "most files change"],
)
def test_a_rebuild_that_fails_while_writing_leaves_the_site_as_it_was(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch, old: str, new: str, jobs: str
) -> None:
    """A write fails (a full disk) in this process or in a forked worker (which
    counts its own writes): the error stops the build, the site is as it was."""
    before, before_stamps = files(site), stamps(site)
    for article in (content_copy / "articles").glob("*.md"):
        article.write_text(article.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    real = output._write_file
    calls = []

    def failing(target: str, data: bytes) -> os.stat_result:
        if ".site.new-" in target:  # writing into the staging folder beside the site
            calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(target, data)

    monkeypatch.setattr(output, "_write_file", failing)
    with pytest.raises(OSError):
        build(content_copy, site, tmp_path / "cache", "--jobs", jobs)
    assert len(calls) >= 3 or jobs != "1"  # a worker's calls are its own
    assert files(site) == before and stamps(site) == before_stamps
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site.new-")]


def test_without_a_manifest_the_whole_site_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = tmp_path / "m"
    assert output.update_site({"index.html": b"a", "x/index.html": b"b"}, out, manifest) == 2
    assert output.update_site({"index.html": b"a", "x/index.html": b"b"}, out, manifest) == 0
    assert output.update_site({"index.html": b"a", "y/index.html": b"c"}, out, manifest) == 2
    assert files(out) == {"index.html": b"a", "y/index.html": b"c"}
    manifest.unlink()
    os.utime(out / "index.html", ns=(1, 1))
    assert output.update_site({"index.html": b"a", "y/index.html": b"c"}, out, manifest) == 2


def test_an_edit_records_its_changes_apart_from_the_whole_manifest(tmp_path: Path) -> None:
    """A rebuild that writes a few files keeps the manifest's entries whole as
    they were and writes only the changes since; once the changes are more
    than an eighth of the entries, the whole is written again."""
    out, manifest = tmp_path / "out", tmp_path / "m"
    pages = {"index.html": b"home", **{f"p{i}/index.html": b"page %d" % i for i in range(40)}}
    output.update_site(pages, out, manifest)
    whole = manifest.stat()
    pages["p3/index.html"] = b"edited"
    del pages["p4/index.html"]
    pages["new/index.html"] = b"new"
    assert output.update_site(pages, out, manifest) == 3
    assert (manifest.stat().st_ino, manifest.stat().st_mtime_ns) == (
        whole.st_ino,
        whole.st_mtime_ns,
    )
    entries, _, (_, folders), recorded = output._read_manifest(manifest, out.resolve())
    assert set(recorded.changes) == {"p3/index.html", "p4/index.html", "new/index.html"}
    assert entries.keys() == pages.keys()
    for path, data in pages.items():
        status = (out / path).stat()
        assert entries[path][:3] == (output._digest(data), status.st_size, status.st_mtime_ns)
    assert "new" in folders and folders[""] == out.stat().st_mtime_ns
    for i in range(10, 16):
        pages[f"p{i}/index.html"] = b"again %d" % i
    output.update_site(pages, out, manifest)
    _, _, _, recorded = output._read_manifest(manifest, out.resolve())
    assert recorded.changes == {} and recorded.whole == len(pages)
    assert manifest.stat().st_mtime_ns != whole.st_mtime_ns
    assert files(out) == pages


def test_a_manifest_whose_two_files_disagree_is_not_used(tmp_path: Path) -> None:
    """Changes naming another whole (a build stopped between writing the
    whole and its changes), or a whole without its changes: the next build
    writes every file."""
    out, manifest = tmp_path / "out", tmp_path / "m"
    recent = manifest.with_name(manifest.name + "-recent")
    pages = {"index.html": b"home", **{f"p{i}/index.html": b"page %d" % i for i in range(8)}}
    output.update_site(pages, out, manifest)
    before = recent.read_bytes()
    pages = {path: data + b"!" for path, data in pages.items()}
    output.update_site(pages, out, manifest)  # all changed: written whole again
    recent.write_bytes(before)
    assert output._read_manifest(manifest, out.resolve()) is None
    assert output.update_site(pages, out, manifest) == len(pages)
    recent.unlink()
    assert output._read_manifest(manifest, out.resolve()) is None
    assert output.update_site(pages, out, manifest) == len(pages)
    assert files(out) == pages


def test_a_failure_while_moving_files_into_place_puts_every_one_back(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch
) -> None:
    before = files(site)
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("ايلاف من لندن", "ايلاف من باريس"),
        encoding="utf-8",
    )
    (site / "stray.html").write_text("not from any build", encoding="utf-8")
    before["stray.html"] = b"not from any build"
    real = os.replace
    moves = []

    def replace(source, target):  # type: ignore[no-untyped-def]
        moves.append(source)
        if len(moves) == 6:
            raise OSError(5, "Input/output error")
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        build(content_copy, site, tmp_path / "cache")
    monkeypatch.undo()
    assert len(moves) > 6  # the moves done before the failure were undone
    assert files(site) == before
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert files(site) == fresh(content_copy, tmp_path)  # the stray is gone too


def test_the_search_index_is_made_again_only_when_a_page_changed(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch
) -> None:
    import json

    from generator import search

    def indexed(word: str) -> bool:
        shards = sorted((site / "search" / "ar").glob("terms-*.json"))
        return any(word in json.loads(s.read_text(encoding="utf-8")) for s in shards)

    real = search.index_files
    calls = []
    monkeypatch.setattr(search, "index_files", lambda *records: calls.append(1) or real(*records))
    assert build(content_copy, site, tmp_path / "cache", "--jobs", "1") == 0  # calls seen here
    assert calls == []
    assert indexed("لندن") and not indexed("باريس")
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("ايلاف من لندن", "ايلاف من باريس"),
        encoding="utf-8",
    )
    assert build(content_copy, site, tmp_path / "cache", "--jobs", "1") == 0
    assert calls == [1]
    assert indexed("باريس")
    monkeypatch.undo()
    assert files(site) == fresh(content_copy, tmp_path)


def test_an_edit_makes_again_only_the_export_texts_of_the_events_it_touched(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch
) -> None:
    import json

    from generator import render

    made: list[str] = []
    searched: list[str] = []
    relisted: list[str] = []  # the tokens whose documents the index lists anew
    splice, recall = render.Splicer.splice, render.Fragments.__call__

    def splicing(self, item, listing):
        piece = listing.piece
        return splice(self, item, listing._replace(piece=lambda r: made.append(r.id) or piece(r)))

    def recalling(self, record, make):
        if self.kind == "fragments-search-terms":
            return recall(self, record, lambda r: relisted.append(r[0]) or make(r))
        return recall(self, record, lambda r: searched.append(r.id) or make(r))

    monkeypatch.setattr(render.Splicer, "splice", splicing)
    monkeypatch.setattr(render.Fragments, "__call__", recalling)
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("ايلاف من لندن", "ايلاف من باريس"),
        encoding="utf-8",
    )
    assert build(content_copy, site, tmp_path / "cache", "--jobs", "1") == 0
    listed = json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]
    citing = {e["id"] for e in listed if any(s["article"] == article.stem for s in e["sources"])}
    assert citing and len(citing) < len(listed)
    assert set(made) == citing  # in every export family, and nothing else
    # The search index: the article, and the events whose citations moved in it;
    # the tokens of the article and its events, not all of them.
    assert article.stem in searched and set(searched) <= citing | {article.stem}
    tokens = [
        token
        for shard in sorted((site / "search" / "ar").glob("terms-*.json"))
        for token in json.loads(shard.read_text(encoding="utf-8"))
    ]
    assert "باريس" in relisted and len(relisted) < len(tokens) / 4
    monkeypatch.undo()
    assert files(site) == fresh(content_copy, tmp_path)


def test_timeline_json_is_made_again_only_when_one_of_its_events_changes(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """timeline.json shows the latest events only: an edit of an older one leaves it be."""
    import json

    from generator import exports, render

    monkeypatch.setattr(exports, "TIMELINE_SLIDES", 2)
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert build(content_copy, out, cache) == 0
    listed = [e["id"] for e in json.loads((out / "events.json").read_text())["events"]]
    shown = [e["unique_id"] for e in json.loads((out / "timeline.json").read_text())["events"]]
    assert shown == listed[-2:]
    rendered: list[str] = []
    real = render._render_item

    def counting(site, item, sink):
        rendered.append(item.path)
        return real(site, item, sink)

    monkeypatch.setattr(render, "_render_item", counting)
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    older = "Fuad Hussein begins a two-day working visit"  # 2020-11-25-hussein-visit
    assert older in text and "2020-11-25-hussein-visit" not in shown
    overrides.write_text(text.replace(older, "Hussein arrives for two days"), encoding="utf-8")
    assert build(content_copy, out, cache, "--jobs", "1") == 0
    assert "events.json" in rendered
    assert not {"timeline.json", "en/timeline.json"} & set(rendered)

    rendered.clear()
    latest = f'events:\n  {shown[-1]}:\n    title:\n      en: "The latest, retitled"\n'
    overrides.write_text(overrides.read_text(encoding="utf-8").replace("events:\n", latest, 1))
    assert build(content_copy, out, cache, "--jobs", "1") == 0
    assert {"timeline.json", "en/timeline.json"} <= set(rendered)
    assert "The latest, retitled" in (out / "en/timeline.json").read_text(encoding="utf-8")
    assert files(out) == fresh(content_copy, tmp_path)


def test_an_edit_keeps_the_texts_it_made_apart_from_the_whole(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch
) -> None:
    """The kept search entries are written whole by a first build; an edit
    writes the few it made apart, and a later build reads them back, until
    they are too many to keep apart."""
    from generator import render

    whole = tmp_path / "cache" / "fragments-search.pickle"
    recent = tmp_path / "cache" / "fragments-search-recent.pickle"
    first = whole.read_bytes()
    assert not recent.exists()
    made: list[str] = []
    real = render.Fragments.__call__

    def counting(self, record, make):
        if self.kind == "fragments-search":
            return real(self, record, lambda r: made.append(r.id) or make(r))
        return real(self, record, make)

    monkeypatch.setattr(render.Fragments, "__call__", counting)
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    edits = [
        ("Fuad Hussein begins", "Fuad Hussein starts", 0.5),
        ("of the State Duma", "of the Duma", 0.5),
        ("Fuad Hussein starts", "Fuad Hussein opens", 0.0),
    ]
    for old, new, share in edits:
        monkeypatch.setattr(render.Fragments, "RECENT_SHARE", share)
        made.clear()
        text = text.replace(old, new, 1)
        overrides.write_text(text, encoding="utf-8")
        assert build(content_copy, site, tmp_path / "cache", "--jobs", "1") == 0
        assert len(made) == 1  # the edited event's entry, the others read back
        if share:
            assert whole.read_bytes() == first and len(recent.read_bytes()) < len(first)
    assert whole.read_bytes() != first
    monkeypatch.undo()
    assert files(site) == fresh(content_copy, tmp_path)


def test_with_nothing_changed_a_stray_file_is_still_removed(
    content_copy: Path, tmp_path: Path, site: Path
) -> None:
    expected = files(site)
    (site / "events" / "stray.html").write_text("not from any build", encoding="utf-8")
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert files(site) == expected


@pytest.mark.parametrize("trusted", [False, True], ids=["listed", "folder-times"])
def test_files_added_or_removed_behind_the_builds_back_are_found(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch, trusted: bool
) -> None:
    # Every folder changed in the clock's last tick (listed), or none (trusted).
    recorded_clock(monkeypatch, lambda times: LATER if trusted else 0)
    expected = files(site)
    time.sleep(0.05)  # past the tick of the file system's clock
    first, second, third = sorted((site / "events").glob("*/index.html"))[:3]
    (first.parent / "stray.html").write_text("not from any build", encoding="utf-8")
    (site / "events" / "new" / "deeper").mkdir(parents=True)
    (site / "events" / "new" / "deeper" / "index.html").write_text("nor this", encoding="utf-8")
    (site / "stray.txt").write_text("nor this", encoding="utf-8")
    second.unlink()
    shutil.rmtree(third.parent)  # a folder the manifest recorded, gone
    (site / "about").rename(site / "about-moved")
    (site / "about").write_text("a file where a folder was", encoding="utf-8")
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert files(site) == expected


def test_folders_unchanged_since_the_last_build_are_not_listed_again(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch
) -> None:
    recorded_clock(monkeypatch, lambda times: LATER)
    listed: list[str] = []
    real = os.scandir

    def scandir(path):
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert build(content_copy, site, tmp_path / "cache") == 0
    root = str(site.resolve())
    assert not [path for path in listed if path.startswith(root)]


@pytest.mark.parametrize("later", [0, 1], ids=["in its tick", "a tick later"])
def test_a_folder_changed_in_the_tick_of_the_clock_reading_is_listed_again(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch, later: int
) -> None:
    """A file added to a folder within the tick of its last change leaves the
    folder's time as it was. The build read the file system's clock just
    before the folder times; a folder whose time is not older is listed again,
    so such a file is found. A folder older than the clock is trusted (the
    limit of trusting times at all: a change made since bears a later time)."""
    folder = sorted((site / "events").iterdir())[0]
    relative = f"events/{folder.name}"
    stamp = folder.stat().st_mtime_ns
    (folder / "stray.html").write_text("not from any build", encoding="utf-8")
    os.utime(folder, ns=(stamp, stamp))  # as if within the same tick
    recorded_clock(monkeypatch, lambda times: times[relative] + later)
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert (folder / "stray.html").exists() == bool(later)


def test_the_file_system_clock_reads_in_the_order_it_stamps(tmp_path: Path) -> None:
    before = tmp_path / "before"
    before.write_text("x", encoding="utf-8")
    clock = output._file_system_clock(tmp_path)
    after = tmp_path / "after"
    after.write_text("y", encoding="utf-8")
    assert before.stat().st_mtime_ns <= clock <= after.stat().st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["after", "before"]  # nothing left
    missing = tmp_path / "missing"  # nowhere to make a file: the system clock, less a margin
    assert output._file_system_clock(missing) <= time.time_ns() - output.RACY_NS


def test_folders_an_edit_left_alone_keep_their_times_and_are_still_watched(
    content_copy: Path, tmp_path: Path, site: Path, monkeypatch
) -> None:
    """After an edit, the manifest keeps the recorded times of the folders the
    build neither wrote into nor removed from, without reading them again; a
    file added to one of them later is still found."""
    recorded_clock(monkeypatch, lambda times: LATER)
    read: list[set[str]] = []
    to_read = output._folders_to_read
    monkeypatch.setattr(
        output,
        "_folders_to_read",
        lambda previous, touched: read.append(to_read(previous, touched)) or read[-1],
    )
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(text.replace("Fuad Hussein begins", "Fuad Hussein starts", 1), "utf-8")
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert "about" not in read[-1] and "" in read[-1]
    time.sleep(0.05)  # past the tick of the file system's clock
    for folder in [site / "about", *(site / "events").iterdir()]:
        (folder / "stray.html").write_text("not from any build", encoding="utf-8")
    assert build(content_copy, site, tmp_path / "cache") == 0
    assert files(site) == fresh(content_copy, tmp_path)


def test_with_nothing_changed_the_warnings_are_given_again(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    content = content_copy
    (content / "articles" / "notes.txt").write_text("not an article", encoding="utf-8")
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert build(content, out, cache) == 0
    first = capsys.readouterr().err
    assert "notes.txt" in first
    assert build(content, out, cache) == 0
    assert capsys.readouterr().err == first
    assert build(content, out, cache, "--strict") == 1


@pytest.mark.parametrize("how", ["forked", "no fork", "the forked check fails"])
def test_the_files_changed_since_the_last_build_are_found_while_it_goes_on(
    tmp_path: Path, monkeypatch, how: str
) -> None:
    """A rebuild lists the folders changed since the last build and stats
    every file it wrote in a forked process while it goes on; where the
    system cannot fork, or the forked process gives no answer, it does so
    itself. Either way the same files are found."""
    out, manifest = tmp_path / "out", tmp_path / "manifest"
    pages = {"index.html": b"home", "a/index.html": b"a", "b/index.html": b"b"}
    output.update_site(pages, out, manifest)
    (out / "a" / "index.html").write_bytes(b"defaced")
    (out / "b" / "index.html").unlink()
    (out / "c").mkdir()
    (out / "c" / "stray.html").write_bytes(b"not from any build")
    builder = os.getpid()
    find, files_under = output.Previous._find_changed, output._files_under
    checkers: list[int] = []
    listers: list[int] = []

    def finding(self: output.Previous) -> Iterator[str]:
        if how == "the forked check fails" and os.getpid() != builder:
            raise OSError("killed")
        checkers.append(os.getpid())  # seen here only when this process checks
        yield from find(self)

    def listing(*args):
        listers.append(os.getpid())
        return files_under(*args)

    monkeypatch.setattr(output.Previous, "_find_changed", finding)
    monkeypatch.setattr(output, "_files_under", listing)
    if how == "no fork":
        monkeypatch.delattr(os, "fork")
    previous = output.Previous.read(manifest, out)
    assert previous is not None
    with previous.checked_meanwhile():
        assert previous.present == {"index.html", "a/index.html", "c/stray.html"}
        assert previous.changed() == {"a/index.html"}
        assert set(previous.trusted) == {"a"}  # b and the output itself gained or lost a file
        assert previous.intact("index.html") and not previous.intact("a/index.html")
        assert not previous.intact("b/index.html") and not previous.all_intact()
    assert checkers == ([] if how == "forked" else [builder])
    assert listers == ([] if how == "forked" else [builder])


@pytest.mark.parametrize("fork", [True, False])
def test_an_output_holding_a_link_is_written_whole_and_what_it_points_to_left_alone(
    tmp_path: Path, monkeypatch, fork: bool
) -> None:
    """Something under the output other than a file or a folder (found by the
    forked process or the build's own) makes the next build write the site
    whole and swap it in, as a first build does."""
    out, manifest = tmp_path / "out", tmp_path / "manifest"
    output.update_site({"index.html": b"home", "a/index.html": b"a"}, out, manifest)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_bytes(b"not the site's")
    (out / "a" / "link").symlink_to(elsewhere, target_is_directory=True)
    if not fork:
        monkeypatch.delattr(os, "fork")
    previous = output.Previous.read(manifest, out)
    assert previous is not None
    with previous.checked_meanwhile():
        assert not previous.usable() and previous.intact("index.html") is None
        staging = output.Staging(out, previous)
        assert staging.previous is None
        staging.add("index.html", b"home again")
        staging.commit(manifest)
    assert sorted(p.name for p in out.rglob("*")) == ["index.html"]
    assert (elsewhere / "keep.txt").read_bytes() == b"not the site's"


def test_small_edits_rewrite_only_the_files_of_the_search_index_holding_them(
    tmp_path: Path, monkeypatch
) -> None:
    """Events added, hidden and retitled in overrides.yml and articles added,
    in turn, on a synthetic archive: after each rebuild the search index is
    byte for byte a cold build's, every file of it the rebuild rewrote or
    removed holds something the edit changed, and they are a small share.
    Numbered in order and cut by size, as before, an event added or hidden
    rewrote nearly every file: every later document's number moved."""
    import json
    import random
    import sys

    import yaml
    from searchindex import changed, holding_no_change

    from generator import search

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "bench"))
    from corpus import article_text, write_corpus

    monkeypatch.setattr(search, "CHUNK", 64)  # many chunks and shards for a small archive
    monkeypatch.setattr(search, "SHARD_BYTES", 300)
    content = write_corpus(
        tmp_path / "content", 30, seed=11, registry_from=root / "content"
    ).content
    site, cache = tmp_path / "site", tmp_path / "cache"

    def index(folder: Path) -> dict[str, bytes]:
        return {path: data for path, data in files(folder).items() if path.startswith("search/")}

    def fresh_index(name: str) -> dict[str, bytes]:
        target = tmp_path / name
        arguments = ["--content", str(content), "--output", str(target), "--quiet"]
        assert main(["build", *arguments, "--no-cache", "--jobs", "1"]) == 0
        return index(target)

    assert build(content, site, cache, "--jobs", "1") == 0
    rng = random.Random(4)
    event_edits: dict[str, dict[str, object]] = {}
    added: list[dict[str, object]] = []
    shares: dict[str, list[float]] = {}
    for round_ in range(8):
        before = index(site)
        events = json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]
        target = rng.choice(events)["id"]
        kind = ("add event", "hide event", "retitle event", "add article")[round_ % 4]
        if kind == "add event":
            added.append(
                {
                    "id": f"2019-03-0{round_ + 1}-added-{round_}",
                    "date": f"2019-03-0{round_ + 1}",
                    "type": "statement",
                    "title": {"ar": f"تصريح مضاف رقم {round_}", "en": f"Added {round_}"},
                    "officials": ["sergey-lavrov"],
                    "sources": [{"text": f"مرجع حر رقم {round_}"}],
                }
            )
        elif kind == "hide event":
            event_edits[target] = {"hide": True}
        elif kind == "retitle event":
            event_edits[target] = {"title": {"ar": f"عنوان معدل {round_}"}}
        else:
            published = dt.date(2020, 6, 10 + round_)
            article = content / "articles" / f"added-{published.isoformat()}.md"
            article.write_text(article_text(rng, published, "المنفذ"), encoding="utf-8")
        overrides = yaml.safe_dump({"events": event_edits, "add": added}, allow_unicode=True)
        (content / "overrides.yml").write_text(overrides, encoding="utf-8")
        assert build(content, site, cache, "--jobs", "1") == 0
        after = index(site)
        assert after == fresh_index(f"fresh-{round_}"), kind
        assert holding_no_change(before, after) == [], kind
        shares.setdefault(kind, []).append(len(changed(before, after)) / len(after))
    assert len(after) > 300
    assert max(shares["add event"] + shares["hide event"]) < 0.3, shares
    assert max(shares["retitle event"]) < 0.1, shares
    assert max(shares["add article"]) < 0.5, shares
