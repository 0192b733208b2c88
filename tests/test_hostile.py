"""Hostile and broken input: one fixture per case under tests/fixtures/hostile/.

Each fixture folder is laid over a copy of the shipped content (its files add
to or replace the shipped ones). Every case must give ``path:line: what is
wrong``, exit status 1, no traceback, and leave the previous site exactly as
it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.files import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"

#: case -> (file the problem is reported in, line, what the message says)
CASES = {
    "alias-bomb-front-matter": ("articles/bad.md", 6, "aliases (*name) are not allowed"),
    "alias-bomb-officials": ("officials.yml", 7, "aliases (*name) are not allowed"),
    "alias-bomb-site": ("site.yml", 3, "aliases (*name) are not allowed"),
    "binary-article": ("articles/photo.md", 3, "binary file, not text"),
    "blank-file": ("articles/bad.md", 1, "empty file"),
    "bom": ("articles/bad.md", 2, "date: required"),
    "crlf": ("articles/bad.md", 3, "date: expected YYYY-MM-DD"),
    "data-url": ("articles/bad.md", 5, "url: expected an http(s) URL"),
    "deep-nesting": ("articles/bad.md", 5, "nested more than 64 levels deep"),
    "duplicate-article-id": ("articles/elaph-2020-11-26.md", 1, "duplicate article id"),
    "duplicate-front-matter-key": ("articles/bad.md", 5, "duplicate key 'date'"),
    "duplicate-official-id": ("officials.yml", 6, "duplicate id 'sergey-lavrov' (first at line 1)"),
    "empty-file": ("articles/bad.md", 1, "empty file"),
    "front-matter-not-a-mapping": ("articles/bad.md", 2, "front matter must be a mapping"),
    "impossible-date": ("articles/bad.md", 3, "'2020-13-45' is not a real date"),
    "invalid-front-matter": ("articles/bad.md", 4, "invalid YAML"),
    "javascript-url": ("articles/bad.md", 5, "url: expected an http(s) URL"),
    "missing-front-matter": ("articles/bad.md", 1, "expected front matter"),
    "missing-required-key": ("articles/bad.md", 2, "source: required"),
    "non-utf8": ("articles/bad.md", 2, "not UTF-8 text"),
    "official-impossible-date": ("officials.yml", 6, "'2004-02-30' is not a real date"),
    "officials-non-utf8": ("officials.yml", 2, "not UTF-8 text"),
    "overrides-added-id-escapes": ("overrides.yml", 2, "id: expected a new event id"),
    "overrides-alias-bomb": ("overrides.yml", 4, "aliases (*name) are not allowed"),
    "overrides-javascript-link": ("overrides.yml", 4, "links.url: expected an http(s) URL"),
    "overrides-not-a-mapping": ("overrides.yml", 1, "expected a mapping with sections"),
    "overrides-wrong-boolean-type": ("overrides.yml", 3, "ignore: expected true or false"),
    "overrides-wrong-date-type": ("overrides.yml", 3, "published: expected a date YYYY-MM-DD"),
    "overrides-wrong-list-type": ("overrides.yml", 3, "links: expected a list"),
    "python-tag": ("articles/bad.md", 4, "could not determine a constructor"),
    "title-not-text": ("articles/bad.md", 2, "title: expected text"),
    "unclosed-front-matter": ("articles/bad.md", 1, "front matter is not closed"),
    "url-breaks-out-of-its-attribute": ("articles/bad.md", 5, "url: expected an http(s) URL"),
}


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, p.stat().st_ino)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good build, copied as "the previous site" for every case."""
    out = tmp_path_factory.mktemp("good") / "site"
    assert main(["build", "--content", str(ROOT / "content"), "--output", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def previous_site(good_site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    shutil.copytree(good_site, out)
    return out


def overlay(case: str, target: Path) -> Path:
    shutil.copytree(ROOT / "content", target)
    shutil.copytree(HOSTILE / case, target, dirs_exist_ok=True)
    return target


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir() if p.is_dir()) == sorted(
        [*CASES, "binary-file-in-articles"]
    )


def assert_refused(content: Path, site: Path, capsys, where: str, line: int, what: str) -> None:
    before = snapshot(site)
    status = main(["build", "--content", str(content), "--output", str(site), "--quiet"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    expected = f"{content / where}:{line}: "
    lines = [entry for entry in err.splitlines() if entry.startswith(expected)]
    assert lines, f"no line starting {expected!r} in:\n{err}"
    assert any(what in entry for entry in lines), err
    assert snapshot(site) == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site.")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_is_refused_with_its_place(
    case: str, tmp_path: Path, previous_site: Path, capsys
) -> None:
    where, line, what = CASES[case]
    assert_refused(overlay(case, tmp_path / "content"), previous_site, capsys, where, line, what)


def test_ten_megabyte_article_is_refused(tmp_path: Path, previous_site: Path, capsys) -> None:
    content = overlay("missing-front-matter", tmp_path / "content")
    header = '---\ntitle: "طويل"\ndate: 2020-11-26\nsource: "إيلاف"\n---\n'
    paragraph = "التقى وزير الخارجية الروسي سيرغي لافروف نظيره العراقي فؤاد حسين الأربعاء.\n\n"
    repeats = 10_000_000 // len(paragraph.encode("utf-8")) + 1
    (content / "articles" / "bad.md").write_text(header + paragraph * repeats, encoding="utf-8")
    assert (content / "articles" / "bad.md").stat().st_size > MAX_FILE_BYTES
    assert_refused(content, previous_site, capsys, "articles/bad.md", 1, "the limit is")


def test_binary_file_beside_the_articles_is_a_warning_and_fails_strict(
    tmp_path: Path, previous_site: Path, capsys
) -> None:
    content = overlay("binary-file-in-articles", tmp_path / "content")
    before = snapshot(previous_site)
    args = ["build", "--content", str(content), "--output", str(previous_site), "--quiet"]
    assert main([*args, "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{content / 'articles/photo.jpg'}: not an article" in err and "Traceback" not in err
    assert snapshot(previous_site) == before
    assert main(args) == 0
    assert "photo.jpg: not an article (*.md file); ignored (warning)" in capsys.readouterr().err
    assert not (previous_site / "sources" / "photo").exists()


@pytest.mark.parametrize("transform", ["bom", "crlf", "bom+crlf", "cr"])
def test_bom_and_foreign_line_ends_are_read_like_plain_text(
    transform: str, tmp_path: Path, good_site: Path
) -> None:
    """Editors on Windows save with a BOM and CRLF: the same article, the same site."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for article in (content / "articles").glob("*.md"):
        data = article.read_bytes()
        if "crlf" in transform:
            data = data.replace(b"\n", b"\r\n")
        if transform == "cr":
            data = data.replace(b"\n", b"\r")
        if "bom" in transform:
            data = b"\xef\xbb\xbf" + data
        article.write_bytes(data)
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(out), "--quiet"]) == 0
    assert snapshot_bytes(out) == snapshot_bytes(good_site)


def snapshot_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_real_command_prints_no_traceback(tmp_path: Path, previous_site: Path) -> None:
    """The console entry point, in its own process, for one representative case."""
    content = overlay("alias-bomb-front-matter", tmp_path / "content")
    before = snapshot(previous_site)
    assert content == tmp_path / "content" and previous_site == tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", "content", "--output", "site"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/articles/bad.md:6: invalid YAML: aliases (*name) are not allowed"
    )
    assert "Traceback" not in result.stderr
    assert snapshot(previous_site) == before
