"""Every internal href/src resolves, #fragments included: in the committed site/
as built for its base URL, and in a build served over HTTP under ``/repo/``
(the 404 page too, as served at a deep missing URL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from linkcheck import DiskSite, check, http_fetch
from sitehttp import serve

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def html_files(folder: Path) -> int:
    return len(list(folder.rglob("*.html")))


def test_committed_site_has_no_broken_link() -> None:
    base_url = yaml.safe_load((ROOT / "content" / "site.yml").read_text(encoding="utf-8"))[
        "base_url"
    ]
    report = check(base_url, DiskSite(ROOT / "site", base_url).fetch)
    assert not report.broken, "\n".join(report.broken)
    assert report.pages == html_files(ROOT / "site"), "some pages are linked from nowhere"


@pytest.mark.parametrize("base", ["/repo/", "full-url"])
def test_site_served_under_a_base_path_has_no_broken_link(base: str, tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    with serve(tmp_path, folder) as url:
        base_url = url if base == "full-url" else "/repo/"
        args = ["build", "--content", str(ROOT / "content"), "--output", str(folder)]
        assert main([*args, "--base-url", base_url, "--quiet"]) == 0
        report = check(url, http_fetch)
    assert not report.broken, "\n".join(report.broken)
    assert report.pages == html_files(folder)
    assert report.links > 400


def tiny_site(folder: Path, pages: dict[str, str]) -> Path:
    for path, body in {"404.html": "<p>missing</p>", **pages}.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(f"<!DOCTYPE html><title>t</title>{body}", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('<a href="missing/">x</a>', "status 404"),
        ('<a href="a/#nowhere">x</a>', "no id='nowhere'"),
        ('<a href="#nowhere">x</a>', "no id='nowhere'"),
        ('<a href="../../outside/">x</a>', "leaves the site's base path"),
        ('<img src="static/none.png" alt="">', "status 404"),
        ('<a href="javascript:void(0)">x</a>', "scheme 'javascript'"),
        ('<a href="a">x</a>', "status 404"),  # a folder without its slash
    ],
)
def test_the_checker_finds_broken_links(body: str, why: str, tmp_path: Path) -> None:
    site = tiny_site(tmp_path, {"index.html": body, "a/index.html": '<p id="here">a</p>'})
    report = check("http://localhost/base/", DiskSite(site, "http://localhost/base/").fetch)
    assert len(report.broken) == 1 and why in report.broken[0], report.broken


def test_the_checker_accepts_sound_links(tmp_path: Path) -> None:
    body = '<a href="a/#here">x</a> <a href="#top" id="top">t</a> <a href="https://elsewhere.example/">e</a>'
    site = tiny_site(tmp_path, {"index.html": body, "a/index.html": '<p id="here">a</p>'})
    report = check("http://localhost/base/", DiskSite(site, "http://localhost/base/").fetch)
    assert report.broken == [] and report.pages == 3
