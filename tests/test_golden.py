"""The committed site/ is the golden output: a fresh build must equal it byte for byte.

Refresh it with ``python -m generator build`` and commit the result.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_fresh_build_equals_committed_site(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "site"
    assert main(["build", "--content", "content", "--output", str(out), "--quiet"]) == 0
    fresh, golden = _files(out), _files(ROOT / "site")
    assert sorted(fresh) == sorted(golden), "files differ: rebuild site/ and commit it"
    changed = [path for path in fresh if fresh[path] != golden[path]]
    assert not changed, f"{len(changed)} files differ from site/, e.g. {changed[:3]}"


def test_two_builds_are_identical(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    for name in ("a", "b"):
        assert main(["build", "--output", str(tmp_path / name), "--quiet"]) == 0
    comparison = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
