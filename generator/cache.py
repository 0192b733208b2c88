"""A build cache: results of pure stages, by the digest of everything they read.

An entry is found only under the key of its exact inputs (the file's text,
the registry, the generator's own source), so the cache cannot serve a result
computed from anything else: a changed input is a new key, a miss, and a fresh
computation. Stale entries are simply never asked for, and are pruned.

The store is one SQLite file (standard library, transactional, safe against a
build killed half-way), kept outside the output folder: by default
``.cache/`` beside the content folder.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import generator

#: Bump to drop every cache written by an older layout of this module.
CACHE_FORMAT = "1"

#: Libraries whose upgrade may change what a stage computes.
LIBRARIES = ("dateparser", "hijridate", "PyYAML", "Jinja2", "Markdown", "MarkupSafe")


def digest(*parts: str | bytes) -> str:
    """A hex digest of ``parts``, each length-prefixed so no two lists collide."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def digest_many(*parts: str) -> str:
    """A digest of a long list of texts (every event's fingerprint, every
    page's path), as :func:`digest` but joined and hashed at once rather than
    part by part: a site's keys take hundreds of thousands of parts."""
    joined = "\0".join(parts)
    if joined.count("\0") != len(parts) - 1:  # a part holds a NUL: joined, they are ambiguous
        return digest("parts", *parts)
    return digest("joined", joined)


@cache
def engine_version() -> str:
    """The version and exact source of the generator, and its libraries' versions.

    Any edit to any module (the date engine, extraction, the registry
    matcher) or an upgrade of a library it uses changes it, and with it every
    key, so cached results never outlive the code that computed them.
    """
    package = Path(generator.__file__).resolve().parent
    parts: list[str | bytes] = [generator.__version__, CACHE_FORMAT, sys.version]
    installed = _installed(LIBRARIES)
    for library in LIBRARIES:
        folders = installed.get(_project(library))
        parts += [library, *(folders or [_version(library)])]
    for path in sorted(package.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    return digest(*parts)


def _installed(libraries: Iterable[str]) -> dict[str, list[str]]:
    """The metadata folders of ``libraries`` on ``sys.path``, by project.

    An installer names the folder after the version (``jinja2-3.1.6.dist-info``,
    Debian's ``PyYAML-6.0.egg-info``), so the names change with an upgrade.
    They are read from the folder listings alone: importlib.metadata would
    parse every library's METADATA, and with its own imports that took a
    rebuild of 1,000 articles with nothing to do from 0.38 s to 0.43 s.
    """
    wanted = {_project(library) for library in libraries}
    found: dict[str, list[str]] = {}
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as listing:
                names = [entry.name for entry in listing]
        except OSError:  # a zip file, or gone
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                project = _project(name.partition("-")[0])
                if project in wanted:
                    found.setdefault(project, []).append(name)
    return found


def _project(name: str) -> str:
    """A project's name as installers compare them (``PyYAML``, ``pyyaml``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _version(library: str) -> str:
    """The version importlib.metadata finds for a library installed some other way."""
    from importlib import metadata

    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


class Store:
    """``key -> bytes`` in one table per kind of result."""

    def __init__(self, path: Path | None):
        self.path = path
        self.problem: str | None = None  # why the cache had to be given up, if it was
        self._db: sqlite3.Connection | None = None
        if path is not None:
            with self._guard():
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """A cache that cannot be read or written is given up, never trusted half-way."""
        try:
            yield
        except (OSError, sqlite3.Error) as exc:
            self.problem = f"{self.path}: {exc}"
            if self._db is not None:
                self._db.close()
            self._db = None

    def _table(self, kind: str) -> str:
        if not kind.isidentifier():
            raise ValueError(f"bad cache table name {kind!r}")
        assert self._db is not None
        self._db.execute(f"CREATE TABLE IF NOT EXISTS {kind} (key TEXT PRIMARY KEY, data BLOB)")
        return kind

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored entries among ``keys``."""
        wanted = list(dict.fromkeys(keys))
        if self._db is None or not wanted:
            return {}
        found: dict[str, bytes] = {}
        with self._guard():
            table = self._table(kind)
            for start in range(0, len(wanted), 900):  # SQLite's bound-parameter limit
                chunk = wanted[start : start + 900]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, data FROM {table} WHERE key IN ({marks})", chunk
                )
                found.update(rows)
            return found
        return {}

    def put_many(self, kind: str, entries: Mapping[str, bytes]) -> None:
        if self._db is None or not entries:
            return
        with self._guard():
            table = self._table(kind)
            self._db.execute("BEGIN")
            self._db.executemany(
                f"INSERT OR REPLACE INTO {table} (key, data) VALUES (?, ?)", entries.items()
            )
            self._db.execute("COMMIT")

    def keep_only(self, kind: str, keys: Iterable[str]) -> None:
        """Forget every entry of ``kind`` not in ``keys`` (what this build did not use).

        The keys stored are listed and the others deleted by key: after an
        edit, a few of 10,000 (a fifth of the time of handing SQLite every
        key to keep)."""
        if self._db is None:
            return
        with self._guard():
            table = self._table(kind)
            keep = set(keys)
            self._db.execute("BEGIN")
            stored = self._db.execute(f"SELECT key FROM {table}")
            stale = [key for (key,) in stored if key not in keep]
            for start in range(0, len(stale), 900):  # SQLite's bound-parameter limit
                chunk = stale[start : start + 900]
                marks = ",".join("?" * len(chunk))
                self._db.execute(f"DELETE FROM {table} WHERE key IN ({marks})", chunk)
            self._db.execute("COMMIT")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def open_store(folder: Path | None) -> Store:
    """The store in ``folder``, or one that remembers nothing when ``folder`` is None."""
    return Store(folder / "build.sqlite3" if folder is not None else None)


#: The kinds :func:`hold_in_memory` asked for, and what :func:`remember` kept
#: and :func:`recall` read of them in this process: (folder, kind) -> (key, value).
_holding: frozenset[str] = frozenset()
_held: dict[tuple[Path, str], tuple[str, Any]] = {}


def hold_in_memory(kinds: Iterable[str]) -> None:
    """From now on, keep in this process what :func:`remember` keeps and
    :func:`recall` reads of ``kinds``, so the next build in it finds them
    (the merged events, the parsed articles) without reading them back.

    For a process that builds again and again (``serve``): it holds the
    last value of each kind between builds. A value is found only under the
    key it was made for, as on disk, so it is never stale; callers must not
    change what they recall.
    """
    global _holding
    _holding = _holding | set(kinds)


@contextmanager
def uncollected() -> Iterator[None]:
    """Leave the objects made within out of the cyclic collector's passes.

    What a build reads back (the manifest, the parsed articles, every
    article's candidates, the kept events) is millions of objects it keeps
    until it ends, none of them in a reference cycle: the collector walked
    each in a young and a middle collection, and in every full one after,
    and freed none. Within, it does not run; on leaving, every object it
    tracks goes to its permanent generation (``gc.freeze``), which no
    collection walks, until :func:`release` hands them back. An object
    nothing refers to any more is freed all the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release() -> None:
    """Give back to the collector what :func:`uncollected` left out of its
    passes: at the end of a build, for a process that goes on (``serve``)."""
    gc.unfreeze()


def recall(folder: Path | None, kind: str, key: str | None) -> Any:
    """What :func:`remember` kept for ``kind`` under ``key``, or None; any
    key when None, for a value whose parts each carry their own key.

    For a large result kept whole (the merged events, the entries of the
    search index, see ``render.Fragments``): a single pickle file per ``kind`` in
    ``folder``, holding the last key, then the value; any other key is a miss,
    found without reading the value. A file that cannot be used is a miss too.
    """
    if folder is None:
        return None
    value = held(folder, kind, key)
    if value is not None:
        return value
    with (
        contextlib.suppress(OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError),
        open(folder / f"{kind}.pickle", "rb") as file,
        uncollected(),
    ):
        stored = pickle.load(file)
        if key in (None, stored):
            value = pickle.load(file)
    if value is not None:
        hold(folder, kind, stored, value)
    return value


def held(where: Path, kind: str, key: str | None) -> Any:
    """What this process holds of ``kind`` for ``where`` under ``key`` (any key
    when None: for a value whose parts each carry their own key), or None."""
    entry = _held.get((where, kind))
    if entry is None or key not in (None, entry[0]):
        return None
    return entry[1]


def hold(where: Path, kind: str, key: str, value: Any) -> None:
    """Hold ``value`` under ``key``, if this process holds ``kind`` (see
    :func:`hold_in_memory`); it replaces what ``kind`` held for ``where``."""
    if kind in _holding:
        _held[(where, kind)] = (key, value)


def remember(folder: Path | None, kind: str, key: str, value: Any) -> None:
    """Keep ``value`` for :func:`recall` under ``key``, replacing what ``kind`` held."""
    if folder is None:
        return
    hold(folder, kind, key, value)
    _write(folder, kind, key, value)


def _write(folder: Path, kind: str, key: str, value: Any) -> None:
    path = folder / f"{kind}.pickle"
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with open(partial, "wb") as file:
            pickle.dump(key, file, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)


def forked(work: Callable[[], object]) -> int:
    """The id of a process forked to do ``work`` while this one goes on, which
    leaves when done without running this one's exit handlers; 0 where the
    system cannot fork (nothing is done then)."""
    fork = getattr(os, "fork", None)
    if fork is None:
        return 0
    process = fork()
    if process == 0:
        try:
            work()
        finally:
            os._exit(0)
    return process


#: :func:`remember`, or :meth:`Later.remember`: where a stage puts what it keeps.
Keep = Callable[[Path | None, str, str, Any], None]


class Later:
    """:func:`remember` calls held back until :meth:`start`.

    A build keeps its merged events for the next one, but pickling tens of
    thousands of records leaves the memory it used to this process, and
    worker processes forked after it would each start with that much more.
    The build writes them in a process forked for it (where it can fork)
    while it goes on, and waits for it before it ends: :meth:`start`, then
    :meth:`wait`. What is remembered after a start is written by the next.
    """

    def __init__(self) -> None:
        self._held: list[tuple[Path, str, str, Any]] = []
        self._writers: list[int] = []  # the forked processes writing them

    def remember(self, folder: Path | None, kind: str, key: str, value: Any) -> None:
        if folder is not None:
            hold(folder, kind, key, value)
            self._held.append((folder, kind, key, value))

    def remember_made(
        self, folder: Path | None, kind: str, key: str, make: Callable[[], Any]
    ) -> None:
        """:meth:`remember` what ``make`` returns, made where it is written
        (in the forked process): for a value of no use to this process."""
        if folder is not None:
            self._held.append((folder, kind, key, _Made(make)))

    def start(self) -> None:
        """Write what was remembered, in a forked process if there is something to write."""
        if not self._held:
            return
        writer = forked(self._write_all)
        if writer:
            self._writers.append(writer)
            self._held.clear()
        else:
            self._write_all()

    def wait(self) -> None:
        """Until what :meth:`start` writes is written (a failed write keeps nothing, as
        :func:`remember`'s does)."""
        while self._writers:
            os.waitpid(self._writers.pop(), 0)

    def _write_all(self) -> None:
        for folder, kind, key, value in self._held:
            _write(folder, kind, key, value.make() if isinstance(value, _Made) else value)
        self._held.clear()


class _Made(NamedTuple):
    """A value :class:`Later` makes when it writes it."""

    make: Callable[[], Any]
