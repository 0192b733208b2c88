"""Atomic, safe output: a failed build leaves the previous site exactly as it was,
the output folder is never one whose replacement destroys something else, and
nothing outside the output folder is ever deleted.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import output
from generator.cli import main
from generator.errors import SourceError

BAD_ARTICLE = "---\ntitle: بلا تاريخ\nsource: إيلاف\n---\nنص.\n"


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry under ``folder`` with its bytes and inode: "exactly as it was"."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        data = path.read_bytes() if path.is_file() else None
        entries[str(path.relative_to(folder))] = (data, path.stat().st_ino)
    return entries


def build(content: Path, out: Path, *extra: str) -> int:
    return main(["build", "--content", str(content), "--output", str(out), "--quiet", *extra])


@pytest.fixture
def built(content_copy: Path, tmp_path: Path) -> Path:
    """A previous good site at ``tmp_path/out``."""
    out = tmp_path / "out"
    assert build(content_copy, out) == 0
    return out


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_failed_build_leaves_the_previous_site_exactly_as_it_was(
    content_copy: Path, built: Path, capsys
) -> None:
    before = snapshot(built)
    (content_copy / "articles" / "bad.md").write_text(BAD_ARTICLE, encoding="utf-8")
    assert build(content_copy, built) == 1
    err = capsys.readouterr().err
    assert "bad.md:2: date: required" in err and "Traceback" not in err
    assert snapshot(built) == before
    assert leftovers(built) == []


def test_failure_while_writing_leaves_the_previous_site(
    content_copy: Path, built: Path, monkeypatch
) -> None:
    before = snapshot(built)
    real_write = output._write_file
    calls = []

    def failing_write(target: str, data: bytes) -> os.stat_result:
        calls.append(target)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return real_write(target, data)

    monkeypatch.setattr(output, "_write_file", failing_write)
    with pytest.raises(OSError):
        # every file written, in this process; workers and rebuilds: test_incremental
        build(content_copy, built, "--no-cache", "--jobs", "1")
    monkeypatch.undo()
    assert len(calls) == 5
    assert snapshot(built) == before
    assert leftovers(built) == []


def test_failure_during_the_swap_puts_the_previous_site_back(
    content_copy: Path, built: Path, monkeypatch
) -> None:
    before = snapshot(built)
    real_replace = os.replace
    moves = []

    def replace(src, dst):  # type: ignore[no-untyped-def]
        moves.append((Path(src).name, Path(dst).name))
        if Path(src).name.startswith(".out.new-"):
            raise OSError(18, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        build(content_copy, built, "--no-cache")  # no manifest: the whole folder is swapped
    monkeypatch.undo()
    assert len(moves) == 3  # old aside, new in (fails), old back
    assert snapshot(built) == before
    assert leftovers(built) == []


def test_successful_build_replaces_the_site_whole(content_copy: Path, built: Path) -> None:
    (built / "stale.html").write_text("from an older build", encoding="utf-8")
    assert build(content_copy, built) == 0
    assert not (built / "stale.html").exists()
    assert (built / "index.html").is_file()
    assert leftovers(built) == []


def test_nothing_beside_the_output_is_touched(content_copy: Path, built: Path) -> None:
    neighbour = built.parent / "notes.txt"
    neighbour.write_text("keep me", encoding="utf-8")
    sibling = built.parent / "out-old"
    sibling.mkdir()
    (sibling / "index.html").write_text("keep me too", encoding="utf-8")
    assert build(content_copy, built) == 0
    assert neighbour.read_text(encoding="utf-8") == "keep me"
    assert (sibling / "index.html").read_text(encoding="utf-8") == "keep me too"


def test_symlinked_output_replaces_the_folder_it_points_to(
    content_copy: Path, built: Path, tmp_path: Path
) -> None:
    link = tmp_path / "published"
    link.symlink_to(built, target_is_directory=True)
    (built.parent / "keep.txt").write_text("keep", encoding="utf-8")
    assert build(content_copy, link) == 0
    assert link.is_symlink() and link.resolve() == built.resolve()
    assert (built / "index.html").is_file()
    assert (built.parent / "keep.txt").read_text(encoding="utf-8") == "keep"


def refused(content: Path, out: Path, capsys) -> str:
    assert build(content, out) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "refusing" in err
    return err


def test_refuses_the_content_folder(content_copy: Path, capsys) -> None:
    before = snapshot(content_copy)
    assert "the content folder" in refused(content_copy, content_copy, capsys)
    assert snapshot(content_copy) == before


def test_refuses_a_folder_inside_the_content_folder(content_copy: Path, capsys) -> None:
    before = snapshot(content_copy)
    assert "inside the content folder" in refused(content_copy, content_copy / "articles", capsys)
    assert snapshot(content_copy) == before


def test_refuses_a_folder_that_holds_the_content(content_copy: Path, capsys) -> None:
    before = snapshot(content_copy.parent)
    assert "holds the content" in refused(content_copy, content_copy.parent, capsys)
    assert snapshot(content_copy.parent) == before


def test_refuses_the_repository_root(content_copy: Path, tmp_path: Path, capsys) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "index.html").write_text("a page that happens to be here", encoding="utf-8")
    before = snapshot(repo)
    assert "repository" in refused(content_copy, repo, capsys)
    assert snapshot(repo) == before


def test_refuses_the_current_folder(
    content_copy: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert "current folder" in refused(content_copy, Path("."), capsys)


def test_refuses_the_root(content_copy: Path, capsys) -> None:
    assert "file-system root" in refused(content_copy, Path("/"), capsys)


def test_refuses_the_home_folder(content_copy: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "index.html").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(home)
    assert "home folder" in refused(content_copy, home, capsys)
    assert snapshot(home) == before


def test_refuses_a_non_empty_folder_that_is_not_a_site(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "thesis.tex").write_text("years of work", encoding="utf-8")
    before = snapshot(docs)
    assert "no previous build" in refused(content_copy, docs, capsys)
    assert snapshot(docs) == before


def test_refuses_a_file(content_copy: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "site"
    target.write_text("a file, not a folder", encoding="utf-8")
    assert "not a folder" in refused(content_copy, target, capsys)
    assert target.read_text(encoding="utf-8") == "a file, not a folder"


def test_an_empty_folder_is_accepted(content_copy: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(content_copy, empty) == 0
    assert (empty / "index.html").is_file()


@pytest.mark.parametrize(
    "page",
    [
        "../escape.html",
        "/etc/passwd",
        "a/../../escape.html",
        "a\\..\\b",
        "",
        "x/\x00",
        "a//b",
        "a/./b",
    ],
)
def test_pages_cannot_escape_the_output_folder(tmp_path: Path, page: str) -> None:
    out = tmp_path / "box" / "site"
    with pytest.raises(SourceError, match="outside the output folder"):
        output.update_site({"index.html": b"ok", page: b"evil"}, out, None)
    assert not out.exists()
    assert [p for p in tmp_path.rglob("*") if not p.is_dir()] == []
