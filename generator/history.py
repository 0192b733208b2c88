"""The ids earlier builds have seen: a typo told apart from a target that has gone.

An id in ``overrides.yml`` that names nothing is either a typo (an error: fix
it now) or the id of an event, article or official that existed until the
content changed (a warning: the edit no longer applies, and ``--strict``
fails on it). Only memory can tell the two apart, so each build adds the ids
it saw to ``seen-ids.json`` in the build cache folder. The memory only ever
softens an error into a warning for an id that really existed; without it (a
fresh checkout, a deleted cache) every such id is an error, never silently
dropped. Reading is pure apart from one file; ``check`` reads, never writes.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FILE_NAME = "seen-ids.json"
KINDS = ("events", "articles", "officials")


@dataclass(frozen=True)
class History:
    events: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    officials: frozenset[str] = frozenset()
    #: The folder whose record it was read from (see :func:`read`): :func:`write`
    #: need not write it there again.
    source: Path | None = field(default=None, compare=False, repr=False)

    def knew(self, kind: str, wanted: str) -> bool:
        """Whether an earlier build saw ``wanted`` among its ``kind`` (event, article, official)."""
        return wanted in getattr(self, kind + "s")

    def plus(
        self, events: Iterable[str], articles: Iterable[str], officials: Iterable[str]
    ) -> History:
        """The ids of this history and those; itself when it holds them all
        already (as it does after most builds)."""
        more = frozenset(events), frozenset(articles), frozenset(officials)
        if all(new <= getattr(self, kind) for kind, new in zip(KINDS, more, strict=True)):
            return self
        return History(*(getattr(self, kind) | new for kind, new in zip(KINDS, more, strict=True)))

    @functools.cached_property
    def record(self) -> bytes:
        """The ids as :func:`write` writes them: sorted, in JSON.

        (Kept in the instance's ``__dict__`` once made, outside the fields,
        like :attr:`fingerprint`.)"""
        data = {kind: sorted(getattr(self, kind)) for kind in KINDS}
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of every id it holds: of its :attr:`record`, or of the
        record it was read from (the same ids, whatever wrote them)."""
        from generator.cache import digest

        return digest(self.record)


def fingerprint_of(folder: Path | None) -> str:
    """The :attr:`~History.fingerprint` of what :func:`read` reads in
    ``folder``, without reading the ids out of it (a build with nothing to
    do needs no more). A record that :func:`read` cannot read has another
    fingerprint than the empty history it gives: the build that follows
    finds its key changed, and reads it."""
    from generator.cache import digest

    try:
        return digest((folder / FILE_NAME).read_bytes()) if folder else History().fingerprint
    except OSError:
        return History().fingerprint


def read(folder: Path | None) -> History:
    """The ids recorded in ``folder``; nothing when there is no readable record.

    The history comes with the record it was read from, so its
    :attr:`~History.fingerprint` is a digest of the bytes read, not of the
    ids sorted again."""
    if folder is None:
        return History()
    try:
        data = (folder / FILE_NAME).read_bytes()
        found = json.loads(data.decode("utf-8"))
        history = History(
            *(frozenset(str(i) for i in found.get(kind, [])) for kind in KINDS), source=folder
        )
    except (OSError, ValueError, AttributeError, TypeError):
        return History()  # a cache that cannot be read is no memory, never a wrong one
    history.__dict__["record"] = data
    return history


def write(folder: Path | None, history: History) -> None:
    """Record ``history`` in ``folder`` (sorted, atomic); nothing when there
    is no folder, or when ``history`` is the record read from there."""
    if folder is None or history.source == folder:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".seen-", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(history.record)
        os.replace(temporary, folder / FILE_NAME)
    except OSError:
        pass  # like the rest of the cache: a build never fails for want of it
