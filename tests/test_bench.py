"""The benchmark scripts still run, on an archive small enough for the tests.

They measure; these tests only check that they finish and report what the
README says they report, so a change to the generator cannot leave them broken.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import build_bench  # noqa: E402
import disk_bench  # noqa: E402
import stage_bench  # noqa: E402


def rows(text: str) -> dict[str, str]:
    """The first two cells of each table row."""
    found = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2:
            found[cells[0]] = cells[1]
    return found


@pytest.mark.parametrize("edit", ["article", "override"])
def test_stage_bench_times_each_stage_of_a_rebuild(tmp_path: Path, capsys, edit: str) -> None:
    argv = ["--articles", "60", "--edit", edit, "--workdir", str(tmp_path), "--jobs", "1"]
    status = stage_bench.main(argv)
    assert status == 0
    text = capsys.readouterr().out
    table = rows(text)
    # Each file showing the whole archive that the edit changes, made in this process.
    for made in ("events.json", "events.ics", "events.csv", "feed.xml", "(all of them)"):
        assert float(table[made]) > 0
    for stage in ("read the parsed articles", "key every page", "the whole rebuild"):
        assert float(table[stage]) >= 0
    assert float(table["parse the front matter (libyaml where plain)"]) > 0
    for page in ("an event page", "a source page"):
        assert float(table[f"render {page}"]) > 0
        assert float(table[f"render {page}, the words looked up"]) > 0
    lists = [name for name in table if name.startswith("render the ") and "listing" in name]
    assert len(lists) == 2 and all(float(table[name]) > 0 for name in lists)
    # An article edit merges again, replaying the last merge; an edit of one
    # event reads the events back.
    merged = "merge (replaying the last, reading back what it looks at)" in table
    assert merged == (edit == "article")
    chosen = re.search(r"The merge chose again for ([\d,]+) of ([\d,]+) candidates", text)
    assert (chosen is not None) == merged
    read = re.search(r"candidates of ([\d,]+) of ([\d,]+) articles", text)
    assert (read is not None) == merged
    if chosen and read:
        assert 0 < int(chosen[1].replace(",", "")) < int(chosen[2].replace(",", ""))
        assert 0 < int(read[1].replace(",", "")) < int(read[2].replace(",", "")) == 60
    index = re.search(r"The search index: ([\d,]+) of ([\d,]+) files written", text)
    assert index is not None and 0 < int(index[1]) < int(index[2].replace(",", ""))


def test_build_bench_reports_each_build_and_the_disk(tmp_path: Path, capsys, monkeypatch) -> None:
    removed: list[Path] = []
    remove = shutil.rmtree
    monkeypatch.setattr(
        shutil, "rmtree", lambda path, **kw: (removed.append(Path(path)), remove(path, **kw))
    )
    (tmp_path / "30" / "site" / "old").mkdir(parents=True)  # a leftover of an earlier run
    argv = ["--articles", "30", "--edits", "1", "--no-hugo", "--workdir", str(tmp_path)]
    assert build_bench.main(argv) == 0
    # Nothing is deleted until every build is timed (see build_bench's docstring).
    assert removed == [tmp_path / ".trash"] and not removed[0].exists()
    out = capsys.readouterr().out
    builds = {}
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| 30 |"):
            builds[cells[1]] = cells
    assert set(builds) == {
        "cold",
        "writing its files alone",
        "no change",
        "one article edited",
        "one override edited",
    }
    assert builds["writing its files alone"][8] == builds["cold"][8]  # the cold build's files
    for cells in builds.values():
        seconds, cpu, kernel = float(cells[2]), float(cells[4]), float(cells[5])
        assert seconds > 0 and 0 <= kernel <= cpu
        assert int(cells[8].replace(",", "")) > 30  # files
    disk = re.search(r"Disk, 30 articles: ([\d.]+) ms .* before the first build, ([\d.]+) ms", out)
    assert disk and float(disk[1]) > 0 and float(disk[2]) > 0


def test_build_bench_lets_the_builds_keep_their_bytecode(monkeypatch) -> None:
    """An installed generator runs from compiled bytecode; the builds timed
    must not compile it again on every run because this machine says so."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = build_bench.environment()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT)


def test_disk_bench_writes_each_layout_and_again_after_a_removal(tmp_path: Path, capsys) -> None:
    assert disk_bench.main(["--files", "40", "--size", "100", "--dir", str(tmp_path)]) == 0
    table = rows(capsys.readouterr().out)
    for layout in ("a folder a page", "flat", "a folder a page, right after removing the first"):
        assert float(table[layout]) >= 0  # seconds, to the hundredth: 40 small files may be 0.00
    assert list(tmp_path.iterdir()) == []
