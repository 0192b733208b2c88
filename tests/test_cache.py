"""The build cache never serves a stale result, and changes nothing in the output.

Each test builds once to fill the cache, changes one input the cached
analysis depends on (the engine, an official's aliases, an article), builds
again with the same cache, and checks the change took effect.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from generator import analysis, cache, events, models, output, remerge, serve
from generator import build as build_module
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402


def build(content: Path, out: Path, cache_dir: Path | None, *flags: str) -> dict:
    where = ["--cache", str(cache_dir)] if cache_dir else ["--no-cache"]
    status = main(
        ["build", "--content", str(content), "--output", str(out), "--quiet", *where, *flags]
    )
    assert status == 0
    return json.loads((out / "events.json").read_text(encoding="utf-8"))


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def officials_of(export: dict) -> set[str]:
    return {o for event in export["events"] for o in event["officials"]}


def test_a_cached_build_equals_a_fresh_one(content_copy: Path, tmp_path: Path) -> None:
    build(content_copy, tmp_path / "fresh", None)
    build(content_copy, tmp_path / "first", tmp_path / "cache")
    assert (tmp_path / "cache" / "build.sqlite3").is_file()
    build(content_copy, tmp_path / "second", tmp_path / "cache")
    assert files(tmp_path / "second") == files(tmp_path / "fresh") == files(tmp_path / "first")


def test_a_new_engine_version_is_not_served_old_results(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    store = tmp_path / "cache"
    (content_copy / "overrides.yml").unlink()  # its edits name events this test makes vanish
    assert build(content_copy, tmp_path / "a", store)["events"]
    # Extraction changes (here: it finds nothing) ...
    monkeypatch.setattr(events, "candidates_of", lambda article, registry: [])
    # ... but while the engine claims the same version the cache answers: the key matters.
    assert build(content_copy, tmp_path / "b", store)["events"]
    monkeypatch.setattr(cache, "engine_version", lambda: "another engine")
    assert build(content_copy, tmp_path / "c", store)["events"] == []


def test_the_engine_version_follows_the_source() -> None:
    version = cache.engine_version()
    assert version == cache.engine_version() and len(version) == 40


def test_library_versions_are_read_from_their_metadata_folders(tmp_path: Path, monkeypatch) -> None:
    installed = cache._installed(cache.LIBRARIES)  # as pip installed them here
    assert set(installed) == {cache._project(library) for library in cache.LIBRARIES}
    (tmp_path / "PyYAML-6.0-py3.11.egg-info").mkdir()  # Debian's way
    (tmp_path / "jinja2-3.1.6.dist-info").mkdir()
    (tmp_path / "jinja2_time-0.2.0.dist-info").mkdir()  # another project
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "gone.zip")])
    assert cache._installed(["PyYAML", "Jinja2"]) == {
        "pyyaml": ["PyYAML-6.0-py3.11.egg-info"],
        "jinja2": ["jinja2-3.1.6.dist-info"],
    }
    before = cache.engine_version.__wrapped__()
    (tmp_path / "jinja2-3.1.6.dist-info").rename(tmp_path / "jinja2-3.1.7.dist-info")
    assert cache.engine_version.__wrapped__() != before  # an upgrade is a new engine


def test_an_alias_added_to_the_registry_takes_effect(content_copy: Path, tmp_path: Path) -> None:
    store = tmp_path / "cache"
    article = content_copy / "articles" / "alias-test.md"
    article.write_text(
        '---\ntitle: "اختبار"\ndate: 2021-03-04\nsource: "إيلاف"\n---\n'
        "التقى أبو الهول وزير الخارجية العراقي فؤاد حسين في بغداد امس.\n",
        encoding="utf-8",
    )

    def sources_naming_lavrov(export: dict) -> set[str]:
        return {
            s["article"]
            for e in export["events"]
            if "sergey-lavrov" in e["officials"]
            for s in e["sources"]
        }

    assert "alias-test" not in sources_naming_lavrov(build(content_copy, tmp_path / "a", store))
    registry = content_copy / "officials.yml"
    text = registry.read_text(encoding="utf-8")
    text = text.replace('aliases: ["سيرجي لافروف"', 'aliases: ["أبو الهول", "سيرجي لافروف"', 1)
    registry.write_text(text, encoding="utf-8")
    assert "alias-test" in sources_naming_lavrov(build(content_copy, tmp_path / "b", store))


def test_an_edited_article_is_analysed_again(content_copy: Path, tmp_path: Path) -> None:
    store = tmp_path / "cache"
    before = build(content_copy, tmp_path / "a", store)
    assert "juma-inad" in officials_of(before)
    for path in (content_copy / "articles").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("جمعة عناد", "فلان الفلاني"), encoding="utf-8")
    after = build(content_copy, tmp_path / "b", store)
    assert after != before


def test_an_event_override_edit_reads_the_events_back(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """Editing an event in overrides.yml does not merge the articles' events
    again; editing an article there (its publication date anchors "امس") does."""
    store = tmp_path / "cache"
    build(content_copy, tmp_path / "a", store)
    merges: list[int] = []
    merge = remerge.Replay.merge
    monkeypatch.setattr(remerge.Replay, "merge", lambda *a: merges.append(1) or merge(*a))
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    retitled = text.replace("Fuad Hussein begins a two-day", "Fuad Hussein starts a two-day", 1)
    assert retitled != text
    overrides.write_text(retitled, encoding="utf-8")
    export = build(content_copy, tmp_path / "b", store)
    assert merges == []
    assert any(e["title"]["en"].startswith("Fuad Hussein starts") for e in export["events"])
    redated = "articles:\n  elaph-2020-11-26:\n    published: 2020-11-27\n"
    overrides.write_text(redated, encoding="utf-8")
    export = build(content_copy, tmp_path / "c", store)
    assert merges == [1]
    assert files(tmp_path / "c") == files(_fresh(content_copy, tmp_path / "fresh"))


def test_what_a_build_reads_back_is_left_out_of_the_collector_until_it_ends(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """The candidates read back are frozen (gc.freeze) once read, so no
    collection walks them while the build runs, and given back after it, so
    a process that goes on (serve) collects as before."""
    store = tmp_path / "cache"
    build(content_copy, tmp_path / "a", store)
    (content_copy / "overrides.yml").write_text("", encoding="utf-8")  # the events merged again
    walked: list[bool] = []
    candidates = analysis.Analysis.candidates

    def read_back(self: analysis.Analysis, *args: object) -> dict:
        found = candidates(self, *args)
        one = next(candidate for read in found.values() for candidate in read)
        assert gc.is_tracked(one)
        walked.append(any(tracked is one for tracked in gc.get_objects()))
        return found

    monkeypatch.setattr(analysis.Analysis, "candidates", read_back)
    build(content_copy, tmp_path / "b", store)
    assert walked == [False]  # in no generation a collection walks
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("can_fork", [True, False], ids=["forked", "in this process"])
def test_what_a_build_keeps_is_written_in_a_process_of_its_own(
    tmp_path: Path, monkeypatch, can_fork: bool
) -> None:
    """The merged events are written by a forked process while the build
    commits the site (where the system can fork), and are there once waited for."""
    if not can_fork:
        monkeypatch.delattr(os, "fork")
    write = cache._write

    def writing(folder: Path, *rest: object) -> None:
        write(folder, *rest)
        (folder / "writer").write_text(str(os.getpid()), encoding="utf-8")

    monkeypatch.setattr(cache, "_write", writing)
    later = cache.Later()
    later.remember(tmp_path, "events", "key", ["an event"])
    later.start()
    later.wait()
    assert cache.recall(tmp_path, "events", "key") == ["an event"]
    writer = int((tmp_path / "writer").read_text(encoding="utf-8"))
    assert (writer != os.getpid()) is can_fork


def test_a_rebuild_fingerprints_only_the_records_an_edit_made(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """Pages are keyed by the fingerprints of the records they show. Parsed
    articles and kept events come back from the cache with theirs; after an
    edit of overrides.yml, only the events it edits (two in content/) are
    fingerprinted."""
    store = tmp_path / "cache"
    build(content_copy, tmp_path / "a", store)
    made: list[str] = []
    fingerprint = models.fingerprint
    monkeypatch.setattr(models, "fingerprint", lambda r: made.append(r.id) or fingerprint(r))
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(text.replace("Fuad Hussein begins", "Fuad Hussein starts", 1), "utf-8")
    export = build(content_copy, tmp_path / "b", store)
    assert any(e["title"]["en"].startswith("Fuad Hussein starts") for e in export["events"])
    assert sorted(made) == ["2020-11-25-hussein-visit", "2020-11-26-hussein-slutsky-meeting"]
    assert files(tmp_path / "b") == files(_fresh(content_copy, tmp_path / "fresh"))


LOADED = """
import sys
from generator.cli import main
status = main(sys.argv[1:])
heavy = ("generator.render", "generator.events", "generator.dates", "dateparser", "jinja2")
print(" ".join(sorted(name for name in heavy if name in sys.modules)))
sys.exit(status)
"""


def test_a_build_run_from_another_directory_finds_everything_kept(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """What a build keeps does not depend on the directory it runs in: run
    from another one, a rebuild with nothing changed does nothing, and after
    an edit it parses and analyses only the edited article."""
    from generator import render

    store, out = tmp_path / "cache", tmp_path / "site"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(content_copy.parent)  # messages name content/articles/…
    build(content_copy, out, store)
    monkeypatch.chdir(tmp_path / "elsewhere")  # … and now the whole path

    def planned(site: object) -> list:
        raise AssertionError("a build with nothing changed planned the site")

    with monkeypatch.context() as patched:
        patched.setattr(render, "plan_archive", planned)
        build(content_copy, out, store)
    parsed: list[str] = []
    analysed: list[str] = []
    parse, analyse = analysis.content.parse_article, analysis.analyse
    monkeypatch.setattr(
        analysis.content, "parse_article", lambda *a: parsed.append(a[2]) or parse(*a)
    )
    monkeypatch.setattr(
        analysis, "analyse", lambda a, registry: analysed.append(a.id) or analyse(a, registry)
    )
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nتصحيح.\n", encoding="utf-8")
    build(content_copy, out, store, "--jobs", "1")
    assert parsed == analysed == ["elaph-2020-11-26"]


def test_a_rebuild_loads_only_the_stages_it_runs(content_copy: Path, tmp_path: Path) -> None:
    """With nothing changed a rebuild never loads the renderer (nor Jinja);
    after an edit of overrides.yml it never loads the extractor or the date
    engine."""
    store, out = tmp_path / "cache", tmp_path / "site"
    build(content_copy, out, store)
    args = ["build", "--content", str(content_copy), "--output", str(out), "--cache", str(store)]

    def loaded() -> list[str]:
        run = subprocess.run(
            [sys.executable, "-c", LOADED, *args, "--quiet"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
        )
        return run.stdout.split()

    assert loaded() == []
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(text.replace("Fuad Hussein begins", "Fuad Hussein starts", 1), "utf-8")
    assert loaded() == ["generator.render", "jinja2"]
    assert "Fuad Hussein starts" in (out / "events.json").read_text(encoding="utf-8")


def test_with_no_article_changed_the_parsed_articles_are_read_back_whole(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """An edit of overrides.yml leaves the articles folder as it was: the
    parsed articles come back in one piece, without reading a file."""
    store = tmp_path / "cache"
    build(content_copy, tmp_path / "a", store)
    read: list[str] = []
    prefetch = analysis.Analysis._prefetch
    monkeypatch.setattr(
        analysis.Analysis,
        "_prefetch",
        lambda self, *given: read.append(1) or prefetch(self, *given),
    )
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(text.replace("Fuad Hussein begins", "Fuad Hussein starts", 1), "utf-8")
    build(content_copy, tmp_path / "b", store)
    assert read == []
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nسطر آخر.\n", encoding="utf-8")
    build(content_copy, tmp_path / "c", store)
    assert read == [1]
    assert files(tmp_path / "c") == files(_fresh(content_copy, tmp_path / "fresh"))


@pytest.fixture
def holding(monkeypatch) -> None:
    """This test's process holds what serve holds between rebuilds (serve.HELD)."""
    monkeypatch.setattr(cache, "_holding", frozenset())
    monkeypatch.setattr(cache, "_held", {})
    cache.hold_in_memory(serve.HELD)


def test_held_results_are_recalled_by_key_only(tmp_path: Path, holding: None) -> None:
    cache.remember(tmp_path, "events", "k1", ["merged"])
    cache.remember(tmp_path, "other", "k1", ["not held"])
    for kept in tmp_path.glob("*.pickle"):
        kept.unlink()
    assert cache.recall(tmp_path, "events", "k1") == ["merged"]
    assert cache.recall(tmp_path, "events", "k2") is None
    assert cache.recall(tmp_path, "other", "k1") is None  # a kind not held is read from disk
    cache.remember(tmp_path, "events", "k2", ["again"])
    assert cache.recall(tmp_path, "events", "k1") is None  # the last value of each kind only
    assert cache.recall(tmp_path, "events", "k2") == ["again"]


def test_a_process_that_holds_the_manifest_reads_it_again_only_once_replaced(
    content_copy: Path, tmp_path: Path, holding: None
) -> None:
    out = (tmp_path / "site").resolve()
    build(content_copy, out, tmp_path / "cache")
    (manifest,) = (tmp_path / "cache" / "sites").glob("*.manifest")
    _, written = cache._held[(manifest, "manifest")]  # what the build wrote, held
    entries, _, _, _ = output._read_manifest(manifest, out)
    assert entries is written[0]  # not read from the file
    data = manifest.read_bytes()
    manifest.unlink()
    manifest.write_bytes(data)  # another process replaced it
    again, _, _, _ = output._read_manifest(manifest, out)
    assert again is not entries and again == entries


def test_a_process_that_holds_results_rebuilds_from_memory_and_never_stale(
    content_copy: Path, tmp_path: Path, holding: None, monkeypatch
) -> None:
    """A second build in the process (an override edit) finds the events and
    parsed articles it holds, though their files are gone; an article edit is
    a new key, and its events are merged again."""
    store = tmp_path / "cache"
    build(content_copy, tmp_path / "site", store)
    kept = ("events", "parsed-articles")
    for kind in kept:
        (store / f"{kind}.pickle").unlink()
    merges: list[int] = []
    merge = remerge.Replay.merge
    monkeypatch.setattr(remerge.Replay, "merge", lambda *a: merges.append(1) or merge(*a))
    overrides = content_copy / "overrides.yml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(text.replace("Fuad Hussein begins", "Fuad Hussein starts", 1), "utf-8")
    export = build(content_copy, tmp_path / "site", store)
    assert merges == []
    assert not any((store / f"{kind}.pickle").exists() for kind in kept)  # none read or kept
    assert any(e["title"]["en"].startswith("Fuad Hussein starts") for e in export["events"])
    assert files(tmp_path / "site") == files(_fresh(content_copy, tmp_path / "fresh"))
    merges.clear()  # the fresh build merged too
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("جمعة عناد", "فلان الفلاني"), encoding="utf-8")
    asked = _parsed_articles_asked(monkeypatch)
    edited = build(content_copy, tmp_path / "site", store)
    assert merges == [1]
    assert edited != export
    assert [len(keys) for keys in asked] == [1]  # the edited article's; the other one was held
    assert files(tmp_path / "site") == files(_fresh(content_copy, tmp_path / "fresh2"))


def _parsed_articles_asked(monkeypatch) -> list[list[str]]:
    """Each time the store is asked for parsed articles, the keys it is asked for."""
    asked: list[list[str]] = []
    get_many = cache.Store.get_many

    def counted(store: cache.Store, kind: str, keys: Iterable[str]) -> dict:
        keys = [*keys]
        if kind == "articles":
            asked.append(keys)
        return get_many(store, kind, keys)

    monkeypatch.setattr(cache.Store, "get_many", counted)
    return asked


def test_an_article_edit_reads_only_the_edited_file_again(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """The content key digests the article files (those the stat index
    cannot vouch for); the analysis takes those digests and reads no file
    it has parsed before. The other
    articles come from the last build's parsed articles, read back whole,
    each found by its file's key: only the edited one is asked of the store."""
    store = tmp_path / "cache"
    build(content_copy, tmp_path / "a", store)
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nسطر آخر.\n", encoding="utf-8")
    read: list[str] = []
    read_bytes = analysis.read_bytes

    def counted(path: Path, shown: str) -> bytes:
        read.append(path.name)
        return read_bytes(path, shown)

    monkeypatch.setattr(analysis, "read_bytes", counted)
    asked = _parsed_articles_asked(monkeypatch)
    build(content_copy, tmp_path / "b", store)
    assert read == [article.name]
    assert [len(keys) for keys in asked] == [1]
    assert files(tmp_path / "b") == files(_fresh(content_copy, tmp_path / "fresh"))


@pytest.mark.parametrize("cached", [True, False], ids=["parsed-before", "never-parsed"])
def test_an_article_edited_during_a_build_leaves_no_stale_entry(
    content_copy: Path, tmp_path: Path, monkeypatch, cached: bool
) -> None:
    """A file edited after the content key digested it: the build shows it
    as digested when that version was parsed before, as it is now when not,
    and caches nothing under a digest of other bytes, so the next builds
    show the file as it is, whichever version that is."""
    store = tmp_path / "cache"
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    original = article.read_text(encoding="utf-8")
    edited = original + "\nسطر آخر.\n"
    if cached:
        build(content_copy, tmp_path / "a", store)
    content_key = build_module.content_key

    def edited_after(config):
        key = content_key(config)
        article.write_text(edited, encoding="utf-8")
        return key

    monkeypatch.setattr(build_module, "content_key", edited_after)
    build(content_copy, tmp_path / "b", store)
    monkeypatch.undo()
    shows_edit = files(_fresh(content_copy, tmp_path / "fresh-edited"))
    assert files(tmp_path / "b") == (files(tmp_path / "a") if cached else shows_edit)
    article.write_text(original, encoding="utf-8")
    build(content_copy, tmp_path / "c", store)
    assert files(tmp_path / "c") == files(_fresh(content_copy, tmp_path / "fresh-original"))
    article.write_text(edited, encoding="utf-8")
    build(content_copy, tmp_path / "d", store)
    assert files(tmp_path / "d") == shows_edit


def _fresh(content: Path, out: Path) -> Path:
    build(content, out, None)
    return out


def test_the_cache_is_never_inside_the_output(content_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "site"
    status = main(
        ["build", "--content", str(content_copy), "--output", str(out), "--cache", str(out / "c")]
    )
    assert status == 1
    assert "the cache folder must be apart from the output folder" in capsys.readouterr().err


def test_an_unusable_cache_is_reported_and_the_build_goes_on(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    out = tmp_path / "out"
    status = main(
        ["build", "--content", str(content_copy), "--output", str(out), "--cache", str(blocker)]
    )
    assert status == 0
    assert "build cache not used" in capsys.readouterr().err
    assert (out / "events.json").is_file()


def test_the_process_pool_builds_the_same_site(tmp_path: Path) -> None:
    """Enough articles to start workers: two processes give the bytes one gives."""
    content = tmp_path / "content"
    write_corpus(content, analysis.POOL_THRESHOLD + 12, seed=7, registry_from=ROOT / "content")
    build(content, tmp_path / "one", None, "--jobs", "1")
    build(content, tmp_path / "two", tmp_path / "cache", "--jobs", "2")
    build(content, tmp_path / "warm", tmp_path / "cache", "--jobs", "2")
    assert files(tmp_path / "one") == files(tmp_path / "two") == files(tmp_path / "warm")


def test_pages_planned_after_the_workers_started_are_made_by_them(tmp_path: Path) -> None:
    """The workers start on the files of the whole archive while the pages
    are keyed (render.Renderer): the pages handed in later are made by the
    workers too, each once, with the bytes this process would make."""
    import hashlib

    from generator import render
    from generator.config import load_config
    from generator.errors import Diagnostics

    config = load_config(ROOT / "content", tmp_path / "site", cache=None)
    timeline = build_module.assemble(config, Diagnostics())
    site = render.Site(config, timeline.articles, timeline.registry, timeline.events)
    archive = render.plan_archive(site)
    assert sum(item.kind in render._SLOW_KINDS for item in archive) > 1  # worth the workers

    def made(path: str, data: bytes, key: str) -> tuple[int, str, str]:
        return os.getpid(), path, hashlib.sha256(data).hexdigest()

    with render.Renderer(site, made, jobs=2) as renderer:
        renderer.add(archive)
        assert renderer.pending == []  # given to the workers already
        pages = render.plan_pages(site)
        renderer.add(pages)
        found = list(renderer.results())
    by_path = {path: (pid, digest) for pid, path, digest in found}
    assert len(found) == len(by_path) == len(archive) + len(pages)
    assert os.getpid() not in {pid for pid, _ in by_path.values()}
    alone = render.Site(config, timeline.articles, timeline.registry, timeline.events)
    for item in render.plan_site(alone):
        assert by_path[item.path][1] == hashlib.sha256(render.render_file(alone, item)).hexdigest()


def test_a_digest_of_many_parts_tells_apart_every_way_of_cutting_them() -> None:
    """digest_many joins its parts before hashing them; parts that would join
    alike (a part holding the separator) are told apart all the same."""
    lists = [("a", "b", "c"), ("a", "bc"), ("ab", "c"), ("a\0b", "c"), ("a", "b\0c"), ("abc",)]
    lists += [("", "a"), ("a", ""), ("\0",), ("", ""), ("a\0b\0c",)]
    found = {cache.digest_many(*parts) for parts in lists}
    assert len(found) == len(lists)
    assert cache.digest_many("a", "b") == cache.digest_many(*["a", "b"])


def test_the_store_keeps_only_the_entries_asked_for(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / "build.sqlite3")
    entries = {f"key-{n}": str(n).encode() for n in range(2500)}
    store.put_many("things", entries)
    store.put_many("others", {"key-1": b"apart"})
    kept = [f"key-{n}" for n in range(0, 2500, 7)] + ["never-stored"]
    store.keep_only("things", kept)
    assert store.get_many("things", entries) == {k: entries[k] for k in kept[:-1]}
    assert store.get_many("others", ["key-1"]) == {"key-1": b"apart"}
    store.keep_only("things", [])
    assert store.get_many("things", entries) == {}
    store.close()
