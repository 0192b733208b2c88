"""A progress bar on a terminal only, and one summary line at the end of every build."""

from __future__ import annotations

import io
import re
from pathlib import Path

from generator.cli import main
from generator.progress import Progress, Silent

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


class Recorder(Silent):
    """A progress display that remembers each stage's total and its ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.stages: list[list] = []

    def stage(self, name: str, total: int = 1) -> None:
        self.stages.append([name, total, 0])

    def advance(self, count: int = 1) -> None:
        self.stages[-1][2] += count


def test_the_render_total_is_the_files_then_rendered(tmp_path: Path) -> None:
    """The bar's total for "render pages" is the number of files it then ticks
    off: every file on a first build; a rebuild with nothing changed renders nothing."""
    from generator.build import build
    from generator.config import load_config
    from generator.errors import Diagnostics

    config = load_config(ROOT / "content", tmp_path / "site", cache=tmp_path / "cache")
    first, again = Recorder(), Recorder()
    build(config, Diagnostics(), first)
    build(config, Diagnostics(), again)
    [(_, total, ticks)] = [s for s in first.stages if s[0] == "render pages"]
    html = list((tmp_path / "site").rglob("*.html"))
    assert total == ticks > len(html)  # pages, exports and static files
    assert again.stages == []  # nothing changed: the build checks the output and stops
