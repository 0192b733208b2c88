"""The stat index (generator/statindex.py): a content file is read again
only when a ``stat`` says it may have changed, and no edit is ever missed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from generator import build as build_module
from generator import statindex
from generator.cache import digest
from generator.cli import main
from generator.config import load_config

TICK = 0.05  # longer than a tick of the file system's clock (see test_incremental.py)


def content_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "articles").mkdir(parents=True)
    for name in ("a", "b", "c"):
        (folder / "articles" / f"{name}.md").write_text(f"text of {name}\n", encoding="utf-8")
    (folder / "site.yml").write_text("title: t\n", encoding="utf-8")
    return folder


def listed(cache: Path, content: Path, relative: str = "articles") -> tuple[dict, int]:
    """What a build's look at ``relative`` finds, and how many files it read."""
    index = statindex.StatIndex.open(cache, content)
    found = index.listing(relative)
    index.save()
    return found, index.read


def digests(folder: Path) -> dict[str, str | None]:
    """Each entry of ``folder`` with the digest of its bytes (None for a folder)."""
    return {
        path.name: digest(path.read_bytes()) if path.is_file() else None
        for path in sorted(folder.iterdir())
    }


def test_a_file_is_read_again_only_when_its_stat_changed(tmp_path: Path) -> None:
    content, cache = content_folder(tmp_path), tmp_path / "cache"
    time.sleep(TICK)
    assert listed(cache, content) == (digests(content / "articles"), 3)
    assert listed(cache, content) == (digests(content / "articles"), 0)
    (content / "articles" / "b.md").write_text("text of b, longer\n", encoding="utf-8")
    (content / "articles" / "d.md").write_text("text of d\n", encoding="utf-8")
    (content / "articles" / "c.md").unlink()
    (content / "articles" / "sub").mkdir()
    expected = digests(content / "articles")
    assert listed(cache, content) == (expected, 2)
    time.sleep(TICK)
    # Read once more if written in the tick the clock was read in, then no more.
    assert listed(cache, content)[0] == expected
    assert listed(cache, content) == (expected, 0)


def test_the_folders_of_the_content_are_indexed_apart(tmp_path: Path) -> None:
    content, cache = content_folder(tmp_path), tmp_path / "cache"
    time.sleep(TICK)
    index = statindex.StatIndex.open(cache, content)
    assert index.listing() == {"articles": None, "site.yml": digest(b"title: t\n")}
    assert index.listing("articles") == digests(content / "articles")
    assert index.listing("missing") == {}
    index.save()
    again = statindex.StatIndex.open(cache, content)
    assert again.listing() == index.listing() and again.listing("articles")
    assert again.read == 0


def test_an_edit_of_the_same_size_with_the_time_set_back_is_seen(tmp_path: Path) -> None:
    """The change time moves with every write and cannot be set back."""
    content, cache = content_folder(tmp_path), tmp_path / "cache"
    article = content / "articles" / "b.md"
    before = article.stat()
    time.sleep(TICK)
    listed(cache, content)
    article.write_text("TEXT OF B\n", encoding="utf-8")  # the same size
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert article.stat().st_size == before.st_size
    assert article.stat().st_mtime_ns == before.st_mtime_ns
    assert listed(cache, content) == (digests(content / "articles"), 1)


def test_a_file_replaced_by_one_of_the_same_size_and_time_is_seen(tmp_path: Path) -> None:
    content, cache = content_folder(tmp_path), tmp_path / "cache"
    article = content / "articles" / "b.md"
    before = article.stat()
    time.sleep(TICK)
    listed(cache, content)
    other = tmp_path / "other.md"
    other.write_text("TEXT OF B\n", encoding="utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, article)
    assert listed(cache, content) == (digests(content / "articles"), 1)


@pytest.mark.parametrize("later", [0, 1], ids=["in its tick", "a tick later"])
def test_an_edit_in_the_tick_of_the_clock_reading_is_seen(
    tmp_path: Path, monkeypatch, later: int
) -> None:
    """On a file system whose clock counts whole seconds (and with no change
    time or inode to tell), a file written in the second the clock was read
    may be written again within that second, its ``stat`` unchanged: the
    index does not keep such a file, which is read again next time. A file
    older than the reading is kept (the limit of trusting times at all: a
    change made after the reading bears a later time)."""
    content, cache = content_folder(tmp_path), tmp_path / "cache"
    second = 1_600_000_000 * 10**9
    stamp = second + 300_000_000  # within that second

    def coarse(status: os.stat_result) -> statindex.Signature:
        return status.st_size, status.st_mtime_ns // 10**9 * 10**9, 0, 0, 0

    def write(path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(stamp, stamp))

    monkeypatch.setattr(statindex, "signature", coarse)
    monkeypatch.setattr(statindex, "clock", lambda folder, content: second + later * 10**9)
    for article in (content / "articles").iterdir():
        write(article, article.read_text(encoding="utf-8"))
    assert listed(cache, content)[1] == 3
    write(content / "articles" / "b.md", "TEXT OF B\n")  # the same size, the same second
    found, read = listed(cache, content)
    assert (found == digests(content / "articles")) == (not later)
    assert read == (0 if later else 3)


def test_an_index_that_cannot_be_read_is_no_index(tmp_path: Path) -> None:
    content, cache = content_folder(tmp_path), tmp_path / "cache"
    time.sleep(TICK)
    listed(cache, content)
    (cache / "statindex.pickle").write_bytes(b"not a pickle")
    assert listed(cache, content) == (digests(content / "articles"), 3)
    assert listed(cache, content)[1] == 0


def build(content: Path, out: Path, cache: Path | None) -> dict:
    where = ["--cache", str(cache)] if cache else ["--no-cache"]
    flags = ["--content", str(content), "--output", str(out), "--quiet", *where]
    assert main(["build", *flags]) == 0
    return json.loads((out / "events.json").read_text(encoding="utf-8"))


def test_a_rebuild_reads_only_the_files_changed_since(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    read: list[int] = []
    save = statindex.StatIndex.save

    def counted(self: statindex.StatIndex) -> None:
        read.append(self.read)
        save(self)

    monkeypatch.setattr(statindex.StatIndex, "save", counted)
    time.sleep(TICK)
    cache = tmp_path / "cache"
    build(content_copy, tmp_path / "site", cache)
    build(content_copy, tmp_path / "site", cache)
    article = content_copy / "articles" / "elaph-2020-11-26.md"
    text = article.read_text(encoding="utf-8")
    before = article.stat()
    edited = text.replace("لافروف", "لافروق", 1)  # one letter for another: the same size
    assert edited != text and len(edited.encode()) == len(text.encode())
    article.write_text(edited, encoding="utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    edit = build(content_copy, tmp_path / "site", cache)
    files = len(list((content_copy / "articles").iterdir())) + 3
    assert read == [files, 0, 1]
    assert edit == build(content_copy, tmp_path / "fresh", None)


def test_a_file_that_cannot_be_read_leaves_the_content_key_to_the_stages(
    content_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """No key: the stages read the files themselves and report what they cannot."""

    def unreadable(path: str, mode: str = "r"):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(statindex, "open", unreadable, raising=False)
    config = load_config(content_copy, tmp_path / "site", cache=tmp_path / "cache")
    assert build_module.content_key(config) is None
