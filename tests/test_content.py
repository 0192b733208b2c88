"""Bad article input: ``path:line: what is wrong``, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main

GOOD = """---
title: "عنوان"
date: 2020-11-26
source: "إيلاف"
---
التقى وزير الخارجية الروسي سيرغي لافروف نظيره العراقي فؤاد حسين الأربعاء.
"""

CASES = {
    "missing-date": (GOOD.replace("date: 2020-11-26\n", ""), ":2: date: required"),
    "bad-date": (GOOD.replace("2020-11-26", '"26/11"'), ":3: date: expected YYYY-MM-DD"),
    "missing-title": (GOOD.replace('title: "عنوان"\n', ""), ":2: title: required"),
    "missing-source": (GOOD.replace('source: "إيلاف"\n', ""), ":2: source: required"),
    "not-yaml": (GOOD.replace('title: "عنوان"', "title: [unclosed"), ":3: invalid YAML"),
    "no-front-matter": ("نص بلا ترويسة\n", ":1: expected front matter"),
    "javascript-url": (
        GOOD.replace("---\nالتقى", 'url: "javascript:alert(1)"\n---\nالتقى'),
        ":5: url: expected an http(s) URL",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_article_is_reported_with_its_line(
    name, content_copy: Path, tmp_path: Path, capsys
) -> None:
    text, expected = CASES[name]
    (content_copy / "articles" / "bad.md").write_text(text, encoding="utf-8")
    status = main(["build", "--content", str(content_copy), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1
    assert f"articles/bad.md{expected}" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_empty_articles_folder_is_an_error(content_copy: Path, tmp_path: Path, capsys) -> None:
    for article in (content_copy / "articles").iterdir():
        article.unlink()
    assert main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o")]) == 1
    assert "no articles" in capsys.readouterr().err


def test_official_without_id_is_reported(content_copy: Path, tmp_path: Path, capsys) -> None:
    registry = content_copy / "officials.yml"
    text = registry.read_text(encoding="utf-8").replace("- id: juma-inad\n  name:", "- name:", 1)
    registry.write_text(text, encoding="utf-8")
    line = text.splitlines().index('- name: {ar: "جمعة عناد", en: "Juma Inad"}') + 1
    assert main(["build", "--content", str(content_copy), "--output", str(tmp_path / "o")]) == 1
    assert f"officials.yml:{line}: id: required" in capsys.readouterr().err


def test_unknown_front_matter_keys_reach_the_article(content_copy: Path) -> None:
    from generator.content import read_article

    article = read_article(content_copy / "articles" / "elaph-2020-11-26.md")
    assert article.extra["desk"] == "London"


def test_a_listing_and_articles_parsed_before_load_what_the_folder_holds(
    content_copy: Path,
) -> None:
    """The build passes the listing it took to digest the folder, and the
    articles it parsed before: the same articles, warnings and errors as
    reading the folder."""
    from generator import content
    from generator.errors import Diagnostics

    articles = content_copy / "articles"
    (articles / "notes.txt").write_text("not an article", encoding="utf-8")
    (articles / "drafts").mkdir()
    (articles / ".hidden.md").write_text("ignored", encoding="utf-8")
    (articles / "Elaph-2020-11-26.md").write_text(GOOD, encoding="utf-8")
    (articles / "bad.md").write_text("نص بلا ترويسة\n", encoding="utf-8")

    def outcome(**given) -> tuple:
        diagnostics = Diagnostics()
        found = content.load_articles(content_copy, diagnostics, **given)
        problems = [(p.path, p.line, p.message) for p in diagnostics.errors + diagnostics.warnings]
        return found, problems

    listing = {path.name: path.is_file() for path in articles.iterdir()}
    read, problems = outcome()
    assert [a.id for a in read] == ["defensearabia-2020-11-26"]
    # bad.md, Elaph-….md (an upper-case id), then elaph-….md (the same id),
    # drafts and notes.txt; .hidden.md is passed over
    assert len(problems) == 5
    parsed = {"defensearabia-2020-11-26.md": read[0]}
    assert outcome(listing=listing) == (read, problems)
    assert outcome(listing=listing, parsed=parsed) == (read, problems)
    assert outcome(listing=listing, parsed=parsed)[0][0] is read[0]
