"""A progress bar on a terminal only, and one summary line at the end of every build."""

from __future__ import annotations

import io
import re
from pathlib import Path

from generator import render
from generator.cli import main
from generator.progress import Progress

ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_is_drawn_on_a_terminal_and_erased_at_the_end() -> None:
    screen, now = Terminal(), [0.0]
    progress = Progress(screen, clock=lambda: now[0], delay=0.5, width=10)
    progress.stage("render pages", 4)
    assert screen.getvalue() == ""  # not before the delay: short builds do not flicker
    now[0] = 1.0
    progress.advance(2)
    assert screen.getvalue().endswith("[#####-----] 2/4 render pages")
    now[0] = 2.0
    progress.advance(2)
    assert screen.getvalue().endswith("[##########] 4/4 render pages")
    progress.close()
    assert screen.getvalue().endswith("\r\x1b[K")


def test_no_bar_when_not_a_terminal() -> None:
    log = io.StringIO()
    progress = Progress(log, clock=lambda: 10.0, delay=0)
    progress.stage("render pages", 3)
    progress.advance(3)
    progress.close()
    assert log.getvalue() == ""


def test_build_ends_with_one_summary_line(tmp_path: Path, capsys) -> None:
    assert (
        main(["build", "--output", str(tmp_path / "site"), "--content", str(ROOT / "content")]) == 0
    )
    err = capsys.readouterr().err
    assert "\r" not in err and "\x1b" not in err  # captured stderr is no terminal: no bar
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        r"built \S+: \d+ articles, \d+ events, \d+ officials, \d+ warnings, \d+ files in \d+\.\d s",
        lines[0],
    )


def test_page_count_matches_the_pages_rendered(tmp_path: Path, monkeypatch) -> None:
    """The bar's total for "render pages" is the number of pages it then ticks off."""
    from generator.build import build
    from generator.config import load_config
    from generator.errors import Diagnostics

    counted: list[int] = []
    original_count, original_render = render.page_count, render.render_site
    monkeypatch.setattr(
        render, "page_count", lambda *a: counted.append(original_count(*a)) or counted[-1]
    )
    ticks: list[int] = []

    def render_site(*args, **kwargs):
        kwargs["tick"] = lambda: ticks.append(1)
        return original_render(*args, **kwargs)

    monkeypatch.setattr(render, "render_site", render_site)
    build(load_config(ROOT / "content", tmp_path / "site"), Diagnostics())
    html = list((tmp_path / "site").rglob("*.html"))
    assert counted == [len(ticks)] == [len(html)]
