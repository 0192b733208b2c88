"""The digest of each content file's bytes, read again only when the file may
have changed: a stat index, as git keeps one.

A build digests every file of the content folder to know whether anything
changed (``build.content_key``). Reading and digesting 10,000 articles took
0.14–0.27 s of every rebuild; a ``stat`` of each takes a tenth of it. The
index keeps, for each file, what a ``stat`` said of it when it was read
(size, modification and change times, inode and device) with the digest of
the bytes read; a file whose ``stat`` says the same is taken to hold the
same bytes, and any other is read again.

A change to a file gives it a new change time (``st_ctime``), which no
program can set back, so a write that keeps the size and sets the
modification time back is seen too. What the times cannot show is a change
made within the same tick of the file system's clock as the ``stat`` it was
recorded with (a coarse clock counts whole seconds, or two). So the clock
is read before any file (:func:`output._file_system_clock`), and a file
whose times are not older than that reading is not kept in the index: it is
read again next time, when it is (git's "racily clean" entries). A change
made after the clock was read bears a later time than any file the index
keeps.

The index is a file of the cache like the others (``statindex.pickle``):
one that is missing, unreadable or from other code is no index, and every
file is read.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator import cache, output
from generator.cache import digest

#: What a ``stat`` says of a file, in the order the index keeps it: size,
#: modification and change times (ns), inode, device.
Signature = tuple[int, int, int, int, int]


def signature(status: os.stat_result) -> Signature:
    return (
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_ino,
        status.st_dev,
    )


def clock(cache_folder: Path, content: Path) -> int:
    """A reading of the clock that stamps ``content``'s files, taken in
    ``cache_folder`` when both are on one file system; otherwise the system's
    clock less :data:`output.RACY_NS`, which a stamp of another clock within
    that margin cannot pass."""
    try:
        cache_folder.mkdir(parents=True, exist_ok=True)
        if os.stat(cache_folder).st_dev == os.stat(content).st_dev:
            return output._file_system_clock(cache_folder)
    except OSError:
        pass
    return time.time_ns() - output.RACY_NS


class StatIndex:
    """The digests of the files of one content folder, by path within it.

    :meth:`open` reads the index and the clock; :meth:`listing` gives every
    entry of a folder with its digest, reading only the files the index
    cannot vouch for; :meth:`save` writes what this build found.
    """

    KIND = "statindex"

    def __init__(
        self,
        folder: Path | None,
        content: Path,
        known: dict[str, tuple] | None = None,
        now: int = 0,
    ):
        self.folder = folder  # of the cache, where the index is kept
        self.content = content
        self.known = known or {}  # path within content -> (*Signature, digest)
        self.now = now  # the clock, read before any file
        self.found: dict[str, tuple] = {}  # what this build vouches for
        self.read = 0  # files read (and digested) by this build

    @classmethod
    def open(cls, folder: Path, content: Path) -> StatIndex:
        """The index kept in the cache ``folder`` for ``content``; the clock is
        read first, so every ``stat`` this build takes comes after it."""
        now = clock(folder, content)
        known = cache.recall(folder, cls.KIND, cls.key(content))
        return cls(folder, content, known if isinstance(known, dict) else None, now)

    @staticmethod
    def key(content: Path) -> str:
        """The index is kept for one content folder, by this code (which
        decides how files are digested)."""
        return digest("statindex", cache.engine_version(), str(content.absolute()))

    def listing(self, relative: str = "") -> dict[str, str | None] | None:
        """Every entry of the content folder's ``relative`` folder in name
        order, with the digest of its bytes (None for a folder); {} without
        the folder, None when a file cannot be read."""
        where = self.content / relative if relative else self.content
        prefix = f"{relative}/" if relative else ""
        try:
            entries = sorted(os.scandir(where), key=lambda entry: entry.name)
        except OSError:
            return {}
        found: dict[str, str | None] = {}
        for entry in entries:
            found[entry.name] = None
            if entry.is_file():
                known = self._digest(entry.path, prefix + entry.name)
                if known is None:
                    return None
                found[entry.name] = known
        return found

    def _digest(self, path: str, name: str) -> str | None:
        """The digest of the bytes of the file at ``path``: the index's when
        a ``stat`` finds it as recorded, else read; None when it cannot be."""
        known = self.known.get(name)
        if known is not None:
            try:
                now = signature(os.stat(path))
            except OSError:
                return None
            if now == known[:5]:
                self.found[name] = known
                return known[5]
        try:
            with open(path, "rb") as file:
                status = os.fstat(file.fileno())  # of what is read, before reading it
                data = file.read()
        except OSError:
            return None
        self.read += 1
        result = digest(data)
        recorded = signature(status)
        if max(recorded[1], recorded[2]) < self.now:
            self.found[name] = (*recorded, result)
        # else changed in the clock's last tick: read again next time
        return result

    def save(self) -> None:
        """Keep what this build found for the next one, if it differs from
        what the index held."""
        if self.folder is not None and self.found != self.known:
            cache.remember(self.folder, self.KIND, self.key(self.content), self.found)
