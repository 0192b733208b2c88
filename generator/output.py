"""Write the site atomically: build beside the output, then swap it in.

A failed build never touches the previous site. The swap replaces the output
folder whole, so the folder must be one a build may own: not the content
folder or anything inside or above it, not the repository root, not ``/``,
not the home folder, and not a non-empty folder that holds no previous
build. Nothing outside the output folder is ever deleted: only the staging
folder and the previous site (moved aside) are removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from generator.errors import SourceError

#: A folder holding this file is taken to be a previous build that may be replaced.
SITE_MARKER = "index.html"


def check_output(output: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    target = output.resolve()
    content = content.resolve()
    cwd = Path.cwd().resolve()
    forbidden = {
        Path("/").resolve(): "the file-system root",
        Path.home().resolve(): "the home folder",
        content: "the content folder",
        cwd: "the current folder",
    }
    shown = str(output)
    if target in forbidden:
        raise SourceError(shown, 0, f"refusing to write the site over {forbidden[target]}")
    if target in content.parents:
        raise SourceError(
            shown, 0, "refusing to write the site over a folder that holds the content"
        )
    if content in target.parents:
        raise SourceError(shown, 0, "refusing to write the site inside the content folder")
    if target in cwd.parents:
        raise SourceError(
            shown, 0, "refusing to write the site over a folder that holds the current folder"
        )
    if (target / ".git").exists() or (target / "pyproject.toml").exists():
        raise SourceError(
            shown, 0, "refusing to write the site over a repository or project folder"
        )
    if target.exists() and not target.is_dir():
        raise SourceError(shown, 0, "refusing to replace a file that is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARKER).is_file():
        raise SourceError(
            shown,
            0,
            f"refusing to replace a non-empty folder that holds no previous build ({SITE_MARKER})",
        )


def write_site(pages: dict[str, bytes], output: Path) -> None:
    """Write every page into a fresh folder beside ``output`` and swap it in.

    A symbolic link as ``output`` is followed: the site replaces the folder it
    points to, and the link stays.
    """
    output = output.resolve()
    for path in pages:
        _check_relative(path, output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for path in sorted(pages):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pages[path])
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    """Move the old site aside, the new one in, then delete the old one."""
    if not output.exists():
        os.replace(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(old)
    os.replace(output, old)
    try:
        os.replace(staging, output)
    except BaseException:
        os.replace(old, output)
        raise
    shutil.rmtree(old)


def _check_relative(path: str, output: Path) -> None:
    """A page path must name a file strictly inside the output folder."""
    pure = PurePosixPath(path)
    bad = (
        not path
        or pure.is_absolute()
        or not pure.parts
        or any(part in ("..", ".") for part in pure.parts)
        or "\\" in path
        or "\x00" in path
        or path.endswith("/")
    )
    if bad:
        raise SourceError(
            str(output / path), 0, f"refusing to write outside the output folder: {path!r}"
        )
