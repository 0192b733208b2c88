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

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "seen-ids.json"
KINDS = ("events", "articles", "officials")


@dataclass(frozen=True)
class History:
    events: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    officials: frozenset[str] = frozenset()

    def knew(self, kind: str, wanted: str) -> bool:
        """Whether an earlier build saw ``wanted`` among its ``kind`` (event, article, official)."""
        return wanted in getattr(self, kind + "s")

    def plus(
        self, events: Iterable[str], articles: Iterable[str], officials: Iterable[str]
    ) -> History:
        return History(
            self.events | frozenset(events),
            self.articles | frozenset(articles),
            self.officials | frozenset(officials),
        )


def fingerprint(history: History) -> str:
    """A digest of every id ``history`` holds, in sorted order."""
    from generator.cache import digest

    return digest(*(part for kind in KINDS for part in (kind, *sorted(getattr(history, kind)))))


def read(folder: Path | None) -> History:
    """The ids recorded in ``folder``; nothing when there is no readable record."""
    if folder is None:
        return History()
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
        return History(*(frozenset(str(i) for i in data.get(kind, [])) for kind in KINDS))
    except (OSError, ValueError, AttributeError, TypeError):
        return History()  # a cache that cannot be read is no memory, never a wrong one


def write(folder: Path | None, history: History) -> None:
    """Record ``history`` in ``folder`` (sorted, atomic); nothing when there is no folder."""
    if folder is None:
        return
    data = {kind: sorted(getattr(history, kind)) for kind in KINDS}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".seen-", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(temporary, folder / FILE_NAME)
    except OSError:
        pass  # like the rest of the cache: a build never fails for want of it
