"""Write the site atomically: build beside the output, then swap it in.

A failed build never touches the previous site. The output folder must not
be the content folder, the repository root, ``/`` or the home folder, since
the swap replaces it whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from generator.errors import SourceError


def check_output(output: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    target = output.resolve()
    forbidden = {
        Path("/").resolve(): "the file-system root",
        Path.home().resolve(): "the home folder",
        content.resolve(): "the content folder",
        Path.cwd().resolve(): "the current folder",
    }
    if target in forbidden:
        raise SourceError(str(output), 0, f"refusing to write the site over {forbidden[target]}")
    if target in content.resolve().parents:
        raise SourceError(str(output), 0, "refusing to write the site over a folder that holds the content")
    if (target / ".git").exists() or (target / "pyproject.toml").exists():
        raise SourceError(str(output), 0, "refusing to write the site over a repository or project folder")


def write_site(pages: dict[str, bytes], output: Path) -> None:
    """Write every page into a fresh folder beside ``output`` and swap it in."""
    for path in pages:
        _check_relative(path)
    output = output.absolute()
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


def _check_relative(path: str) -> None:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
