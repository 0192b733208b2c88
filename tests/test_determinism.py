"""Deterministic output: the same content gives the same bytes, whatever the
hash seed, locale, time zone, file modification times, directory order or
wall clock. A timestamp, if any page carries one, comes from
``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build_in_subprocess(content: Path, out: Path, **env: str) -> None:
    """A separate interpreter, so the hash seed, locale and time zone really differ."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--content",
            str(content),
            "--output",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def copy_content(target: Path, reverse: bool) -> Path:
    """Copy content/ creating files in forward or reverse order, with chosen mtimes."""
    sources = sorted((p for p in (ROOT / "content").rglob("*") if p.is_file()), reverse=reverse)
    stamp = 1_000_000_000 if reverse else 1_700_000_000
    for source in sources:
        dest = target / source.relative_to(ROOT / "content")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        os.utime(dest, (stamp, stamp))
        stamp += 17
    return target


def test_builds_are_byte_identical_across_environments(tmp_path: Path) -> None:
    first = copy_content(tmp_path / "c1", reverse=False)
    second = copy_content(tmp_path / "c2", reverse=True)
    build_in_subprocess(first, tmp_path / "a", PYTHONHASHSEED="1", LC_ALL="C.UTF-8", TZ="UTC")
    time.sleep(1.1)  # a clock read anywhere would now give another second
    build_in_subprocess(
        second, tmp_path / "b", PYTHONHASHSEED="4242", LC_ALL="C", LANG="C", TZ="Asia/Baghdad"
    )
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    differing = [path for path in a if a[path] != b[path]]
    assert not differing, f"output depends on the environment: {differing[:5]}"


def test_no_page_carries_todays_date_when_source_date_epoch_is_set(tmp_path: Path) -> None:
    build_in_subprocess(ROOT / "content", tmp_path / "s", SOURCE_DATE_EPOCH="1000000000")
    today = dt.datetime.now(dt.UTC).date()
    stamps = {today.isoformat(), today.strftime("%Y%m%d")}
    for path, data in files(tmp_path / "s").items():
        text = data.decode("utf-8", errors="replace")
        for stamp in stamps:
            assert stamp not in text, f"{path} carries the build day {stamp}"
