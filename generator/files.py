"""Reading input files: UTF-8 (with or without BOM), paths as users see them."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from generator.errors import SourceError

#: Articles larger than this are refused rather than analysed for minutes.
MAX_FILE_BYTES = 5_000_000


def shown_path(path: Path) -> str:
    """A path as the user should see it in a message: relative when possible."""
    if path.name in ("", ".", ".."):
        return _shown_folder(str(path), os.getcwd()) or str(path)
    folder = _shown_folder(str(path.parent), os.getcwd())
    return str(path) if folder is None else os.path.join(folder, path.name)


def recorded_path(article: Path) -> str:
    """An article file's path as its record keeps it: from the folder that
    holds the content folder (``content/articles/x.md``), whichever
    directory the build runs in. What is cached and published (the report
    of unregistered officials) is then the same from any directory."""
    return f"{recorded_folder(article.parent)}/{article.name}"


def recorded_folder(folder: Path) -> str:
    """The folder part of :func:`recorded_path` for the files of ``folder``."""
    return _recorded_folder(str(folder), os.getcwd())


@functools.lru_cache(maxsize=64)
def _recorded_folder(folder: str, cwd: str) -> str:
    """``content/articles`` for ``folder`` (relative to ``cwd``): worked out
    once for all its files."""
    absolute = Path(cwd, folder)
    return absolute.relative_to(absolute.parent.parent).as_posix()


@functools.lru_cache(maxsize=64)
def _shown_folder(folder: str, cwd: str) -> str | None:
    """``folder`` resolved, relative to ``cwd``: resolved once for all its files."""
    try:
        shown = str(Path(folder).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return None
    return "" if shown == "." else shown


def read_text(path: Path, shown: str) -> str:
    """The text of ``path``, with CRLF as LF; a clear error when it is not text."""
    return text_of(read_bytes(path, shown), shown)


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(shown, 0, f"cannot read: {exc.strerror}") from None


def text_of(data: bytes, shown: str) -> str:
    """:func:`read_text` of a file already read."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(shown, 1, f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}")
    if b"\x00" in data:
        raise SourceError(
            shown, data[: data.index(b"\x00")].count(b"\n") + 1, "binary file, not text"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(shown, line, f"not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
