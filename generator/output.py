"""Write the site atomically: build beside the output, then swap it in.

A failed build never touches the previous site. The swap replaces the output
folder whole, so the folder must be one a build may own: not the content
folder or anything inside or above it, not the repository root, not ``/``,
not the home folder, and not a non-empty folder that holds no previous
build. Nothing outside the output folder is ever deleted: only the staging
folder and the previous site (moved aside) are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Container, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from generator import cache
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
    """A page path must name a file strictly inside the output folder: relative,
    in parts separated by single slashes, none of them "." or ".."."""
    bad = (
        not path
        or path[0] == "/"
        or "\\" in path
        or "\x00" in path
        or any(part in ("", ".", "..") for part in path.split("/"))
    )
    if bad:
        raise SourceError(
            str(output / path), 0, f"refusing to write outside the output folder: {path!r}"
        )


# --- rebuilding: write only what changed ---------------------------------------
#
# A rebuild after a small edit changes a handful of files among tens of
# thousands; writing them all again (and deleting the old copies) is most of
# its time on a real disk. A :class:`Staging` keeps the guarantee of this
# module — nothing in the output changes until every new file is safely
# written — and, when a previous build is there, holds only the files
# whose bytes differ, then moves each into place with one rename. A manifest
# kept in the build cache (never in the output) records the digest, size and
# modification time of every file written, and the key of what it was made
# from, so a file whose key did not change need not even be made again, and
# a file changed behind the build's back (a ``git checkout`` of the site) no
# longer matches and is written again.

MANIFEST_FORMAT = 6

Entry = tuple[str, int, int, str]  # digest, size, st_mtime_ns, key of what it was made from

#: The manifest's entries are kept whole, and the changes since then apart
#: while they are few (see :func:`_write_manifest`): an edit that writes a
#: handful of files does not write a hundred thousand entries again.
RECENT_SHARE = 1 / 8

#: Folders, relative ("" is the output itself) -> st_mtime_ns after the build.
Folders = dict[str, int]

#: What :meth:`Staging.write` returns: path, digest, key, and the size and
#: st_mtime_ns of the file staged (None when the output holds it already).
Staged = tuple[str, str, str, tuple[int, int] | None]

#: Without a file system clock to read (see :func:`_file_system_clock`), a
#: folder changed this long before the system clock's time is trusted; one
#: changed later might have gained a file within the same tick of a coarse
#: file-system clock.
RACY_NS = 2_000_000_000


#: What the process checking the output (:meth:`Previous.checked_meanwhile`)
#: found of the folders, when it listed them: the files there but not
#: recorded, those recorded but not there, and the folders not as recorded;
#: or None when the output holds something other than files and folders.
Listing = tuple[list[str], list[str], list[str]] | None


class Previous:
    """What the last build wrote into the output folder, as far as it is still there."""

    def __init__(
        self,
        output: Path,
        entries: dict[str, Entry],
        stamp: Any = None,
        folders: tuple[int, Folders] = (0, {}),
        recorded: Recorded | None = None,
    ):
        self.output = output
        self.entries = entries
        self.stamp = stamp  # what the build recorded of itself (see Staging.commit)
        self.folders = folders  # as the last build recorded them (see _files_under)
        self.recorded = recorded  # how the manifest holds them: whole, and changes since
        self.trusted: Folders = {}  # folders found as recorded, with their times
        self._present: set[str] | None = None  # the files under the output, once listed
        self._usable = True  # False when it holds something else than files and folders
        self._changed: set[str] | None = None  # files no longer as written, once checked
        self._checking: tuple[int, int] | None = None  # (process, pipe) checking them

    @classmethod
    def read(cls, manifest: Path | None, output: Path) -> Previous | None:
        """The previous build of ``output``, or None when there is none to update.

        What is under the output now is found when first asked for
        (:attr:`present`), or by the process :meth:`checked_meanwhile` forks.
        """
        output = output.resolve()
        read = _read_manifest(manifest, output)
        if read is None or not (output / SITE_MARKER).is_file():
            return None
        return cls(output, *read)

    @property
    def present(self) -> set[str]:
        """Every file under the output (none when :meth:`usable` is False)."""
        return self._list()

    def usable(self) -> bool:
        """Whether the output holds only files and folders, to be updated in
        place; else the next site is written whole and swapped in."""
        self._list()
        return self._usable

    def _list(self) -> set[str]:
        if self._checking is not None:
            self.changed()  # the forked process has listed the folders too
        if self._present is None:
            present = _files_under(self.output, self.entries, self.folders, self.trusted)
            self._usable = present is not None
            self._present = present or set()
        return self._present

    def all_intact(self) -> bool:
        """The output holds exactly the files the last build wrote, as it wrote them."""
        return self.usable() and self.present == self.entries.keys() and not self.changed()

    def intact(self, path: str) -> Entry | None:
        """The entry of a file that is still as the last build wrote it."""
        entry = self.entries.get(path)
        if entry is None or path not in self.present or path in self.changed():
            return None
        return entry

    @contextlib.contextmanager
    def checked_meanwhile(self) -> Iterator[None]:
        """List the folders not as recorded (:attr:`present`) and find the
        files no longer as written (:meth:`changed`) in a forked process,
        where the system can fork, while the block goes on; on leaving it, the
        process has answered and is gone, whatever happened.

        That is a ``stat`` of every folder and every file the last build wrote
        (over 200,000 at 10,000 articles), which the build needs only once it
        knows the files it will keep, seconds later; a thread would wait for
        the interpreter lock after each one while the build computes.
        """
        self._start_checking()
        try:
            yield
        finally:
            self.changed()

    def _start_checking(self) -> None:
        if self._changed is not None or self._checking is not None:
            return
        read, write = os.pipe()

        def answer() -> None:  # in the forked process
            os.close(read)
            listed = self._present is None
            changed = list(self._find_changed())  # lists the folders first, if need be
            found = self._listing() if listed else False
            with open(write, "wb") as pipe:
                pipe.write(pickle.dumps((found, changed), protocol=pickle.HIGHEST_PROTOCOL))

        process = cache.forked(answer)
        os.close(write)
        if process:
            self._checking = (process, read)
        else:
            os.close(read)

    def changed(self) -> set[str]:
        """The files of the last build that are no longer as it wrote them."""
        if self._checking is not None:
            process, read = self._checking
            self._checking = None
            with open(read, "rb") as pipe:
                answer = pipe.read()
            os.waitpid(process, 0)
            try:
                found, changed = pickle.loads(answer)
            except (EOFError, pickle.UnpicklingError, ValueError):
                pass  # it did not finish: check here
            else:
                if found is not False and self._present is None:
                    self._take_listing(found)
                self._changed = set(changed)
        if self._changed is None:
            self._changed = set(self._find_changed())
        return self._changed

    def _find_changed(self) -> Iterator[str]:
        output, present = str(self.output), self.present
        for path, entry in self.entries.items():
            if path in present and not _unchanged_on_disk(f"{output}/{path}", entry):
                yield path

    def _listing(self) -> Listing:
        """:attr:`present` and :attr:`trusted` as what they add to and take
        from the manifest: few entries, to be sent to the build process."""
        if not self._usable:
            return None
        recorded = self.entries.keys()
        return (
            sorted(self.present - recorded),
            sorted(recorded - self.present),
            sorted(self.folders[1].keys() - self.trusted.keys()),
        )

    def _take_listing(self, found: Listing) -> None:
        if found is None:
            self._present, self._usable = set(), False
            return
        added, gone, untrusted = found
        self._present = (self.entries.keys() - set(gone)) | set(added)
        times, left_out = self.folders[1], set(untrusted)
        self.trusted = {folder: ns for folder, ns in times.items() if folder not in left_out}

    def contents(self, path: str, key: str) -> bytes | None:
        """The bytes of the file the last build made at ``path`` for ``key``,
        if it is still as written (its size and time as recorded), or None."""
        entry = self.intact(path)
        if entry is None or entry[3] != key:
            return None
        try:
            with open(f"{self.output}/{path}", "rb") as file:
                status = os.fstat(file.fileno())
                if (status.st_size, status.st_mtime_ns) != (entry[1], entry[2]):
                    return None
                data = file.read()
        except OSError:
            return None
        return data if len(data) == entry[1] else None

    def reusable(self, keys: dict[str, str]) -> set[str]:
        """The files of ``keys`` (path -> key) made from the same inputs, still intact."""
        entries, present, changed = self.entries, self.present, self.changed()
        kept = set()
        for path, key in keys.items():  # self.intact(path), looked up in line: 100,000 files
            entry = entries.get(path)
            if entry is not None and entry[3] == key and path in present and path not in changed:
                kept.add(path)
        return kept

    def intact_among(self, paths: Iterable[str]) -> set[str]:
        """The files of ``paths`` still as the last build wrote them (it
        recorded each of them)."""
        kept = self.present.intersection(paths)
        kept.difference_update(self.changed())
        return kept

    def group(self, key: str) -> set[str] | None:
        """Every file recorded with ``key``, if there are some and all are intact."""
        paths = {path for path, entry in self.entries.items() if entry[3] == key}
        if not paths or any(self.intact(path) is None for path in paths):
            return None
        return paths


class Staging:
    """The next site, written beside the output as its files are made, then committed.

    Without a previous build every file goes into a whole new folder that is
    swapped in; with one, only files whose bytes differ are written, and the
    rest are kept where they are. :meth:`write` touches nothing but the
    staging folder, so worker processes may call it; the process that owns
    the staging records what they return with :meth:`record`.
    """

    def __init__(self, output: Path, previous: Previous | None):
        self.output = output.resolve()
        # An output holding something else than files and folders is replaced whole.
        self.previous = previous if previous is not None and previous.usable() else None
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(
            tempfile.mkdtemp(prefix=f".{self.output.name}.new-", dir=self.output.parent)
        )
        self.files: dict[str, tuple[str, str]] = {}  # path -> (digest, key), made by this build
        self.kept: set[str] = set()  # files of the previous build kept as they are
        self.changed: list[str] = []
        self.written: dict[str, tuple[int, int]] = {}  # path -> (size, st_mtime_ns), as staged
        self.whole = False  # whether the site was written whole and swapped in
        self._gone: list[str] | None = None  # see _removed

    def write(self, path: str, data: bytes, key: str = "") -> Staged:
        """Stage ``data`` at ``path`` unless the output already holds these bytes.

        A file written is stat'ed here, in the process that wrote it (a
        render worker), so the build process need not stat every one again
        for the manifest: its size and time do not change when it is moved
        into place.
        """
        _check_relative(path, self.output)
        digest = _digest(data)
        if self.previous is not None:
            entry = self.previous.intact(path)
            if entry is not None and entry[0] == digest:
                return path, digest, key, None
        status = _write_file(os.path.join(self.folder, path), data)
        return path, digest, key, (status.st_size, status.st_mtime_ns)

    def record(self, result: Staged) -> None:
        path, digest, key, written = result
        if path in self.files or path in self.kept:
            raise ValueError(f"two outputs at one path: {path}")
        self.files[path] = (digest, key)
        if written is not None:
            self.changed.append(path)
            self.written[path] = written

    def add(self, path: str, data: bytes, key: str = "") -> None:
        self.record(self.write(path, data, key))

    def earlier(self, path: str, key: str) -> bytes | None:
        """The bytes of the file the last build made at ``path`` for ``key``,
        if the output still holds it as written (:meth:`Previous.contents`)."""
        return self.previous.contents(path, key) if self.previous is not None else None

    def keep(self, paths: Iterable[str]) -> None:
        """Files of the previous build that are part of this one as they are."""
        kept = set(paths)
        entries = self.previous.entries if self.previous else {}
        twice = (kept & self.kept) | (kept & self.files.keys()) or kept - entries.keys()
        if twice:
            raise ValueError(f"two outputs at one path, or none to keep: {min(twice)}")
        self.kept |= kept

    @property
    def count(self) -> int:
        """The files of the site: made or kept."""
        return len(self.files) + len(self.kept)

    def commit(self, manifest: Path | None, stamp: Any = None) -> int:
        """Make the output hold exactly the recorded files; returns files written or removed.

        ``stamp`` is kept in the manifest for the next build (:attr:`Previous.stamp`).
        """
        try:
            if self.previous is None or self._conflicts():
                count = self._swap_whole()
            else:
                count = self._move_changed()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        shutil.rmtree(self.folder, ignore_errors=True)
        self._write_manifest(manifest, stamp)
        return count

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _removed(self) -> list[str]:
        """The files of the previous build that this one does not have (once
        it is committed, found once)."""
        assert self.previous is not None
        if self._gone is None:
            self._gone = sorted(self.previous.present - self.files.keys() - self.kept)
        return self._gone

    def _conflicts(self) -> bool:
        """A file where a folder must go, or the reverse: then start afresh."""
        for path in self.changed:
            target = self.output / path
            if target.is_dir() or any(p.is_file() for p in _parents(target, self.output)):
                return True
        return False

    def _swap_whole(self) -> int:
        """The staging folder becomes the site (files kept from the old one copied in)."""
        for path in sorted((self.files.keys() - set(self.changed)) | self.kept):
            target = self.folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.output / path, target)
        self.changed = sorted([*self.files, *self.kept])
        self.whole = True
        _swap(self.folder, self.output)
        return len(self.changed)

    def _move_changed(self) -> int:
        removed = self._removed()
        if self.changed or removed:
            _commit(self.folder, sorted(self.changed), removed, self.output)
        return len(self.changed) + len(removed)

    def _write_manifest(self, manifest: Path | None, stamp: Any) -> None:
        if manifest is None:
            return
        previous = self.previous
        if previous is None or previous.recorded is None or self.whole:
            entries = {path: self._entry(path) for path in [*self.files, *self.kept]}
            folders = _folder_times(self.output, entries, self._untouched_folders())
            _write_manifest(manifest, self.output, entries, stamp, folders)
            return
        # The entries of the files kept as they were are the last build's:
        # only those this build made, and those it no longer has, change.
        changes: dict[str, Entry | None] = {}
        for path in self.files:
            entry = self._entry(path)
            if previous.entries.get(path) != entry:
                changes[path] = entry
        for path in previous.entries.keys() - self.files.keys() - self.kept:
            changes[path] = None
        folders = _folder_times_since(self.output, previous, [*self.changed, *self._removed()])
        _write_manifest_changes(manifest, previous, changes, stamp, folders)

    def _entry(self, path: str) -> Entry:
        old = self.previous.entries.get(path) if self.previous else None
        digest, key = self.files[path] if path in self.files else (old[0], old[3])
        if path in self.written:
            return (digest, *self.written[path], key)
        if old is None or self.whole:  # copied in by _swap_whole
            status = os.stat(f"{self.output}/{path}")
            return (digest, status.st_size, status.st_mtime_ns, key)
        return (digest, old[1], old[2], key)

    def _untouched_folders(self) -> Folders:
        """The folders found as recorded that this build wrote nothing into
        and removed nothing from: their times need not be read again."""
        if self.previous is None:
            return {}
        touched = set()
        for path in [*self.changed, *self._removed()]:
            while path:
                path = path.rpartition("/")[0]
                touched.add(path)
        trusted = self.previous.trusted
        return {folder: trusted[folder] for folder in trusted.keys() - touched}


def update_site(
    pages: dict[str, bytes],
    output: Path,
    manifest: Path | None,
    keys: dict[str, str] | None = None,
) -> int:
    """Make ``output`` hold exactly ``pages``, writing only what changed.

    Returns the number of files written or removed.
    """
    staging = Staging(output, Previous.read(manifest, output))
    try:
        for path in sorted(pages):
            staging.add(path, pages[path], (keys or {}).get(path, ""))
    except BaseException:
        staging.discard()
        raise
    return staging.commit(manifest)


#: How a staged file is opened: as ``open(path, "wb")`` would.
_STAGED_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_file(target: str, data: bytes) -> os.stat_result:
    """Write ``data`` into the file ``target``, making its folders; its status once written.

    A cold build writes a file for each of its pages, and most of them in a
    folder of their own: through ``os`` rather than ``pathlib``, the folder
    is made only when opening the file finds it missing, and no path object
    is made and parsed for it.
    """
    try:
        fd = os.open(target, _STAGED_FILE, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, _STAGED_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _files_under(
    output: Path,
    entries: dict[str, Entry] | None = None,
    folders: tuple[int, Folders] | None = None,
    trusted: Folders | None = None,
) -> set[str] | None:
    """Every file under ``output``, relative; None if something is not a plain file or folder.

    A folder whose modification time is still the one the last build
    recorded (``folders``: the file system's clock when the times were read,
    and each folder's time) holds exactly what it held then: adding, removing
    or renaming an entry changes it. A folder changed in the very tick of that
    clock is listed anyway: a file added later in the same tick would have
    left its time as it was. Its files are taken from ``entries`` and it is not
    listed again, so a small edit does not list tens of thousands of folders:
    each recorded folder is checked on its own (the last build recorded every
    folder's parent too), and only those that changed, and folders new since,
    are listed.
    """
    clock, times = folders if folders is not None else (0, {})
    if not times:
        return _listed(str(output), "", set(), set())
    changed: set[str] = set()
    for relative, recorded in times.items():
        if recorded < clock:
            try:
                status = os.stat(f"{output}/{relative}" if relative else output)
            except OSError:
                pass
            else:
                if status.st_mtime_ns == recorded:
                    if trusted is not None:
                        trusted[relative] = recorded
                    continue
        changed.add(relative)
    found = set(entries or ())
    if not changed:
        return found
    found -= {path for path in found if path.rpartition("/")[0] in changed}
    for relative in changed:
        folder = f"{output}/{relative}" if relative else str(output)
        try:
            listed = _listed(folder, f"{relative}/" if relative else "", found, times)
        except (FileNotFoundError, NotADirectoryError):
            continue  # gone since: its files are gone with it
        if listed is None:
            return None
    return found


def _listed(folder: str, prefix: str, found: set[str], recorded: Container[str]) -> set[str] | None:
    """``found`` with the files of ``folder`` and of its folders not among
    ``recorded`` (new ones: listed whole); None at a symbolic link."""
    stack = [(folder, prefix)]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_symlink():
                    return None
                if not entry.is_dir():
                    found.add(prefix + entry.name)
                elif prefix + entry.name not in recorded:
                    stack.append((entry.path, prefix + entry.name + "/"))
    return found


def _folder_times(
    output: Path, entries: Iterable[str], known: Folders | None = None
) -> tuple[int, Folders]:
    """The modification time of every folder holding ``entries``, and the file
    system's clock just before they were read; ``known``: folders whose time
    is known, not read again."""
    clock = _file_system_clock(output.parent)
    known = known or {}
    times: Folders = {}
    for path in entries:
        folder = path
        while folder:
            folder = folder.rpartition("/")[0]
            if folder in times:
                break
            times[folder] = -1
    for folder in times:
        if folder in known:
            times[folder] = known[folder]
            continue
        try:
            times[folder] = os.stat(f"{output}/{folder}" if folder else output).st_mtime_ns
        except OSError:
            times[folder] = -1  # never trusted: listed next time
    return clock, times


def _folder_times_since(
    output: Path, previous: Previous, touched: Iterable[str]
) -> tuple[int, Folders]:
    """The folder times the last build recorded, read again only for the
    folders not found as recorded and those holding a file ``touched``
    (written or removed), with their parents; and the file system's clock
    just before they were read."""
    clock = _file_system_clock(output.parent)
    times = dict(previous.folders[1])
    for folder in _folders_to_read(previous, touched):
        try:
            times[folder] = os.stat(f"{output}/{folder}" if folder else output).st_mtime_ns
        except OSError:
            times[folder] = -1  # never trusted: listed next time
    return clock, times


def _folders_to_read(previous: Previous, touched: Iterable[str]) -> set[str]:
    """The folders whose times :func:`_folder_times_since` reads again."""
    again = previous.folders[1].keys() - previous.trusted.keys()
    walked: set[str] = set()
    for path in touched:
        folder = path
        while folder and folder not in walked:
            walked.add(folder)
            folder = folder.rpartition("/")[0]
            again.add(folder)
    return again


def _file_system_clock(folder: Path) -> int:
    """The time ``folder``'s file system stamps on a file made now, in its own
    ticks (a FAT clock counts in 2 s); with no file to be made there, the
    system clock less :data:`RACY_NS`.

    A folder whose time is older than this was last changed in an earlier
    tick: any change made since bears a later time.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=".clock-", dir=folder)
    except OSError:
        return time.time_ns() - RACY_NS
    try:
        return os.fstat(handle).st_mtime_ns
    finally:
        os.close(handle)
        with contextlib.suppress(OSError):
            os.unlink(name)


def _parents(target: Path, output: Path) -> list[Path]:
    parents = []
    for parent in target.parents:
        if parent == output:
            break
        parents.append(parent)
    return parents


def _unchanged_on_disk(target: Path | str, entry: Entry) -> bool:
    try:
        status = os.stat(target)
    except OSError:
        return False
    return status.st_size == entry[1] and status.st_mtime_ns == entry[2]


def _commit(staging: Path, changed: list[str], removed: list[str], output: Path) -> None:
    """Move the staged files into place, and the removed ones out.

    Replaced and removed files are first moved aside into the staging folder,
    so a failure part-way through the moves puts every one of them back.
    """
    aside = staging / ".previous"
    done: list[tuple[Path, Path]] = []  # (moved from, moved to), to undo in reverse
    try:
        for path in [*removed, *changed]:
            if (output / path).exists():
                (aside / path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(output / path, aside / path)
                done.append((output / path, aside / path))
        for path in changed:
            (output / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, output / path)
            done.append((staging / path, output / path))
    except BaseException:
        for source, moved in reversed(done):
            os.replace(moved, source)
        raise
    for path in removed:
        _prune_empty(output / path, output)


def _prune_empty(removed: Path, output: Path) -> None:
    for parent in _parents(removed, output):
        try:
            parent.rmdir()
        except OSError:
            return


class Recorded(NamedTuple):
    """How a manifest holds the last build's entries: whole as of an earlier
    build, and the changes since then (see :func:`_write_manifest`)."""

    token: str  # names the whole; the changes name it too
    whole: int  # how many entries the whole holds
    changes: dict[str, Entry | None]  # path -> entry since, or None for a file gone
    identity: str  # of the two files as read (see _identity)


#: What :func:`_read_manifest` reads: the entries, the stamp, the folders,
#: and how they were recorded.
Read = tuple[dict[str, Entry], Any, tuple[int, Folders], Recorded]


def _recent(manifest: Path) -> Path:
    """Where the changes since the whole are kept, beside ``manifest``."""
    return manifest.with_name(manifest.name + "-recent")


def _read_manifest(manifest: Path | None, output: Path) -> Read | None:
    """The manifest of ``output``: the entries kept whole, with the changes
    since applied. The two files name the same whole, or neither is used."""
    if manifest is None:
        return None
    try:
        with open(manifest, "rb") as whole, open(_recent(manifest), "rb") as recent:
            identity = _identity(os.fstat(whole.fileno())) + "|"
            identity += _identity(os.fstat(recent.fileno()))
            read = cache.held(manifest, "manifest", identity)
            if read is None:
                read = _parse_manifest(whole.read(), recent.read(), output, identity)
                if read is not None:
                    cache.hold(manifest, "manifest", identity, read)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        return None
    return read


def _parse_manifest(whole: bytes, recent: bytes, output: Path, identity: str) -> Read | None:
    with cache.uncollected():
        version, recorded_output, token, entries, _, _ = pickle.loads(whole)
        if version != MANIFEST_FORMAT or recorded_output != str(output):
            return None
        version, named, changes, stamp, folders = pickle.loads(recent)
    if version != MANIFEST_FORMAT or named != token:
        return None  # the changes since another whole: neither is of use
    size = len(entries)
    if changes:
        entries = dict(entries)
        for path, entry in changes.items():
            if entry is None:
                entries.pop(path, None)
            else:
                entries[path] = entry
    return entries, stamp, folders, Recorded(token, size, changes, identity)


def _identity(status: os.stat_result) -> str:
    """A manifest file as this process may have read or written it: one
    replaced since is another file, with another inode, size or time."""
    return f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def _write_manifest(
    manifest: Path,
    output: Path,
    entries: dict[str, Entry],
    stamp: Any = None,
    folders: tuple[int, Folders] = (0, {}),
) -> None:
    """Keep ``entries`` whole, with no changes since.

    The whole is written first, then the changes naming it: a build stopped
    in between leaves changes naming another whole, and the next build
    writes every file again rather than trust either."""
    token = os.urandom(16).hex()
    whole = (MANIFEST_FORMAT, str(output), token, entries, None, None)
    recent = (MANIFEST_FORMAT, token, {}, stamp, folders)
    try:
        written = _replace(manifest, pickle.dumps(whole, protocol=pickle.HIGHEST_PROTOCOL))
        identity = written + "|" + _replace(_recent(manifest), _pickled(recent))
        read = (entries, stamp, folders, Recorded(token, len(entries), {}, identity))
        cache.hold(manifest, "manifest", identity, read)
    except OSError:
        _forget_manifest(manifest)


def _write_manifest_changes(
    manifest: Path,
    previous: Previous,
    changes: dict[str, Entry | None],
    stamp: Any,
    folders: tuple[int, Folders],
) -> None:
    """Keep the entries of ``previous`` with ``changes``: as changes since
    the whole it was read from while they are few (:data:`RECENT_SHARE` of
    it), whole again once they are not."""
    recorded = previous.recorded
    assert recorded is not None
    entries = dict(previous.entries)
    for path, entry in changes.items():
        if entry is None:
            entries.pop(path, None)
        else:
            entries[path] = entry
    since = {**recorded.changes, **changes}
    if len(since) > max(recorded.whole, len(entries)) * RECENT_SHARE:
        _write_manifest(manifest, previous.output, entries, stamp, folders)
        return
    recent = (MANIFEST_FORMAT, recorded.token, since, stamp, folders)
    try:
        identity = recorded.identity.partition("|")[0]
        identity += "|" + _replace(_recent(manifest), _pickled(recent))
        read = (entries, stamp, folders, Recorded(recorded.token, recorded.whole, since, identity))
        cache.hold(manifest, "manifest", identity, read)
    except OSError:
        _forget_manifest(manifest)


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _replace(path: Path, data: bytes) -> str:
    """Write ``data`` into ``path`` through a partial file moved into place;
    the identity of the file written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as file:
        file.write(data)
        file.flush()
        identity = _identity(os.fstat(file.fileno()))
    os.replace(partial, path)
    return identity


def _forget_manifest(manifest: Path) -> None:
    """No manifest: the next build writes everything."""
    for path in (_recent(manifest), manifest):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
