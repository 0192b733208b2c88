"""Where the templates are, and a digest of them as they are now.

A rebuild with nothing to do takes the digest; it never loads Jinja (the
words compiled into the templates are in :mod:`generator.constants`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from generator.cache import digest


def templates_dir() -> Path:
    """Templates ship inside the package; in a source checkout they sit beside it."""
    installed = resources.files("generator") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parent.parent / "templates"


def templates_digest() -> str:
    """The templates and static files, as they are now (an edit is a change)."""
    folder = templates_dir()
    return digest(
        *(
            part
            for path in sorted(p for p in folder.rglob("*") if p.is_file())
            for part in (path.relative_to(folder).as_posix(), path.read_bytes())
        )
    )
